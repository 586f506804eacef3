package api_test

import (
	"context"
	"encoding/csv"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"onevisit/internal/analytics"
	"onevisit/internal/api"
	"onevisit/internal/calendar"
	"onevisit/internal/demo"
	"onevisit/internal/i18n"
	"onevisit/internal/identity"
	"onevisit/internal/sqlstore"
	"onevisit/internal/sqlstore/sqlstoretest"
)

// newStatsServer is the API over two months of generated history, its
// departments registered by name.
func newStatsServer(t *testing.T, db *sqlstore.DB) (*httptest.Server, *analytics.Service) {
	t.Helper()
	ctx := context.Background()
	policy := identity.DefaultPolicy
	policy.Argon2 = identity.Argon2Params{MemoryKiB: 1024, Time: 1, Threads: 1}
	ids := identity.NewService(db.Identity(), policy, time.Now)
	if _, err := demo.Seed(ctx, ids, pw, false); err != nil {
		t.Fatal(err)
	}
	_, err := demo.SeedHistoryDepartments(ctx, ids)
	must(t, err)
	cal, err := calendar.NewService(ctx, db, time.Now)
	must(t, err)
	h := demo.History{Cases: 3000, Days: 60, Seed: 9, Batch: 1000}
	must(t, demo.GenerateHistory(ctx, db.Stats(), cal.Current(), calendar.DateOf(time.Now()), h, nil))
	svc := analytics.NewService(db.Stats(), time.Now)
	a := api.New(api.Config{Logger: slog.New(slog.DiscardHandler), Identity: ids, Calendar: cal, Audit: db,
		Messages: i18n.MustLoad(), Now: time.Now, Stats: svc})
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	return srv, svc
}

// A drill-down's CSV holds every case behind the number, whatever page
// is asked for; its JSON stays one page.
func TestStatsDrillExportsEveryCase(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv, svc := newStatsServer(t, db)
		token := login(t, srv.URL, "leader")
		f := svc.DefaultPeriod()
		f.Department = "D01"
		sum, err := svc.Summary(context.Background(), &identity.Principal{Username: "leader", Roles: []identity.Role{identity.Leader}}, f)
		must(t, err)
		if sum.Current.Decided <= analytics.DrillPer {
			t.Fatalf("D01 completed %d cases: fewer than a page", sum.Current.Decided)
		}
		req, _ := http.NewRequest("GET", srv.URL+"/api/v1/stats/drill?kind=decided&dept=D01&page=3&format=csv", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		must(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), "drill-decided.csv") {
			t.Fatalf("CSV: %d %v", resp.StatusCode, resp.Header)
		}
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(body), "\ufeff"))).ReadAll()
		must(t, err)
		if got := int64(len(recs) - 1); got != sum.Current.Decided {
			t.Errorf("the CSV lists %d cases, the dashboard counts %d", got, sum.Current.Decided)
		}
		for _, r := range recs[1:] {
			if r[3] != "D01" || r[4] != "市场监督管理局" {
				t.Fatalf("a row of D01's list: department %s named %q", r[3], r[4])
			}
			if r[2] == "" || r[2] == r[1] { // the store lists codes; the names come from the cases' items
				t.Fatalf("a row of D01's list: item %s named %q", r[1], r[2])
			}
		}
		code, v := call(t, "GET", srv.URL+"/api/v1/stats/drill?kind=decided&dept=D01", token, "", "")
		cs, _ := v["cases"].([]any)
		if code != 200 || len(cs) != analytics.DrillPer || v["more"] != true {
			t.Fatalf("JSON: %d, %d cases, more %v; want one page of %d and more", code, len(cs), v["more"], analytics.DrillPer)
		}
		for _, c := range cs {
			if c := c.(map[string]any); c["itemName"] == "" || c["itemName"] == c["itemCode"] {
				t.Fatalf("JSON: item %v named %q", c["itemCode"], c["itemName"])
			}
		}
		if code, _ := call(t, "GET", srv.URL+"/api/v1/stats/drill?kind=nothing&format=csv", token, "", ""); code != 422 {
			t.Errorf("an unknown kind's CSV: %d, want 422", code)
		}
	})
}
