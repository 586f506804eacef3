package sqlstore_test

import (
	"context"
	"strings"
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

// feedbackWorld is a database with a calendar, a movable clock and the
// principals of the feedback loop.
type feedbackWorld struct {
	db                      *sqlstore.DB
	cal                     *calendar.Service
	now                     time.Time
	svc                     *feedback.Service
	owner, clerk, dept, sup *identity.Principal
	pad                     *identity.Principal
}

func newFeedbackWorld(t *testing.T, db *sqlstore.DB) *feedbackWorld {
	t.Helper()
	w := &feedbackWorld{db: db, now: time.Date(2026, 2, 13, 10, 0, 0, 0, calendar.Shanghai)}
	cal, err := calendar.NewService(context.Background(), db, func() time.Time { return w.now })
	if err != nil {
		t.Fatal(err)
	}
	w.cal = cal
	w.svc = feedback.NewService(db.Feedback(), db.Cases(), cal, feedback.Config{}, func() time.Time { return w.now })
	w.owner = &identity.Principal{UserID: 77, Username: "citizen", Kind: identity.Person, Roles: []identity.Role{identity.Applicant}}
	w.clerk = &identity.Principal{UserID: 2, Username: "clerk", Kind: identity.Staff, Roles: []identity.Role{identity.Clerk}, DepartmentCode: "CENTER"}
	w.dept = &identity.Principal{UserID: 3, Username: "approver", Kind: identity.Staff, Roles: []identity.Role{identity.Approver}, DepartmentCode: "MARKET"}
	w.sup = &identity.Principal{UserID: 5, Username: "supervisor", Kind: identity.Staff, Roles: []identity.Role{identity.Supervisor}, DepartmentCode: "REFORM"}
	w.pad = &identity.Principal{Token: &identity.APIToken{Name: "pad-3", Permissions: []identity.Permission{identity.PermRatePad}}}
	return w
}

// addCase stores a case decided at decided (zero: still in review) with
// the given number of visits (tickets T1, T2 …).
func (w *feedbackWorld) addCase(t *testing.T, item string, visits int, decided time.Time) cases.Case {
	t.Helper()
	c := cases.Case{No: cases.NumberPrefix("330206", calendar.DateOf(w.now)), ItemCode: item, ItemVersion: 1, ItemName: "食品经营许可",
		Department: "MARKET", Channel: cases.AtWindow, Status: cases.InReview, CreatedAt: w.now, UpdatedAt: w.now,
		Applicant: cases.Applicant{Kind: identity.Person, Name: "张三", IDNumber: "110105194912310021", UserID: 77}}
	c.Clock = cases.Clock{Start: calendar.DateOf(w.now), Statutory: 40, Promised: 10}
	c.DuePromised = w.cal.Current().Due(c.Clock.Start, 10)
	c.DueStatutory = w.cal.Current().Due(c.Clock.Start, 40)
	for i := range visits {
		c.VisitLog = append(c.VisitLog, cases.Visit{Ticket: "T" + string(rune('1'+i)), At: w.now})
	}
	c.Visits = visits
	if !decided.IsZero() {
		c.Status, c.DecidedAt = cases.Approved, decided
	}
	if _, err := w.db.Cases().CreateCase(context.Background(), &c, nil, audit.New(audit.System, "case.create", "case", ""), ""); err != nil {
		t.Fatal(err)
	}
	return c
}

func kindOf(err error) apperr.Kind { return apperr.KindOf(err) }

func TestAPoorRatingNeedsAReasonAndOpensATaskDueFiveWorkingDaysLater(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w, ctx := newFeedbackWorld(t, db), context.Background()
		c := w.addCase(t, "F1", 1, w.now)
		if _, err := w.svc.Rate(ctx, w.owner, c.No, feedback.Input{Level: feedback.VeryBad}); kindOf(err) != apperr.Invalid {
			t.Fatalf("level 1 without a reason: %v, want invalid", err)
		}
		if _, err := w.svc.Rate(ctx, w.clerk, c.No, feedback.Input{Level: feedback.VeryGood}); kindOf(err) != apperr.Forbidden {
			t.Fatalf("a clerk rating for the applicant: %v, want forbidden", err)
		}
		r, err := w.svc.Rate(ctx, w.owner, c.No, feedback.Input{Level: feedback.VeryBad, Labels: []string{"slow"},
			Indicators: map[string]int{"efficiency": 1}})
		if err != nil {
			t.Fatal(err)
		}
		if r.RaterID != 0 || r.RaterName != "" {
			t.Errorf("anonymous rating keeps its rater: %+v", r)
		}
		tasks, err := w.svc.Tasks(ctx, w.dept, feedback.TaskFilter{})
		if err != nil || len(tasks) != 1 {
			t.Fatalf("tasks %v %v", tasks, err)
		}
		// 2026-02-13 Fri: 2-14 Sat is a make-up workday, 2-15…2-23 Spring Festival, then 24, 25, 26, 27.
		if got := tasks[0].DueOn.String(); got != "2026-02-27" || tasks[0].DueOn != w.cal.Current().Due(calendar.DateOf(w.now), 10).Date {
			t.Errorf("task due %s, want 2026-02-27", got)
		}
		if _, err := w.svc.Rate(ctx, w.owner, c.No, feedback.Input{Level: feedback.Good}); kindOf(err) != apperr.Conflict {
			t.Errorf("second online rating: %v, want conflict (一事一评)", err)
		}
	})
}

func TestThePadRatesEachVisitOnce(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w, ctx := newFeedbackWorld(t, db), context.Background()
		c := w.addCase(t, "F1", 2, time.Time{})
		if _, err := w.svc.Rate(ctx, w.pad, c.No, feedback.Input{Level: feedback.Good, Ticket: "X9"}); kindOf(err) != apperr.Invalid {
			t.Fatalf("a ticket that did not serve the case: %v", err)
		}
		for _, tk := range []string{"T1", "T2"} {
			if _, err := w.svc.Rate(ctx, w.pad, c.No, feedback.Input{Level: feedback.VeryGood, Ticket: tk, RealName: true}); err != nil {
				t.Fatalf("rate visit %s: %v", tk, err)
			}
		}
		if _, err := w.svc.Rate(ctx, w.pad, c.No, feedback.Input{Level: feedback.VeryGood, Ticket: "T1"}); kindOf(err) != apperr.Conflict {
			t.Fatalf("second rating of T1: %v, want conflict (一次一评)", err)
		}
		rs, _ := w.svc.Ratings(ctx, w.sup, feedback.RatingFilter{CaseNo: c.No})
		if len(rs) != 2 || rs[0].RaterName != "张三" {
			t.Fatalf("ratings %+v", rs)
		}
	})
}

func TestRatingLinksWorkUntilForgedOrExpired(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w, ctx := newFeedbackWorld(t, db), context.Background()
		c := w.addCase(t, "F1", 0, w.now)
		tok, err := w.svc.LinkToken(ctx, w.clerk, c.No)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.LinkCase(ctx, tok[:len(tok)-2]+"AA"); kindOf(err) != apperr.NotFound {
			t.Fatalf("forged link: %v", err)
		}
		if _, err := w.svc.RateByLink(ctx, tok, feedback.Input{Level: feedback.Good}); err != nil {
			t.Fatal(err)
		}
		w.now = w.now.AddDate(0, 2, 0)
		if _, err := w.svc.LinkCase(ctx, tok); kindOf(err) != apperr.NotFound {
			t.Fatalf("expired link: %v", err)
		}
	})
}

func TestTasksAreClassifiedClosedAppealedAndMarkedOverdue(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w, ctx := newFeedbackWorld(t, db), context.Background()
		for range 2 {
			c := w.addCase(t, "F1", 1, w.now)
			if _, err := w.svc.Rate(ctx, w.owner, c.No, feedback.Input{Level: feedback.Bad, Text: "窗口让我跑了两次"}); err != nil {
				t.Fatal(err)
			}
		}
		ts, _ := w.svc.Tasks(ctx, w.sup, feedback.TaskFilter{})
		a, b := ts[0], ts[1]
		if _, err := w.svc.Act(ctx, w.dept, a.ID, feedback.TaskInput{Action: feedback.Close, Note: "done"}); kindOf(err) != apperr.Conflict {
			t.Fatalf("close before classify: %v", err)
		}
		if _, err := w.svc.Act(ctx, w.dept, a.ID, feedback.TaskInput{Action: feedback.Classify, Class: feedback.Immediate}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Act(ctx, w.dept, a.ID, feedback.TaskInput{Action: feedback.Close}); kindOf(err) != apperr.Invalid {
			t.Fatalf("close without outcome: %v", err)
		}
		if got, err := w.svc.Act(ctx, w.dept, a.ID, feedback.TaskInput{Action: feedback.Close, Note: "已当场补办并致歉"}); err != nil || got.Status != feedback.TaskClosed {
			t.Fatalf("close: %+v %v", got, err)
		}
		if _, err := w.svc.Act(ctx, w.dept, b.ID, feedback.TaskInput{Action: feedback.Classify, Class: feedback.Appeal, Note: "申请人误评"}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Act(ctx, w.dept, b.ID, feedback.TaskInput{Action: feedback.Uphold, Note: "x"}); kindOf(err) != apperr.Forbidden {
			t.Fatalf("department upholds its own appeal: %v", err)
		}
		w.now = time.Date(2026, 3, 2, 9, 0, 0, 0, calendar.Shanghai) // past 2-27
		for i, want := range []int{1, 0} {
			if n, err := w.svc.MarkOverdue(ctx, w.now); err != nil || n != want {
				t.Fatalf("run %d: marked %d %v, want %d", i, n, err, want)
			}
		}
		if _, err := w.svc.Act(ctx, w.sup, b.ID, feedback.TaskInput{Action: feedback.Uphold, Note: "核实为误评"}); err != nil {
			t.Fatal(err)
		}
		rs, _ := w.svc.Ratings(ctx, w.sup, feedback.RatingFilter{})
		valid := 0
		for _, r := range rs {
			if r.Valid {
				valid++
			}
		}
		if valid != 1 {
			t.Errorf("valid ratings %d, want 1 after an upheld appeal", valid)
		}
	})
}

func TestMetricsEqualWhatTheRawRowsSay(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w, ctx := newFeedbackWorld(t, db), context.Background()
		levels := []feedback.Level{5, 5, 4, 3, 2, 5, 1, 4}
		for i, lv := range levels {
			c := w.addCase(t, "F1", i%3, w.now.Add(time.Duration(i)*time.Hour))
			in := feedback.Input{Level: lv}
			if lv.Poor() {
				in.Labels = []string{"other"}
			}
			if _, err := w.svc.Rate(ctx, w.owner, c.No, in); err != nil {
				t.Fatal(err)
			}
		}
		w.addCase(t, "F2", 0, time.Time{}) // not decided: not counted
		from := time.Date(2026, 2, 1, 0, 0, 0, 0, calendar.Shanghai)
		m, err := w.svc.Metrics(ctx, w.sup, feedback.MetricsFilter{From: from, To: from.AddDate(0, 1, 0)})
		if err != nil {
			t.Fatal(err)
		}
		wantReal, wantSat := rawRates(t, db)
		if m.RealizationRate != wantReal || m.SatisfactionRate != wantSat {
			t.Errorf("realization %v satisfaction %v, raw rows say %v %v", m.RealizationRate, m.SatisfactionRate, wantReal, wantSat)
		}
		if m.Completed != 8 || m.Poor != 2 || m.Tasks != 2 {
			t.Errorf("metrics %+v", m)
		}
	})
}

// rawRates recomputes realization and satisfaction from the tables.
func rawRates(t *testing.T, db *sqlstore.DB) (float64, float64) {
	t.Helper()
	var done, oneVisit, rated, satisfied int
	q := `SELECT COUNT(*), COALESCE(SUM(CASE WHEN visits <= 1 THEN 1 ELSE 0 END), 0) FROM cases WHERE decided_at > 0`
	if err := sqlstore.QueryRowForTest(db, q).Scan(&done, &oneVisit); err != nil {
		t.Fatal(err)
	}
	q = `SELECT COUNT(*), COALESCE(SUM(CASE WHEN level >= 4 THEN 1 ELSE 0 END), 0) FROM ratings WHERE valid = 1`
	if err := sqlstore.QueryRowForTest(db, q).Scan(&rated, &satisfied); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(q, "valid") || done == 0 || rated == 0 {
		t.Fatal("no rows")
	}
	return float64(oneVisit) / float64(done), float64(satisfied) / float64(rated)
}
