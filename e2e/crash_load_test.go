package e2e

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"onevisit/internal/idcode"
)

// The stages a case of the kill -9 test reaches, each by one acknowledged
// write; stageActions are the timeline events that stage n has written.
const (
	accepted = iota + 1
	approved
	issued
)

var stageActions = []string{"submit", "accept", "approve", "issue"}

// caseRec is what the server acknowledged about one case.
type caseRec struct {
	no, phone string
	stage     int    // the furthest acknowledged stage
	licence   string // the licence identifier, once issued
	sha256    string // of the licence's signed PDF
	round     int    // the round of the latest acknowledgement
	tries     int    // unacknowledged attempts at the next stage
}

// ticketRec is what the server acknowledged about one ticket.
type ticketRec struct {
	id, no string
	rank   int    // of the furthest acknowledged status: see ticketRank
	day    string // the Shanghai day it was issued on
	round  int
}

// ticketRank orders a ticket's statuses: a ticket never goes back.
var ticketRank = map[string]int{"waiting": 0, "called": 1, "done": 2, "no_show": 2}

// ledger records every acknowledged write of the kill -9 test.
type ledger struct {
	mu         sync.Mutex
	round      int
	applicants int64
	cases      map[string]*caseRec
	caseList   []*caseRec
	tickets    map[string]*ticketRec
	ticketList []*ticketRec
	numbers    map[string]string // day+number → ticket id, to catch a number given twice
	todo       []*caseRec        // lifecycle cases whose next step is not acknowledged yet
	acks       map[string]int    // acknowledged writes by kind
	refused    map[string]int    // answers with an unwanted status, by operation and status
	problems   []string          // inconsistencies seen in acknowledgements
}

func newLedger() *ledger {
	return &ledger{cases: map[string]*caseRec{}, tickets: map[string]*ticketRec{}, numbers: map[string]string{}, acks: map[string]int{}, refused: map[string]int{}}
}

func (l *ledger) nextApplicant() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.applicants++
	return l.applicants
}

func (l *ledger) ackCase(no, phone string) *caseRec {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := &caseRec{no: no, phone: phone, stage: accepted, round: l.round}
	if l.cases[no] != nil {
		l.problems = append(l.problems, "case number "+no+" acknowledged twice for different applicants")
	}
	l.cases[no] = c
	l.caseList = append(l.caseList, c)
	l.acks["case accepted"]++
	return c
}

func (l *ledger) ackStage(c *caseRec, stage int, licence, sha string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c.stage, c.round, c.tries = stage, l.round, 0
	if stage == issued {
		c.licence, c.sha256 = licence, sha
		l.acks["licence issued"]++
	} else {
		l.acks["case approved"]++
	}
}

// takeTodo returns a case whose lifecycle an earlier attempt left
// unfinished, or nil.
func (l *ledger) takeTodo() *caseRec {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.todo) == 0 {
		return nil
	}
	c := l.todo[0]
	l.todo = l.todo[1:]
	return c
}

// putTodo keeps c for a later attempt, unless it failed too often.
func (l *ledger) putTodo(c *caseRec) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if c.tries++; c.tries <= 3 {
		l.todo = append(l.todo, c)
	}
}

// ticketJSON is the part of a ticket the test reads.
type ticketJSON struct {
	ID       string    `json:"id"`
	No       string    `json:"no"`
	Status   string    `json:"status"`
	IssuedAt time.Time `json:"issuedAt"`
}

var shanghai = time.FixedZone("CST", 8*3600)

func (l *ledger) ackTicket(t ticketJSON, kind string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.acks["ticket "+kind]++
	rank, ok := ticketRank[t.Status]
	if t.ID == "" || t.No == "" || !ok {
		l.problems = append(l.problems, fmt.Sprintf("%s acknowledged with ticket %+v", kind, t))
		return
	}
	r := l.tickets[t.ID]
	if r == nil {
		r = &ticketRec{id: t.ID, no: t.No, day: t.IssuedAt.In(shanghai).Format(time.DateOnly)}
		if other := l.numbers[r.day+r.no]; other != "" {
			l.problems = append(l.problems, fmt.Sprintf("ticket number %s of %s given to %s and %s", r.no, r.day, other, r.id))
		}
		l.numbers[r.day+r.no] = r.id
		l.tickets[t.ID] = r
		l.ticketList = append(l.ticketList, r)
	}
	if r.no != t.No {
		l.problems = append(l.problems, fmt.Sprintf("ticket %s acknowledged as %s, then as %s", t.ID, r.no, t.No))
	}
	if rank < r.rank {
		l.problems = append(l.problems, fmt.Sprintf("ticket %s %s acknowledged as %s after a later status", t.ID, t.No, t.Status))
	}
	r.rank, r.round = max(r.rank, rank), l.round
}

// driver drives one engine's server through the rounds.
type driver struct {
	srv    *server
	tokens map[string]string // demo user → session token; sessions outlive restarts
	window int64             // id of window 12, which serves zone E
	l      *ledger
	cut    int64 // requests that got no answer: the kill cut them
}

// call sends a request as user; it tallies refusals by operation and
// status, since a kill explains only requests left without an answer.
func (d *driver) call(method, path, user string, body any, want int, out any) error {
	err := d.srv.call(method, path, d.tokens[user], body, want, out)
	if se, ok := err.(*statusError); ok {
		d.l.mu.Lock()
		d.l.refused[fmt.Sprintf("%s %s %d", method, path[strings.LastIndexByte(path, '/')+1:], se.status)]++
		d.l.mu.Unlock()
	}
	return err
}

// loadUntilKilled sends writes from several clients, kills the server with
// SIGKILL after dur, and returns once every client has its last answer.
func (d *driver) loadUntilKilled(dur time.Duration) {
	stop := make(chan struct{})
	var wg sync.WaitGroup
	clients := func(n int, f func(stop <-chan struct{})) {
		for range n {
			wg.Go(func() { f(stop) })
		}
	}
	clients(2, d.acceptances)
	clients(2, d.lifecycles)
	clients(1, d.hall)
	time.Sleep(dur)
	_ = d.srv.cmd.Process.Signal(syscall.SIGKILL)
	close(stop)
	wg.Wait()
	d.srv.kill() // waits for the exit
	d.cut += d.srv.cut.Load()
}

func stopped(stop <-chan struct{}) bool {
	select {
	case <-stop:
		return true
	default:
		return false
	}
}

// acceptances accepts cases at the window, as a clerk, with a short pause
// after each so that the slower licence signing gets its share of the CPU.
func (d *driver) acceptances(stop <-chan struct{}) {
	for !stopped(stop) {
		d.accept()
		pause()
	}
}

// pause waits up to 10 ms.
func pause() { time.Sleep(time.Duration(rand.IntN(10)) * time.Millisecond) }

// accept accepts a case for a new applicant with a mobile phone, so that
// the acceptance sends an SMS.
func (d *driver) accept() (*caseRec, bool) {
	n := d.l.nextApplicant()
	phone := fmt.Sprintf("139%08d", n)
	var c struct{ No string }
	if err := d.call("POST", "/api/v1/cases", "clerk", crashApplication(n, phone), 201, &c); err != nil || c.No == "" {
		return nil, false
	}
	return d.l.ackCase(c.No, phone), true
}

// crashApplication is a window acceptance of the bench's item for
// applicant n, whose ID number no other applicant of the test has.
func crashApplication(n int64, phone string) map[string]any {
	born := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(n/1000))
	body := fmt.Sprintf("330206%s%03d", born.Format("20060102"), n%1000)
	c, _ := idcode.IDCardCheck(body)
	return map[string]any{"itemCode": "330206-MARKET-XK-0004", "decision": "accept", "window": "3号窗口",
		"applicant": map[string]string{"kind": "person", "name": "断电测试", "idNumber": body + string(c), "phone": phone},
		"materials": []map[string]any{{"code": "M018", "received": true}, {"code": "M019", "received": true}, {"code": "M005", "received": true}}}
}

// lifecycles takes cases from acceptance through approval to the licence,
// finishing first what a kill interrupted in an earlier round.
func (d *driver) lifecycles(stop <-chan struct{}) {
	for !stopped(stop) {
		c, resumed := d.l.takeTodo(), true
		if c == nil {
			var ok bool
			if c, ok = d.accept(); !ok {
				continue
			}
			resumed = false
		}
		if !d.advance(c, resumed) {
			d.l.putTodo(c)
		}
	}
}

// advance approves c, as the demo approver, and issues its licence, as the
// demo issuer. An interrupted step may have been done all the same, so a
// resumed case starts from the status the server has now. It reports
// false when a step went unacknowledged.
func (d *driver) advance(c *caseRec, resumed bool) bool {
	status := "accepted"
	if resumed {
		var cs struct{ Status string }
		if err := d.call("GET", "/api/v1/cases/"+url.PathEscape(c.no), "clerk", nil, 200, &cs); err != nil {
			return false
		}
		status = cs.Status
	}
	if status == "issued" { // issued unacknowledged: its licence is unknown
		return true
	}
	if status != "approved" {
		if err := d.call("POST", "/api/v1/cases/"+url.PathEscape(c.no)+"/approve", "approver", map[string]string{"reason": "符合条件"}, 200, nil); err != nil {
			return false
		}
		d.l.ackStage(c, approved, "", "")
	}
	var lic struct{ Identifier, SHA256 string }
	if err := d.call("POST", "/api/v1/cases/"+url.PathEscape(c.no)+"/licence", "issuer", nil, 201, &lic); err != nil {
		return false
	}
	d.l.ackStage(c, issued, lic.Identifier, lic.SHA256)
	return true
}

// hall takes tickets in every zone, as a clerk for a visitor; window 12
// calls the next ticket of zone E after each one taken there and now and
// then completes it (a call completes the previous one too).
func (d *driver) hall(stop <-chan struct{}) {
	for i := rand.IntN(5); !stopped(stop); i++ {
		zone := string("ABCDE"[i%5])
		var t ticketJSON
		if d.call("POST", "/api/v1/halls/main/tickets", "clerk", map[string]string{"zone": zone}, 201, &t) == nil {
			d.l.ackTicket(t, "taken")
		}
		pause()
		if zone != "E" {
			continue
		}
		window := "/api/v1/windows/" + strconv.FormatInt(d.window, 10)
		if d.call("POST", window+"/call", "clerk", nil, 200, &t) == nil {
			d.l.ackTicket(t, "called")
		}
		if i%3 == 0 && d.call("POST", window+"/complete", "clerk", nil, 200, &t) == nil {
			d.l.ackTicket(t, "completed")
		}
	}
}
