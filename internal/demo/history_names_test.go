package demo_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"onevisit/internal/demo"
	"onevisit/internal/identity"
	"onevisit/internal/sqlstore/sqlstoretest"
)

// Databases of ten million cases were generated with these codes: they
// must not move, only gain names.
func TestSyntheticItemsKeepTheirCodesAndGetNames(t *testing.T) {
	items := demo.SyntheticItems(259)
	names := map[string]bool{}
	for i, it := range items {
		if want := fmt.Sprintf("HIST-%03d", i+1); it.Code != want {
			t.Errorf("item %d: code %s, want %s", i, it.Code, want)
		}
		if want := fmt.Sprintf("D%02d", i%31+1); it.Department != want {
			t.Errorf("%s: department %s, want %s", it.Code, it.Department, want)
		}
		if strings.HasPrefix(it.Name, "历史事项") || names[it.Name] {
			t.Errorf("%s: name %q is a placeholder or a repeat", it.Code, it.Name)
		}
		names[it.Name] = true
	}
	depts := demo.HistoryDepartments()
	if len(depts) != 31 || depts[0].Code != "D01" || depts[30].Code != "D31" {
		t.Fatalf("history departments: %d, want D01–D31", len(depts))
	}
	for _, d := range depts {
		if d.Name == "" || d.NameEn == "" {
			t.Errorf("%s has no Chinese or English name: %+v", d.Code, d)
		}
	}
}

// Registering the history's departments adds the missing ones once and
// leaves a code already there alone: it runs before every generation,
// including against databases generated before the names existed.
func TestSeedHistoryDepartmentsIsIdempotent(t *testing.T) {
	ctx := context.Background()
	db := sqlstoretest.SQLite(t)
	policy := identity.DefaultPolicy
	policy.Argon2 = identity.Argon2Params{MemoryKiB: 1024, Time: 1, Threads: 1}
	ids := identity.NewService(db.Identity(), policy, time.Now)
	if _, err := demo.Seed(ctx, ids, "Demo-pass-2026", false); err != nil {
		t.Fatal(err)
	}
	if _, err := ids.CreateDepartment(ctx, nil, identity.Department{Code: "D07", Name: "本地卫健局"}); err != nil {
		t.Fatal(err)
	}
	for run, want := range []int{30, 0} {
		n, err := demo.SeedHistoryDepartments(ctx, ids)
		if err != nil || n != want {
			t.Fatalf("run %d: added %d (%v), want %d", run+1, n, err, want)
		}
	}
	all, err := ids.Departments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[string]identity.Department{}
	for _, d := range all {
		if _, dup := byCode[d.Code]; dup {
			t.Errorf("%s registered twice", d.Code)
		}
		byCode[d.Code] = d
	}
	if got := byCode["D07"].Name; got != "本地卫健局" {
		t.Errorf("D07 is %q, want the name it had", got)
	}
	if d := byCode["D01"]; d.Name != "市场监督管理局" || d.NameEn == "" || d.ParentID != byCode["CENTER"].ID || d.USCC == "" {
		t.Errorf("D01 = %+v, want 市场监督管理局 under the center with an English name and a USCC", d)
	}
}
