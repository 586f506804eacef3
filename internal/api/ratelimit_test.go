package api_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"onevisit/internal/api"
	"onevisit/internal/calendar"
	"onevisit/internal/demo"
	"onevisit/internal/i18n"
	"onevisit/internal/identity"
	"onevisit/internal/ratelimit"
	"onevisit/internal/sqlstore/sqlstoretest"
)

func TestTooManyLoginsOrPublicCallsAnswer429WithRetryAfter(t *testing.T) {
	ctx := context.Background()
	db := sqlstoretest.SQLite(t)
	policy := identity.DefaultPolicy
	policy.Argon2 = identity.Argon2Params{MemoryKiB: 1024, Time: 1, Threads: 1}
	ids := identity.NewService(db.Identity(), policy, time.Now)
	if _, err := demo.Seed(ctx, ids, pw, false); err != nil {
		t.Fatal(err)
	}
	cal, err := calendar.NewService(ctx, db, time.Now)
	must(t, err)
	limits := ratelimit.NewLimits(ratelimit.Rates{Login: 3, Public: 6}, time.Now)
	a := api.New(api.Config{Logger: slog.New(slog.DiscardHandler), Identity: ids, Calendar: cal, Audit: db,
		Messages: i18n.MustLoad(), Now: time.Now, Limits: limits})
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	body := `{"username":"clerk","password":"` + pw + `"}`
	code, v := call(t, "POST", srv.URL+"/api/v1/auth/login", "", "", body)
	if code != 200 {
		t.Fatalf("login: %d %v", code, v)
	}
	token := v["token"].(string)
	for i := range 3 {
		if code, v := call(t, "POST", srv.URL+"/api/v1/auth/login", "", "", `{"username":"clerk","password":"wrong"}`); code != 401 {
			t.Fatalf("wrong password %d: %d %v", i+1, code, v)
		}
	}
	login429(t, srv.URL, body)
	// Signed-in callers are not limited as anonymous ones are.
	for range 10 {
		if code, _ := call(t, "GET", srv.URL+"/api/v1/calendar/2026", token, "", ""); code != 200 {
			t.Fatalf("signed-in calendar call: %d", code)
		}
	}
	n := 0
	for range 10 {
		if code, _ := call(t, "GET", srv.URL+"/api/v1/calendar/2026", "", "", ""); code == 429 {
			n++
		}
	}
	if n == 0 {
		t.Error("ten anonymous calls at a limit of six a minute all passed")
	}
}

// login429 checks that, after three failures, even the right password is
// refused, in English with Retry-After, and so is another account from the
// same address.
func login429(t *testing.T, base, body string) {
	t.Helper()
	req, _ := http.NewRequest("POST", base+"/api/v1/auth/login", strings.NewReader(body))
	req.Header.Set("Accept-Language", "en")
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" || !strings.Contains(string(b), "seconds") {
		t.Fatalf("login after three failures: %d Retry-After %q %s", resp.StatusCode, resp.Header.Get("Retry-After"), b)
	}
	code, v := call(t, "POST", base+"/api/v1/auth/login", "", "", `{"username":"admin","password":"`+pw+`"}`)
	if code != 429 {
		t.Fatalf("another account from the address: %d %v, want 429 (per address)", code, v)
	}
}
