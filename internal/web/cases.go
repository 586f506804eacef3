package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"onevisit/internal/apperr"
	"onevisit/internal/cases"
	"onevisit/internal/catalog"
	"onevisit/internal/identity"
)

// worklistTabs are the status filters each side of the counter sees.
var worklistTabs = []struct {
	Key      string
	Statuses []cases.Status
	Warnings []cases.Warning
}{
	{"cases.tab.open", []cases.Status{cases.Submitted, cases.Received, cases.InReview, cases.Suspended, cases.Noticed, cases.Corrections}, nil},
	{"cases.tab.pretrial", []cases.Status{cases.Submitted}, nil},
	{"cases.tab.received", []cases.Status{cases.Received}, nil},
	{"cases.tab.review", []cases.Status{cases.InReview, cases.Suspended}, nil},
	{"cases.tab.warning", []cases.Status{cases.InReview, cases.Suspended}, []cases.Warning{cases.Yellow, cases.Red}},
	{"cases.tab.decided", []cases.Status{cases.Approved, cases.Denied, cases.Issued, cases.Delivered}, nil},
	{"cases.tab.all", nil, nil},
}

type casesData struct {
	Tab   int
	Tabs  []string
	Cases []cases.Case
	Total int
	Page  int
	Pages int
}

// handleCases is the worklist: front desk, back office (own department,
// by due date), supervisors (yellow and red) and applicants (their own).
func (s *Server) handleCases(w http.ResponseWriter, r *http.Request) {
	tab, _ := strconv.Atoi(r.URL.Query().Get("tab"))
	if tab < 0 || tab >= len(worklistTabs) {
		tab = 0
	}
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	t := worklistTabs[tab]
	list, total, err := s.cases.Cases(r.Context(), principalOf(r.Context()),
		cases.Filter{Statuses: t.Statuses, Warnings: t.Warnings, Page: page, Per: 30})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := s.newView(w, r, "title.cases")
	d := casesData{Tab: tab, Cases: list, Total: total, Page: max(page, 1), Pages: (total + 29) / 30}
	for _, t := range worklistTabs {
		d.Tabs = append(d.Tabs, t.Key)
	}
	v.Data = d
	s.render(w, r, http.StatusOK, "cases", v)
}

type caseData struct {
	Case     cases.Case
	Events   []cases.Event
	Actions  []cases.Action
	PDFs     []string
	Missing  []cases.Material
	Subs     []cases.Case // a bundle's sub-cases
	Personal bool         // the viewer is the applicant or staff entitled to the full record
}

// handleCase shows one case with its timeline and the actions the viewer
// may take now.
func (s *Server) handleCase(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r.Context())
	c, err := s.cases.Open(r.Context(), p, r.PathValue("no"), "case page")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	evs, err := s.cases.Timeline(r.Context(), p, c.No)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	d := caseData{Case: c, Events: evs, Actions: availableActions(p, &c), PDFs: casePDFs(&c), Missing: c.Missing()}
	if c.BundleCode != "" && c.ParentNo == "" {
		if d.Subs, err = s.cases.SubCases(r.Context(), p, c.No); err != nil {
			s.renderError(w, r, err)
			return
		}
	}
	v := s.newView(w, r, "title.case")
	v.Flash = flashParam(r)
	v.Data = d
	s.render(w, r, http.StatusOK, "case", v)
}

// availableActions lists the transitions p may take on c in its status.
func availableActions(p *identity.Principal, c *cases.Case) []cases.Action {
	var as []cases.Action
	for _, a := range cases.Actions() {
		if a == cases.CompleteStep || (c.BundleCode != "" && c.ParentNo == "" && a != cases.Withdraw) {
			continue // a bundle's parent moves with its sub-cases
		}
		if _, err := cases.Next(c.Status, a); err != nil {
			continue
		}
		if cases.Allowed(p, c, a) == nil {
			as = append(as, a)
		}
	}
	return as
}

// casePDFs lists the documents the case has.
func casePDFs(c *cases.Case) []string {
	var ds []string
	if !c.Clock.Start.IsZero() {
		ds = append(ds, "receipt")
	}
	if c.Status == cases.Refused {
		ds = append(ds, "refusal")
	}
	if len(c.Notices) > 0 {
		ds = append(ds, "notice")
	}
	if c.Status == cases.Approved || c.Status == cases.Denied || c.Status == cases.Issued || c.Status == cases.Delivered {
		ds = append(ds, "decision")
	}
	return ds
}

// handleCaseAct runs a transition from the case page's forms.
func (s *Server) handleCaseAct(w http.ResponseWriter, r *http.Request) {
	no := r.PathValue("no")
	days, _ := strconv.ParseFloat(r.PostFormValue("days"), 64)
	in := cases.ActInput{Action: cases.Action(r.PostFormValue("action")), Reason: r.PostFormValue("reason"),
		Days: days, Window: r.PostFormValue("window")}
	for _, code := range r.PostForm["problem_code"] {
		if problem := strings.TrimSpace(r.PostFormValue("problem_" + code)); problem != "" {
			in.Materials = append(in.Materials, cases.Tick{Code: code, Received: true, Problem: problem})
		}
	}
	if _, err := s.cases.Act(r.Context(), principalOf(r.Context()), no, in); err != nil {
		if k := kindOf(err); k == apperr.Invalid || k == apperr.Conflict {
			http.Redirect(w, r, "/cases/"+url.PathEscape(no)+"?err="+url.QueryEscape(s.msgs.Error(prefsOf(r.Context()).Lang, err).Message), http.StatusSeeOther)
			return
		}
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, "/cases/"+url.PathEscape(no)+"?done=flash.case_done", http.StatusSeeOther)
}

// itemOptions lists published items for the acceptance and application
// forms, filtered by a search term.
func (s *Server) itemOptions(r *http.Request, q string) ([]catalog.Item, error) {
	page, err := s.catalog.Search(r.Context(), catalog.Query{Q: q, PerPage: 60})
	return page.Items, err
}
