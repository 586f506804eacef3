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
	base := startDemo(t, t.TempDir(), nil)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	get := func(path string) string {
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
	resp, err := c.PostForm(base+"/login", url.Values{"csrf": {m[1]}, "username": {"admin"}, "password": {demoPW}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
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
