package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestCaseJourneyInTheBrowser accepts a case at the window, as a clerk
// does, then looks at the worklists and the case page at desktop and phone
// width.
func TestCaseJourneyInTheBrowser(t *testing.T) {
	browser := newBrowser(t)
	base := startDemo(t)
	ctx := newTab(t, browser)
	login(t, ctx, base, "clerk", demoPassword)

	do(t, ctx, "open the acceptance form", chromedp.Navigate(base+"/accept?q=食品经营"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=pick-item]`)))
	screenshot(t, ctx, "accept-search-desktop.png", desktopW, desktopH)
	do(t, ctx, "pick the item", chromedp.Click(chromedp.CSS(`[data-testid=pick-item]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=accept-form]`)))
	do(t, ctx, "register the applicant",
		chromedp.SendKeys(chromedp.CSS(`input[name=name]`), "李四"),
		chromedp.SendKeys(chromedp.CSS(`input[name=idNumber]`), "11010519491231002X"),
		chromedp.WaitVisible(chromedp.CSS(`.check.ok`)))
	eval[int](t, ctx, `(() => { const ts = document.querySelectorAll("[data-testid=tick]"); ts.forEach(t => t.checked = true); return ts.length })()`)
	screenshot(t, ctx, "accept-form-desktop.png", desktopW, desktopH)
	screenshot(t, ctx, "accept-form-phone.png", phoneW, phoneH)
	setViewport(t, ctx, desktopW, desktopH)
	do(t, ctx, "accept", chromedp.Click(chromedp.CSS(`[data-testid=decide-accept]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=case-no]`)))
	if st := text(t, ctx, `[data-testid=case-status]`); st != "审批中" {
		t.Fatalf("status after acceptance %q, want 审批中", st)
	}
	if due := text(t, ctx, `[data-testid=due-promised]`); len(due) != 10 {
		t.Fatalf("promised due date %q", due)
	}
	screenshot(t, ctx, "case-page-desktop.png", desktopW, desktopH)
	screenshot(t, ctx, "case-page-phone.png", phoneW, phoneH)
	w := pageWidths(t, ctx)
	if w.Scroll > w.Inner+1 {
		t.Errorf("case page at %dpx is %dpx wide: %s", phoneW, w.Scroll, strings.Join(w.Wide, ", "))
	}

	ctx2 := newTab(t, browser)
	login(t, ctx2, base, "supervisor", demoPassword)
	do(t, ctx2, "open the yellow/red worklist", chromedp.Navigate(base+"/cases?tab=4"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=case-link]`)))
	screenshot(t, ctx2, "cases-warning-desktop.png", desktopW, desktopH)
	screenshot(t, ctx2, "cases-warning-phone.png", phoneW, phoneH)
	if n := eval[int](t, ctx2, `document.querySelectorAll("tr.warn-red, tr.warn-yellow").length`); n == 0 {
		t.Error("the supervisors' worklist shows no yellow or red cases from the demo")
	}
}
