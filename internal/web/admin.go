package web

import (
	"net/http"
	"strconv"
	"strings"

	"onevisit/internal/apperr"
	"onevisit/internal/identity"
)

type adminData struct {
	Users       []identity.User
	Departments []identity.Department
	Tokens      []identity.APIToken
	Roles       []identity.Role
	Permissions []identity.Permission
	DeptName    map[int64]string
}

func (s *Server) adminView(w http.ResponseWriter, r *http.Request) (*view, error) {
	p := principalOf(r.Context())
	v := s.newView(w, r, "title.admin")
	users, err := s.ids.Users(r.Context(), p)
	if err != nil {
		return v, err
	}
	depts, err := s.ids.Departments(r.Context())
	if err != nil {
		return v, err
	}
	tokens, err := s.ids.APITokens(r.Context(), p)
	if err != nil {
		return v, err
	}
	names := map[int64]string{}
	for _, d := range depts {
		names[d.ID] = d.Name
	}
	v.Data = adminData{Users: users, Departments: depts, Tokens: tokens, Roles: identity.Roles,
		Permissions: identity.Permissions, DeptName: names}
	return v, nil
}

func (s *Server) handleAdmin(w http.ResponseWriter, r *http.Request) {
	v, err := s.adminView(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v.Flash = r.URL.Query().Get("done")
	if v.Flash != "" && !strings.HasPrefix(v.Flash, "flash.") {
		v.Flash = ""
	}
	s.render(w, r, http.StatusOK, "admin", v)
}

// adminResult shows the admin page again after a form: with the error and
// the submitted values if it failed, or redirected with a notice if not.
func (s *Server) adminResult(w http.ResponseWriter, r *http.Request, err error, flash string) {
	if err == nil {
		http.Redirect(w, r, "/admin?done="+flash, http.StatusSeeOther)
		return
	}
	if kindOf(err) != apperr.Invalid && kindOf(err) != apperr.Conflict {
		s.renderError(w, r, err)
		return
	}
	v, verr := s.adminView(w, r)
	if verr != nil {
		s.renderError(w, r, verr)
		return
	}
	loc := s.msgs.Error(v.Lang, err)
	v.Error = &loc
	v.Form = r.PostForm
	s.render(w, r, http.StatusUnprocessableEntity, "admin", v)
}

func formInt(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(r.PostFormValue(name), 10, 64)
	return n
}

func (s *Server) handleAdminUserCreate(w http.ResponseWriter, r *http.Request) {
	var roles []identity.Role
	for _, v := range r.PostForm["roles"] {
		roles = append(roles, identity.Role(v))
	}
	_, err := s.ids.CreateUser(r.Context(), principalOf(r.Context()), identity.NewUser{
		Username: r.PostFormValue("username"), DisplayName: r.PostFormValue("displayName"),
		Password: r.PostFormValue("password"), Kind: identity.Kind(r.PostFormValue("kind")), Roles: roles,
		DepartmentID: formInt(r, "departmentId"), IDNumber: r.PostFormValue("idNumber"), USCC: r.PostFormValue("uscc"),
		Phone: r.PostFormValue("phone"),
	})
	s.adminResult(w, r, err, "flash.user_created")
}

func (s *Server) handleAdminDepartmentCreate(w http.ResponseWriter, r *http.Request) {
	_, err := s.ids.CreateDepartment(r.Context(), principalOf(r.Context()), identity.Department{
		ParentID: formInt(r, "parentId"), Code: r.PostFormValue("code"), Name: r.PostFormValue("name"),
		NameEn: r.PostFormValue("nameEn"), USCC: r.PostFormValue("uscc"), RegionCode: r.PostFormValue("regionCode"),
	})
	s.adminResult(w, r, err, "flash.department_created")
}

func (s *Server) handleAdminTokenCreate(w http.ResponseWriter, r *http.Request) {
	var perms []identity.Permission
	for _, v := range r.PostForm["permissions"] {
		perms = append(perms, identity.Permission(v))
	}
	secret, _, err := s.ids.CreateAPIToken(r.Context(), principalOf(r.Context()), identity.NewAPIToken{
		Name: r.PostFormValue("name"), DepartmentID: formInt(r, "departmentId"), Permissions: perms,
	})
	if err != nil {
		s.adminResult(w, r, err, "")
		return
	}
	// The secret is shown once, on this response, and never again.
	v, err := s.adminView(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v.Flash, v.Secret = "flash.token_created", secret
	s.render(w, r, http.StatusCreated, "admin", v)
}

func (s *Server) handleAdminTokenRevoke(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	err := s.ids.RevokeAPIToken(r.Context(), principalOf(r.Context()), id)
	s.adminResult(w, r, err, "flash.token_revoked")
}
