package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"onevisit/internal/sqlstore/sqlstoretest"
)

// fuzzedReads are the read routes whose answers depend on query parameters.
var fuzzedReads = []string{
	"/api/v1/cases", "/api/v1/stats/summary", "/api/v1/stats/series", "/api/v1/stats/top", "/api/v1/stats/heatmap",
	"/api/v1/stats/drill", "/api/v1/calendar/due", "/api/v1/calendar/workdays", "/api/v1/validate/idcard",
	"/api/v1/validate/uscc", "/api/v1/items", "/api/v1/ratings", "/api/v1/audit", "/api/v1/halls/main/stats",
	"/api/v1/progress/330206-20261127-000001", "/api/v1/metrics", "/api/v1/callbacks", "/api/v1/escalations",
	"/api/v1/rectifications", "/api/v1/items/330206-MARKET-XK-0005-001/slots", "/api/v1/assessment",
}

// FuzzQueryParameters: whatever query string a caller puts on the API's
// read routes — lists, statistics, calendar, validation, progress — the
// answer is JSON with a 2xx or 4xx status: never a 5xx, never a panic.
func FuzzQueryParameters(f *testing.F) {
	ctx := context.Background()
	s := wireAll(f, ctx, sqlstoretest.SQLite(f))
	h := s.api.Handler()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/api/v1/auth/login",
		strings.NewReader(`{"username":"supervisor","password":"`+pw+`"}`)))
	var login struct{ Token string }
	if err := json.Unmarshal(rec.Body.Bytes(), &login); err != nil || login.Token == "" {
		f.Fatalf("login: %d %s", rec.Code, rec.Body)
	}
	for _, q := range []string{
		"", "from=2026-01-01&to=2026-11-27", "from=2026-13-01", "to=1999-01-01&from=2030-01-01", "metric=received&interval=week",
		"metric=%00&interval=century", "page=-1", "page=99999999999999999999", "status=in_review,approved&dept=MARKET",
		"due_before=2026-02-30", "weekday=8&hour=25", "weekday=1&hour=9", "value=11010519491231002X", "start=2026-10-01&days=-5",
		"days=1000000000", "limit=0", "limit=-1&offset=-9", "code=01001X", "q=%E5%8A%9E", "dept=%27%3B+DROP+TABLE+cases", "month=2026-11",
	} {
		f.Add(uint8(len(q)), q)
	}
	f.Fuzz(func(t *testing.T, route uint8, query string) {
		path := fuzzedReads[int(route)%len(fuzzedReads)]
		req, err := http.NewRequest("GET", path+"?"+query, nil)
		if err != nil {
			return // not a request any client could send
		}
		req.RemoteAddr = "192.0.2.1:1234"
		req.Header.Set("Authorization", "Bearer "+login.Token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("GET %s?%s: %d %s", path, query, rec.Code, rec.Body)
		}
		if ct := rec.Header().Get("Content-Type"); strings.HasPrefix(ct, "application/json") && !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("GET %s?%s: %d, invalid JSON: %.200s", path, query, rec.Code, rec.Body)
		}
	})
}
