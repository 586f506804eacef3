package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
)

// snapshot copies what must be checked after a restart: everything
// acknowledged in round (the one just killed) and a random sample of
// older records; with all, every record.
func (l *ledger) snapshot(round int, all bool, rng *rand.Rand) ([]caseRec, []ticketRec) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var cs []caseRec
	var older []caseRec
	for _, c := range l.caseList {
		if all || c.round == round {
			cs = append(cs, *c)
		} else {
			older = append(older, *c)
		}
	}
	var ts []ticketRec
	var olderT []ticketRec
	for _, t := range l.ticketList {
		if all || t.round == round {
			ts = append(ts, *t)
		} else {
			olderT = append(olderT, *t)
		}
	}
	return append(cs, sample(older, 8, rng)...), append(ts, sample(olderT, 4, rng)...)
}

func sample[T any](s []T, n int, rng *rand.Rand) []T {
	if len(s) <= n {
		return s
	}
	rng.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
	return s[:n]
}

// check verifies the records against the running server with a few
// clients in parallel and returns every inconsistency found.
func (d *driver) check(cs []caseRec, ts []ticketRec) []string {
	var mu sync.Mutex
	var problems []string
	work := make(chan func() error)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for f := range work {
				if err := f(); err != nil {
					mu.Lock()
					problems = append(problems, err.Error())
					mu.Unlock()
				}
			}
		})
	}
	for _, c := range cs {
		work <- func() error { return d.checkCase(c) }
	}
	for _, t := range ts {
		work <- func() error { return d.checkTicket(t) }
	}
	close(work)
	wg.Wait()
	return problems
}

type eventJSON struct {
	Seq    int64
	Action string
	To     string
}

// checkCase checks that an acknowledged case is stored at its stage or
// beyond, that its timeline is the lifecycle's in order and ends in the
// case's status, that the audit log has one entry for each change, and
// that its licence, if issued, is stored, downloadable and genuine.
func (d *driver) checkCase(c caseRec) error {
	path := "/api/v1/cases/" + url.PathEscape(c.no)
	var tl struct{ Events []eventJSON }
	if err := d.call("GET", path+"/events", "clerk", nil, 200, &tl); err != nil {
		return fmt.Errorf("case %s acknowledged at stage %d: %w", c.no, c.stage, err)
	}
	var actions []string
	for i, e := range tl.Events {
		actions = append(actions, e.Action)
		if i > 0 && e.Seq <= tl.Events[i-1].Seq {
			return fmt.Errorf("case %s: events out of order: %+v", c.no, tl.Events)
		}
	}
	if len(actions) < c.stage+1 || len(actions) > len(stageActions) || !slices.Equal(actions, stageActions[:len(actions)]) {
		return fmt.Errorf("case %s acknowledged at stage %d has events %v", c.no, c.stage, actions)
	}
	var cs struct{ Status string }
	if err := d.call("GET", path, "clerk", nil, 200, &cs); err != nil {
		return fmt.Errorf("case %s: %w", c.no, err)
	}
	if last := tl.Events[len(tl.Events)-1]; cs.Status != last.To {
		return fmt.Errorf("case %s is %s, its last event %s went to %s", c.no, cs.Status, last.Action, last.To)
	}
	want := []string{"case.create"}
	for _, a := range actions[2:] {
		want = append(want, "case."+a)
	}
	if err := d.checkAudit("case", c.no, want); err != nil {
		return err
	}
	if c.stage == issued {
		return d.checkLicence(c)
	}
	return nil
}

// checkAudit checks the audit log's entries for an object, oldest first:
// the changes, leaving out the audited staff reads (the checks' own).
func (d *driver) checkAudit(objectType, id string, want []string) error {
	var au struct{ Entries []struct{ Action string } }
	q := url.Values{"objectType": {objectType}, "objectId": {id}, "limit": {"50"}}
	if err := d.call("GET", "/api/v1/audit?"+q.Encode(), "admin", nil, 200, &au); err != nil {
		return fmt.Errorf("audit of %s %s: %w", objectType, id, err)
	}
	var got []string
	for _, e := range slices.Backward(au.Entries) {
		if e.Action != "personal.read" {
			got = append(got, e.Action)
		}
	}
	if !slices.Equal(got, want) {
		return fmt.Errorf("audit of %s %s: %v, want %v", objectType, id, got, want)
	}
	return nil
}

// checkLicence checks an acknowledged licence: in the registry with the
// digest it was issued with, its PDF served with that digest and judged
// genuine (which needs the signing keys in the data folder), and audited.
func (d *driver) checkLicence(c caseRec) error {
	path := "/api/v1/licences/" + url.PathEscape(c.licence)
	var l struct{ Status, SHA256 string }
	if err := d.call("GET", path, "issuer", nil, 200, &l); err != nil {
		return fmt.Errorf("licence %s of case %s: %w", c.licence, c.no, err)
	}
	if l.SHA256 != c.sha256 || l.Status != "valid" {
		return fmt.Errorf("licence %s of case %s: %s, sha256 %s, issued with %s", c.licence, c.no, l.Status, l.SHA256, c.sha256)
	}
	var pdf []byte
	if err := d.call("GET", path+"/pdf", "issuer", nil, 200, &pdf); err != nil {
		return fmt.Errorf("licence %s PDF: %w", c.licence, err)
	}
	if sum := sha256.Sum256(pdf); hex.EncodeToString(sum[:]) != c.sha256 {
		return fmt.Errorf("licence %s PDF (%d bytes) does not have the digest it was issued with", c.licence, len(pdf))
	}
	var v struct {
		Genuine bool
		Reason  string
		Licence struct{ Identifier string }
	}
	if err := d.call("POST", "/api/v1/licences/verify", "issuer", pdf, 200, &v); err != nil {
		return fmt.Errorf("verify licence %s: %w", c.licence, err)
	}
	if !v.Genuine || v.Licence.Identifier != c.licence {
		return fmt.Errorf("licence %s of case %s does not verify: %s (%s)", c.licence, c.no, v.Reason, v.Licence.Identifier)
	}
	return d.checkAudit("licence", c.licence, []string{"licence.issue"})
}

// checkTicket checks that an acknowledged ticket keeps its number, has
// not gone back to an earlier status and has its audit entry.
func (d *driver) checkTicket(r ticketRec) error {
	var t ticketJSON
	if err := d.call("GET", "/api/v1/tickets/"+url.PathEscape(r.id), "", nil, 200, &t); err != nil {
		return fmt.Errorf("ticket %s %s: %w", r.no, r.id, err)
	}
	if rank, ok := ticketRank[t.Status]; t.No != r.no || !ok || rank < r.rank {
		return fmt.Errorf("ticket %s %s was acknowledged at rank %d, is now %s %s", r.no, r.id, r.rank, t.No, t.Status)
	}
	return d.checkAudit("ticket", r.id, []string{"ticket.take"})
}

// smsGateway stands in for the SMS HTTP gateway and records every text
// it is sent, by phone number.
type smsGateway struct {
	mu    sync.Mutex
	texts map[string][]string
	total int
}

func (g *smsGateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var m struct{ Phone, Text string }
	if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	g.mu.Lock()
	g.texts[m.Phone] = append(g.texts[m.Phone], m.Text)
	g.total++
	g.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

// stageTexts is what the SMS of each stage says, after the case number.
var stageTexts = []string{accepted: "已受理", approved: "已准予许可", issued: "结果已出件"}

// undelivered lists the SMS an acknowledged stage of a case enqueued
// that the gateway has not received, and counts the expected SMS, those
// received more than once and all the gateway received.
func (g *smsGateway) undelivered(cs []caseRec) (missing []string, expected, doubled, total int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	total = g.total
	for _, c := range cs {
		for stage := accepted; stage <= c.stage; stage++ {
			expected++
			n := 0
			for _, text := range g.texts[c.phone] {
				if strings.Contains(text, c.no+stageTexts[stage]) {
					n++
				}
			}
			if n == 0 {
				missing = append(missing, c.no+stageTexts[stage])
			}
			if n > 1 {
				doubled++
			}
		}
	}
	return missing, expected, doubled, total
}
