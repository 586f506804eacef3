package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

const demoPW = "Demo-pass-2026"

// startDemo runs `onevisit demo` through run() on a free port, with any
// extra flags, and returns its base URL; the server stops when the test ends.
func startDemo(t *testing.T, dir string, env map[string]string, extra ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		args := append([]string{"demo", "--addr", "127.0.0.1:0", "--data", dir, "--demo-password", demoPW, "--demo-cases", "20", "--demo-light"}, extra...)
		done <- run(ctx, args, func(k string) string { return env[k] }, pw, io.Discard)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("demo exited with %v", err)
		}
	})
	urlRe := regexp.MustCompile(`demo is running: (http://\S+)`)
	lines := bufio.NewScanner(pr)
	found := make(chan string, 1)
	go func() {
		for lines.Scan() {
			if m := urlRe.FindStringSubmatch(lines.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	select {
	case u := <-found:
		return u
	case err := <-done:
		t.Fatalf("demo exited early: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("demo did not start within 60 s")
	}
	return ""
}

func getJSON(t *testing.T, c *http.Client, method, u, token, body string, v any) int {
	t.Helper()
	req, _ := http.NewRequest(method, u, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if v != nil {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatalf("%s %s: %v", method, u, err)
		}
	}
	return resp.StatusCode
}

type errBody struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

func TestDemoServesEveryAccountAndLocksAfterRepeatedFailures(t *testing.T) {
	dir := t.TempDir()
	base := startDemo(t, dir, nil)
	c := &http.Client{Timeout: 10 * time.Second}
	for _, path := range []string{"/healthz", "/readyz"} {
		if code := getJSON(t, c, "GET", base+path, "", "", nil); code != 200 {
			t.Fatalf("%s: %d", path, code)
		}
	}
	for _, user := range []string{"admin", "clerk", "approver", "issuer", "supervisor", "catalog", "leader", "citizen", "company"} {
		var resp struct {
			Token string `json:"token"`
			User  struct {
				Username string   `json:"username"`
				Roles    []string `json:"roles"`
			} `json:"user"`
		}
		code := getJSON(t, c, "POST", base+"/api/v1/auth/login", "", `{"username":"`+user+`","password":"`+demoPW+`"}`, &resp)
		if code != 200 || resp.Token == "" || resp.User.Username != user || len(resp.User.Roles) == 0 {
			t.Fatalf("API login %s: %d %+v", user, code, resp)
		}
		var me map[string]any
		if code := getJSON(t, c, "GET", base+"/api/v1/me", resp.Token, "", &me); code != 200 || me["username"] != user {
			t.Fatalf("me as %s: %d %v", user, code, me)
		}
		webLogin(t, base, user, demoPW)
	}

	var e errBody
	for i := 1; i <= 6; i++ {
		code := getJSON(t, c, "POST", base+"/api/v1/auth/login", "", `{"username":"leader","password":"nope"}`, &e)
		want := 401
		if i >= 5 {
			want = 429
		}
		if code != want {
			t.Fatalf("wrong password #%d: status %d, want %d", i, code, want)
		}
	}
	if !strings.Contains(e.Error.Message, "锁定") {
		t.Fatalf("locked message not in Chinese: %q", e.Error.Message)
	}
	if code := getJSON(t, c, "POST", base+"/api/v1/auth/login", "", `{"username":"leader","password":"`+demoPW+`"}`, &e); code != 429 {
		t.Fatalf("right password on a locked account: %d", code)
	}
}

// webLogin logs in through the HTML form, as a browser does, and checks
// that the home page greets the user.
func webLogin(t *testing.T, base, user, password string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	resp, err := c.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		t.Fatal("login form has no CSRF token")
	}
	if !strings.Contains(string(page), `lang="zh-CN"`) {
		t.Fatal("login page is not Chinese by default")
	}
	form := url.Values{"csrf": {string(m[1])}, "username": {user}, "password": {password}}
	resp, err = c.PostForm(base+"/login", form)
	if err != nil {
		t.Fatal(err)
	}
	home, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(home), `data-testid="home-title"`) {
		t.Fatalf("web login %s: %d\n%.500s", user, resp.StatusCode, home)
	}
	// The same form without the token is refused.
	resp, _ = c.PostForm(base+"/logout", url.Values{})
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("logout without CSRF token: %d, want 403", resp.StatusCode)
	}
}

func TestAuditVerifyPassesUntouchedAndFailsAfterAnEdit(t *testing.T) {
	dir := t.TempDir()
	base := startDemo(t, dir, nil) // still running: its jobs write while we tamper
	getJSON(t, http.DefaultClient, "POST", base+"/api/v1/auth/login", "", `{"username":"clerk","password":"bad"}`, nil)
	var out strings.Builder
	args := []string{"audit", "verify", "--data", dir}
	if err := run(context.Background(), args, func(string) string { return "" }, &out, io.Discard); err != nil {
		t.Fatalf("untouched log: %v", err)
	}
	if !strings.Contains(out.String(), "intact") {
		t.Fatalf("output: %q", out.String())
	}
	// Wait for the server's writers instead of failing with SQLITE_BUSY.
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "onevisit.db")+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE audit_log SET detail = 'covered up' WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	err = run(context.Background(), args, func(string) string { return "" }, io.Discard, io.Discard)
	var ee *exitError
	if !errors.As(err, &ee) || ee.code == 0 || !strings.Contains(err.Error(), "audit entry 2") {
		t.Fatalf("edited log: got %v, want a non-zero exit naming entry 2", err)
	}
}

func TestHelpAndUnknownCommands(t *testing.T) {
	var out strings.Builder
	if err := run(context.Background(), []string{"help"}, func(string) string { return "" }, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"serve", "demo", "migrate", "user", "audit", "version"} {
		if !strings.Contains(out.String(), c) {
			t.Errorf("help does not list %s", c)
		}
	}
	if exitCode(run(context.Background(), []string{"frobnicate"}, func(string) string { return "" }, io.Discard, io.Discard)) != 2 {
		t.Error("unknown command should exit 2")
	}
	var serveHelp strings.Builder
	err := run(context.Background(), []string{"serve", "--help"}, func(string) string { return "" }, io.Discard, &serveHelp)
	if exitCode(err) != 0 || !strings.Contains(serveHelp.String(), "-data") {
		t.Errorf("serve --help: %v\n%s", err, serveHelp.String())
	}
}

func TestServeRefusesInvalidConfiguration(t *testing.T) {
	err := run(context.Background(), []string{"serve", "--addr", "not-an-address"}, func(string) string { return "" }, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "addr") {
		t.Fatalf("got %v", err)
	}
}

func TestUserAddCreatesAnAccountThatCanLogIn(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"ONEVISIT_USER_PASSWORD": "Window-Clerk-2026"}
	getenv := func(k string) string { return env[k] }
	// A department to put the clerk in comes from the demo seed.
	base := startDemo(t, dir, nil)
	_ = base
	var out strings.Builder
	err := run(context.Background(), []string{"user", "add", "--data", dir, "--username", "wangwu", "--name", "王五",
		"--role", "clerk", "--department", "CENTER"}, getenv, &out, io.Discard)
	if err != nil || !strings.Contains(out.String(), "created user wangwu") {
		t.Fatalf("user add: %v %q", err, out.String())
	}
	var resp map[string]any
	if code := getJSON(t, http.DefaultClient, "POST", base+"/api/v1/auth/login", "", `{"username":"wangwu","password":"Window-Clerk-2026"}`, &resp); code != 200 {
		t.Fatalf("the new clerk cannot log in: %d %v", code, resp)
	}
	env["ONEVISIT_USER_PASSWORD"] = "short"
	err = run(context.Background(), []string{"user", "add", "--data", dir, "--username", "weak", "--name", "弱",
		"--role", "clerk", "--department", "CENTER"}, getenv, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "password") {
		t.Fatalf("a weak staff password was accepted: %v", err)
	}
}
