package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/calendar"
	"onevisit/internal/cases"
	"onevisit/internal/feedback"
	"onevisit/internal/identity"
	"onevisit/internal/sqlstore"
	"onevisit/internal/sqlstore/sqlstoretest"
)

// addDeptCase stores a case of dept decided at decided with visits
// visits; its applicant's phone is 13800000000.
func (w *feedbackWorld) addDeptCase(t *testing.T, dept, item string, visits int, decided time.Time) cases.Case {
	t.Helper()
	c := cases.Case{No: cases.NumberPrefix("330206", calendar.DateOf(w.now)), ItemCode: item, ItemVersion: 1, ItemName: "事项" + item,
		Department: dept, Channel: cases.AtWindow, Status: cases.Approved, CreatedAt: w.now, UpdatedAt: w.now, DecidedAt: decided,
		Visits: visits, Applicant: cases.Applicant{Kind: identity.Person, Name: "李四", IDNumber: "110105194912310021", UserID: 77, Phone: "13800000000"}}
	c.Clock = cases.Clock{Start: calendar.DateOf(decided).AddDays(-3), Statutory: 40, Promised: 10}
	c.DuePromised = w.cal.Current().Due(c.Clock.Start, 10)
	c.DueStatutory = w.cal.Current().Due(c.Clock.Start, 40)
	if _, err := w.db.Cases().CreateCase(context.Background(), &c, nil, audit.New(audit.System, "case.create", "case", ""), ""); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCallbacksSampleYesterdaysCasesAndEveryRealNamePoorRatingOnce(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w, ctx := newFeedbackWorld(t, db), context.Background()
		thursday := time.Date(2026, 2, 12, 10, 0, 0, 0, calendar.Shanghai)
		w.now = thursday
		var first cases.Case
		for i := range 20 {
			c := w.addDeptCase(t, "MARKET", "F1", 1, thursday)
			if i == 0 {
				first = c
			}
		}
		w.now = thursday.Add(5 * time.Hour)
		if _, err := w.svc.Rate(ctx, w.owner, first.No, feedback.Input{Level: feedback.VeryBad, Labels: []string{"slow"}, RealName: true}); err != nil {
			t.Fatal(err)
		}
		cb := feedback.NewCallbacks(w.svc, db.Feedback(), 0)
		friday := thursday.Add(23 * time.Hour)
		w.now = friday
		for run, want := range []int{3, 0} { // ⌈10 % of 20⌉ sampled + the 差评; a second run adds none
			if n, err := cb.CreateDue(ctx, friday); err != nil || n != want {
				t.Fatalf("run %d created %d (%v), want %d", run, n, err, want)
			}
		}
		day := calendar.DateOf(friday)
		if _, err := cb.List(ctx, w.clerk, feedback.CallbackFilter{From: day}); apperr.KindOf(err) != apperr.Forbidden {
			t.Fatalf("a clerk lists callbacks: %v", err)
		}
		list, err := cb.List(ctx, w.sup, feedback.CallbackFilter{From: day, To: day.AddDays(1)})
		if err != nil || len(list) != 3 {
			t.Fatalf("callbacks %+v %v", list, err)
		}
		_, phone, err := cb.Open(ctx, w.sup, list[0].ID)
		if err != nil || phone != "13800000000" {
			t.Fatalf("open: %q %v", phone, err)
		}
		entries, err := db.AuditEntries(ctx, "case", list[0].CaseNo, 10)
		if err != nil || !hasAction(entries, "personal.read") {
			t.Errorf("reading the phone was not audited: %+v %v", entries, err)
		}
		testRecordCallbacks(t, w, cb, list)
	})
}

func hasAction(es []audit.Entry, action string) bool {
	for _, e := range es {
		if e.Action == action {
			return true
		}
	}
	return false
}

// testRecordCallbacks answers one callback with "needed another trip",
// marks one unreachable, and checks the metrics.
func testRecordCallbacks(t *testing.T, w *feedbackWorld, cb *feedback.Callbacks, list []feedback.Call) {
	ctx := context.Background()
	if _, err := cb.Record(ctx, w.sup, list[0].ID, false, feedback.Answers{Attitude: 0}); apperr.KindOf(err) != apperr.Invalid {
		t.Fatalf("answers without levels: %v", err)
	}
	ans := feedback.Answers{Attitude: feedback.Good, Efficiency: feedback.Fair, AnotherTrip: true, Suggestions: "材料清单再写清楚些"}
	if _, err := cb.Record(ctx, w.sup, list[0].ID, false, ans); err != nil {
		t.Fatal(err)
	}
	if _, err := cb.Record(ctx, w.sup, list[0].ID, true, feedback.Answers{}); apperr.KindOf(err) != apperr.Conflict {
		t.Fatalf("recording twice: %v", err)
	}
	if _, err := cb.Record(ctx, w.sup, list[1].ID, true, feedback.Answers{}); err != nil {
		t.Fatal(err)
	}
	from := time.Date(2026, 2, 1, 0, 0, 0, 0, calendar.Shanghai)
	r, err := cb.Report(ctx, w.sup, feedback.MetricsFilter{From: from, To: from.AddDate(0, 1, 0)})
	if err != nil {
		t.Fatal(err)
	}
	if r.CallbackTasks != 3 || r.CallbacksDone != 1 || r.CallbacksUnreachable != 1 || r.AnotherTrip != 1 {
		t.Errorf("callback figures %+v", r.CallbackMetrics)
	}
	if r.Completed != 20 || r.ReportedExtraTrips != 1 || r.AtMostOneVisit != 19 || r.RealizationRate != 19.0/20 {
		t.Errorf("realization %d/%d (%v), extra trips %d; want 19/20", r.AtMostOneVisit, r.Completed, r.RealizationRate, r.ReportedExtraTrips)
	}
}
