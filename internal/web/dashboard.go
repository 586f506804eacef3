package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

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
	Summary     analytics.Summary
	PrevRatings analytics.Ratings // ratings of the previous period
	Query       template.URL      // the filter as a query string, for links and data URLs
	Cards       []card
	Departments []option // for the department picker, by name
	Hall        string   // the hall whose tickets the hall panel shows; "" without one
}

// option is a code with its name, for a picker.
type option struct{ Code, Name string }

// card is one headline number with the previous period's beside it.
type card struct {
	Key, Drill   string
	Ratings      string // "all" or "poor": the card drills to ratings, not cases
	Value, Prev  float64
	Percent, Bad bool // a rate; Bad: higher is worse
}

// Delta is the change against the previous period, as shown.
func (c card) Delta() float64 { return c.Value - c.Prev }

// Up reports whether the change is for the better.
func (c card) Up() bool { return (c.Delta() > 0) != c.Bad }

func cardsOf(s analytics.Summary, prevRatings analytics.Ratings) []card {
	cur, prev, rt := s.Current, s.Previous, s.Ratings
	return []card{
		{Key: "stats.received", Drill: analytics.DrillReceived, Value: float64(cur.Received), Prev: float64(prev.Received)},
		{Key: "stats.accepted", Drill: analytics.DrillAccepted, Value: float64(cur.Accepted), Prev: float64(prev.Accepted)},
		{Key: "stats.decided", Drill: analytics.DrillDecided, Value: float64(cur.Decided), Prev: float64(prev.Decided)},
		{Key: "stats.on_time", Drill: analytics.DrillLate, Value: cur.OnTimePromisedRate, Prev: prev.OnTimePromisedRate, Percent: true},
		{Key: "stats.realization", Drill: analytics.DrillVisits, Value: cur.RealizationRate, Prev: prev.RealizationRate, Percent: true},
		{Key: "stats.zero_visit", Drill: analytics.DrillDecided, Value: cur.ZeroVisitShare, Prev: prev.ZeroVisitShare, Percent: true},
		{Key: "stats.avg_days", Drill: analytics.DrillDecided, Value: cur.AvgDaysUsed, Prev: prev.AvgDaysUsed, Bad: true},
		{Key: "stats.satisfaction", Ratings: "all", Value: rt.SatisfactionRate(), Prev: prevRatings.SatisfactionRate(), Percent: true},
		{Key: "stats.poor_rate", Ratings: "poor", Value: poorRate(rt), Prev: poorRate(prevRatings), Percent: true, Bad: true},
	}
}

func poorRate(r analytics.Ratings) float64 {
	if r.Ratings == 0 {
		return 0
	}
	return float64(r.Poor) / float64(r.Ratings)
}

// Href is where the card drills to: the cases or the ratings behind it.
func (c card) Href(query template.URL) template.URL {
	switch c.Ratings {
	case "all":
		return "/dashboard/ratings?" + query
	case "poor":
		return "/dashboard/ratings?" + query + "&poor=1"
	}
	return "/dashboard/drill?" + query + "&kind=" + template.URL(url.QueryEscape(c.Drill))
}

func (s *Server) statsFilter(r *http.Request) (analytics.Filter, error) {
	return analytics.ParseFilter(r.URL.Query().Get, s.stats.DefaultPeriod())
}

// filterQuery is f as a query string. It is a template.URL so that
// templates put it after a "?" as it is instead of escaping its = and &.
func filterQuery(f analytics.Filter) template.URL {
	q := url.Values{"from": {f.From.String()}, "to": {f.To.String()}}
	for k, v := range map[string]string{"dept": f.Department, "item": f.Item, "channel": f.Channel} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return template.URL(q.Encode())
}

func (s *Server) handleDashboard(w http.ResponseWriter, r *http.Request) {
	f, err := s.statsFilter(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	sum, prevRatings, err := s.headline(r.Context(), f)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	d := dashboardData{Summary: sum, PrevRatings: prevRatings, Query: filterQuery(f), Cards: cardsOf(sum, prevRatings),
		Departments: s.departmentOptions(r.Context()), Hall: s.dashboardHall(r)}
	v := s.newView(w, r, "title.dashboard")
	v.Form = r.URL.Query()
	v.Data = d
	s.render(w, r, http.StatusOK, "dashboard", v)
}

// headline is the period's summary and the previous period's ratings,
// which the satisfaction cards and the ratings chart compare with: one
// summary, which carries both.
func (s *Server) headline(ctx context.Context, f analytics.Filter) (analytics.Summary, analytics.Ratings, error) {
	sum, err := s.stats.Summary(ctx, principalOf(ctx), f)
	return sum, sum.PreviousRatings, err
}

// HeatForCenter reports whether the heat map, which counts the whole
// center, sits beside a department, item or channel filter it ignores.
func (d dashboardData) HeatForCenter() bool {
	f := d.Summary.Filter
	return f.Department != "" || f.Item != "" || f.Channel != ""
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
		v, err = s.namedTop(r.Context(), q.Get("by"), q.Get("metric"), limit, f)
	case "heatmap":
		v, err = s.stats.Heatmap(r.Context(), p, q.Get("metric"), f)
	case "hall":
		s.handleDashboardHall(w, r, f)
		return
	case "ratings":
		s.handleDashboardRatingsData(w, r, f)
		return
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
	Page             analytics.DrillPage
	Query            template.URL // the filter and kind, without the page
	Prev, Next       int
	Department, Item string       // the filter's names
	Slot             string       // the heat-map cell, e.g. "周一 09:00–10:00"
	Back             template.URL // the dashboard's query
}

// ExportMax is how many cases a download of the list holds at most.
func (drillData) ExportMax() int { return analytics.ExportMax }

// slotQuery is the heat-map cell of a drill-down as query parameters.
func slotQuery(sl *analytics.Slot) string {
	if sl == nil {
		return ""
	}
	return "&weekday=" + strconv.Itoa(sl.Weekday) + "&hour=" + strconv.Itoa(sl.Hour)
}

func (s *Server) handleDrill(w http.ResponseWriter, r *http.Request) {
	f, err := s.statsFilter(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	kind := q.Get("kind")
	slot, err := analytics.ParseSlot(q.Get)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	dr := analytics.Drill{Kind: kind, Filter: f, Slot: slot, Page: page}
	if q.Get("format") != "" {
		s.exportDrill(w, r, dr)
		return
	}
	pg, err := s.stats.DrillDown(r.Context(), principalOf(r.Context()), dr)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	lf := pg.Drill.Filter // a heat-map cell's is the whole center's
	names := s.namesFor(r.Context(), append(pg.ItemCodes(), lf.Item)...)
	pg = names.Page(pg)
	d := drillData{Page: pg, Query: filterQuery(lf) + template.URL("&kind="+url.QueryEscape(kind)+slotQuery(slot)),
		Department: names.Department(lf.Department), Item: names.Item(lf.Item), Back: filterQuery(f)}
	if slot != nil {
		days := strings.Split(s.msgs.T(prefsOf(r.Context()).Lang, "stats.weekdays"), ",")
		if slot.Weekday < len(days) {
			d.Slot = fmt.Sprintf("%s %02d:00–%02d:00", days[slot.Weekday], slot.Hour, slot.Hour+1)
		}
	}
	d.Prev, d.Next = pagerOf(pg.Drill.Page, pg.More)
	v := s.newView(w, r, "title.drill")
	v.Data = d
	s.render(w, r, http.StatusOK, "dashboard_drill", v)
}

// exportDrill downloads every case behind the number (?format=csv or
// xlsx), up to analytics.ExportMax, whichever page the list is on.
func (s *Server) exportDrill(w http.ResponseWriter, r *http.Request, d analytics.Drill) {
	ctx, lang := r.Context(), prefsOf(r.Context()).Lang
	st, err := s.stats.DrillExport(ctx, principalOf(ctx), d, analytics.ExportMax,
		func(p analytics.DrillPage) analytics.DrillPage { return s.namesFor(ctx, p.ItemCodes()...).Page(p) })
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	st.Cut, st.Broken = s.msgs.T(lang, "stats.export_cut", analytics.ExportMax), s.msgs.T(lang, "stats.export_broken")
	if !s.writeStream(w, r, st) {
		s.renderError(w, r, apperr.Field("format", "err.stats.format"))
	}
}
