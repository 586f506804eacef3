package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/calendar"
	"onevisit/internal/escalation"
	"onevisit/internal/identity"
	"onevisit/internal/sqlstore"
	"onevisit/internal/sqlstore/sqlstoretest"
)

func TestAReportClimbsOneLevelPerMissedDeadlineUntilResolved(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		now := time.Date(2026, 3, 2, 10, 0, 0, 0, calendar.Shanghai) // Monday
		cal, err := calendar.NewService(ctx, db, func() time.Time { return now })
		if err != nil {
			t.Fatal(err)
		}
		svc := escalation.NewService(db.Escalations(), cal, []int{1, 3, 5, 10}, func() time.Time { return now })
		clerk := &identity.Principal{UserID: 2, Username: "clerk", Name: "王敏", Kind: identity.Staff, Roles: []identity.Role{identity.Clerk}}
		sup := &identity.Principal{UserID: 5, Username: "supervisor", Kind: identity.Staff, Roles: []identity.Role{identity.Supervisor}}
		if _, err := svc.File(ctx, clerk, escalation.Input{Visitor: "李四", Cause: "weather", Description: "x"}); apperr.KindOf(err) != apperr.Invalid {
			t.Fatalf("unknown cause: %v", err)
		}
		r, err := svc.File(ctx, clerk, escalation.Input{Visitor: "李四", Cause: escalation.Coordination, Description: "需要三个部门联办"})
		if err != nil || r.DueOn.String() != "2026-03-03" {
			t.Fatalf("filed %+v %v, want due 2026-03-03", r, err)
		}
		steps := []struct {
			at    string
			raise int
			level escalation.Level
			due   string
		}{
			{"2026-03-03", 0, escalation.Zone, "2026-03-03"},
			{"2026-03-04", 1, escalation.Office, "2026-03-06"},
			{"2026-03-04", 0, escalation.Office, "2026-03-06"},    // idempotent
			{"2026-03-16", 2, escalation.Committee, "2026-03-27"}, // missed 3-06 and 3-13: two levels
		}
		for _, s := range steps {
			d, _ := calendar.ParseDate(s.at)
			n, err := svc.Escalate(ctx, d.In(calendar.Shanghai).Add(9*time.Hour))
			got, _ := svc.Report(ctx, sup, r.ID)
			if err != nil || n != s.raise || got.Level != s.level || got.DueOn.String() != s.due {
				t.Fatalf("at %s: raised %d to %d due %s (%v); want %d, %d, %s", s.at, n, got.Level, got.DueOn, err, s.raise, s.level, s.due)
			}
		}
		if _, err := svc.Resolve(ctx, clerk, r.ID, escalation.Resolution{Resolution: "x"}); apperr.KindOf(err) != apperr.Forbidden {
			t.Fatalf("clerk resolving at 跑改办: %v", err)
		}
		if _, err := svc.Resolve(ctx, sup, r.ID, escalation.Resolution{Resolution: "不予办理", Negative: true}); apperr.KindOf(err) != apperr.Invalid {
			t.Fatalf("negative answer without reason: %v", err)
		}
		if _, err := svc.Resolve(ctx, sup, r.ID, escalation.Resolution{Resolution: "已协调三部门联办", Negative: false}); err != nil {
			t.Fatal(err)
		}
		if n, err := svc.Escalate(ctx, time.Date(2026, 6, 1, 9, 0, 0, 0, calendar.Shanghai)); err != nil || n != 0 {
			t.Fatalf("resolved report escalated: %d %v", n, err)
		}
		if open, _ := svc.Reports(ctx, sup, escalation.Open); len(open) != 0 {
			t.Fatalf("open reports %v", open)
		}
	})
}
