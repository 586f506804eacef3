package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"onevisit/internal/analytics"
	"onevisit/internal/calendar"
	"onevisit/internal/cases"
	"onevisit/internal/demo"
	"onevisit/internal/feedback"
	"onevisit/internal/sqlstore"
	"onevisit/internal/sqlstore/sqlstoretest"
)

// scanCounter is the feedback store, counting the reads of more than a
// day of cases or ratings, which the roll-ups are there to spare; a read
// of what is dated after today (an open end) is not counted.
type scanCounter struct {
	*sqlstore.FeedbackStore
	tomorrow           time.Time
	wideCases, wideRts int
}

func (s *scanCounter) wide(from, to time.Time) bool {
	if to.IsZero() && !from.Before(s.tomorrow) {
		return false
	}
	return from.IsZero() || to.IsZero() || to.Sub(from) > 24*time.Hour
}

func (s *scanCounter) DecidedCases(ctx context.Context, f feedback.MetricsFilter) ([]cases.Case, error) {
	if s.wide(f.From, f.To) {
		s.wideCases++
	}
	return s.FeedbackStore.DecidedCases(ctx, f)
}

func (s *scanCounter) Ratings(ctx context.Context, f feedback.RatingFilter) ([]feedback.Rating, error) {
	if s.wide(f.From, f.To) {
		s.wideRts++
	}
	return s.FeedbackStore.Ratings(ctx, f)
}

// Metrics read from the roll-ups equal Metrics counted case by case and
// rating by rating, on the cases of the case service (rolled up by the
// job from their timeline) and on generated history (roll-ups written
// with it), for every filter; the rectification tasks counted in SQL
// equal a count of the listed tasks.
func TestMetricsFromTheRollupsEqualTheScan(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		cal := seedRatedHistory(t, db)
		stats := analytics.NewService(db.Stats(), time.Now)
		dept, item := busiestRectification(t, db)
		filters := metricsFilters(calendar.DateOf(time.Now()), dept, item)
		for _, sat := range []feedback.Level{feedback.Good, feedback.Fair} {
			cfg := feedback.Config{SatisfiedFrom: sat}
			scan := feedback.NewService(db.Feedback(), db.Cases(), cal, cfg, time.Now)
			counter := &scanCounter{FeedbackStore: db.Feedback(), tomorrow: calendar.DateOf(time.Now()).AddDays(1).In(calendar.Shanghai)}
			rolled := feedback.NewService(counter, db.Cases(), cal, cfg, time.Now)
			rolled.SetRollups(stats)
			seen := feedback.Metrics{}
			for _, f := range filters {
				want, err := scan.Metrics(ctx, leader, f)
				if err != nil {
					t.Fatal(err)
				}
				got, err := rolled.Metrics(ctx, leader, f)
				if err != nil {
					t.Fatal(err)
				}
				if got != want {
					t.Errorf("satisfied from %d, %s…%s %q %q:\nroll-ups %+v\nscan     %+v", sat, f.From, f.To, f.Department, f.ItemCode, got, want)
				}
				checkTaskCounts(t, db, f, got)
				seen.Completed, seen.Ratings, seen.Tasks = max(seen.Completed, got.Completed), max(seen.Ratings, got.Ratings), max(seen.Tasks, got.Tasks)
			}
			if seen.Completed == 0 || seen.Ratings == 0 || seen.Tasks == 0 {
				t.Fatalf("nothing compared: %+v", seen)
			}
			if counter.wideCases != 0 || (sat == feedback.Good && counter.wideRts != 0) {
				t.Errorf("satisfied from %d: the roll-ups' service read more than a day of cases %d times and of ratings %d times",
					sat, counter.wideCases, counter.wideRts)
			}
		}
	})
}

// A period that covers no whole day in Shanghai is read case by case.
func TestMetricsOfLessThanADayReadTheCases(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w, ctx := newFeedbackWorld(t, db), context.Background()
		for i := range 3 {
			w.addCase(t, "F1", i, w.now.Add(time.Duration(i)*time.Hour)) // no timeline: never rolled up
		}
		svc := feedback.NewService(db.Feedback(), db.Cases(), w.cal, feedback.Config{}, func() time.Time { return w.now })
		svc.SetRollups(analytics.NewService(db.Stats(), func() time.Time { return w.now }))
		day := time.Date(2026, 2, 13, 0, 0, 0, 0, calendar.Shanghai)
		for _, f := range []feedback.MetricsFilter{
			{From: day.Add(time.Hour), To: day.AddDate(0, 0, 1)},
			{From: day, To: day.Add(23 * time.Hour)},
			{From: day.Add(9 * time.Hour), To: day.AddDate(0, 0, 1).Add(9 * time.Hour)},
		} {
			if m, err := svc.Metrics(ctx, w.sup, f); err != nil || m.Completed != 3 {
				t.Errorf("%s…%s: %d completed (%v), want 3", f.From, f.To, m.Completed, err)
			}
		}
	})
}

// seedRatedHistory fills db as TestStatsSummaryEqualsPlainScan does, on a
// smaller scale: demo cases and ratings (some excluded on appeal) rolled
// up by the job, then generated history.
func seedRatedHistory(t *testing.T, db *sqlstore.DB) *calendar.Service {
	t.Helper()
	ctx := context.Background()
	cal := seedDemoCenter(t, db, 80)
	if err := demo.SeedFeedback(ctx, db.Feedback(), db.Cases(), db.Escalations(), cal); err != nil {
		t.Fatal(err)
	}
	upholdAppeals(t, feedback.NewService(db.Feedback(), db.Cases(), cal, feedback.Config{}, time.Now))
	if _, err := analytics.NewRoller(db.Stats(), cal, time.Now).Run(ctx); err != nil {
		t.Fatal(err)
	}
	h := demo.History{Cases: 1500, Days: 120, Seed: 11, Batch: 500}
	if err := demo.GenerateHistory(ctx, db.Stats(), cal.Current(), calendar.DateOf(time.Now()), h, nil); err != nil {
		t.Fatal(err)
	}
	return cal
}

// busiestRectification is the department and the item with the most
// rectification tasks.
func busiestRectification(t *testing.T, db *sqlstore.DB) (dept, item string) {
	t.Helper()
	if err := sqlstore.QueryRowForTest(db, `SELECT department FROM rectifications GROUP BY department
		ORDER BY COUNT(*) DESC, department LIMIT 1`).Scan(&dept); err != nil {
		t.Fatal(err)
	}
	if err := sqlstore.QueryRowForTest(db, `SELECT r.item_code FROM rectifications t JOIN ratings r ON r.id = t.rating_id
		GROUP BY r.item_code ORDER BY COUNT(*) DESC, r.item_code LIMIT 1`).Scan(&item); err != nil {
		t.Fatal(err)
	}
	return dept, item
}

// metricsFilters are whole-day periods ending today, a calendar month,
// open-ended periods, periods with part-days at their ends and a period
// longer than a roll-up query takes, for the whole center, one
// department, one item and a generated department.
func metricsFilters(today calendar.Date, dept, item string) []feedback.MetricsFilter {
	end := today.AddDays(1).In(calendar.Shanghai)
	month := time.Date(end.Year(), end.Month()-1, 1, 0, 0, 0, 0, calendar.Shanghai)
	var out []feedback.MetricsFilter
	for _, from := range []time.Time{end.AddDate(0, 0, -1), end.AddDate(0, 0, -7), end.AddDate(0, 0, -30), end.AddDate(0, 0, -45),
		end.AddDate(0, 0, -200), end.AddDate(-11, 0, 0)} {
		out = append(out, feedback.MetricsFilter{From: from, To: end})
	}
	out = append(out, feedback.MetricsFilter{From: month, To: month.AddDate(0, 1, 0)},
		feedback.MetricsFilter{From: month}, feedback.MetricsFilter{To: month}, feedback.MetricsFilter{},
		feedback.MetricsFilter{From: end.AddDate(0, 0, -30).Add(5 * time.Hour), To: end.Add(-3 * time.Hour)},
		feedback.MetricsFilter{From: end.AddDate(0, 0, -9).UTC().Add(13*time.Hour + 37*time.Minute)},
		feedback.MetricsFilter{To: end.AddDate(0, 0, -2).Add(17 * time.Hour)})
	long := feedback.MetricsFilter{From: end.AddDate(-11, 0, 0), To: end}
	for _, f := range []feedback.MetricsFilter{{Department: dept}, {ItemCode: item}, {Department: dept, ItemCode: item}, {Department: "D03"}} {
		for _, p := range []feedback.MetricsFilter{out[2], out[4], long, {}} {
			f.From, f.To = p.From, p.To
			out = append(out, f)
		}
	}
	return out
}

// checkTaskCounts compares the tasks of m with a count of every listed
// task of f's department in f's period and item, less excluded ones.
func checkTaskCounts(t *testing.T, db *sqlstore.DB, f feedback.MetricsFilter, m feedback.Metrics) {
	t.Helper()
	ts, err := db.Feedback().Tasks(context.Background(), feedback.TaskFilter{Department: f.Department, Limit: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	var want feedback.TaskCounts
	for _, task := range ts {
		inPeriod := (f.From.IsZero() || !task.CreatedAt.Before(f.From)) && (f.To.IsZero() || task.CreatedAt.Before(f.To))
		if !inPeriod || (f.ItemCode != "" && task.ItemCode != f.ItemCode) || task.Status == feedback.TaskExcluded {
			continue
		}
		want.Tasks++
		if task.Status == feedback.TaskClosed {
			want.Rectified++
		}
		if task.Overdue {
			want.Overdue++
		}
	}
	if got := (feedback.TaskCounts{Tasks: m.Tasks, Rectified: m.Rectified, Overdue: m.Overdue}); got != want {
		t.Errorf("%s…%s %q %q: tasks %+v, listed %+v", f.From, f.To, f.Department, f.ItemCode, got, want)
	}
}
