package e2e

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestGuidePagesAtDesktopAndPhoneWidth searches the public guides (without
// logging in), opens a guide and a bundle, and checks each at desktop and
// phone width, with screenshots; at 390 px no page may scroll sideways.
func TestGuidePagesAtDesktopAndPhoneWidth(t *testing.T) {
	browser := newBrowser(t)
	base := startDemo(t)
	ctx := newTab(t, browser)

	do(t, ctx, "search 外贸 from the search box",
		chromedp.Navigate(base+"/guides"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=guides-q]`)),
		chromedp.SendKeys(chromedp.CSS(`[data-testid=guides-q]`), "外贸"),
		chromedp.Click(chromedp.CSS(`[data-testid=guides-go]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=guide-card]`)),
	)
	if got := text(t, ctx, `[data-testid=guide-card] h2`); !strings.Contains(got, "贸易") {
		t.Errorf("first result for 外贸: %q", got)
	}
	shoot(t, ctx, "guides-search")

	do(t, ctx, "search 社保", chromedp.Navigate(base+"/guides?q="+url.QueryEscape("社保")),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=guide-card]`)))
	if n := eval[int](t, ctx, `[...document.querySelectorAll("[data-testid=guide-card] h2")].filter(h => h.textContent.includes("社会保险")).length`); n == 0 {
		t.Error("社保 finds no social-insurance item")
	}

	do(t, ctx, "open a guide", chromedp.Navigate(base+"/guides/330206-MARKET-XK-0001-001"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=checklist]`)))
	if !eval[bool](t, ctx, `(() => { const i = document.querySelector("[data-testid=guide-qr]"); return i.complete && i.naturalWidth > 0 })()`) {
		t.Error("the guide's QR code did not load")
	}
	if got := text(t, ctx, `[data-testid=visits]`); got != "最多跑一次" {
		t.Errorf("visits badge %q", got)
	}
	shoot(t, ctx, "guide-item")

	do(t, ctx, "open a bundle", chromedp.Navigate(base+"/guides/bundles/FTZ-TRADE-LICENCES"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=bundle-summary]`)))
	if got := text(t, ctx, `[data-testid=bundle-summary]`); got != "共需 26 份材料，合并后 9 份" {
		t.Errorf("bundle summary %q", got)
	}
	shoot(t, ctx, "guide-bundle")

	// 适老化: the guide in large type still fits a phone.
	do(t, ctx, "large type on a guide", chromedp.Navigate(base+"/guides/330206-HRSS-QR-0001"),
		chromedp.Click(chromedp.CSS(`button[name=large]`), chromedp.NodeVisible),
		chromedp.WaitReady(chromedp.CSS(`html.large`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid=checklist]`)))
	shoot(t, ctx, "guide-item-large")
	do(t, ctx, "large type off", chromedp.Click(chromedp.CSS(`button[name=large]`), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS(`html:not(.large) [data-testid=checklist]`)))

	// The catalog admin's pages, as its editor sees them.
	login(t, ctx, base, "catalog", demoPassword)
	for name, path := range map[string]string{
		"catalog-items":    "/catalog",
		"catalog-edit":     "/catalog/items/330206-MARKET-XK-0001",
		"catalog-versions": "/catalog/items/330206-MARKET-XK-0001/versions",
		"catalog-bundles":  "/catalog/bundles",
		"catalog-proofs":   "/catalog/proofs",
	} {
		do(t, ctx, "open "+path, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
		shoot(t, ctx, name)
	}
}

// shoot screenshots the page at desktop and phone width (name-desktop.png,
// name-phone.png) and fails when it scrolls sideways on the phone.
func shoot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	screenshot(t, ctx, name+"-desktop.png", desktopW, desktopH)
	screenshot(t, ctx, name+"-phone.png", phoneW, phoneH)
	w := pageWidths(t, ctx)
	if w.Scroll > w.Inner+1 || w.Scroll > w.Client+1 {
		t.Errorf("%s at %dpx: scrollWidth %d > innerWidth %d; too wide: %s", name, phoneW, w.Scroll, w.Inner, strings.Join(w.Wide, ", "))
	}
	setViewport(t, ctx, desktopW, desktopH)
}
