package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"onevisit/internal/demo"
	"onevisit/internal/i18n"
	"onevisit/internal/web"
)

const pw = "Test-pass-2026"

func newSite(t *testing.T) string {
	t.Helper()
	base := newDemoBase(t, false)
	db, ids := base.db, base.ids
	s, err := web.New(web.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Identity: ids,
		Messages: i18n.MustLoad(), DB: db, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv.URL
}

type browser struct {
	t    *testing.T
	c    *http.Client
	base string
}

func newBrowser(t *testing.T, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, c: &http.Client{Jar: jar}, base: base}
}

func (b *browser) get(path string) (int, string) {
	resp, err := b.c.Get(b.base + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// post submits a form found on page `from`, with its CSRF token.
func (b *browser) post(from, path string, form url.Values) (int, string) {
	_, page := b.get(from)
	m := csrfRe.FindStringSubmatch(page)
	if m == nil {
		b.t.Fatalf("%s has no CSRF token", from)
	}
	form.Set("csrf", m[1])
	resp, err := b.c.PostForm(b.base+path, form)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func (b *browser) login(user string) string {
	code, body := b.post("/login", "/login", url.Values{"username": {user}, "password": {pw}})
	if code != 200 {
		b.t.Fatalf("login %s: %d", user, code)
	}
	return body
}

func TestHomePageIsPerRoleAndInChineseFirst(t *testing.T) {
	base := newSite(t)
	titles := map[string]string{"clerk": "综合窗口工作台", "approver": "后台审批工作台", "leader": "领导驾驶舱", "citizen": "我的办事", "admin": "系统管理员工作台"}
	for user, title := range titles {
		b := newBrowser(t, base)
		body := b.login(user)
		if !strings.Contains(body, `<h1 data-testid="home-title">`+title+`</h1>`) || !strings.Contains(body, `lang="zh-CN"`) {
			t.Errorf("%s home page lacks %q", user, title)
		}
		if hasAdmin := strings.Contains(body, `href="/admin"`); hasAdmin != (user == "admin") {
			t.Errorf("%s: admin link shown = %v", user, hasAdmin)
		}
	}
	b := newBrowser(t, base)
	b.login("clerk")
	_, body := b.post("/", "/prefs", url.Values{"lang": {"en"}, "back": {"/"}})
	if !strings.Contains(body, `lang="en"`) || !strings.Contains(body, "Front desk") {
		t.Errorf("after switching to English:\n%.400s", body)
	}
	_, body = b.post("/", "/prefs", url.Values{"large": {"1"}, "back": {"/"}})
	if !strings.Contains(body, `class="large"`) {
		t.Error("large-type mode not applied")
	}
}

func TestAdminPageIsForAdminsOnly(t *testing.T) {
	base := newSite(t)
	anon := newBrowser(t, base)
	anon.c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if code, _ := anon.get("/admin"); code != http.StatusSeeOther {
		t.Errorf("anonymous /admin: %d, want a redirect to login", code)
	}
	clerk := newBrowser(t, base)
	clerk.login("clerk")
	if code, body := clerk.get("/admin"); code != 403 || !strings.Contains(body, "您没有权限") {
		t.Errorf("clerk /admin: %d", code)
	}
	admin := newBrowser(t, base)
	admin.login("admin")
	code, body := admin.get("/admin")
	if code != 200 || !strings.Contains(body, "市场监管局") || !strings.Contains(body, "company") {
		t.Fatalf("admin page: %d", code)
	}
	if strings.Contains(body, demo.CitizenID()) || !strings.Contains(body, demo.CitizenID()[:6]+"********") {
		t.Error("the admin page must show the citizen's ID number masked")
	}
	code, body = admin.post("/admin", "/admin/users", url.Values{"username": {"li"}, "displayName": {"李四"},
		"password": {"longenough"}, "kind": {"person"}, "idNumber": {"110105194912310021"}})
	if code != 422 || !strings.Contains(body, "校验码不正确") || !strings.Contains(body, `value="li"`) {
		t.Errorf("bad ID number: %d", code)
	}
	code, body = admin.post("/admin", "/admin/tokens", url.Values{"name": {"社保系统"}, "departmentId": {"1"}, "permissions": {"validate"}})
	if code != 201 || !regexp.MustCompile(`data-testid="token-secret">ovt_`).MatchString(body) {
		t.Errorf("token creation: %d", code)
	}
}

func TestFormsWithoutTheCSRFTokenAreRefused(t *testing.T) {
	base := newSite(t)
	b := newBrowser(t, base)
	b.get("/login")
	resp, err := b.c.PostForm(base+"/login", url.Values{"username": {"admin"}, "password": {pw}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Fatalf("login without token: %d", resp.StatusCode)
	}
}

func TestErrorsAndProbes(t *testing.T) {
	base := newSite(t)
	b := newBrowser(t, base)
	if code, body := b.get("/no/such/page"); code != 404 || !strings.Contains(body, "找不到这个页面") || !strings.Contains(body, "请求编号") {
		t.Errorf("404 page: %d", code)
	}
	for _, p := range []string{"/healthz", "/readyz", "/metrics", "/static/app.css"} {
		if code, _ := b.get(p); code != 200 {
			t.Errorf("%s: %d", p, code)
		}
	}
	if _, body := b.get("/metrics"); !strings.Contains(body, "onevisit_http_requests_total") {
		t.Error("metrics lack the request counter")
	}
	if code, body := b.get("/validate/uscc?code=91350100M000100Y4Z"); code != 200 || !strings.Contains(body, "校验码不正确") {
		t.Errorf("live check fragment: %d %s", code, body)
	}
}
