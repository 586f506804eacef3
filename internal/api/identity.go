package api

import (
	"net/http"
	"strconv"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/identity"
)

func (a *API) requireLogin(w http.ResponseWriter, r *http.Request) *identity.Principal {
	p := principalOf(r.Context())
	if p == nil {
		a.error(w, r, apperr.New(apperr.Unauthenticated, "err.unauthenticated"))
	}
	return p
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.New(apperr.NotFound, "err.not_found")
	}
	return id, nil
}

func (a *API) handleDepartments(w http.ResponseWriter, r *http.Request) {
	if a.requireLogin(w, r) == nil {
		return
	}
	ds, err := a.ids.Departments(r.Context())
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"departments": nonNil(ds)})
}

func (a *API) handleDepartmentCreate(w http.ResponseWriter, r *http.Request) {
	p := a.requireLogin(w, r)
	if p == nil {
		return
	}
	var d identity.Department
	if err := decode(r, &d); err != nil {
		a.error(w, r, err)
		return
	}
	d, err := a.ids.CreateDepartment(r.Context(), p, d)
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, d)
}

func (a *API) handleUsers(w http.ResponseWriter, r *http.Request) {
	us, err := a.ids.Users(r.Context(), principalOf(r.Context()))
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": nonNil(us)})
}

type userRequest struct {
	Username     string          `json:"username"`
	DisplayName  string          `json:"displayName"`
	Password     string          `json:"password"`
	Kind         identity.Kind   `json:"kind"`
	Roles        []identity.Role `json:"roles"`
	DepartmentID int64           `json:"departmentId"`
	IDNumber     string          `json:"idNumber"`
	USCC         string          `json:"uscc"`
	LegalRep     string          `json:"legalRep"`
	Phone        string          `json:"phone"`
}

func (a *API) handleUserCreate(w http.ResponseWriter, r *http.Request) {
	var req userRequest
	if err := decode(r, &req); err != nil {
		a.error(w, r, err)
		return
	}
	u, err := a.ids.CreateUser(r.Context(), principalOf(r.Context()), identity.NewUser{
		Username: req.Username, DisplayName: req.DisplayName, Password: req.Password, Kind: req.Kind, Roles: req.Roles,
		DepartmentID: req.DepartmentID, IDNumber: req.IDNumber, USCC: req.USCC, LegalRep: req.LegalRep, Phone: req.Phone,
	})
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, u)
}

// handleUserPersonal returns an applicant's personal data; a read by staff
// is written to the audit log with the purpose given in ?purpose=.
func (a *API) handleUserPersonal(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		a.error(w, r, err)
		return
	}
	pd, err := a.ids.Personal(r.Context(), principalOf(r.Context()), id, r.URL.Query().Get("purpose"))
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, pd)
}

func (a *API) handleTokens(w http.ResponseWriter, r *http.Request) {
	ts, err := a.ids.APITokens(r.Context(), principalOf(r.Context()))
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"tokens": nonNil(ts)})
}

type tokenRequest struct {
	Name         string                `json:"name"`
	DepartmentID int64                 `json:"departmentId"`
	Permissions  []identity.Permission `json:"permissions"`
	ExpiresAt    time.Time             `json:"expiresAt"`
}

func (a *API) handleTokenCreate(w http.ResponseWriter, r *http.Request) {
	var req tokenRequest
	if err := decode(r, &req); err != nil {
		a.error(w, r, err)
		return
	}
	secret, t, err := a.ids.CreateAPIToken(r.Context(), principalOf(r.Context()), identity.NewAPIToken{
		Name: req.Name, DepartmentID: req.DepartmentID, Permissions: req.Permissions, ExpiresAt: req.ExpiresAt})
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"token": secret, "info": t})
}

func (a *API) handleTokenRevoke(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		a.error(w, r, err)
		return
	}
	if err := a.ids.RevokeAPIToken(r.Context(), principalOf(r.Context()), id); err != nil {
		a.error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleAudit lists recent audit entries, optionally for one object
// (?objectType=user&objectId=42).
func (a *API) handleAudit(w http.ResponseWriter, r *http.Request) {
	if err := principalOf(r.Context()).Require(identity.PermAuditRead); err != nil {
		a.error(w, r, err)
		return
	}
	q := r.URL.Query()
	limit, _ := strconv.Atoi(q.Get("limit"))
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	es, err := a.audit.AuditEntries(r.Context(), q.Get("objectType"), q.Get("objectId"), limit)
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": nonNil(es)})
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
