package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The demo company sees the licences it holds, opens one's verification
// page from the share link, and both pages fit a 390 px phone.
func TestMyLicencesAndTheirVerificationPage(t *testing.T) {
	base := startDemo(t)
	browser := newBrowser(t)
	ctx := newTab(t, browser)
	login(t, ctx, base, "company", demoPassword)
	do(t, ctx, "open my licences", chromedp.Navigate(base+"/my/licences"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=my-licence]`)))
	if n := eval[int](t, ctx, `document.querySelectorAll("[data-testid=my-licence]").length`); n < 1 {
		t.Fatalf("my licences shows %d licences", n)
	}
	pdf := eval[string](t, ctx, `document.querySelector("[data-testid=my-licence-pdf]").href`)
	if ct := eval[string](t, ctx, `(() => { const x = new XMLHttpRequest(); x.open("GET", `+jsString(pdf)+`, false); x.send();
		return x.getResponseHeader("content-type") + " " + x.getResponseHeader("content-disposition"); })()`); !strings.HasPrefix(ct, "application/pdf inline") {
		t.Errorf("licence PDF served as %q", ct)
	}
	shootAt390(t, ctx, "licences-my")
	do(t, ctx, "open verification", chromedp.Click(chromedp.CSS(`[data-testid=my-licence-verify]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=licence-status]`)))
	if u := eval[string](t, ctx, `location.pathname`); !strings.HasPrefix(u, "/verify/1.2.156.3005.2.") {
		t.Errorf("share link led to %s", u)
	}
	shootAt390(t, ctx, "verify")
}

// shootAt390 screenshots the page at desktop width and at 390 px
// (name-desktop.png, name-390.png) and fails when it scrolls sideways on
// the phone.
func shootAt390(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	screenshot(t, ctx, name+"-desktop.png", desktopW, desktopH)
	screenshot(t, ctx, name+"-390.png", phoneW, phoneH)
	w := pageWidths(t, ctx)
	if w.Scroll > w.Inner+1 || w.Scroll > w.Client+1 {
		t.Errorf("%s at %dpx: scrollWidth %d > innerWidth %d; too wide: %s", name, phoneW, w.Scroll, w.Inner, strings.Join(w.Wide, ", "))
	}
	setViewport(t, ctx, desktopW, desktopH)
}

func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
