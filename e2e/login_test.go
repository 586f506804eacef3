package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// demoUsers maps each demo account to its role (the key of title.home.<role>).
var demoUsers = []struct{ user, role string }{
	{"admin", "admin"},
	{"clerk", "clerk"},
	{"approver", "approver"},
	{"issuer", "issuer"},
	{"supervisor", "supervisor"},
	{"catalog", "catalog_admin"},
	{"leader", "leader"},
	{"citizen", "applicant"},
	{"company", "applicant"},
}

// TestLoginEveryDemoRole logs in as each demo account in Chinese, checks the
// role's home page, switches to English and checks it again, with screenshots
// at desktop and phone width in both languages.
func TestLoginEveryDemoRole(t *testing.T) {
	browser := newBrowser(t)
	base := startDemo(t)

	t.Run("login-page", func(t *testing.T) {
		ctx := newTab(t, browser)
		do(t, ctx, "open /login", chromedp.Navigate(base+"/login"))
		checkLoginPageIsChinese(t, ctx)
		screenshot(t, ctx, "login-zh-desktop.png", desktopW, desktopH)
		screenshot(t, ctx, "login-zh-phone.png", phoneW, phoneH)
	})

	for _, u := range demoUsers {
		t.Run(u.user, func(t *testing.T) {
			ctx := newTab(t, browser)
			do(t, ctx, "open /login", chromedp.Navigate(base+"/login"))
			checkLoginPageIsChinese(t, ctx)

			login(t, ctx, base, u.user, demoPassword)
			if got := htmlLang(t, ctx); got != "zh-CN" {
				t.Errorf("home page of %s: <html lang=%q>, want zh-CN", u.user, got)
			}
			key := "title.home." + u.role
			if got, want := text(t, ctx, `[data-testid=home-title]`), msg(t, "zh-CN", key); got != want {
				t.Errorf("%s: home title %q, want %q (%s)", u.user, got, want, key)
			}
			if who := text(t, ctx, `[data-testid=who]`); who == "" {
				t.Errorf("%s: [data-testid=who] is empty", u.user)
			}
			screenshot(t, ctx, u.user+"-zh-desktop.png", desktopW, desktopH)
			screenshot(t, ctx, u.user+"-zh-phone.png", phoneW, phoneH)

			// The switch is a form POST to /prefs that redirects back here.
			setViewport(t, ctx, desktopW, desktopH)
			do(t, ctx, "switch to English",
				chromedp.Click(chromedp.CSS(`[data-testid=lang-switch]`), chromedp.NodeVisible),
				chromedp.WaitReady(chromedp.CSS(`html[lang="en"]`)),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid=home-title]`)),
			)
			if got, want := text(t, ctx, `[data-testid=home-title]`), msg(t, "en", key); got != want {
				t.Errorf("%s: English home title %q, want %q (%s)", u.user, got, want, key)
			}
			if who := text(t, ctx, `[data-testid=who]`); who == "" {
				t.Errorf("%s: [data-testid=who] is empty in English", u.user)
			}
			screenshot(t, ctx, u.user+"-en-desktop.png", desktopW, desktopH)
			screenshot(t, ctx, u.user+"-en-phone.png", phoneW, phoneH)
		})
	}
}

// checkLoginPageIsChinese checks the login page opens in Chinese whatever the
// browser asks for.
func checkLoginPageIsChinese(t *testing.T, ctx context.Context) {
	t.Helper()
	do(t, ctx, "wait for the login form", chromedp.WaitVisible(chromedp.CSS(`input[name=username]`)))
	if got := htmlLang(t, ctx); got != "zh-CN" {
		t.Errorf("login page: <html lang=%q>, want zh-CN", got)
	}
	if got, want := text(t, ctx, `form[action="/login"] button[type=submit]`), msg(t, "zh-CN", "login.submit"); got != want || got != "登录" {
		t.Errorf("login submit button %q, want %q", got, "登录")
	}
}

func TestLoginPageShowsLocalisedErrorOnWrongPassword(t *testing.T) {
	browser := newBrowser(t)
	base := startDemo(t)
	ctx := newTab(t, browser)

	do(t, ctx, "submit a wrong password",
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=username]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=username]`), "clerk"),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), "not-"+demoPassword),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=login-error]`)),
	)
	if got, want := text(t, ctx, `[data-testid=login-error]`), "用户名或密码不正确。"; got != want {
		t.Errorf("login error %q, want %q", got, want)
	}
	if got := htmlLang(t, ctx); got != "zh-CN" {
		t.Errorf("error page: <html lang=%q>, want zh-CN", got)
	}
	loc := run(t, ctx, "location", chromedp.Location())
	if !strings.HasPrefix(loc, base+"/login") {
		t.Errorf("after a wrong password the page is %s, want %s/login", loc, base)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("[data-testid=home-title], [data-testid=who]").length`); n != 0 {
		t.Errorf("a failed login shows %d logged-in elements", n)
	}
	// The username is kept, the password is not.
	if v := run(t, ctx, "username value", chromedp.Value(chromedp.CSS(`input[name=username]`))); v != "clerk" {
		t.Errorf("username field %q after the error, want clerk", v)
	}
	if v := run(t, ctx, "password value", chromedp.Value(chromedp.CSS(`input[name=password]`))); v != "" {
		t.Errorf("password field is filled after the error")
	}
}

func TestPhoneWidthHasNoHorizontalScroll(t *testing.T) {
	browser := newBrowser(t)
	base := startDemo(t)
	ctx := newTab(t, browser)

	check := func(page string) {
		t.Helper()
		setViewport(t, ctx, phoneW, phoneH)
		w := pageWidths(t, ctx)
		if w.Scroll > w.Inner+1 || w.Scroll > w.Client+1 {
			t.Errorf("%s at %dpx: scrollWidth %d > innerWidth %d (clientWidth %d); too wide: %s",
				page, phoneW, w.Scroll, w.Inner, w.Client, strings.Join(w.Wide, ", "))
		} else {
			t.Logf("%s at %dpx: scrollWidth %d, innerWidth %d", page, phoneW, w.Scroll, w.Inner)
		}
	}

	do(t, ctx, "open /login", chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.CSS(`input[name=username]`)))
	check("/login")

	login(t, ctx, base, "admin", demoPassword)
	check("/ (admin)")

	do(t, ctx, "open /admin", chromedp.Navigate(base+"/admin"), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
	check("/admin")
	screenshot(t, ctx, "admin-page-phone.png", phoneW, phoneH)
	screenshot(t, ctx, "admin-page-desktop.png", desktopW, desktopH)

	// The create forms sit in closed <details>; they must fit when opened too.
	eval[int](t, ctx, `(() => { const ds = document.querySelectorAll("main details"); ds.forEach(d => d.open = true); return ds.length })()`)
	check("/admin (forms open)")
	screenshot(t, ctx, "admin-page-forms-phone.png", phoneW, phoneH)
	screenshot(t, ctx, "admin-page-forms-desktop.png", desktopW, desktopH)
}

func TestLargeTypeMode(t *testing.T) {
	browser := newBrowser(t)
	base := startDemo(t)
	ctx := newTab(t, browser)

	fontSize := func() float64 {
		t.Helper()
		s := eval[string](t, ctx, `getComputedStyle(document.documentElement).fontSize`)
		f, err := strconv.ParseFloat(strings.TrimSuffix(s, "px"), 64)
		if err != nil {
			t.Fatalf("html font-size %q: %v", s, err)
		}
		return f
	}

	do(t, ctx, "open /login", chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.CSS(`button[name=large]`)))
	if eval[bool](t, ctx, `document.documentElement.classList.contains("large")`) {
		t.Fatal("large type is on before it was asked for")
	}
	if v := run(t, ctx, "large button value", chromedp.AttributeValue(chromedp.CSS(`button[name=large]`), "value")); v.Value != "1" {
		t.Fatalf("button[name=large] has value %q, want 1", v.Value)
	}
	before := fontSize()

	do(t, ctx, "switch large type on",
		chromedp.Click(chromedp.CSS(`button[name=large]`), chromedp.NodeVisible),
		chromedp.WaitReady(chromedp.CSS(`html.large`)),
		chromedp.WaitVisible(chromedp.CSS(`input[name=username]`)),
	)
	after := fontSize()
	if after <= before {
		t.Errorf("html font-size %.1fpx in large type, want more than %.1fpx", after, before)
	}
	t.Logf("html font-size: %.1fpx → %.1fpx", before, after)

	// The choice is a cookie: it stays after logging in.
	login(t, ctx, base, "citizen", demoPassword)
	if !eval[bool](t, ctx, `document.documentElement.classList.contains("large")`) {
		t.Error("large type is lost after logging in")
	}
	screenshot(t, ctx, "citizen-zh-large-phone.png", phoneW, phoneH)
}

// widths describes how wide a page is laid out.
type widths struct {
	Scroll, Client, Inner int      // documentElement.scrollWidth, .clientWidth, window.innerWidth
	Wide                  []string // elements sticking out, outside any scrolling box
}

// pageWidths measures the page, listing up to 10 elements that stick out of
// the viewport (not counting those inside a box that scrolls or clips, such as
// .table-wrap) to make a failure actionable.
func pageWidths(t *testing.T, ctx context.Context) widths {
	t.Helper()
	return eval[widths](t, ctx, `(() => {
		const de = document.documentElement, limit = de.clientWidth + 1, wide = [];
		const clipped = el => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
			const o = getComputedStyle(p).overflowX; if (o === "auto" || o === "scroll" || o === "hidden" || o === "clip") return true; } return false; };
		for (const el of document.body.querySelectorAll("*")) {
			const r = el.getBoundingClientRect();
			if (r.right > limit && !clipped(el)) wide.push(el.tagName.toLowerCase() + (el.className ? "." + String(el.className).trim().replace(/ +/g, ".") : "") + " right=" + Math.round(r.right));
		}
		return {Scroll: de.scrollWidth, Client: de.clientWidth, Inner: window.innerWidth, Wide: wide.slice(0, 10)};
	})()`)
}
