package web

import (
	"net/http"
	"time"

	"onevisit/internal/calendar"
	"onevisit/internal/queue"
)

// The hall's statistics and staffing advice pages: tables for leaders,
// supervisors and hall managers (the service checks who may see them).

// hallStatsData is what hall_stats.html gets.
type hallStatsData struct {
	Hall    queue.Hall
	Today   queue.Stats
	Range   queue.Stats
	Buckets []string // labels of the distribution buckets
}

// staffingData is what hall_staffing.html gets.
type staffingData struct {
	Hall    queue.Hall
	Advice  queue.Staffing
	Weeks   int
	Percent int
	Within  int
}

// Short is the needed windows of an hour minus those that served: how many
// windows were missing (positive) or spare (negative).
func (staffingData) Short(h queue.HourAdvice) float64 { return float64(h.Needed) - h.Open }

func (s *Server) handleHallStats(w http.ResponseWriter, r *http.Request) {
	ctx, p, code := r.Context(), principalOf(r.Context()), r.PathValue("hall")
	q := r.URL.Query()
	to, err := calendar.ParseDate(q.Get("to"))
	if err != nil {
		to = calendar.DateOf(time.Now()).AddDays(-1)
	}
	from, err := calendar.ParseDate(q.Get("from"))
	if err != nil {
		from = to.AddDays(-27)
	}
	d := hallStatsData{Buckets: []string{"≤5", "5–10", "10–20", "20–30", "30–60", ">60"}}
	if d.Today, err = s.queue.Stats(ctx, p, code, calendar.Date{}, calendar.Date{}); err != nil {
		s.renderError(w, r, err)
		return
	}
	if d.Range, err = s.queue.Stats(ctx, p, code, from, to); err != nil {
		s.renderError(w, r, err)
		return
	}
	if d.Hall, err = s.queue.Hall(ctx, code); err != nil {
		s.renderError(w, r, err)
		return
	}
	v := s.newView(w, r, "title.hall_stats")
	v.Data = d
	s.render(w, r, http.StatusOK, "hall_stats", v)
}

func (s *Server) handleHallStaffing(w http.ResponseWriter, r *http.Request) {
	ctx, code := r.Context(), r.PathValue("hall")
	weeks, t := queue.ParseTarget(r.URL.Query().Get)
	adv, err := s.queue.Staffing(ctx, principalOf(ctx), code, weeks, t)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	h, err := s.queue.Hall(ctx, code)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := s.newView(w, r, "title.hall_staffing")
	v.Data = staffingData{Hall: h, Advice: adv, Weeks: weeks, Percent: int(t.Share*100 + 0.5), Within: int(t.Within.Minutes())}
	s.render(w, r, http.StatusOK, "hall_staffing", v)
}
