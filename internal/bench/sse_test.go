package bench

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// fakeScreens is a hall event stream: POST /call answers a ticket number
// and, delay later, sends its call event (after a ticket event, which the
// measurement must ignore) to every connected screen but the first when
// skipFirst.
type fakeScreens struct {
	mu        sync.Mutex
	subs      []chan string
	n         int
	delay     time.Duration
	skipFirst bool
}

func (f *fakeScreens) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/events":
		if r.Header.Get("Authorization") != "Bearer screen-token" {
			http.Error(w, "no token", http.StatusUnauthorized)
			return
		}
		ch := make(chan string, 64)
		f.mu.Lock()
		f.subs = append(f.subs, ch)
		f.mu.Unlock()
		w.Header().Set("Content-Type", "text/event-stream")
		rc := http.NewResponseController(w)
		fmt.Fprint(w, "retry: 2000\n\n")
		_ = rc.Flush()
		for {
			select {
			case <-r.Context().Done():
				return
			case ev := <-ch:
				fmt.Fprint(w, ev)
				_ = rc.Flush()
			}
		}
	case "/call":
		f.mu.Lock()
		f.n++
		n := f.n
		f.mu.Unlock()
		no := fmt.Sprintf("E%03d", n)
		send := func() {
			f.mu.Lock()
			defer f.mu.Unlock()
			for i, ch := range f.subs {
				if i == 0 && f.skipFirst {
					continue
				}
				ch <- fmt.Sprintf("id: %d\ndata: {\"seq\":%d,\"kind\":\"ticket\",\"zone\":\"咨询导办\"}\n\n", 2*n, 2*n)
				ch <- fmt.Sprintf("id: %d\ndata: {\"seq\":%d,\"kind\":\"call\",\"ticket\":%q,\"window\":12,\"windowName\":\"12号窗口\"}\n\n", 2*n+1, 2*n+1, no)
			}
		}
		if f.delay == 0 {
			send() // before the response: measured as 0
		} else {
			time.AfterFunc(f.delay, send)
		}
		fmt.Fprintf(w, `{"no":%q}`, no)
	default:
		http.NotFound(w, r)
	}
}

func measureFake(t *testing.T, f *fakeScreens, screens int, grace time.Duration) SSEReport {
	t.Helper()
	srv := httptest.NewServer(f)
	defer srv.Close()
	c := NewClient(srv.URL, 4)
	c.Tokens["screen"] = "screen-token"
	o := SSEOptions{Path: "/events", User: "screen", Screens: screens, Rate: 20, Duration: 300 * time.Millisecond, Grace: grace,
		Call: func(ctx context.Context) (string, error) {
			var out struct{ No string }
			if err := c.Do(ctx, "", "POST", "/call", nil, http.StatusOK, &out); err != nil {
				return "", err
			}
			return callKey(out.No, 12), nil
		},
		Key: hallCallKey}
	rep, err := MeasureSSE(context.Background(), c, o)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestMeasureSSEDelay(t *testing.T) {
	const screens, delay = 20, 40 * time.Millisecond
	rep := measureFake(t, &fakeScreens{delay: delay}, screens, 2*time.Second)
	if rep.Connected != screens || rep.Calls < 3 {
		t.Fatalf("connected %d, calls %d: %+v", rep.Connected, rep.Calls, rep)
	}
	if rep.Complete != screens || rep.Missed != 0 || rep.Errors != 0 || rep.Ops != rep.Calls*screens {
		t.Fatalf("every screen should have every call: %s (%+v)", rep.Summary(), rep)
	}
	if rep.P50 < delay || rep.P50 > delay+time.Second || rep.Max < rep.P99 || rep.P99 < rep.P50 {
		t.Fatalf("delays do not reflect the %s the server waits: %s", delay, rep.Summary())
	}
}

func TestMeasureSSEMissed(t *testing.T) {
	const screens = 8
	rep := measureFake(t, &fakeScreens{skipFirst: true}, screens, 300*time.Millisecond)
	if rep.Complete != screens-1 || rep.Missed != rep.Calls || rep.Errors != rep.Calls || rep.Ops != rep.Calls*(screens-1) {
		t.Fatalf("one screen got nothing: %s (%+v)", rep.Summary(), rep)
	}
	if rep.P99 > 500*time.Millisecond {
		t.Fatalf("events sent before the response should measure ~0: %s", rep.Summary())
	}
}

func TestMeasureSSEConnectFailure(t *testing.T) {
	srv := httptest.NewServer(&fakeScreens{})
	defer srv.Close()
	c := NewClient(srv.URL, 1) // no screen token: every connection is refused
	rep, err := MeasureSSE(context.Background(), c, SSEOptions{Path: "/events", Screens: 3, Rate: 10, Duration: 150 * time.Millisecond,
		Grace: 50 * time.Millisecond, Call: func(context.Context) (string, error) { return "x", nil }, Key: hallCallKey})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Connected != 0 || rep.Complete != 0 || rep.FirstErr == "" || rep.Errors < 3 {
		t.Fatalf("refused screens should be errors: %+v", rep)
	}
}
