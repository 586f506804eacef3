package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// server is one run of the binary in the kill -9 test.
type server struct {
	cmd    *exec.Cmd
	base   string // URL without the trailing slash
	client *http.Client
	logs   *lockedBuffer
	done   chan struct{} // closed once the process has exited
	cut    atomic.Int64  // requests that got no (complete) answer
}

// startServer starts bin with args and returns once it says where it
// serves: `onevisit demo` prints readyLine on stdout after seeding,
// `onevisit serve --log-level info` logs msg=listening url=… on stderr.
// The process is killed when the test ends.
func startServer(t *testing.T, bin string, args []string) *server {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = hermeticEnv()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, logs: &lockedBuffer{}, done: make(chan struct{}),
		client: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 32}}}
	urlc := make(chan string, 1)
	scanned := make(chan struct{}, 2)
	scan := func(r io.Reader) {
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			fmt.Fprintln(s.logs, sc.Text())
			if u := servingURL(sc.Text()); u != "" {
				select {
				case urlc <- u:
				default:
				}
			}
		}
		scanned <- struct{}{}
	}
	go scan(stdout)
	go scan(stderr)
	go func() {
		<-scanned
		<-scanned
		_ = cmd.Wait() // only after the pipes are drained
		close(s.done)
	}()
	t.Cleanup(s.kill)
	select {
	case s.base = <-urlc:
		return s
	case <-s.done:
		t.Fatalf("%s exited before it served:\n%s", strings.Join(args[:1], " "), s.logs)
	case <-time.After(startTimeout):
		t.Fatalf("%s did not serve within %s:\n%s", strings.Join(args[:1], " "), startTimeout, s.logs)
	}
	return nil
}

// servingURL is the base URL a line of the server's output announces, or "".
func servingURL(line string) string {
	if i := strings.Index(line, readyLine); i >= 0 {
		return strings.TrimRight(strings.TrimSpace(line[i+len(readyLine):]), "/")
	}
	if !strings.Contains(line, "msg=listening") {
		return ""
	}
	_, u, ok := strings.Cut(line, " url=")
	if !ok {
		return ""
	}
	u, _, _ = strings.Cut(u, " ")
	return strings.TrimRight(u, "/")
}

// kill ends the process with SIGKILL and waits for it.
func (s *server) kill() {
	_ = s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.done
	s.client.CloseIdleConnections()
}

// stop ends the process with SIGTERM, as an operator would, and reports
// whether it exited within 15 s.
func (s *server) stop() bool {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
		return true
	case <-time.After(15 * time.Second):
		s.kill()
		return false
	}
}

// call sends a request with the token, if any, and decodes the answer
// into out (a *[]byte takes the raw body) when its status is want. body
// is JSON-encoded unless it is a []byte, which is sent as a PDF.
func (s *server) call(method, path, token string, body any, want int, out any) error {
	var rd io.Reader
	ctype := "application/json"
	switch b := body.(type) {
	case nil:
	case []byte:
		rd, ctype = bytes.NewReader(b), "application/pdf"
	default:
		j, err := json.Marshal(b)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, s.base+path, rd)
	if err != nil {
		return err
	}
	if rd != nil {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		s.cut.Add(1)
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		s.cut.Add(1)
		return err
	}
	if resp.StatusCode != want {
		return &statusError{status: resp.StatusCode, msg: fmt.Sprintf("%s %s: %s: %.300s", method, path, resp.Status, bytes.TrimSpace(b))}
	}
	if raw, ok := out.(*[]byte); ok {
		*raw = b
		return nil
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

// statusError is an answer with another status than the one wanted.
type statusError struct {
	status int
	msg    string
}

func (e *statusError) Error() string { return e.msg }
