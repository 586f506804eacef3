package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const tvW, tvH = 1920, 1080

// TestHallScreenShowsAndSpeaksACall opens the hall screen on a 1920×1080
// "TV", has the demo clerk sign in at window 5 and call the next ticket, and
// checks that the screen shows the call and speaks it within one second.
func TestHallScreenShowsAndSpeaksACall(t *testing.T) {
	browser := newBrowser(t)
	base := startDemo(t)

	screen := newTab(t, browser)
	do(t, screen, "open the hall screen", chromedp.Navigate(base+"/hall/main/screen"))
	setViewport(t, screen, tvW, tvH)
	do(t, screen, "wait for the live connection",
		chromedp.Poll[chromedp.Void](`document.body.dataset.live === "1"`, chromedp.WithPollingInterval(50*time.Millisecond)),
	)

	desk := newTab(t, browser)
	login(t, desk, base, "clerk", demoPassword)
	do(t, desk, "sign in at window 5",
		chromedp.Navigate(base+"/hall/main/desk"),
		chromedp.Click(chromedp.CSS(`[data-testid=signin-5]`), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=call-next]`)),
	)
	start := time.Now()
	do(t, desk, "call next", chromedp.Click(chromedp.CSS(`[data-testid=call-next]`), chromedp.NodeVisible))
	do(t, screen, "wait for the call on the screen",
		chromedp.Poll[chromedp.Void](`(window.__lastSpoken || "").includes("5 号窗口")`, chromedp.WithPollingInterval(20*time.Millisecond)))
	elapsed := time.Since(start)

	no := text(t, desk, `[data-testid=desk-current]`)
	if !strings.HasPrefix(no, "A") && !strings.HasPrefix(no, "B") && !strings.HasPrefix(no, "C") {
		t.Fatalf("window 5 serves zones A–C but called %q", no)
	}
	if shown := text(t, screen, `[data-call-no]`); shown != no {
		t.Errorf("screen shows %q, the clerk called %q", shown, no)
	}
	want := "请 " + no + " 号到 5 号窗口办理"
	if spoken := eval[string](t, screen, `document.body.dataset.lastSpoken`); spoken != want {
		t.Errorf("screen spoke %q, want %q", spoken, want)
	}
	if elapsed > time.Second {
		t.Errorf("the call reached the screen %s after the click, want within 1s", elapsed)
	}
	t.Logf("call %s shown and spoken %s after the click", no, elapsed.Round(time.Millisecond))
	time.Sleep(300 * time.Millisecond) // let the board refresh settle
	screenshot(t, screen, "hall-screen-tv.png", tvW, tvH)
	screenshot(t, desk, "hall-desk-desktop.png", desktopW, desktopH)

	do(t, screen, "open window 5's screen", chromedp.Navigate(base+"/hall/main/windows/5"))
	if got := text(t, screen, `[data-window-ticket]`); got != no {
		t.Errorf("window screen shows %q, want %q", got, no)
	}
	screenshot(t, screen, "hall-window-screen-tv.png", tvW, tvH)
}

// TestHallKioskTicket takes a number at the kiosk, checks the printable
// ticket and follows it on a phone.
func TestHallKioskTicket(t *testing.T) {
	browser := newBrowser(t)
	base := startDemo(t)
	ctx := newTab(t, browser)
	do(t, ctx, "open the kiosk", chromedp.Navigate(base+"/hall/main/kiosk"), chromedp.WaitVisible(chromedp.CSS(`[data-testid=zone-B]`)))
	screenshot(t, ctx, "hall-kiosk-tv.png", tvW, tvH)
	do(t, ctx, "take a number in zone B",
		chromedp.Click(chromedp.CSS(`[data-testid=zone-B]`), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=receipt]`)))
	no := text(t, ctx, `[data-testid=ticket-no]`)
	if !strings.HasPrefix(no, "B") || len(no) != 4 {
		t.Errorf("ticket number %q, want B and three digits", no)
	}
	if ahead := text(t, ctx, `[data-testid=ticket-ahead]`); !strings.HasPrefix(ahead, "2") {
		t.Errorf("people ahead %q, want the two demo tickets still waiting in B", ahead)
	}
	screenshot(t, ctx, "hall-kiosk-ticket.png", desktopW, desktopH)
	url := eval[string](t, ctx, `location.pathname`)
	token := url[strings.LastIndex(url, "/")+1:]

	phone := newTab(t, browser)
	do(t, phone, "follow the ticket", chromedp.Navigate(base+"/tickets/"+token), chromedp.WaitVisible(chromedp.CSS(`[data-testid=ticket-no]`)))
	if got := text(t, phone, `[data-testid=ticket-no]`); got != no {
		t.Errorf("follow page shows %q, want %q", got, no)
	}
	screenshot(t, phone, "hall-ticket-phone.png", phoneW, phoneH)
	do(t, phone, "open the phone queue page", chromedp.Navigate(base+"/hall/main/take"))
	screenshot(t, phone, "hall-take-phone.png", phoneW, phoneH)
}
