package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"onevisit/internal/idcode"
	"onevisit/internal/sqlstore/sqlstoretest"
)

const (
	// crashRoundsDefault is how many times each engine is killed; the
	// environment variable ONEVISIT_CRASH_ROUNDS overrides it.
	crashRoundsDefault = 100
	// drainTimeout bounds the wait for the outbox after the last restart.
	// A message whose send a kill interrupted stays claimed for the
	// outbox's lease (2 minutes) before it is sent again.
	drainTimeout = 150 * time.Second
)

// TestAcknowledgedWritesSurviveKill9 drives the real binary with window
// acceptances, cases taken through approval to their e-licence, and hall
// tickets taken and called, kills it with SIGKILL at a random moment,
// restarts it, and checks that every write that got a success answer is
// there and consistent: the case with its timeline in order, its status
// and its audit entries; the licence in the registry, its PDF served and
// genuine; the ticket with its number and a status that never goes back.
// At the end every SMS an acknowledged write enqueued has reached the
// gateway at least once, and the audit chain is intact. It runs on SQLite
// and, with ONEVISIT_TEST_POSTGRES, on PostgreSQL at the same time.
func TestAcknowledgedWritesSurviveKill9(t *testing.T) {
	rounds := crashRoundsDefault
	if n, err := strconv.Atoi(os.Getenv("ONEVISIT_CRASH_ROUNDS")); err == nil && n > 0 {
		rounds = n
	}
	onevisitBinary(t) // build once, before the engines run in parallel
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		crashRounds(t, nil, rounds)
	})
	if os.Getenv(sqlstoretest.EnvPostgres) != "" {
		t.Run("postgres", func(t *testing.T) {
			t.Parallel()
			dsn, _ := sqlstoretest.PostgresSchema(t)
			crashRounds(t, []string{"--db", dsn}, rounds)
		})
	}
}

// crashTimes is where an engine's run spent its time.
type crashTimes struct {
	setUp, load, checks, drain time.Duration
	restarts                   []time.Duration
}

func (c *crashTimes) String() string {
	slices.Sort(c.restarts)
	var sum time.Duration
	for _, r := range c.restarts {
		sum += r
	}
	ms := func(d time.Duration) time.Duration { return d.Round(time.Millisecond) }
	return fmt.Sprintf("set-up %s, load %s, restarts %s (median %s, max %s), checks %s, outbox drain %s",
		ms(c.setUp), ms(c.load), ms(sum), ms(c.restarts[len(c.restarts)/2]), ms(c.restarts[len(c.restarts)-1]), ms(c.checks), ms(c.drain))
}

func crashRounds(t *testing.T, dbArgs []string, rounds int) {
	began := time.Now()
	bin := onevisitBinary(t)
	gw := &smsGateway{texts: map[string][]string{}}
	sms := httptest.NewServer(gw)
	t.Cleanup(sms.Close)
	data := t.TempDir()
	common := append([]string{"--addr", "127.0.0.1:0", "--data", data, "--sms-url", sms.URL, "--rate-public", "0"}, dbArgs...)
	d := &driver{l: newLedger(), tokens: map[string]string{}}
	d.srv = startServer(t, bin, append([]string{"demo", "--demo-password", demoPassword, "--demo-cases", "0", "--log-level", "warn"}, common...))
	d.setUp(t)
	times := &crashTimes{setUp: time.Since(began)}
	// Restarts run `serve`, as production does: `demo` would hash every
	// demo password again and re-check its whole seed on each start.
	checked := d.killRounds(t, bin, append([]string{"serve", "--log-level", "info"}, common...), rounds, times)
	if len(d.l.problems) > 0 {
		t.Fatalf("inconsistent acknowledgements:\n%s", strings.Join(d.l.problems, "\n"))
	}
	all, tickets := d.l.snapshot(0, true, nil)
	drained := time.Now()
	d.waitForOutbox(t, gw, all)
	times.drain = time.Since(drained)
	pdf := d.anyLicencePDF(t, all)
	if !d.srv.stop() {
		t.Error("the server did not stop within 15 s of SIGTERM")
	}
	verifyOffline(t, bin, append([]string{"--data", data}, dbArgs...), pdf)
	t.Logf("%d kills in %s, %d requests left without an answer; %d checks of acknowledged writes: %d cases (%s), %d licences, %d tickets (%s)",
		rounds, time.Since(began).Round(time.Second), d.cut, checked, len(all), d.l.acksOf("case"), d.l.acks["licence issued"], len(tickets), d.l.acksOf("ticket"))
	t.Log(times)
	if len(d.l.refused) > 0 {
		t.Logf("refused: %v", d.l.refused)
	}
	if d.l.acks["case accepted"] == 0 || d.l.acks["licence issued"] == 0 || d.l.acks["ticket taken"] == 0 || d.l.acks["ticket called"] == 0 {
		t.Fatalf("some kind of write was never acknowledged, so the test checked nothing of it: %v", d.l.acks)
	}
}

// killRounds loads and kills the server rounds times, restarting it with
// args after each kill and checking what the round just killed had
// acknowledged, with a sample of older writes; after the last kill it
// checks everything. It returns how many records it checked.
func (d *driver) killRounds(t *testing.T, bin string, args []string, rounds int, times *crashTimes) int {
	t.Helper()
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 2))
	checked := 0
	for round := 1; round <= rounds; round++ {
		d.l.mu.Lock()
		d.l.round = round
		d.l.mu.Unlock()
		start := time.Now()
		d.loadUntilKilled(time.Duration(100+rng.IntN(300)) * time.Millisecond)
		restarted := time.Now()
		times.load += restarted.Sub(start)
		d.srv = startServer(t, bin, args)
		checking := time.Now()
		times.restarts = append(times.restarts, checking.Sub(restarted))
		cs, ts := d.l.snapshot(round, round == rounds, rng)
		if p := d.check(cs, ts); len(p) > 0 {
			t.Fatalf("after kill %d, %d of %d checked writes are lost or inconsistent:\n%s", round, len(p), len(cs)+len(ts), strings.Join(p[:min(len(p), 20)], "\n"))
		}
		checked += len(cs) + len(ts)
		times.checks += time.Since(checking)
	}
	return checked
}

// setUp signs the demo users in (their sessions outlive restarts) and the
// clerk in at window 12, before the first kill.
func (d *driver) setUp(t *testing.T) {
	t.Helper()
	for _, u := range []string{"clerk", "approver", "issuer", "admin"} {
		d.tokens[u] = apiLogin(t, d.srv.base, u)
	}
	var board struct {
		Hall struct {
			Windows []struct {
				ID     int64
				Number int
			}
		}
	}
	if err := d.call("GET", "/api/v1/halls/main", "clerk", nil, 200, &board); err != nil {
		t.Fatal(err)
	}
	for _, w := range board.Hall.Windows {
		if w.Number == 12 {
			d.window = w.ID
		}
	}
	if err := d.call("POST", "/api/v1/windows/"+strconv.FormatInt(d.window, 10)+"/signin", "clerk", nil, 200, nil); err != nil {
		t.Fatal(err)
	}
}

// acksOf sums the acknowledged writes whose kind starts with prefix, and
// lists them by kind.
func (l *ledger) acksOf(prefix string) string {
	var parts []string
	for k, n := range l.acks {
		if strings.HasPrefix(k, prefix) {
			parts = append(parts, fmt.Sprintf("%d %s", n, strings.TrimPrefix(k, prefix+" ")))
		}
	}
	slices.Sort(parts)
	return strings.Join(parts, ", ")
}

// waitForOutbox waits until the gateway has every SMS that the
// acknowledged writes enqueued. The dispatcher runs every 2 s; a message
// whose send a kill cut stays claimed until the outbox's lease runs out.
func (d *driver) waitForOutbox(t *testing.T, gw *smsGateway, cs []caseRec) {
	t.Helper()
	start, late := time.Now(), -1
	for {
		missing, expected, doubled, total := gw.undelivered(cs)
		if len(missing) == 0 {
			t.Logf("outbox: all %d SMS of acknowledged writes delivered (%d later than 5 s after the last restart), %d more than once; the gateway got %d in all",
				expected, max(late, 0), doubled, total)
			return
		}
		if late < 0 && time.Since(start) > 5*time.Second {
			late = len(missing)
		}
		if time.Since(start) > drainTimeout {
			t.Fatalf("outbox: %d of %d SMS of acknowledged writes never reached the gateway within %s of the last restart, e.g. %v",
				len(missing), expected, drainTimeout, missing[:min(len(missing), 10)])
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// anyLicencePDF downloads the PDF of the last licence issued.
func (d *driver) anyLicencePDF(t *testing.T, cs []caseRec) []byte {
	t.Helper()
	for _, c := range slices.Backward(cs) {
		if c.licence != "" {
			var pdf []byte
			if err := d.call("GET", "/api/v1/licences/"+c.licence+"/pdf", "issuer", nil, 200, &pdf); err != nil {
				t.Fatal(err)
			}
			return pdf
		}
	}
	return nil
}

// verifyOffline runs `onevisit audit verify` and `onevisit licence verify`
// on the stopped server's data.
func verifyOffline(t *testing.T, bin string, dataArgs []string, pdf []byte) {
	t.Helper()
	out, err := exec.Command(bin, append([]string{"audit", "verify"}, dataArgs...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("audit chain after the kills: %v\n%s", err, out)
	}
	t.Log(strings.TrimSpace(string(out)))
	if pdf == nil {
		return
	}
	file := filepath.Join(t.TempDir(), "licence.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, append(append([]string{"licence", "verify"}, dataArgs...), file)...).CombinedOutput(); err != nil {
		t.Fatalf("licence verify after the kills: %v\n%s", err, out)
	}
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

// postAcceptance accepts a case at the window for a generated applicant
// and returns its number.
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
