package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"onevisit/internal/idcode"
	"onevisit/internal/sqlstore/sqlstoretest"
)

// TestAcknowledgedCasesSurviveKill9 drives window acceptances against the
// real binary, kills it with SIGKILL at a random moment, restarts it, and
// checks that every case that got a 201 is there, with its events, and
// that the audit chain is intact — on SQLite and on PostgreSQL.
func TestAcknowledgedCasesSurviveKill9(t *testing.T) {
	rounds := 8
	if n, err := strconv.Atoi(os.Getenv("ONEVISIT_CRASH_ROUNDS")); err == nil {
		rounds = n
	}
	t.Run("sqlite", func(t *testing.T) { crashRounds(t, []string{"--data", t.TempDir()}, rounds) })
	if os.Getenv(sqlstoretest.EnvPostgres) != "" {
		t.Run("postgres", func(t *testing.T) {
			dsn, _ := sqlstoretest.PostgresSchema(t)
			crashRounds(t, []string{"--data", t.TempDir(), "--db", dsn}, rounds)
		})
	}
}

func crashRounds(t *testing.T, dbArgs []string, rounds int) {
	bin := onevisitBinary(t)
	args := append([]string{"demo", "--addr", "127.0.0.1:0", "--demo-password", demoPassword, "--demo-cases", "0", "--log-level", "warn"}, dbArgs...)
	var acked []string
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	for round := 0; round < rounds; round++ {
		cmd, base := startProcess(t, bin, args)
		token := apiLogin(t, base, "clerk")
		checkPresent(t, base, token, acked)
		acked = append(acked, loadUntilKilled(t, cmd, base, token, time.Duration(200+rng.IntN(600))*time.Millisecond)...)
	}
	cmd, base := startProcess(t, bin, args)
	checkPresent(t, base, apiLogin(t, base, "clerk"), acked)
	_ = cmd.Process.Signal(syscall.SIGTERM)
	_ = cmd.Wait()
	out, err := exec.Command(bin, append([]string{"audit", "verify"}, dbArgs...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("audit chain after %d kills: %v\n%s", rounds, err, out)
	}
	t.Logf("%d kills, %d acknowledged cases all present; %s", rounds, len(acked), strings.TrimSpace(string(out)))
	if len(acked) == 0 {
		t.Fatal("no case was acknowledged: the test checked nothing")
	}
}

// startProcess starts the binary and waits until it answers /readyz.
func startProcess(t *testing.T, bin string, args []string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = hermeticEnv()
	stdout, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _, _ = cmd.Process.Wait() })
	urlc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if i := strings.Index(sc.Text(), readyLine); i >= 0 {
				urlc <- strings.TrimSpace(sc.Text()[i+len(readyLine):])
			}
		}
	}()
	select {
	case base := <-urlc:
		return cmd, strings.TrimRight(base, "/")
	case <-time.After(startTimeout):
		t.Fatalf("not ready within %s:\n%s", startTimeout, stderr.String())
	}
	return nil, ""
}

func apiLogin(t *testing.T, base, user string) string {
	t.Helper()
	resp, err := http.Post(base+"/api/v1/auth/login", "application/json",
		strings.NewReader(`{"username":"`+user+`","password":"`+demoPassword+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v struct{ Token string }
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || v.Token == "" {
		t.Fatalf("login %s: %d %v", user, resp.StatusCode, err)
	}
	return v.Token
}

// loadUntilKilled posts acceptances from 16 clients and kills the server
// after d; it returns the numbers of the cases that were acknowledged.
func loadUntilKilled(t *testing.T, cmd *exec.Cmd, base, token string, d time.Duration) []string {
	var mu sync.Mutex
	var acked []string
	stop := make(chan struct{})
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 5 * time.Second}
	for w := 0; w < 16; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if no, ok := postAcceptance(client, base, token, w*100000+i); ok {
					mu.Lock()
					acked = append(acked, no)
					mu.Unlock()
				}
			}
		}(w)
	}
	time.Sleep(d)
	_ = cmd.Process.Signal(syscall.SIGKILL)
	_, _ = cmd.Process.Wait()
	close(stop)
	wg.Wait()
	return acked
}

func postAcceptance(client *http.Client, base, token string, n int) (string, bool) {
	body := fmt.Sprintf("330206%04d%02d%02d%03d", 1950+n%50, 1+n%12, 1+n%28, n%1000)
	c, _ := idcode.IDCardCheck(body)
	app := map[string]any{"itemCode": "330206-MARKET-XK-0004", "decision": "accept",
		"applicant": map[string]string{"kind": "person", "name": "断电测试", "idNumber": body + string(c)},
		"materials": []map[string]any{{"code": "M018", "received": true}, {"code": "M019", "received": true}, {"code": "M005", "received": true}}}
	b, _ := json.Marshal(app)
	req, _ := http.NewRequest("POST", base+"/api/v1/cases", bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		return "", false
	}
	defer resp.Body.Close()
	var v struct{ No string }
	if resp.StatusCode != http.StatusCreated || json.NewDecoder(resp.Body).Decode(&v) != nil || v.No == "" {
		return "", false
	}
	return v.No, true
}

// checkPresent asserts every acknowledged case is stored, accepted, with
// its timeline.
func checkPresent(t *testing.T, base, token string, nos []string) {
	t.Helper()
	for _, no := range nos {
		req, _ := http.NewRequest("GET", base+"/api/v1/cases/"+url.PathEscape(no)+"/events", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var v struct{ Events []struct{ Action string } }
		err = json.NewDecoder(resp.Body).Decode(&v)
		resp.Body.Close()
		if resp.StatusCode != 200 || err != nil || len(v.Events) < 2 || v.Events[1].Action != "accept" {
			t.Fatalf("acknowledged case %s after a kill: %d, events %v", no, resp.StatusCode, v.Events)
		}
	}
}
