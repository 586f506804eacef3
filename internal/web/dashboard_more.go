package web

import (
	"context"
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"onevisit/internal/analytics"
	"onevisit/internal/apperr"
	"onevisit/internal/calendar"
	"onevisit/internal/feedback"
	"onevisit/internal/queue"
)

// The dashboard's parts beyond the roll-ups: names for codes, the hall's
// waiting and service times with the tickets behind them, and the ratings
// behind satisfaction and 差评. Every table here also downloads as CSV or
// XLSX with ?format=.

// namedTop is Top with the names of the rows' departments and items.
func (s *Server) namedTop(ctx context.Context, by, metric string, limit int, f analytics.Filter) ([]analytics.NamedRow, error) {
	rows, err := s.stats.Top(ctx, principalOf(ctx), by, metric, limit, f)
	if err != nil {
		return nil, err
	}
	return s.namesFor(ctx, analytics.ItemCodes(rows)...).Rows(rows), nil
}

// departmentOptions lists the departments by name, for the picker.
func (s *Server) departmentOptions(ctx context.Context) []option {
	names := s.namesFor(ctx)
	var opts []option
	for code, name := range names.Departments {
		opts = append(opts, option{Code: code, Name: name})
	}
	slices.SortFunc(opts, func(a, b option) int { return strings.Compare(a.Code, b.Code) })
	return opts
}

// dashboardHall is the hall of ?hall=, or the first hall; "" without one.
func (s *Server) dashboardHall(r *http.Request) string {
	if s.queue == nil {
		return ""
	}
	if h := r.URL.Query().Get("hall"); h != "" {
		return h
	}
	halls, err := s.queue.Halls(r.Context())
	if err != nil || len(halls) == 0 {
		return ""
	}
	return halls[0].Code
}

// hallPanel is the hall panel's data: the period per day and the
// previous period's totals.
type hallPanel struct {
	Hall     string      `json:"hall"`
	Name     string      `json:"name"`
	Current  queue.Daily `json:"current"`
	Previous queue.Group `json:"previous"`
}

// handleDashboardHall answers /dashboard/data/hall: the hall's average and
// p90 waiting and service minutes per day of the period.
func (s *Server) handleDashboardHall(w http.ResponseWriter, r *http.Request, f analytics.Filter) {
	code := s.dashboardHall(r)
	if code == "" {
		s.jsonError(w, r, apperr.New(apperr.NotFound, "err.page_not_found"))
		return
	}
	ctx, p := r.Context(), principalOf(r.Context())
	cur, err := s.queue.Daily(ctx, p, code, f.From, f.To)
	if err != nil {
		s.jsonError(w, r, err)
		return
	}
	pf := f.Previous()
	prev, err := s.queue.Daily(ctx, p, code, pf.From, pf.To)
	if err != nil {
		s.jsonError(w, r, err)
		return
	}
	h, err := s.queue.Hall(ctx, code)
	if err != nil {
		s.jsonError(w, r, err)
		return
	}
	panel := hallPanel{Hall: code, Name: h.Name, Current: cur, Previous: prev.Total}
	s.writeData(w, r, panel, func() analytics.Table { return hallTable(panel) })
}

func hallTable(p hallPanel) analytics.Table {
	t := analytics.Table{Name: "hall-" + p.Hall, Header: []string{"day", "tickets", "served", "noShows",
		"waitMean", "waitP90", "serviceMean", "serviceP90"}}
	for _, g := range append(p.Current.Days, p.Current.Total) {
		t.Rows = append(t.Rows, []any{g.Key, g.Tickets, g.Served, g.NoShows, g.Wait.Mean, g.Wait.P90, g.Service.Mean, g.Service.P90})
	}
	return t
}

// writeData answers v as JSON, or its table as CSV or XLSX with ?format=.
func (s *Server) writeData(w http.ResponseWriter, r *http.Request, v any, table func() analytics.Table) {
	format := r.URL.Query().Get("format")
	if format == "" || format == "json" {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_ = json.NewEncoder(w).Encode(v)
		return
	}
	if !s.writeTable(w, r, table()) {
		s.jsonError(w, r, apperr.Field("format", "err.stats.format"))
	}
}

// writeTable writes t as CSV or XLSX (?format=); false for other formats.
func (s *Server) writeTable(w http.ResponseWriter, r *http.Request, t analytics.Table) bool {
	ok, err := t.Serve(w, r.URL.Query().Get("format"))
	if err != nil {
		s.renderError(w, r, err)
	}
	return ok
}

// writeStream writes st as CSV or XLSX (?format=); false for other
// formats. An error once the download has started is only logged: the
// response is under way and its last row says it is incomplete.
func (s *Server) writeStream(w http.ResponseWriter, r *http.Request, st analytics.Stream) bool {
	ok, err := st.Serve(w, r.URL.Query().Get("format"))
	switch {
	case errors.Is(err, analytics.ErrIncomplete):
		s.log.Error("download incomplete", "id", RequestID(r.Context()), "err", err)
	case err != nil:
		s.renderError(w, r, err)
	}
	return ok
}

// handleDashboardRatingsData answers /dashboard/data/ratings: the
// period's and the previous period's ratings, for the ratings chart's
// export.
func (s *Server) handleDashboardRatingsData(w http.ResponseWriter, r *http.Request, f analytics.Filter) {
	ctx, p := r.Context(), principalOf(r.Context())
	cur, err := s.stats.Ratings(ctx, p, f)
	if err != nil {
		s.jsonError(w, r, err)
		return
	}
	prev, err := s.stats.Ratings(ctx, p, f.Previous())
	if err != nil {
		s.jsonError(w, r, err)
		return
	}
	v := map[string]analytics.Ratings{"current": cur, "previous": prev}
	s.writeData(w, r, v, func() analytics.Table {
		t := analytics.Table{Name: "ratings-" + f.To.String(), Header: []string{"period", "from", "to", "ratings", "satisfied", "poor",
			"satisfactionRate", "poorRate"}}
		for _, row := range []struct {
			name string
			f    analytics.Filter
			r    analytics.Ratings
		}{{"current", f, cur}, {"previous", f.Previous(), prev}} {
			t.Rows = append(t.Rows, []any{row.name, row.f.From.String(), row.f.To.String(), row.r.Ratings, row.r.Satisfied, row.r.Poor,
				row.r.SatisfactionRate(), poorRate(row.r)})
		}
		return t
	})
}

// ticketsData is what dashboard_tickets.html gets.
type ticketsData struct {
	Page       queue.TicketPage
	Zones      map[int64]string // zone id → prefix and name
	From, To   calendar.Date
	Query      template.URL // the period, hall and day, without the page
	Back       template.URL // the dashboard's query
	Prev, Next int
}

// WaitMinutes is v's wait in minutes, "" when never called.
func (ticketsData) WaitMinutes(v queue.Visit) string { return minutes(v.Wait()) }

// ServiceMinutes is v's service time in minutes, "" when not served.
func (ticketsData) ServiceMinutes(v queue.Visit) string { return minutes(v.Service()) }

// minutes is a duration in minutes to one decimal, "" when not measured.
func minutes(d time.Duration, ok bool) string {
	if !ok {
		return ""
	}
	return strconv.FormatFloat(d.Minutes(), 'f', 1, 64)
}

// handleDashboardTickets lists the hall's tickets behind the hall panel:
// the period's, or one day's (?day=), newest first, paged.
func (s *Server) handleDashboardTickets(w http.ResponseWriter, r *http.Request) {
	f, err := s.statsFilter(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	code := s.dashboardHall(r)
	if code == "" {
		s.renderError(w, r, apperr.New(apperr.NotFound, "err.page_not_found"))
		return
	}
	q := r.URL.Query()
	from, to := f.From, f.To
	if day, err := calendar.ParseDate(q.Get("day")); err == nil {
		from, to = day, day
	}
	page, _ := strconv.Atoi(q.Get("page"))
	pg, err := s.queue.Tickets(r.Context(), principalOf(r.Context()), code, from, to, page)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	d := ticketsData{Page: pg, Zones: map[int64]string{}, From: from, To: to, Back: filterQuery(f),
		Query: filterQuery(f) + template.URL("&hall="+url.QueryEscape(code))}
	if q.Get("day") != "" {
		d.Query += template.URL("&day=" + from.String())
	}
	for _, z := range pg.Hall.Zones {
		d.Zones[z.ID] = z.Prefix + " " + z.Name
	}
	if s.writeTable(w, r, ticketsTable(d)) {
		return
	}
	d.Prev, d.Next = pagerOf(pg.Page, pg.More)
	v := s.newView(w, r, "title.dash_tickets")
	v.Data = d
	s.render(w, r, http.StatusOK, "dashboard_tickets", v)
}

func ticketsTable(d ticketsData) analytics.Table {
	t := analytics.Table{Name: "tickets-" + d.From.String(), Header: []string{"ticket", "zone", "window", "status",
		"issuedAt", "calledAt", "doneAt", "waitMinutes", "serviceMinutes"}}
	stamp := func(at time.Time) string {
		if at.IsZero() {
			return ""
		}
		return at.In(calendar.Shanghai).Format(time.RFC3339)
	}
	for _, v := range d.Page.Tickets {
		t.Rows = append(t.Rows, []any{v.No, d.Zones[v.ZoneID], v.WindowNo, string(v.Status), stamp(v.Issued), stamp(v.Called),
			stamp(v.Done), d.WaitMinutes(v), d.ServiceMinutes(v)})
	}
	return t
}

// pagerOf is the previous and next page numbers, 0 where there is none.
func pagerOf(page int, more bool) (prev, next int) {
	if page > 1 {
		prev = page - 1
	}
	if more {
		next = page + 1
	}
	return prev, next
}

// ratingsPer is the page size of the ratings list.
const ratingsPer = 50

// ratingsData is what dashboard_ratings.html gets.
type ratingsData struct {
	Ratings          []feedback.Rating
	Filter           analytics.Filter
	Poor             bool
	Names            analytics.Names
	Query            template.URL // the filter and poor, without the page
	Back             template.URL
	Page, Prev, Next int
}

// handleDashboardRatings lists the ratings behind satisfaction (all) or
// 差评 (?poor=1) of the period, newest first, paged.
func (s *Server) handleDashboardRatings(w http.ResponseWriter, r *http.Request) {
	f, err := s.statsFilter(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if s.feedback == nil {
		s.renderError(w, r, apperr.New(apperr.NotFound, "err.page_not_found"))
		return
	}
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	poor := q.Get("poor") == "1"
	rf := feedback.RatingFilter{Department: f.Department, ItemCode: f.Item, PoorOnly: poor,
		From: f.From.In(calendar.Shanghai), To: f.To.AddDays(1).In(calendar.Shanghai),
		Limit: ratingsPer + 1, Offset: (page - 1) * ratingsPer}
	rs, err := s.feedback.Ratings(r.Context(), principalOf(r.Context()), rf)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	d := ratingsData{Ratings: rs, Filter: f, Poor: poor, Page: page, Back: filterQuery(f), Query: filterQuery(f)}
	if poor {
		d.Query += "&poor=1"
	}
	if len(rs) > ratingsPer {
		d.Ratings = rs[:ratingsPer]
	}
	d.Prev, d.Next = pagerOf(page, len(rs) > ratingsPer)
	d.Names = s.namesFor(r.Context(), f.Item)
	if s.writeTable(w, r, ratingsTable(d)) {
		return
	}
	v := s.newView(w, r, "title.dash_ratings")
	v.Data = d
	s.render(w, r, http.StatusOK, "dashboard_ratings", v)
}

func ratingsTable(d ratingsData) analytics.Table {
	t := analytics.Table{Name: "ratings", Header: []string{"caseNo", "item", "itemName", "department", "departmentName",
		"mode", "level", "labels", "valid", "createdAt"}}
	for _, r := range d.Ratings {
		t.Rows = append(t.Rows, []any{r.CaseNo, r.ItemCode, r.ItemName, r.Department, d.Names.Department(r.Department),
			string(r.Mode), int(r.Level), strings.Join(r.Labels, " "), r.Valid, r.CreatedAt.In(calendar.Shanghai).Format(time.RFC3339)})
	}
	return t
}
