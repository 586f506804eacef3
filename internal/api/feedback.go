package api

import (
	"net/http"
	"strconv"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/calendar"
	"onevisit/internal/escalation"
	"onevisit/internal/feedback"
)

// Ratings (好差评), rectification tasks and unfinished-matter reports.

// withFeedback answers 404 when the feedback services are not wired.
func (a *API) withFeedback(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if a.feedback == nil || a.escalation == nil {
			a.error(w, r, apperr.New(apperr.NotFound, "err.not_found"))
			return
		}
		next(w, r)
	}
}

// handleRatingCreate is POST /cases/{no}/ratings: the applicant online, or
// a window's evaluation pad (ratings.pad token) for a visit.
func (a *API) handleRatingCreate(w http.ResponseWriter, r *http.Request) {
	var in feedback.Input
	if err := decode(r, &in); err != nil {
		a.error(w, r, err)
		return
	}
	rt, err := a.feedback.Rate(r.Context(), principalOf(r.Context()), r.PathValue("no"), in)
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, rt)
}

// handleRatingLink is GET /cases/{no}/rating-link: a signed link to send by SMS.
func (a *API) handleRatingLink(w http.ResponseWriter, r *http.Request) {
	tok, err := a.feedback.LinkToken(r.Context(), principalOf(r.Context()), r.PathValue("no"))
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"token": tok, "path": "/rate/" + tok})
}

// handleRatings is GET /ratings?dept=&item=&case=&from=&to=&poor=1.
func (a *API) handleRatings(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	from, to, err := period(q.Get("from"), q.Get("to"))
	if err != nil {
		a.error(w, r, err)
		return
	}
	limit, _ := strconv.Atoi(q.Get("limit"))
	f := feedback.RatingFilter{Department: q.Get("dept"), ItemCode: q.Get("item"), CaseNo: q.Get("case"),
		From: from, To: to, PoorOnly: q.Get("poor") == "1", Limit: limit}
	list, err := a.feedback.Ratings(r.Context(), principalOf(r.Context()), f)
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ratings": nonNil(list)})
}

// handleTasks is GET /rectifications?status=&overdue=1.
func (a *API) handleTasks(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := feedback.TaskFilter{Department: q.Get("dept"), Overdue: q.Get("overdue") == "1"}
	for _, s := range splitList(q.Get("status")) {
		f.Statuses = append(f.Statuses, feedback.TaskStatus(s))
	}
	list, err := a.feedback.Tasks(r.Context(), principalOf(r.Context()), f)
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"tasks": nonNil(list)})
}

// handleTaskAct is POST /rectifications/{id}: classify, callback, close, uphold, reject.
func (a *API) handleTaskAct(w http.ResponseWriter, r *http.Request) {
	var in feedback.TaskInput
	if err := decode(r, &in); err != nil {
		a.error(w, r, err)
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	t, err := a.feedback.Act(r.Context(), principalOf(r.Context()), id, in)
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}

// handleEscalations is GET /escalations?status=open|resolved.
func (a *API) handleEscalations(w http.ResponseWriter, r *http.Request) {
	list, err := a.escalation.Reports(r.Context(), principalOf(r.Context()), escalation.Status(r.URL.Query().Get("status")))
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"reports": nonNil(list)})
}

// handleEscalationCreate is POST /escalations.
func (a *API) handleEscalationCreate(w http.ResponseWriter, r *http.Request) {
	var in escalation.Input
	if err := decode(r, &in); err != nil {
		a.error(w, r, err)
		return
	}
	rep, err := a.escalation.File(r.Context(), principalOf(r.Context()), in)
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, rep)
}

// handleEscalationResolve is POST /escalations/{id}/resolve.
func (a *API) handleEscalationResolve(w http.ResponseWriter, r *http.Request) {
	var in escalation.Resolution
	if err := decode(r, &in); err != nil {
		a.error(w, r, err)
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	rep, err := a.escalation.Resolve(r.Context(), principalOf(r.Context()), id, in)
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

// period parses from and to (dates, inclusive, in Shanghai; or RFC 3339
// times) into a half-open interval [from, to).
func period(fromText, toText string) (time.Time, time.Time, error) {
	from, err := instant(fromText, 0)
	if err != nil {
		return from, from, bad("err.bad_date", "from="+fromText)
	}
	to, err := instant(toText, 1)
	if err != nil {
		return from, to, bad("err.bad_date", "to="+toText)
	}
	return from, to, nil
}

func instant(s string, addDays int) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if d, err := calendar.ParseDate(s); err == nil {
		return d.AddDays(addDays).In(calendar.Shanghai), nil
	}
	return time.Parse(time.RFC3339, s)
}
