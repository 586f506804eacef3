package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"onevisit/internal/analytics"
	"onevisit/internal/apperr"
)

// The leaders' statistics (internal/analytics): summary, series, top
// lists, heat map and drill-down over the roll-ups, each also as CSV or
// XLSX with ?format= (a drill-down's every case, not its page); and the
// big screen's live stream.

// channels are the columns of exported series.
var channels = []string{"window", "online", "self_service", "phone"}

func (a *API) withStats(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if a.stats == nil {
			a.error(w, r, apperr.New(apperr.NotFound, "err.not_found"))
			return
		}
		next(w, r)
	}
}

func (a *API) statsFilter(r *http.Request) (analytics.Filter, error) {
	return analytics.ParseFilter(r.URL.Query().Get, a.stats.DefaultPeriod())
}

// writeStats answers v as JSON, or its table as CSV or XLSX.
func (a *API) writeStats(w http.ResponseWriter, r *http.Request, v any, table func() analytics.Table) {
	format := r.URL.Query().Get("format")
	if format == "" || format == "json" {
		writeJSON(w, http.StatusOK, v)
		return
	}
	ok, err := table().Serve(w, format)
	switch {
	case err != nil:
		a.error(w, r, err)
	case !ok:
		a.error(w, r, bad("err.stats.format"))
	}
}

func (a *API) handleStatsSummary(w http.ResponseWriter, r *http.Request) {
	f, err := a.statsFilter(r)
	if err != nil {
		a.error(w, r, err)
		return
	}
	s, err := a.stats.Summary(r.Context(), principalOf(r.Context()), f)
	if err != nil {
		a.error(w, r, err)
		return
	}
	a.writeStats(w, r, s, func() analytics.Table { return analytics.SummaryTable(s) })
}

func (a *API) handleStatsSeries(w http.ResponseWriter, r *http.Request) {
	f, err := a.statsFilter(r)
	if err != nil {
		a.error(w, r, err)
		return
	}
	q := r.URL.Query()
	metric, interval := or(q.Get("metric"), "received"), or(q.Get("interval"), analytics.Day)
	pts, err := a.stats.Series(r.Context(), principalOf(r.Context()), metric, interval, f)
	if err != nil {
		a.error(w, r, err)
		return
	}
	v := map[string]any{"metric": metric, "interval": interval, "filter": f, "points": pts}
	a.writeStats(w, r, v, func() analytics.Table { return analytics.SeriesTable(metric, pts, channels) })
}

func (a *API) handleStatsTop(w http.ResponseWriter, r *http.Request) {
	f, err := a.statsFilter(r)
	if err != nil {
		a.error(w, r, err)
		return
	}
	q := r.URL.Query()
	by, metric := or(q.Get("by"), analytics.ByItem), or(q.Get("metric"), "received")
	limit, _ := strconv.Atoi(q.Get("limit"))
	rows, err := a.stats.Top(r.Context(), principalOf(r.Context()), by, metric, limit, f)
	if err != nil {
		a.error(w, r, err)
		return
	}
	named := a.namesFor(r, analytics.ItemCodes(rows)...).Rows(rows)
	list := make([]map[string]any, len(named))
	for i, row := range named {
		list[i] = map[string]any{"department": row.Department, "departmentName": row.DepartmentName, "item": row.Item,
			"itemName": row.ItemName, "figures": analytics.FiguresOf(row.Counts)}
	}
	v := map[string]any{"by": by, "metric": metric, "filter": f, "rows": list}
	a.writeStats(w, r, v, func() analytics.Table { return analytics.NamedRowsTable(by, named) })
}

func (a *API) handleStatsHeatmap(w http.ResponseWriter, r *http.Request) {
	f, err := a.statsFilter(r)
	if err != nil {
		a.error(w, r, err)
		return
	}
	h, err := a.stats.Heatmap(r.Context(), principalOf(r.Context()), or(r.URL.Query().Get("metric"), "received"), f)
	if err != nil {
		a.error(w, r, err)
		return
	}
	a.writeStats(w, r, h, func() analytics.Table { return analytics.HeatmapTable(h) })
}

func (a *API) handleStatsDrill(w http.ResponseWriter, r *http.Request) {
	f, err := a.statsFilter(r)
	if err != nil {
		a.error(w, r, err)
		return
	}
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	kind := q.Get("kind")
	if m, ok := analytics.MetricNamed(q.Get("metric")); ok && kind == "" {
		kind = m.Drill
	}
	slot, err := analytics.ParseSlot(q.Get)
	if err != nil {
		a.error(w, r, err)
		return
	}
	d := analytics.Drill{Kind: kind, Filter: f, Slot: slot, Page: page}
	if format := q.Get("format"); format != "" && format != "json" {
		a.exportDrill(w, r, d, format)
		return
	}
	pg, err := a.stats.DrillDown(r.Context(), principalOf(r.Context()), d)
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a.namesFor(r, pg.ItemCodes()...).Page(pg))
}

// exportDrill downloads every case behind the number as CSV (streamed) or
// XLSX, up to analytics.ExportMax rows, whatever the page.
func (a *API) exportDrill(w http.ResponseWriter, r *http.Request, d analytics.Drill, format string) {
	st, err := a.stats.DrillExport(r.Context(), principalOf(r.Context()), d, analytics.ExportMax,
		func(p analytics.DrillPage) analytics.DrillPage { return a.namesFor(r, p.ItemCodes()...).Page(p) })
	if err != nil {
		a.error(w, r, err)
		return
	}
	st.Cut, st.Broken = a.msgs.T(lang(r), "stats.export_cut", analytics.ExportMax), a.msgs.T(lang(r), "stats.export_broken")
	ok, err := st.Serve(w, format)
	switch {
	case errors.Is(err, analytics.ErrIncomplete):
		a.log.Error("download incomplete", "path", r.URL.Path, "err", err)
	case err != nil:
		a.error(w, r, err)
	case !ok:
		a.error(w, r, bad("err.stats.format"))
	}
}

// handleStatsLive is GET /stats/live: server-sent events with today's
// figures, sent when they change (checked every half second) and at least
// every 15 s. Public: aggregates only.
func (a *API) handleStatsLive(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Type", "text/event-stream")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	fmt.Fprint(w, "retry: 2000\n\n")
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	var last []byte
	sent := time.Time{}
	for {
		l, err := a.stats.Live(r.Context())
		if err != nil && r.Context().Err() == nil {
			a.log.Error("stats live", "err", err)
		}
		b, _ := json.Marshal(l)
		if err == nil && (!bytes.Equal(b, last) || time.Since(sent) > 15*time.Second) {
			fmt.Fprintf(w, "event: live\ndata: %s\n\n", b)
			_ = rc.Flush()
			last, sent = b, time.Now()
		}
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
		}
	}
}

// itemCodes are the item codes of rows, for naming.
func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
