package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/cases"
	"onevisit/internal/identity"
	"onevisit/internal/outbox"
	"onevisit/internal/sqlstore"
	"onevisit/internal/sqlstore/sqlstoretest"
)

const sign = "宁波保税区行政服务中心"

func newOutbox(db *sqlstore.DB, now func() time.Time, senders map[outbox.Channel]outbox.Sender) *outbox.Service {
	return outbox.New(outbox.Config{Store: db.Outbox(), Senders: senders, BaseURL: "https://ov.example.gov.cn/",
		Sign: sign, Now: now})
}

// outboxRows lists the outbox as "case-suffix template channel recipient",
// oldest first, with the messages.
func outboxRows(t *testing.T, db *sqlstore.DB) ([]string, []outbox.Message) {
	t.Helper()
	list, err := db.Outbox().Messages(context.Background(), "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(list)
	rows := make([]string, len(list))
	for i, m := range list {
		rows[i] = fmt.Sprintf("%s %s %s %s", m.CaseNo[len(m.CaseNo)-1:], m.Template, m.Channel, m.Recipient)
	}
	return rows, list
}

func act(t *testing.T, w *caseWorld, p *identity.Principal, no string, a cases.Action) {
	t.Helper()
	if _, err := w.svc.Act(context.Background(), p, no, cases.ActInput{Action: a, Reason: "依法审查"}); err != nil {
		t.Fatalf("%s %s: %v", no, a, err)
	}
}

func relay(t *testing.T, ob *outbox.Service, want int) {
	t.Helper()
	n, err := ob.Relay(context.Background())
	if err != nil || n != want {
		t.Fatalf("relay made %d messages (%v), want %d", n, err, want)
	}
}

func TestTheRelayMessagesApplicantsOnceForEveryEventTheyMustHearAbout(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newCaseWorld(t, db)
		ctx := context.Background()
		ob := newOutbox(db, w.clock.now, nil)
		// 1: online, with an email on the form: corrections, then accepted.
		online, err := w.svc.Apply(ctx, w.citizen, cases.Application{ItemCode: foodLicence.Code, Materials: allTicks(),
			Form: map[string]string{"email": "张三 <zhangsan@example.com>"}}, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range []cases.Action{cases.PretrialCorrect, cases.Resubmit} {
			p := w.clerk
			if a == cases.Resubmit {
				p = w.citizen
			}
			act(t, w, p, online.No, a)
		}
		act(t, w, w.clerk, online.No, cases.PretrialPass)
		act(t, w, w.clerk, online.No, cases.Accept)
		// 2: at the window, a one-time notice given at once, phone with spaces.
		if _, err := w.svc.Apply(ctx, w.clerk, cases.Application{ItemCode: foodLicence.Code, Decision: cases.Notice, Reason: "缺营业执照",
			Materials: []cases.Tick{{Code: "M001", Received: true}, {Code: "M003", Received: true}},
			Applicant: cases.Applicant{Kind: identity.Person, Name: "李四", IDNumber: "11010519491231002X", Phone: "139 1234 5678"}}, ""); err != nil {
			t.Fatal(err)
		}
		// 3: at the window, received only: deemed accepted later.
		if _, err := w.svc.Apply(ctx, w.clerk, cases.Application{ItemCode: foodLicence.Code, Materials: allTicks(),
			Applicant: cases.Applicant{Kind: identity.Legal, Name: "宁波港通国际贸易有限公司", USCC: "91512081MA62K0260E", LegalRep: "陈港", Phone: "13700001111"}}, ""); err != nil {
			t.Fatal(err)
		}
		// 4: no mobile phone: accepted, but nobody to text.
		if _, err := w.svc.Apply(ctx, w.clerk, cases.Application{ItemCode: foodLicence.Code, Materials: allTicks(), Decision: cases.Accept,
			Applicant: cases.Applicant{Kind: identity.Person, Name: "王五", IDNumber: "330206198503150038", Phone: "0574-86880000"}}, ""); err != nil {
			t.Fatal(err)
		}
		relay(t, ob, 5)
		relay(t, ob, 0) // again: nothing new, nothing doubled
		rows, list := outboxRows(t, db)
		want := []string{
			"1 case.corrections sms 13800000000", "1 case.corrections email zhangsan@example.com",
			"1 case.accepted sms 13800000000", "1 case.accepted email zhangsan@example.com",
			"2 case.noticed sms 13912345678",
		}
		if !slices.Equal(rows, want) {
			t.Fatalf("outbox:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
		}
		accepted := list[2]
		wantText := "【宁波保税区行政服务中心】您的办件" + online.No + "已受理，承诺于2026年10月10日前办结。查询：https://ov.example.gov.cn/progress?no=" + online.No
		if accepted.Text != wantText || accepted.Status != outbox.Pending || accepted.Segments() != 2 {
			t.Errorf("acceptance SMS %q (%s, %d segments)\nwant %q", accepted.Text, accepted.Status, accepted.Segments(), wantText)
		}
		if accepted.Subject != "【宁波保税区行政服务中心】办件受理通知（"+online.No+"）" || accepted.MaskedRecipient() != "138****0000" {
			t.Errorf("subject %q, masked %q", accepted.Subject, accepted.MaskedRecipient())
		}
		if list[4].Text != "【宁波保税区行政服务中心】您的办件330206-20260928-000002材料需补正，请按一次性告知书一次补齐后重新提交。查询：https://ov.example.gov.cn/progress?no=330206-20260928-000002" {
			t.Errorf("notice SMS %q", list[4].Text)
		}

		// Later: the back office suspends, resumes and approves case 1, and
		// case 3 is deemed accepted after five working days without notice.
		act(t, w, w.approver, online.No, cases.Suspend)
		act(t, w, w.approver, online.No, cases.Resume)
		act(t, w, w.approver, online.No, cases.Approve)
		w.clock.t = w.clock.t.AddDate(0, 0, 17)
		if n, err := w.svc.DeemAccepted(ctx); err != nil || n != 1 {
			t.Fatalf("deemed acceptances: %d %v", n, err)
		}
		relay(t, ob, 7)
		relay(t, ob, 0)
		rows, list = outboxRows(t, db)
		want = append(want, "1 case.suspended sms 13800000000", "1 case.suspended email zhangsan@example.com",
			"1 case.resumed sms 13800000000", "1 case.resumed email zhangsan@example.com",
			"1 case.approved sms 13800000000", "1 case.approved email zhangsan@example.com",
			"3 case.deemed_accepted sms 13700001111")
		if !slices.Equal(rows, want) {
			t.Fatalf("outbox:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
		}
		deemed := list[len(list)-1].Text
		if !strings.HasPrefix(deemed, "【宁波保税区行政服务中心】您的办件330206-20260928-000003逾期未获补正告知，依法视为自收到材料之日起受理，承诺于") {
			t.Errorf("deemed acceptance SMS %q", deemed)
		}
	})
}

func TestARelayTransactionThatFailsMidwayLeavesNothing(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newCaseWorld(t, db)
		ctx := context.Background()
		c, err := w.svc.Apply(ctx, w.clerk, cases.Application{ItemCode: foodLicence.Code, Materials: allTicks(), Decision: cases.Accept,
			Applicant: cases.Applicant{Kind: identity.Person, Name: "李四", IDNumber: "11010519491231002X", Phone: "13912345678"}}, "")
		if err != nil {
			t.Fatal(err)
		}
		store := db.Outbox()
		now := w.clock.now()
		good := outbox.Message{Channel: outbox.SMS, Recipient: "13912345678", CaseNo: c.No, EventID: 2, Template: "case.accepted",
			Text: "已受理", Status: outbox.Pending, CreatedAt: now, NextAttemptAt: now}
		bad := good
		bad.Channel = "fax" // refused by the table's CHECK constraint, after the cursor moved and one row went in
		if _, err := store.CommitRelay(ctx, outbox.CaseEventsCursor, 0, 2, []outbox.Message{good, bad}); err == nil {
			t.Fatal("a failing relay transaction reported success")
		}
		if pos, err := store.RelayCursor(ctx, outbox.CaseEventsCursor); err != nil || pos != 0 {
			t.Fatalf("cursor after a failed relay: %d %v, want 0", pos, err)
		}
		if rows, _ := outboxRows(t, db); len(rows) != 0 {
			t.Fatalf("a failed relay left messages: %v", rows)
		}
		if _, err := store.CommitRelay(ctx, outbox.CaseEventsCursor, 1, 2, nil); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("moving the cursor from a stale position: %v, want a conflict", err)
		}
		relay(t, newOutbox(db, w.clock.now, nil), 1)
		if pos, _ := store.RelayCursor(ctx, outbox.CaseEventsCursor); pos != 2 {
			t.Errorf("cursor %d, want 2 (submit and accept)", pos)
		}
	})
}

func TestRelaysOnSeveralNodesMakeEachMessageOnce(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newCaseWorld(t, db)
		ctx := context.Background()
		for i := range 6 {
			if _, err := w.svc.Apply(ctx, w.clerk, cases.Application{ItemCode: foodLicence.Code, Materials: allTicks(), Decision: cases.Accept,
				Applicant: cases.Applicant{Kind: identity.Person, Name: "李四", IDNumber: "11010519491231002X", Phone: fmt.Sprintf("1391234567%d", i)}}, ""); err != nil {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for range 4 {
			wg.Go(func() {
				_, err := newOutbox(db, w.clock.now, nil).Relay(ctx)
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		relay(t, newOutbox(db, w.clock.now, nil), 0)
		if rows, _ := outboxRows(t, db); len(rows) != 6 {
			t.Fatalf("%d messages, want 6:\n%s", len(rows), strings.Join(rows, "\n"))
		}
	})
}

// flakyGateway fails every send until it is fixed.
type flakyGateway struct {
	mu    sync.Mutex
	calls int
	fixed bool
}

func (*flakyGateway) Name() string { return "sms" }

func (g *flakyGateway) Send(context.Context, outbox.Message) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.calls++
	if !g.fixed {
		return errors.New("sms gateway: 503 Service Unavailable")
	}
	return nil
}

func TestTheDispatcherBacksOffThenGivesUpAfterFiveAttemptsAndAnAdminRetries(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newCaseWorld(t, db)
		ctx := context.Background()
		gw := &flakyGateway{}
		ob := newOutbox(db, w.clock.now, map[outbox.Channel]outbox.Sender{outbox.SMS: gw})
		if _, err := w.svc.Apply(ctx, w.clerk, cases.Application{ItemCode: foodLicence.Code, Materials: allTicks(), Decision: cases.Accept,
			Applicant: cases.Applicant{Kind: identity.Person, Name: "李四", IDNumber: "11010519491231002X", Phone: "13912345678"}}, ""); err != nil {
			t.Fatal(err)
		}
		relay(t, ob, 1)
		for attempt := 1; attempt <= outbox.MaxAttempts; attempt++ {
			if n, err := ob.Dispatch(ctx); err != nil || n != 0 || gw.calls != attempt {
				t.Fatalf("attempt %d: sent %d (%v), gateway called %d times", attempt, n, err, gw.calls)
			}
			if _, err := ob.Dispatch(ctx); err != nil || gw.calls != attempt {
				t.Fatalf("attempt %d retried before its backoff: %d calls", attempt, gw.calls)
			}
			_, list := outboxRows(t, db)
			m := list[0]
			if m.Attempts != attempt || !strings.Contains(m.LastError, "503") {
				t.Fatalf("after attempt %d: %+v", attempt, m)
			}
			if attempt < outbox.MaxAttempts && (m.Status != outbox.Pending || !m.NextAttemptAt.Equal(w.clock.t.Add(outbox.Backoff(attempt)))) {
				t.Fatalf("after attempt %d: %s, next at %s", attempt, m.Status, m.NextAttemptAt)
			}
			w.clock.t = w.clock.t.Add(outbox.Backoff(attempt))
		}
		_, list := outboxRows(t, db)
		if list[0].Status != outbox.Failed {
			t.Fatalf("after %d failures: %s, want failed", outbox.MaxAttempts, list[0].Status)
		}
		admin := &identity.Principal{UserID: 1, Username: "admin", Roles: []identity.Role{identity.Admin}}
		if err := ob.Retry(ctx, w.clerk, list[0].ID); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("a clerk retrying: %v", err)
		}
		gw.fixed = true
		if err := ob.Retry(ctx, admin, list[0].ID); err != nil {
			t.Fatal(err)
		}
		if err := ob.Retry(ctx, admin, list[0].ID); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("retrying a pending message: %v, want a conflict", err)
		}
		if n, err := ob.Dispatch(ctx); err != nil || n != 1 {
			t.Fatalf("after the retry: sent %d, %v", n, err)
		}
		_, list = outboxRows(t, db)
		if m := list[0]; m.Status != outbox.Sent || m.Via != "sms" || m.Attempts != 1 || !m.SentAt.Equal(w.clock.t) {
			t.Fatalf("sent message: %+v", m)
		}
	})
}
