package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"

	"onevisit/internal/analytics"
	"onevisit/internal/apperr"
)

// The leaders' dashboard: headline cards rendered on the server, charts
// drawn by static/dashboard.js with ECharts from /dashboard/data/{kind}
// (JSON over the same session), and the drill-down list behind a number.

// withStats answers 404 when the server has no analytics service.
func (s *Server) withStats(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.stats == nil {
			s.renderError(w, r, apperr.New(apperr.NotFound, "err.page_not_found"))
			return
		}
		next(w, r)
	}
}

// dashboardData is what the dashboard page gets.
type dashboardData struct {
	Summary analytics.Summary
	Query   string // the filter as a query string, for links and data URLs
	Cards   []card
}

// card is one headline number with the previous period's beside it.
type card struct {
	Key, Drill   string
	Value, Prev  float64
	Percent, Bad bool // a rate; Bad: higher is worse
}

// Delta is the change against the previous period, as shown.
func (c card) Delta() float64 { return c.Value - c.Prev }

// Up reports whether the change is for the better.
func (c card) Up() bool { return (c.Delta() > 0) != c.Bad }

func cardsOf(s analytics.Summary) []card {
	cur, prev := s.Current, s.Previous
	return []card{
		{Key: "stats.received", Drill: analytics.DrillReceived, Value: float64(cur.Received), Prev: float64(prev.Received)},
		{Key: "stats.accepted", Drill: analytics.DrillAccepted, Value: float64(cur.Accepted), Prev: float64(prev.Accepted)},
		{Key: "stats.decided", Drill: analytics.DrillDecided, Value: float64(cur.Decided), Prev: float64(prev.Decided)},
		{Key: "stats.on_time", Drill: analytics.DrillLate, Value: cur.OnTimePromisedRate, Prev: prev.OnTimePromisedRate, Percent: true},
		{Key: "stats.realization", Drill: analytics.DrillVisits, Value: cur.RealizationRate, Prev: prev.RealizationRate, Percent: true},
		{Key: "stats.zero_visit", Drill: analytics.DrillDecided, Value: cur.ZeroVisitShare, Prev: prev.ZeroVisitShare, Percent: true},
		{Key: "stats.avg_days", Drill: analytics.DrillDecided, Value: cur.AvgDaysUsed, Prev: prev.AvgDaysUsed, Bad: true},
	}
}

func (s *Server) statsFilter(r *http.Request) (analytics.Filter, error) {
	return analytics.ParseFilter(r.URL.Query().Get, s.stats.DefaultPeriod())
}

func filterQuery(f analytics.Filter) string {
	q := url.Values{"from": {f.From.String()}, "to": {f.To.String()}}
	for k, v := range map[string]string{"dept": f.Department, "item": f.Item, "channel": f.Channel} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return q.Encode()
}

func (s *Server) handleDashboard(w http.ResponseWriter, r *http.Request) {
	f, err := s.statsFilter(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	sum, err := s.stats.Summary(r.Context(), principalOf(r.Context()), f)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := s.newView(w, r, "title.dashboard")
	v.Form = r.URL.Query()
	v.Data = dashboardData{Summary: sum, Query: filterQuery(f), Cards: cardsOf(sum)}
	s.render(w, r, http.StatusOK, "dashboard", v)
}

// handleDashboardData answers the charts' JSON: series, top, heatmap.
func (s *Server) handleDashboardData(w http.ResponseWriter, r *http.Request) {
	f, err := s.statsFilter(r)
	if err != nil {
		s.jsonError(w, r, err)
		return
	}
	p, q := principalOf(r.Context()), r.URL.Query()
	var v any
	switch r.PathValue("kind") {
	case "series":
		v, err = s.stats.Series(r.Context(), p, q.Get("metric"), q.Get("interval"), f)
	case "top":
		limit, _ := strconv.Atoi(q.Get("limit"))
		v, err = s.stats.Top(r.Context(), p, q.Get("by"), q.Get("metric"), limit, f)
	case "heatmap":
		v, err = s.stats.Heatmap(r.Context(), p, q.Get("metric"), f)
	default:
		err = apperr.New(apperr.NotFound, "err.page_not_found")
	}
	if err != nil {
		s.jsonError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Server) jsonError(w http.ResponseWriter, r *http.Request, err error) {
	kind := apperr.KindOf(err)
	if kind == apperr.Internal {
		s.log.Error("internal error", "id", RequestID(r.Context()), "err", err)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(errStatus[kind])
	_ = json.NewEncoder(w).Encode(map[string]any{"error": s.msgs.Error(prefsOf(r.Context()).Lang, err)})
}

// drillData is what the drill-down page gets.
type drillData struct {
	Page       analytics.DrillPage
	Query      string // the filter and kind, without the page
	Prev, Next int
}

func (s *Server) handleDrill(w http.ResponseWriter, r *http.Request) {
	f, err := s.statsFilter(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	kind := r.URL.Query().Get("kind")
	pg, err := s.stats.DrillDown(r.Context(), principalOf(r.Context()), analytics.Drill{Kind: kind, Filter: f, Page: page})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	d := drillData{Page: pg, Query: filterQuery(f) + "&kind=" + url.QueryEscape(kind)}
	if pg.Drill.Page > 1 {
		d.Prev = pg.Drill.Page - 1
	}
	if pg.More {
		d.Next = pg.Drill.Page + 1
	}
	v := s.newView(w, r, "title.drill")
	v.Data = d
	s.render(w, r, http.StatusOK, "dashboard_drill", v)
}
