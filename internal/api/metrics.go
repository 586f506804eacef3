package api

import (
	"net/http"

	"onevisit/internal/feedback"
)

// handleMetrics is GET /metrics?dept=&item=&from=&to=: the "最多跑一次"
// indicators of a period, with the callback figures when callbacks are
// wired; formulas in docs/metrics.md.
func (a *API) handleMetrics(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	from, to, err := period(q.Get("from"), q.Get("to"))
	if err != nil {
		a.error(w, r, err)
		return
	}
	f := feedback.MetricsFilter{Department: q.Get("dept"), ItemCode: q.Get("item"), From: from, To: to}
	if a.callbacks != nil {
		rep, err := a.callbacks.Report(r.Context(), principalOf(r.Context()), f)
		if err != nil {
			a.error(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, rep)
		return
	}
	m, err := a.feedback.Metrics(r.Context(), principalOf(r.Context()), f)
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, m)
}
