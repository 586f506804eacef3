// Package e2e drives the real onevisit binary with a headless Chromium:
// it builds cmd/onevisit once, starts `onevisit demo` on a free port with a
// fresh data folder, and checks the server-rendered pages in a browser.
//
// Browser policy: when ONEVISIT_TEST_BROWSER is set (CI sets it), a missing
// Chromium fails the tests; otherwise they are skipped. ONEVISIT_CHROMIUM
// names the browser binary. Screenshots go to ONEVISIT_ARTIFACTS (default
// <module root>/artifacts/screenshots).
package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const (
	// demoPassword is the password of every demo account in the tests.
	demoPassword = "E2e-Pass-2026"
	// pageTimeout bounds all browser actions of one (sub)test.
	pageTimeout = 45 * time.Second
	// startTimeout bounds the start of the demo server.
	startTimeout = 60 * time.Second

	desktopW, desktopH = 1366, 900
	phoneW, phoneH     = 390, 844
)

// tmpDir holds the built binary; TestMain removes it.
var tmpDir string

func TestMain(m *testing.M) {
	var err error
	tmpDir, err = os.MkdirTemp("", "onevisit-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(tmpDir)
	os.Exit(code)
}

// ---------------------------------------------------------------------------
// Module root, binary, message catalogs.

var (
	rootOnce sync.Once
	rootDir  string
	rootErr  error
)

// moduleRoot is the folder holding the module's go.mod.
func moduleRoot(t testing.TB) string {
	t.Helper()
	rootOnce.Do(func() {
		out, err := exec.Command("go", "env", "GOMOD").Output()
		if err != nil {
			rootErr = fmt.Errorf("go env GOMOD: %w", err)
			return
		}
		gomod := strings.TrimSpace(string(out))
		if gomod == "" || gomod == os.DevNull {
			rootErr = errors.New("go env GOMOD: not inside a module")
			return
		}
		rootDir = filepath.Dir(gomod)
	})
	if rootErr != nil {
		t.Fatal(rootErr)
	}
	return rootDir
}

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// onevisitBinary builds ./cmd/onevisit once per test run and returns its path.
func onevisitBinary(t testing.TB) string {
	t.Helper()
	root := moduleRoot(t)
	buildOnce.Do(func() {
		htmx := filepath.Join(root, "internal", "web", "static", "vendor", "htmx.min.js")
		if _, err := os.Stat(htmx); err != nil {
			buildErr = fmt.Errorf("%s is missing: run `make assets` first (the Makefile's test target does it): %w", htmx, err)
			return
		}
		bin := filepath.Join(tmpDir, "onevisit")
		cmd := exec.Command("go", "build", "-o", bin, "./cmd/onevisit")
		cmd.Dir = root
		start := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build ./cmd/onevisit: %w\n%s", err, out)
			return
		}
		t.Logf("built %s in %s", bin, time.Since(start).Round(time.Millisecond))
		binPath = bin
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

var (
	catOnce sync.Once
	catalog map[string]map[string]string // lang → key → text
	catErr  error
)

// msg returns the text of key in lang ("zh-CN" or "en") from the message
// catalogs in internal/i18n/messages, read at test time.
func msg(t testing.TB, lang, key string) string {
	t.Helper()
	root := moduleRoot(t)
	catOnce.Do(func() {
		catalog = map[string]map[string]string{}
		for _, lang := range []string{"zh-CN", "en"} {
			b, err := os.ReadFile(filepath.Join(root, "internal", "i18n", "messages", lang+".json"))
			if err != nil {
				catErr = err
				return
			}
			var raw map[string]any
			if err := json.Unmarshal(b, &raw); err != nil {
				catErr = fmt.Errorf("%s.json: %w", lang, err)
				return
			}
			m := map[string]string{}
			for k, v := range raw {
				if s, ok := v.(string); ok {
					m[k] = s
				}
			}
			catalog[lang] = m
		}
	})
	if catErr != nil {
		t.Fatal(catErr)
	}
	s, ok := catalog[lang][key]
	if !ok || s == "" {
		t.Fatalf("message %q missing from %s.json", key, lang)
	}
	return s
}

// ---------------------------------------------------------------------------
// The demo server.

// lockedBuffer collects a subprocess's output for failure reports.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

const readyLine = "onevisit demo is running: "

// startDemo starts `onevisit demo` on a free port with a fresh data folder and
// returns its base URL (no trailing slash) once /readyz answers 200. The
// server is stopped when the test ends.
func startDemo(t *testing.T) string {
	t.Helper()
	bin := onevisitBinary(t)
	data := t.TempDir() // registered first, so removed after the server stops

	cmd := exec.Command(bin, "demo", "--addr", "127.0.0.1:0", "--data", data, "--demo-password", demoPassword)
	cmd.Env = hermeticEnv()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var logs lockedBuffer
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s demo: %v", bin, err)
	}
	exited := make(chan struct{})
	var waitErr error
	urlc := make(chan string, 1)
	go func() {
		// Read stdout until the ready line, then keep draining it.
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		sent := false
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(&logs, line)
			if i := strings.Index(line, readyLine); i >= 0 && !sent {
				urlc <- strings.TrimSpace(line[i+len(readyLine):])
				sent = true
			}
		}
		io.Copy(&logs, stdout)
		waitErr = cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		select {
		case <-exited:
		default:
			_ = cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-exited:
			case <-time.After(10 * time.Second):
				_ = cmd.Process.Kill()
				<-exited
			}
		}
		if t.Failed() {
			t.Logf("onevisit demo output:\n%s", logs.String())
		}
	})

	var base string
	select {
	case base = <-urlc:
	case <-exited:
		t.Fatalf("onevisit demo exited before it was ready (%v):\n%s", waitErr, logs.String())
	case <-time.After(startTimeout):
		t.Fatalf("onevisit demo printed no %q line within %s:\n%s", readyLine, startTimeout, logs.String())
	}
	base = strings.TrimRight(base, "/")
	if !strings.HasPrefix(base, "http://") {
		t.Fatalf("unexpected demo URL %q", base)
	}

	deadline := time.Now().Add(startTimeout)
	client := &http.Client{Timeout: 5 * time.Second}
	for {
		resp, err := client.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base
			}
			err = fmt.Errorf("status %s", resp.Status)
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s/readyz not ready within %s: %v\n%s", base, startTimeout, err, logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// hermeticEnv is the environment without ONEVISIT_* settings, so that a
// developer's or CI's configuration (a Postgres URL, say) cannot leak into
// the throw-away demo server.
func hermeticEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ONEVISIT_") {
			env = append(env, kv)
		}
	}
	return env
}

// ---------------------------------------------------------------------------
// The browser.

// chromiumPath finds the browser, or skips (or fails, under
// ONEVISIT_TEST_BROWSER) the test when there is none.
func chromiumPath(t *testing.T) string {
	t.Helper()
	required := os.Getenv("ONEVISIT_TEST_BROWSER") != ""
	if p := os.Getenv("ONEVISIT_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("ONEVISIT_CHROMIUM=%s: %v", p, err)
		}
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	const hint = "no Chromium found (/usr/bin/chromium or chromium on PATH; install with `apt-get install -y chromium`, or set ONEVISIT_CHROMIUM)"
	if required {
		t.Fatal(hint + "; ONEVISIT_TEST_BROWSER is set, so the browser tests must run")
	}
	t.Skip(hint + "; set ONEVISIT_TEST_BROWSER=1 to make this a failure")
	return ""
}

// newBrowser starts a headless Chromium for the test and returns a context
// bound to it. Use newTab for each isolated session.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(desktopW, desktopH),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancel(); cancelAlloc() })

	// The first Run starts the browser; it must not carry a timeout, as that
	// would end the browser with it. Bound it from the outside instead.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err := <-started:
		if err != nil {
			t.Fatalf("start %s: %v", path, err)
		}
	case <-time.After(startTimeout):
		t.Fatalf("start %s: not up within %s", path, startTimeout)
	}
	return ctx
}

// newTab opens a tab in a fresh browser context (its own cookies) whose
// actions all end after pageTimeout.
func newTab(t *testing.T, browser context.Context) context.Context {
	t.Helper()
	tctx, cancelTimeout := context.WithTimeout(browser, pageTimeout)
	ctx, cancel := chromedp.NewContext(tctx, chromedp.WithNewBrowserContext())
	t.Cleanup(func() { cancel(); cancelTimeout() })
	return ctx
}

// do runs void actions and fails the test on error, naming the step.
func do(t *testing.T, ctx context.Context, step string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", step, err)
	}
}

// run runs one action that returns a value and fails the test on error.
func run[T any](t *testing.T, ctx context.Context, step string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	return v
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	return run(t, ctx, "evaluate "+expr, chromedp.Evaluate[T](expr))
}

// text is the trimmed text of the first element that matches the CSS selector,
// once it is visible.
func text(t *testing.T, ctx context.Context, css string) string {
	t.Helper()
	return strings.TrimSpace(run(t, ctx, "text of "+css, chromedp.Text(chromedp.CSS(css), chromedp.NodeVisible)))
}

// htmlLang is the lang attribute of the document element.
func htmlLang(t *testing.T, ctx context.Context) string {
	t.Helper()
	return eval[string](t, ctx, `document.documentElement.lang`)
}

// login fills and submits the login form at base/login and waits for the
// home page title.
func login(t *testing.T, ctx context.Context, base, user, password string) {
	t.Helper()
	do(t, ctx, "log in as "+user,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=username]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=username]`), user),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), password),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=home-title]`)),
	)
}

// ---------------------------------------------------------------------------
// Screenshots.

var (
	artOnce sync.Once
	artDir  string
	artErr  error
)

func artifactsDir(t *testing.T) string {
	t.Helper()
	artOnce.Do(func() {
		artDir = os.Getenv("ONEVISIT_ARTIFACTS")
		if artDir == "" {
			artDir = filepath.Join(moduleRoot(t), "artifacts", "screenshots")
		}
		artErr = os.MkdirAll(artDir, 0o755)
	})
	if artErr != nil {
		t.Fatal(artErr)
	}
	return artDir
}

// screenshot sets the viewport to w×h, takes a full-page PNG and writes it to
// the artifacts folder as name.
func screenshot(t *testing.T, ctx context.Context, name string, w, h int64) {
	t.Helper()
	setViewport(t, ctx, w, h)
	png := run(t, ctx, "screenshot "+name, chromedp.FullScreenshot(100))
	path := filepath.Join(artifactsDir(t), name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// setViewport sets the viewport size and waits until the page has laid
// itself out at that width. It does not emulate a mobile device: Chrome's
// mobile mode zooms out a page that is too wide, which would hide the very
// overflow that TestPhoneWidthHasNoHorizontalScroll looks for.
func setViewport(t *testing.T, ctx context.Context, w, h int64) {
	t.Helper()
	do(t, ctx, fmt.Sprintf("viewport %d×%d", w, h),
		chromedp.EmulateViewport(w, h),
		chromedp.Poll[chromedp.Void](fmt.Sprintf(`window.innerWidth === %d && document.fonts.status === "loaded"`, w),
			chromedp.WithPollingInterval(50*time.Millisecond)),
	)
}
