package e2e

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// consoleProblems collects console errors and warnings, uncaught
// exceptions and browser log errors of a tab.
type consoleProblems struct {
	mu   sync.Mutex
	list []string
}

func watchConsole(t *testing.T, ctx context.Context) *consoleProblems {
	t.Helper()
	do(t, ctx, "open tab")
	c := &consoleProblems{}
	add := func(s string) { c.mu.Lock(); c.list = append(c.list, s); c.mu.Unlock() }
	if err := chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				add(string(e.Type) + ": " + strings.Join(parts, " "))
			}
		case *runtime.EventExceptionThrown:
			add(fmt.Sprintf("exception: %s %s:%d", e.ExceptionDetails.Text, e.ExceptionDetails.URL, e.ExceptionDetails.LineNumber))
		case *cdplog.EventEntryAdded:
			// The browser asks for /favicon.ico on its own; the site has none.
			if e.Entry.Level == cdplog.EntryLevelError && !strings.HasSuffix(e.Entry.URL, "/favicon.ico") {
				add("log: " + e.Entry.Text + " " + e.Entry.URL)
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	return c
}

func (c *consoleProblems) check(t *testing.T, page string) {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range c.list {
		t.Errorf("%s: console: %s", page, p)
	}
	c.list = nil
}

// chartsDrawn waits until every chart container on the page holds a canvas.
func chartsDrawn(t *testing.T, ctx context.Context, css string, n int) {
	t.Helper()
	do(t, ctx, "charts drawn", chromedp.Poll[chromedp.Void](
		fmt.Sprintf(`document.querySelectorAll(%q).length >= %d`, css+" canvas", n), chromedp.WithPollingInterval(100*time.Millisecond)))
}

func TestDashboardAndBigscreen(t *testing.T) {
	base := startDemo(t)
	browser := newBrowser(t)

	t.Run("dashboard renders its charts without console errors", func(t *testing.T) {
		ctx := newTab(t, browser)
		console := watchConsole(t, ctx)
		login(t, ctx, base, "leader", demoPassword)
		do(t, ctx, "open dashboard", chromedp.Navigate(base+"/dashboard"), chromedp.WaitVisible(chromedp.CSS(`[data-testid=chart-flow]`)))
		chartsDrawn(t, ctx, ".plot", 6)
		if n := text(t, ctx, `[data-testid="card-stats.received"] strong`); n == "0" {
			t.Errorf("received is 0 on a demo with seeded cases")
		}
		time.Sleep(time.Second) // let the charts finish their animation
		screenshot(t, ctx, "dashboard-1920.png", 1920, 1080)
		screenshot(t, ctx, "dashboard-390.png", phoneW, phoneH)
		do(t, ctx, "open drill-down", chromedp.Navigate(base+"/dashboard/drill?kind=received"),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid=drill] a[href^="/cases/"]`)))
		do(t, ctx, "open transparency", chromedp.Navigate(base+"/transparency"), chromedp.WaitVisible(chromedp.CSS(`[data-testid=transparency-0]`)))
		console.check(t, "dashboard")
	})

	t.Run("big screen counts an acceptance within two seconds", func(t *testing.T) {
		ctx := newTab(t, browser)
		console := watchConsole(t, ctx)
		do(t, ctx, "open big screen", chromedp.Navigate(base+"/bigscreen"), chromedp.WaitVisible(chromedp.CSS(`[data-testid=today-accepted]`)))
		setViewport(t, ctx, 1920, 1080)
		chartsDrawn(t, ctx, "#big-trend", 1)
		time.Sleep(1500 * time.Millisecond) // the stream is connected and has sent its first figures
		before := text(t, ctx, `[data-testid=today-accepted]`)
		n, err := strconv.Atoi(before)
		if err != nil {
			t.Fatalf("today's accepted count %q: %v", before, err)
		}
		if _, ok := postAcceptance(&http.Client{Timeout: 5 * time.Second}, base, apiLogin(t, base, "clerk"), 4242); !ok {
			t.Fatal("accepting a case through the API failed")
		}
		accepted := time.Now()
		do(t, ctx, "today's count changes", chromedp.Poll[chromedp.Void](
			fmt.Sprintf(`document.querySelector('[data-testid=today-accepted]').textContent.trim() === %q`, strconv.Itoa(n+1)),
			chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(5*time.Second)))
		if d := time.Since(accepted); d > 2*time.Second {
			t.Errorf("the big screen showed the acceptance after %s, want ≤ 2 s", d)
		}
		screenshot(t, ctx, "bigscreen-1920.png", 1920, 1080)
		screenshot(t, ctx, "bigscreen-390.png", phoneW, phoneH)
		console.check(t, "bigscreen")
	})
}
