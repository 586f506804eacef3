package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The demo runs the jobs: the relay turns the seeded cases' events into
// messages, the dispatcher "sends" them to the log, and the admin sees
// them in the outbox.
func TestTheDemoOutboxFillsAndSendsToTheLog(t *testing.T) {
	get := loggedIn(t, startDemo(t, t.TempDir(), nil), "admin")
	deadline := time.Now().Add(30 * time.Second)
	for {
		page := get("/admin/outbox?status=sent")
		if strings.Contains(page, "138****0000") && strings.Contains(page, "经log") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no sent message to the demo citizen in the outbox:\n%.2000s", page)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if metrics := get("/metrics"); !strings.Contains(metrics, `onevisit_job_runs_total{job="outbox.relay",result="ok"}`) {
		t.Error("/metrics does not count job runs")
	}
}

// `demo --history-cases` registers the generated departments (D01–D31)
// by name, so the dashboards name them instead of showing codes.
func TestDemoHistoryNamesItsDepartments(t *testing.T) {
	get := loggedIn(t, startDemo(t, t.TempDir(), nil, "--history-cases", "1", "--history-days", "7"), "leader")
	page := get("/dashboard")
	for code, name := range map[string]string{"D01": "市场监督管理局", "D07": "卫生健康局", "D31": "水务集团"} {
		if !strings.Contains(page, `<option value="`+code+`">`+name+`</option>`) {
			t.Errorf("the department picker does not name %s %s", code, name)
		}
	}
}

// loggedIn logs user in to the demo at base and returns a getter of pages.
func loggedIn(t *testing.T, base, user string) (get func(path string) string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	get = func(path string) string {
		resp, err := c.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(get("/login"))
	if m == nil {
		t.Fatal("no CSRF token on the login page")
	}
	resp, err := c.PostForm(base+"/login", url.Values{"csrf": {m[1]}, "username": {user}, "password": {demoPW}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return get
}
