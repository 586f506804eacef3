package api

import (
	"net/http"
	"strconv"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/assessment"
	"onevisit/internal/calendar"
	"onevisit/internal/feedback"
)

// withAssessment answers 404 when callbacks and assessment are not wired.
func (a *API) withAssessment(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if a.callbacks == nil || a.assess == nil {
			a.error(w, r, apperr.New(apperr.NotFound, "err.not_found"))
			return
		}
		next(w, r)
	}
}

// handleCallbacks is GET /callbacks?day=: the callbacks due on a day
// (today by default), for the supervision office's operators.
func (a *API) handleCallbacks(w http.ResponseWriter, r *http.Request) {
	day := calendar.DateOf(a.now())
	if s := r.URL.Query().Get("day"); s != "" {
		t, err := time.ParseInLocation(time.DateOnly, s, calendar.Shanghai)
		if err != nil {
			a.error(w, r, bad("err.bad_date", "day="+s))
			return
		}
		day = calendar.DateOf(t)
	}
	list, err := a.callbacks.List(r.Context(), principalOf(r.Context()), feedback.CallbackFilter{From: day, To: day.AddDays(1)})
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"day": day, "callbacks": list})
}

// callbackInput is the body of POST /callbacks/{id}.
type callbackInput struct {
	Unreachable bool             `json:"unreachable"`
	Answers     feedback.Answers `json:"answers"`
}

// handleCallbackRecord is POST /callbacks/{id}: the answers, or unreachable.
func (a *API) handleCallbackRecord(w http.ResponseWriter, r *http.Request) {
	var in callbackInput
	if err := decode(r, &in); err != nil {
		a.error(w, r, err)
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	c, err := a.callbacks.Record(r.Context(), principalOf(r.Context()), id, in.Unreachable, in.Answers)
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

// monthParam reads ?month=2026-11; the previous month by default.
func (a *API) monthParam(r *http.Request) (assessment.Month, error) {
	s := r.URL.Query().Get("month")
	if s == "" {
		return assessment.MonthOf(a.now()).Prev(), nil
	}
	return assessment.ParseMonth(s)
}

// handleAssessment is GET /assessment?month=: the monthly notice (issued,
// or provisional) with every department's score, rank and trend.
func (a *API) handleAssessment(w http.ResponseWriter, r *http.Request) {
	m, err := a.monthParam(r)
	if err != nil {
		a.error(w, r, err)
		return
	}
	n, err := a.assess.Notice(r.Context(), principalOf(r.Context()), m)
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, n)
}

// handleAssessmentPDF is GET /assessment/notice.pdf?month=: the notice as
// a PDF (通报).
func (a *API) handleAssessmentPDF(w http.ResponseWriter, r *http.Request) {
	m, err := a.monthParam(r)
	if err != nil {
		a.error(w, r, err)
		return
	}
	n, err := a.assess.Notice(r.Context(), principalOf(r.Context()), m)
	if err == nil && a.docs == nil {
		err = apperr.New(apperr.NotFound, "err.assessment.no_font")
	}
	if err == nil && len(n.Scores) == 0 {
		err = apperr.New(apperr.NotFound, "err.assessment.empty")
	}
	var pdf []byte
	if err == nil {
		pdf, err = a.docs.Monthly(n.Document())
	}
	if err != nil {
		a.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="notice-`+n.Month+`.pdf"`)
	_, _ = w.Write(pdf)
}

// handleAssessmentConfig is GET /assessment/config: the scorecards.
func (a *API) handleAssessmentConfig(w http.ResponseWriter, r *http.Request) {
	c, err := a.assess.Config(r.Context(), principalOf(r.Context()))
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

// handleAssessmentConfigSave is PUT /assessment/config (supervisors).
func (a *API) handleAssessmentConfigSave(w http.ResponseWriter, r *http.Request) {
	var c assessment.Config
	if err := decode(r, &c); err != nil {
		a.error(w, r, err)
		return
	}
	saved, err := a.assess.SaveConfig(r.Context(), principalOf(r.Context()), c)
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, saved)
}
