package demo_test

import (
	"context"
	"testing"
	"time"

	"onevisit/internal/calendar"
	"onevisit/internal/cases"
	"onevisit/internal/catalog"
	"onevisit/internal/demo"
	"onevisit/internal/identity"
	"onevisit/internal/sqlstore/sqlstoretest"
)

// The demo history gives every worklist something to show: cases in many
// states, yellow and red ones, and a bundle running mid-way.
func TestDemoHistoryFillsEveryWorklist(t *testing.T) {
	ctx := context.Background()
	db := sqlstoretest.SQLite(t)
	policy := identity.DefaultPolicy
	policy.Argon2 = identity.Argon2Params{MemoryKiB: 1024, Time: 1, Threads: 1}
	if _, err := demo.Seed(ctx, identity.NewService(db.Identity(), policy, time.Now), "Demo-pass-2026", false); err != nil {
		t.Fatal(err)
	}
	cat := catalog.NewService(db.Catalog(), time.Now)
	if err := demo.SeedCatalog(ctx, cat, demo.System, demo.Catalog()); err != nil {
		t.Fatal(err)
	}
	cal, err := calendar.NewService(ctx, db, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.SeedCases(ctx, db.Cases(), cat, cal, 120); err != nil {
		t.Fatal(err)
	}
	all, total, err := db.Cases().Cases(ctx, cases.Filter{Page: 1, Per: 1000})
	if err != nil || total < 120 {
		t.Fatalf("%d cases, %v", total, err)
	}
	seen := map[cases.Status]int{}
	warn := map[cases.Warning]int{}
	bundles := 0
	for _, c := range all {
		seen[c.Status]++
		warn[c.Warning]++
		if c.BundleCode != "" && c.ParentNo == "" {
			bundles++
		}
	}
	for _, st := range []cases.Status{cases.InReview, cases.Approved, cases.Delivered, cases.Noticed, cases.Suspended, cases.Waiting} {
		if seen[st] == 0 {
			t.Errorf("no demo case is %s: %v", st, seen)
		}
	}
	if warn[cases.Red] == 0 || bundles != 1 {
		t.Errorf("red cases %d, running bundles %d: want some, and one", warn[cases.Red], bundles)
	}
}
