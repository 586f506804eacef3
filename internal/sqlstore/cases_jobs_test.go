package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"onevisit/internal/audit"
	"onevisit/internal/calendar"
	"onevisit/internal/cases"
	"onevisit/internal/identity"
	"onevisit/internal/sqlstore"
	"onevisit/internal/sqlstore/sqlstoretest"
)

// RefreshWarnings reads the open cases a page at a time (by id, from the
// list of matching ids) and still refreshes every one of them, however
// many pages they fill, and no closed case.
func TestRefreshWarningsReachesEveryOpenCaseBeyondTheFirstPage(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 27, 9, 0, 0, 0, calendar.Shanghai)
		db.SetClock(func() time.Time { return now })
		start := calendar.DateOf(now).AddDays(-60)
		const open, closed = 520, 3 // more open cases than one page of 500
		var all []*cases.Case
		for i := range open + closed {
			c := &cases.Case{No: cases.NumberPrefix("330206", start), ItemCode: foodLicence.Code, ItemVersion: 3, Department: "MARKET",
				Channel: cases.AtWindow, Status: cases.InReview, CreatedAt: now, UpdatedAt: now,
				Applicant: cases.Applicant{Kind: identity.Person, Name: "张三", IDNumber: "110105194912310021"},
				Clock:     cases.Clock{Start: start, Promised: 10, Statutory: 40}}
			if i < closed {
				c.Status, c.DecidedAt = cases.Approved, now
			}
			all = append(all, c)
		}
		// One transaction (as a bundle of the first case) keeps the test quick.
		if _, err := db.Cases().CreateCases(ctx, all, make([][]cases.Event, len(all)), audit.New(audit.System, "case.create", "case", ""), ""); err != nil {
			t.Fatal(err)
		}
		svc := cases.NewService(db.Cases(), fakeCatalog{foodLicence}, builtinCalendar{}, "330206", func() time.Time { return now })
		if red, err := svc.RefreshWarnings(ctx); err != nil || red != open {
			t.Fatalf("refresh: %d turned red (%v), want %d", red, err, open)
		}
		_, n, err := db.Cases().Cases(ctx, cases.Filter{Warnings: []cases.Warning{cases.Red}, Page: 1, Per: 1})
		if err != nil || n != open {
			t.Fatalf("%d cases stored red (%v), want %d: only the open ones, all of them", n, err, open)
		}
		if red, err := svc.RefreshWarnings(ctx); err != nil || red != 0 {
			t.Errorf("second refresh: %d turned red (%v), want 0: nothing changed", red, err)
		}
	})
}
