package web

import (
	"net/http"

	"onevisit/internal/apperr"
	"onevisit/internal/identity"
)

// worklist is one box on a home page. Later features fill them in; the
// foundation shows each role what it will find there.
type worklist struct {
	Key   string // title message key
	Empty string // message key shown when there is nothing
	Items []string
}

// homeLists is what each role's home page lists.
var homeLists = map[identity.Role][]worklist{
	identity.Applicant:    {{Key: "home.applicant.cases", Empty: "home.empty.cases"}, {Key: "home.applicant.drafts", Empty: "home.empty.drafts"}},
	identity.Clerk:        {{Key: "home.clerk.queue", Empty: "home.empty.queue"}, {Key: "home.clerk.pretrial", Empty: "home.empty.tasks"}},
	identity.Approver:     {{Key: "home.approver.tasks", Empty: "home.empty.tasks"}, {Key: "home.approver.due", Empty: "home.empty.due"}},
	identity.Issuer:       {{Key: "home.issuer.pending", Empty: "home.empty.tasks"}},
	identity.Supervisor:   {{Key: "home.supervisor.overdue", Empty: "home.empty.due"}, {Key: "home.supervisor.reviews", Empty: "home.empty.tasks"}},
	identity.CatalogAdmin: {{Key: "home.catalog.drafts", Empty: "home.empty.tasks"}, {Key: "home.catalog.upstream", Empty: "home.empty.tasks"}},
	identity.Leader:       {{Key: "home.leader.today", Empty: "home.empty.stats"}},
	identity.Admin:        {{Key: "home.admin.accounts", Empty: "home.empty.tasks"}},
}

type homeData struct {
	Role  identity.Role
	Lists []worklist
	Dept  string
}

func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r.Context())
	if p == nil {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	u, err := s.ids.User(r.Context(), p.UserID)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		s.renderError(w, r, err)
		return
	}
	role := u.HomeRole()
	v := s.newView(w, r, "title.home."+string(role))
	d := homeData{Role: role, Lists: homeLists[role]}
	if p.DepartmentID != 0 {
		depts, err := s.ids.Departments(r.Context())
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		for _, dep := range depts {
			if dep.ID == p.DepartmentID {
				d.Dept = dep.Name
				if v.Lang == "en" && dep.NameEn != "" {
					d.Dept = dep.NameEn
				}
			}
		}
	}
	v.Data = d
	s.render(w, r, http.StatusOK, "home", v)
}

func kindOf(err error) apperr.Kind { return apperr.KindOf(err) }
