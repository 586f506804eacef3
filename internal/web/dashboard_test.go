package web_test

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"onevisit/internal/analytics"
	"onevisit/internal/i18n"
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
