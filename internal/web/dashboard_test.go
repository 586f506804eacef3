package web_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"onevisit/internal/analytics"
	"onevisit/internal/calendar"
	"onevisit/internal/demo"
	"onevisit/internal/i18n"
	"onevisit/internal/identity"
	"onevisit/internal/sqlstore"
	"onevisit/internal/web"
)

// newStatsSite is a site with the dashboards over an empty database.
func newStatsSite(t *testing.T) string {
	t.Helper()
	base := newDemoBase(t, true)
	s, err := web.New(web.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Identity: base.ids, Catalog: base.cat,
		Messages: i18n.MustLoad(), DB: base.db, Version: "test", Stats: analytics.NewService(base.db.Stats(), time.Now)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestDashboardPicksDepartmentsByNameAndDrillsIntoAHeatMapCell(t *testing.T) {
	b := newBrowser(t, newStatsSite(t))
	b.login("leader")
	code, body := b.get("/dashboard")
	if code != 200 {
		t.Fatalf("/dashboard: %d", code)
	}
	if !strings.Contains(body, `<option value="MARKET"`) || !strings.Contains(body, "市场监管局</option>") {
		t.Errorf("the department picker does not offer 市场监管局 by name")
	}
	if strings.Contains(body, "from%3d") {
		t.Errorf("a link's query string is escaped: %s", body[strings.Index(body, "from%3d")-40:][:80])
	}
	tests := []struct {
		name, path string
		want       int
	}{
		{"a heat-map cell lists the cases received in it", "/dashboard/drill?kind=received&weekday=0&hour=9", 200},
		{"a weekday past Sunday is refused", "/dashboard/drill?kind=received&weekday=7&hour=9", 422},
		{"a cell drills into received cases only", "/dashboard/drill?kind=decided&weekday=0&hour=9", 422},
		{"the public indicators export as CSV", "/transparency?format=csv", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code, _ := b.get(tt.path); code != tt.want {
				t.Errorf("%s: %d, want %d", tt.path, code, tt.want)
			}
		})
	}
}

// countingStats counts the summaries computed (each reads the open
// warnings once).
type countingStats struct {
	*sqlstore.StatsStore
	summaries atomic.Int32
}

func (c *countingStats) OpenWarnings(ctx context.Context, f analytics.Filter) (int64, int64, error) {
	c.summaries.Add(1)
	return c.StatsStore.OpenWarnings(ctx, f)
}

// historySite is a site with the dashboards over two months of generated
// history, its departments registered by name.
type historySite struct {
	url   string
	stats *countingStats
	svc   *analytics.Service
}

func newHistorySite(t *testing.T) historySite {
	t.Helper()
	base := newDemoBase(t, true)
	cal, err := calendar.NewService(base.ctx, base.db, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.SeedHistoryDepartments(base.ctx, base.ids); err != nil {
		t.Fatal(err)
	}
	h := demo.History{Cases: 3000, Days: 60, Seed: 5, Batch: 1000}
	if err := demo.GenerateHistory(base.ctx, base.db.Stats(), cal.Current(), calendar.DateOf(time.Now()), h, nil); err != nil {
		t.Fatal(err)
	}
	hs := historySite{stats: &countingStats{StatsStore: base.db.Stats()}}
	hs.svc = analytics.NewService(hs.stats, time.Now)
	s, err := web.New(web.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Identity: base.ids, Catalog: base.cat,
		Messages: i18n.MustLoad(), DB: base.db, Version: "test", Stats: hs.svc})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	hs.url = srv.URL
	return hs
}

// The heat map has no department, item or channel (the hourly roll-ups
// are the whole center's): beside such a filter it says so, in both
// languages, and its cells' lists drop the filter.
func TestTheHeatMapSaysItIsTheWholeCentersBesideAFilter(t *testing.T) {
	hs := newHistorySite(t)
	b := newBrowser(t, hs.url)
	b.login("leader")
	tests := []struct {
		name, path, want string
		note             bool
	}{
		{"no filter, no note", "/dashboard", "", false},
		{"a department filter", "/dashboard?dept=D01", "热力图统计全中心的收件", true},
		{"an item filter", "/dashboard?item=HIST-001", "部门、事项和渠道筛选不适用", true},
		{"a channel filter", "/dashboard?channel=online", "全中心", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := b.get(tt.path)
			if code != 200 {
				t.Fatalf("%s: %d", tt.path, code)
			}
			if got := strings.Contains(body, `data-testid="heat-center"`); got != tt.note || !strings.Contains(body, tt.want) {
				t.Errorf("%s: whole-center note shown %v, want %v with %q", tt.path, got, tt.note, tt.want)
			}
		})
	}
	b.post("/", "/prefs", url.Values{"lang": {"en"}, "back": {"/"}})
	if _, body := b.get("/dashboard?dept=D01"); !strings.Contains(body, "The heat map counts the whole center") {
		t.Errorf("the English dashboard does not say the heat map is the whole center's")
	}
	_, body := b.get("/dashboard/drill?kind=received&weekday=0&hour=9&dept=D01&channel=online")
	filter := body[strings.Index(body, `data-testid="drill-filter"`):]
	filter = filter[:strings.Index(filter, "</p>")]
	if strings.Contains(filter, "Market Supervision") || strings.Contains(filter, "Online") || strings.Contains(body, "dept=D01&amp;kind") {
		t.Errorf("a heat-map cell's list keeps the department or channel filter: %s", filter)
	}
}

// One summary serves the dashboard: the previous period's ratings are
// looked up on their own, not with a second summary.
func TestTheDashboardComputesOneSummary(t *testing.T) {
	hs := newHistorySite(t)
	b := newBrowser(t, hs.url)
	b.login("leader")
	f := hs.svc.DefaultPeriod()
	prev, err := hs.svc.Summary(context.Background(), leaderPrincipal, f.Previous())
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		path string
		want int32
	}{{"/dashboard", 1}, {"/dashboard/data/ratings", 0}, {"/dashboard/data/ratings?format=csv", 0}} {
		hs.stats.summaries.Store(0)
		code, body := b.get(tt.path)
		if n := hs.stats.summaries.Load(); code != 200 || n != tt.want {
			t.Errorf("%s: %d, %d summaries computed, want %d", tt.path, code, n, tt.want)
		}
		if tt.path == "/dashboard" && !strings.Contains(body, fmt.Sprintf(`data-prev-total="%d"`, prev.Ratings.Ratings)) {
			t.Errorf("the ratings chart does not compare with the previous period's %d ratings", prev.Ratings.Ratings)
		}
	}
	if prev.Ratings.Ratings == 0 {
		t.Errorf("the previous period has no ratings: the comparison is not tested")
	}
}

var leaderPrincipal = &identity.Principal{UserID: 9, Username: "leader", Kind: identity.Staff, Roles: []identity.Role{identity.Leader}}

// A drill-down downloads every case behind the number, whatever page is
// on screen, with the departments' names.
func TestADrillDownDownloadsEveryCaseNotThePage(t *testing.T) {
	hs := newHistorySite(t)
	b := newBrowser(t, hs.url)
	b.login("leader")
	sum, err := hs.svc.Summary(context.Background(), leaderPrincipal, hs.svc.DefaultPeriod())
	if err != nil {
		t.Fatal(err)
	}
	if sum.Current.Received <= analytics.DrillPer {
		t.Fatalf("%d cases received: fewer than a page", sum.Current.Received)
	}
	_, page := b.get("/dashboard/drill?kind=received&page=2")
	if !strings.Contains(page, `data-testid="drill-export"`) || strings.Contains(page, "page=2&amp;format=csv") {
		t.Errorf("the drill page does not offer the whole list for download")
	}
	code, body := b.get("/dashboard/drill?kind=received&page=2&format=csv")
	if code != 200 {
		t.Fatalf("CSV: %d %.200s", code, body)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := int64(len(recs) - 1); got != sum.Current.Received {
		t.Errorf("the CSV lists %d cases, the dashboard counts %d", got, sum.Current.Received)
	}
	for _, r := range recs[1:] {
		if r[3] == "D01" && r[4] != "市场监督管理局" {
			t.Fatalf("D01 is named %q in the download", r[4])
		}
	}
	code, body = b.get("/dashboard/drill?kind=received&format=xlsx")
	f, err := excelize.OpenReader(strings.NewReader(body))
	if code != 200 || err != nil {
		t.Fatalf("XLSX: %d, %v", code, err)
	}
	rows, _ := f.GetRows("Sheet1")
	if got := int64(len(rows) - 1); got != sum.Current.Received {
		t.Errorf("the XLSX lists %d cases, the dashboard counts %d", got, sum.Current.Received)
	}
	if code, _ := b.get("/dashboard/drill?kind=received&format=pdf"); code != 422 {
		t.Errorf("format=pdf: %d, want 422", code)
	}
}
