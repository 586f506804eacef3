package api_test

import (
	"bufio"
	"context"
	"fmt"
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
	"onevisit/internal/queue"
	"onevisit/internal/sqlstore/sqlstoretest"
)

// newHallServer serves the API with the demo hall and its event poller.
func newHallServer(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	db := sqlstoretest.SQLite(t)
	policy := identity.DefaultPolicy
	policy.Argon2 = identity.Argon2Params{MemoryKiB: 1024, Time: 1, Threads: 1}
	ids := identity.NewService(db.Identity(), policy, time.Now)
	if _, err := demo.Seed(ctx, ids, pw, false); err != nil {
		t.Fatal(err)
	}
	cal, err := calendar.NewService(ctx, db, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	qs := queue.NewService(db.Queue(), cal, nil, time.Now)
	if err := demo.SeedHall(ctx, qs); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	done := make(chan struct{})
	go func() { _ = qs.Poll(ctx, 20*time.Millisecond, log); close(done) }()
	a := api.New(api.Config{Logger: log, Identity: ids, Calendar: cal, Queue: qs, Audit: db, Messages: i18n.MustLoad(), Now: time.Now})
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(func() { cancel(); <-done; srv.Close() })
	return srv.URL + "/api/v1"
}

// sse opens the hall's event stream and sends its "id data" pairs on a channel.
func sse(t *testing.T, url, lastID string) <-chan string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("events: %s %s", resp.Status, ct)
	}
	out := make(chan string, 100)
	go func() {
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		id := ""
		for sc.Scan() {
			line := sc.Text()
			if v, ok := strings.CutPrefix(line, "id: "); ok {
				id = v
			}
			if v, ok := strings.CutPrefix(line, "data: "); ok {
				out <- id + " " + v
			}
		}
	}()
	return out
}

func waitFor(t *testing.T, events <-chan string, substr string) string {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case ev := <-events:
			if strings.Contains(ev, substr) {
				return ev
			}
		case <-deadline:
			t.Fatalf("no event with %q within 5s", substr)
		}
	}
}

func TestHallAPICallReachesTheEventStreamAndResumes(t *testing.T) {
	base := newHallServer(t)
	_, login := call(t, "POST", base+"/auth/login", "", "", `{"username":"clerk","password":"`+pw+`"}`)
	token, _ := login["token"].(string)
	events := sse(t, base+"/halls/main/events", "")
	// Window 5 is the demo hall's fifth window, id 5.
	if code, body := call(t, "POST", base+"/windows/5/signin", token, "", ""); code != 200 || body["state"] != "open" {
		t.Fatalf("signin: %d %v", code, body)
	}
	code, ticket := call(t, "POST", base+"/windows/5/call", token, "", "")
	if code != 200 {
		t.Fatalf("call: %d %v", code, ticket)
	}
	speech := fmt.Sprintf("请 %s 号到 5 号窗口办理", ticket["no"])
	ev := waitFor(t, events, speech)
	id, _, _ := strings.Cut(ev, " ")

	// A screen that lost the connection just before the call gets it again.
	prev := fmt.Sprint(atoi(t, id) - 1)
	if again := waitFor(t, sse(t, base+"/halls/main/events", prev), `"kind":"call"`); !strings.HasPrefix(again, id+" ") {
		t.Errorf("resumed stream starts with %q, want event %s", again, id)
	}
	if code, _ := call(t, "POST", base+"/windows/5/call", "", "", ""); code != 401 {
		t.Errorf("anonymous call: %d, want 401", code)
	}
}

func atoi(t *testing.T, s string) int {
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestHallAPITakeAndFollowATicket(t *testing.T) {
	base := newHallServer(t)
	code, tk := call(t, "POST", base+"/halls/main/tickets", "", "", `{"zone":"E"}`)
	if code != 201 || tk["no"] != "E002" || tk["ahead"] != 1.0 {
		t.Fatalf("take: %d %v; want E002 with the demo's E001 ahead", code, tk)
	}
	if code, got := call(t, "GET", base+"/tickets/"+tk["id"].(string), "", "", ""); code != 200 || got["status"] != "waiting" {
		t.Errorf("follow: %d %v", code, got)
	}
	for _, c := range []struct{ body, lang string }{
		{`{"zone":"Z"}`, ""}, {`{"zone":"A","idNumber":"123"}`, "en"}, {`{"zone":"A","priority":"green"}`, ""}, {`{"zone":`, ""},
	} {
		code, body := call(t, "POST", base+"/halls/main/tickets", "", c.lang, c.body)
		if code < 400 || code >= 500 || body["error"] == nil {
			t.Errorf("take %s: %d %v, want a 4xx error", c.body, code, body)
		}
	}
	resp, err := http.Get(base + "/halls/nowhere")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("unknown hall: %d, want 404", resp.StatusCode)
	}
}
