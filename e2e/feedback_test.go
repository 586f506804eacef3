package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// The supervisor's ratings board and the unfinished-matters board show the
// demo history, and a department works its rectification tasks; each page
// is photographed at desktop and phone width.
func TestFeedbackBoardsShowTheDemoHistory(t *testing.T) {
	base := startDemo(t)
	browser := newBrowser(t)
	ctx := newTab(t, browser)
	login(t, ctx, base, "supervisor", demoPassword)
	pages := []struct{ path, ready, name string }{
		{"/feedback", `[data-testid=kpis]`, "feedback-board"},
		{"/escalations", `[data-testid=escalations]`, "escalations"},
	}
	for _, p := range pages {
		do(t, ctx, "open "+p.path, chromedp.Navigate(base+p.path), chromedp.WaitVisible(chromedp.CSS(p.ready)))
		screenshot(t, ctx, p.name+"-desktop.png", 1280, 900)
		screenshot(t, ctx, p.name+"-390.png", 390, 844)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("[data-testid^=report-]").length`); n < 3 {
		t.Errorf("escalation board shows %d reports, want the 3 demo ones", n)
	}
	dept := newTab(t, browser)
	login(t, dept, base, "approver", demoPassword)
	do(t, dept, "open tasks", chromedp.Navigate(base+"/feedback/tasks"), chromedp.WaitVisible(chromedp.CSS(`h1`)))
	screenshot(t, dept, "feedback-tasks-desktop.png", 1280, 900)
	screenshot(t, dept, "feedback-tasks-390.png", 390, 844)
}
