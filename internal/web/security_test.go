package web_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"onevisit/internal/demo"
	"onevisit/internal/i18n"
	"onevisit/internal/identity"
	"onevisit/internal/ratelimit"
	"onevisit/internal/sqlstore/sqlstoretest"
	"onevisit/internal/web"
)

// lockedBuffer is a log sink safe for the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// newLimitedSite is the site with rate limits and HSTS, logging to log.
func newLimitedSite(t *testing.T, log *lockedBuffer, rates ratelimit.Rates) string {
	t.Helper()
	db := sqlstoretest.SQLite(t)
	policy := identity.DefaultPolicy
	policy.Argon2 = identity.Argon2Params{MemoryKiB: 1024, Time: 1, Threads: 1}
	ids := identity.NewService(db.Identity(), policy, time.Now)
	if _, err := demo.Seed(context.Background(), ids, pw, false); err != nil {
		t.Fatal(err)
	}
	s, err := web.New(web.Config{Logger: slog.New(slog.NewTextHandler(log, nil)), Identity: ids,
		Messages: i18n.MustLoad(), DB: db, Version: "test", HSTS: true, Limits: ratelimit.NewLimits(rates, time.Now)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestEveryPageRouteSendsTheSecurityHeaders requests every pattern of
// routes.go, whatever it answers, and checks the headers on the answer.
func TestEveryPageRouteSendsTheSecurityHeaders(t *testing.T) {
	base := newLimitedSite(t, &lockedBuffer{}, ratelimit.Rates{})
	src, err := os.ReadFile("routes.go")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`"(GET|POST) (/[^"]*)"`)
	params := regexp.MustCompile(`\{[^}]+\}`)
	routes := re.FindAllStringSubmatch(string(src), -1)
	if len(routes) < 50 {
		t.Fatalf("found only %d routes in routes.go", len(routes))
	}
	for _, m := range routes {
		path := strings.ReplaceAll(params.ReplaceAllString(m[2], "1"), "{$}", "")
		path = strings.ReplaceAll(path, "1$", "")
		req, _ := http.NewRequest(m[1], base+path, strings.NewReader("csrf=x"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		h := resp.Header
		if !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") ||
			h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Strict-Transport-Security") == "" {
			t.Errorf("%s %s (%d): CSP %q, nosniff %q, HSTS %q", m[1], path, resp.StatusCode,
				h.Get("Content-Security-Policy"), h.Get("X-Content-Type-Options"), h.Get("Strict-Transport-Security"))
		}
	}
}

func TestTheRequestLogMasksPersonalQueryValues(t *testing.T) {
	log := &lockedBuffer{}
	base := newLimitedSite(t, log, ratelimit.Rates{})
	id := demo.CitizenID()
	for _, q := range []string{"no=330206-1&code=" + id[12:], "idNumber=" + id, "uscc=91330206MA2CX0Y1XX&lang=en"} {
		resp, err := http.Get(base + "/progress?" + q)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	out := log.String()
	for _, secret := range []string{id[12:], id, "91330206MA2CX0Y1XX"} {
		if strings.Contains(out, secret) {
			t.Errorf("the log shows %s:\n%s", secret, out)
		}
	}
	if !strings.Contains(out, "no=330206-1&code=***") || !strings.Contains(out, "lang=en") {
		t.Errorf("the log lost the harmless parameters:\n%s", out)
	}
}

func TestTooManySignInsShowTheFriendlyPageWith429(t *testing.T) {
	base := newLimitedSite(t, &lockedBuffer{}, ratelimit.Rates{Login: 2, Public: 3})
	b := newBrowser(t, base)
	for range 2 {
		b.post("/login", "/login", url.Values{"username": {"clerk"}, "password": {"wrong"}})
	}
	_, page := b.get("/login")
	token := csrfRe.FindStringSubmatch(page)[1]
	resp, err := b.c.PostForm(base+"/login", url.Values{"csrf": {token}, "username": {"clerk"}, "password": {pw}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body bytes.Buffer
	_, _ = body.ReadFrom(resp.Body)
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" || !strings.Contains(body.String(), "请求过于频繁") {
		t.Errorf("3rd sign-in: %d, Retry-After %q\n%.400s", resp.StatusCode, resp.Header.Get("Retry-After"), body.String())
	}
	codes := map[int]int{}
	for range 5 {
		code, _ := b.get("/progress?no=x")
		codes[code]++
	}
	if codes[429] == 0 {
		t.Errorf("five progress queries at three a minute: %v", codes)
	}
}
