package api

import (
	"net/http"
	"strconv"
	"strings"

	"onevisit/internal/apperr"
	"onevisit/internal/calendar"
	"onevisit/internal/cases"
)

// handleCaseCreate applies online (an applicant) or at the window (a
// clerk). A repeated Idempotency-Key returns the case the first call made.
func (a *API) handleCaseCreate(w http.ResponseWriter, r *http.Request) {
	var in cases.Application
	if err := decode(r, &in); err != nil {
		a.error(w, r, err)
		return
	}
	c, err := a.cases.Apply(r.Context(), principalOf(r.Context()), in, r.Header.Get("Idempotency-Key"))
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, c)
}

func (a *API) handleCase(w http.ResponseWriter, r *http.Request) {
	c, err := a.cases.Open(r.Context(), principalOf(r.Context()), r.PathValue("no"), "api case")
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

// handleProgress is the public progress query (办件进度查询): with the case
// number and the last six characters of the applicant's ID number or USCC
// anyone sees the masked status and timeline; a wrong code is a 404 like
// an unknown number.
func (a *API) handleProgress(w http.ResponseWriter, r *http.Request) {
	ps, err := a.cases.Progress(r.Context(), r.PathValue("no"), r.URL.Query().Get("code"))
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ps)
}

func (a *API) handleCaseTimeline(w http.ResponseWriter, r *http.Request) {
	evs, err := a.cases.Timeline(r.Context(), principalOf(r.Context()), r.PathValue("no"))
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"events": nonNil(evs)})
}

// handleCases lists cases: ?status=a,b&dept=&due_before=YYYY-MM-DD&warning=&page=
func (a *API) handleCases(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := cases.Filter{Department: q.Get("dept")}
	for _, s := range splitList(q.Get("status")) {
		f.Statuses = append(f.Statuses, cases.Status(s))
	}
	for _, s := range splitList(q.Get("warning")) {
		f.Warnings = append(f.Warnings, cases.Warning(s))
	}
	if s := q.Get("due_before"); s != "" {
		d, err := calendar.ParseDate(s)
		if err != nil {
			a.error(w, r, bad("err.bad_date", "due_before="+s))
			return
		}
		f.DueBefore = d
	}
	f.Page, _ = strconv.Atoi(q.Get("page"))
	list, total, err := a.cases.Cases(r.Context(), principalOf(r.Context()), f)
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"cases": nonNil(list), "total": total, "page": max(f.Page, 1)})
}

// handleCaseAction runs one transition: POST /cases/{no}/{action}.
func (a *API) handleCaseAction(w http.ResponseWriter, r *http.Request) {
	var in cases.ActInput
	if r.ContentLength != 0 {
		if err := decode(r, &in); err != nil {
			a.error(w, r, err)
			return
		}
	}
	in.Action = cases.Action(r.PathValue("action"))
	if !in.Action.Valid() {
		a.error(w, r, apperr.New(apperr.NotFound, "err.case_action_unknown", in.Action))
		return
	}
	c, err := a.cases.Act(r.Context(), principalOf(r.Context()), r.PathValue("no"), in)
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// handleBundleCaseCreate applies for a bundle (一件事) at the window: one
// parent case and a sub-case per item.
func (a *API) handleBundleCaseCreate(w http.ResponseWriter, r *http.Request) {
	var in cases.BundleApplication
	if err := decode(r, &in); err != nil {
		a.error(w, r, err)
		return
	}
	c, err := a.cases.ApplyBundle(r.Context(), principalOf(r.Context()), in, r.Header.Get("Idempotency-Key"))
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, c)
}

// handleSubCases lists a bundle case's sub-cases.
func (a *API) handleSubCases(w http.ResponseWriter, r *http.Request) {
	subs, err := a.cases.SubCases(r.Context(), principalOf(r.Context()), r.PathValue("no"))
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"cases": nonNil(subs)})
}
