package catalogsync_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"onevisit/internal/apperr"
	"onevisit/internal/catalog"
	"onevisit/internal/catalogsync"
	"onevisit/internal/demo"
	"onevisit/internal/identity"
	"onevisit/internal/notify"
	"onevisit/internal/sqlstore"
	"onevisit/internal/sqlstore/sqlstoretest"
)

// env is a seeded demo center with the services an import uses.
type env struct {
	catalog *catalog.Service
	sync    *catalogsync.Service
	notify  *notify.Service
}

var editor = demo.System

func seed(t *testing.T, db *sqlstore.DB) env {
	t.Helper()
	ctx := context.Background()
	policy := identity.DefaultPolicy
	policy.Argon2 = identity.Argon2Params{MemoryKiB: 1024, Time: 1, Threads: 1}
	ids := identity.NewService(db.Identity(), policy, db.Now)
	if _, err := demo.Seed(ctx, ids, "Demo-pass-2026", false); err != nil {
		t.Fatal(err)
	}
	cat := catalog.NewService(db.Catalog(), db.Now)
	if err := demo.SeedCatalog(ctx, cat, editor, demo.Catalog()); err != nil {
		t.Fatal(err)
	}
	n := notify.NewService(db, db.Now)
	return env{catalog: cat, sync: catalogsync.New(cat, ids, n), notify: n}
}

func export(t *testing.T, e env, f catalogsync.Format) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := e.sync.Export(context.Background(), &buf, f); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func counts(r catalogsync.Report) [4]int { return [4]int{r.Added, r.Changed, r.Removed, r.Unchanged} }

func TestSyncExportThenImportOfTheDemoCatalogChangesNothing(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := seed(t, db)
		for _, f := range []catalogsync.Format{catalogsync.JSON, catalogsync.XLSX} {
			data := export(t, e, f)
			r, err := e.sync.Import(context.Background(), editor, data, catalogsync.Options{DryRun: true})
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if counts(r) != [4]int{0, 0, 0, 54} {
				t.Errorf("%s: added, changed, removed, unchanged = %v, want 0 0 0 54", f, counts(r))
			}
			r, err = e.sync.Import(context.Background(), editor, data, catalogsync.Options{ConfirmRemovals: true})
			if err != nil || len(r.Published)+len(r.Withdrawn)+len(r.Notified) != 0 {
				t.Errorf("%s: applying an unchanged file: %+v, %v; want nothing done", f, r, err)
			}
		}
	})
}

// The edits of TestSyncEditedExport.
const (
	changedA = "330206-COMMERCE-BA-0002" // COMMERCE, joint MARKET
	changedB = "330206-HRSS-JF-0001"
	added    = "330206-SAFETY-XK-0002"
	removed  = "330206-LAND-QT-0001"
)

func editedExport(t *testing.T, e env) []byte {
	t.Helper()
	var snap catalog.Snapshot
	if err := json.Unmarshal(export(t, e, catalogsync.JSON), &snap); err != nil {
		t.Fatal(err)
	}
	var items []catalog.Item
	for _, it := range snap.Items {
		switch it.Code {
		case changedA:
			it.Fee, it.PromisedLimit = "按件收费", 1
			it.Local.Phone = "0574-11111111" // ignored: local-only
		case changedB:
			it.Conditions += "（2026年修订）"
		case removed:
			continue
		case "330206-SAFETY-XK-0001":
			n := it
			n.Code, n.Name, n.Local = added, "危险化学品经营许可（新）", catalog.Local{}
			items = append(items, n)
		}
		items = append(items, it)
	}
	snap.Items = items
	b, _ := json.Marshal(snap)
	return b
}

func TestSyncEditedExportReportsAndAppliesExactlyTheEdits(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		e := seed(t, db)
		data := editedExport(t, e)
		setLocalPhone(t, e, changedA, "0574-86820000") // version 2

		r, err := e.sync.Import(ctx, editor, data, catalogsync.Options{DryRun: true})
		if err != nil {
			t.Fatal(err)
		}
		if counts(r) != [4]int{1, 2, 1, 51} {
			t.Fatalf("dry run: added, changed, removed, unchanged = %v, want 1 2 1 51", counts(r))
		}
		if got := changedFields(r, changedA); !slices.Equal(got, []string{"promisedLimit", "fee"}) {
			t.Errorf("changes of %s = %v, want promisedLimit, fee", changedA, got)
		}
		if v := version(t, e, changedA); v != 2 {
			t.Fatalf("dry run published: version %d", v)
		}

		r, err = e.sync.Import(ctx, editor, data, catalogsync.Options{ConfirmRemovals: true})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(r.Published, []string{changedA, changedB, added}) || !slices.Equal(r.Withdrawn, []string{removed}) {
			t.Errorf("published %v, withdrawn %v", r.Published, r.Withdrawn)
		}
		it, err := e.catalog.Item(ctx, changedA)
		if err != nil {
			t.Fatal(err)
		}
		if it.Version != 3 || it.Fee != "按件收费" || it.Local.Phone != "0574-86820000" {
			t.Errorf("%s: version %d, fee %q, local phone %q; want 3, 按件收费, the local phone kept", changedA, it.Version, it.Fee, it.Local.Phone)
		}
		if v := version(t, e, changedB); v != 2 {
			t.Errorf("%s version %d, want 2", changedB, v)
		}
		if _, err := e.catalog.Item(ctx, removed); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("removed item still offered: %v", err)
		}
		checkNotified(t, e, r)

		again, err := e.sync.Import(ctx, editor, data, catalogsync.Options{ConfirmRemovals: true})
		if err != nil || counts(again) != [4]int{0, 0, 0, 54} || len(again.Published) != 0 || len(again.Notified) != 0 {
			t.Errorf("second import: %v published %v notified %v, %v; want nothing", counts(again), again.Published, again.Notified, err)
		}
		if v := version(t, e, changedA); v != 3 {
			t.Errorf("second import published %s again: version %d", changedA, v)
		}
	})
}

func setLocalPhone(t *testing.T, e env, code, phone string) {
	t.Helper()
	ctx := context.Background()
	it, err := e.catalog.Item(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	it.Local.Phone = phone
	if _, err := e.catalog.SaveDraft(ctx, editor, it); err != nil {
		t.Fatal(err)
	}
	if _, err := e.catalog.Publish(ctx, editor, code); err != nil {
		t.Fatal(err)
	}
}

func version(t *testing.T, e env, code string) int {
	t.Helper()
	it, err := e.catalog.Item(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	return it.Version
}

func changedFields(r catalogsync.Report, code string) []string {
	var fs []string
	for _, ir := range r.Items {
		if ir.Code == code {
			for _, c := range ir.Changes {
				fs = append(fs, c.Field)
			}
		}
	}
	return fs
}

// checkNotified checks that each department concerned got one notification
// naming its items.
func checkNotified(t *testing.T, e env, r catalogsync.Report) {
	t.Helper()
	want := map[string]string{"COMMERCE": changedA, "MARKET": changedA, "HRSS": changedB, "SAFETY": added, "LAND": removed}
	if len(r.Notified) != len(want) {
		t.Errorf("notified %v, want %d departments", r.Notified, len(want))
	}
	for dept, code := range want {
		ns, err := e.notify.List(context.Background(), &identity.Principal{DepartmentCode: dept}, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(ns) != 1 || !strings.Contains(ns[0].Body, code) || ns[0].Link != "/catalog/items/"+code {
			t.Errorf("%s notifications = %+v, want one about %s", dept, ns, code)
		}
	}
}

func TestSyncRemovalsWaitForConfirmation(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		e := seed(t, db)
		r, err := e.sync.Import(ctx, editor, editedExport(t, e), catalogsync.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(r.PendingRemovals, []string{removed}) || len(r.Withdrawn) != 0 {
			t.Errorf("pending %v, withdrawn %v; want %s pending", r.PendingRemovals, r.Withdrawn, removed)
		}
		if _, err := e.catalog.Item(ctx, removed); err != nil {
			t.Errorf("unconfirmed removal withdrew the item: %v", err)
		}
	})
}

func TestSyncMalformedFileIsRejectedWholeAndChangesNothing(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		e := seed(t, db)
		data := editedExport(t, e)
		var snap catalog.Snapshot
		_ = json.Unmarshal(data, &snap)
		snap.Items[3].PromisedLimit = snap.Items[3].StatutoryLimit + 2
		snap.Items[5].DepartmentCode = "NOWHERE"
		bad, _ := json.MarshalIndent(snap, "", "  ")
		_, err := e.sync.Import(ctx, editor, bad, catalogsync.Options{ConfirmRemovals: true})
		var me *catalogsync.MalformedError
		if !errors.As(err, &me) || !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("err = %v, want a MalformedError", err)
		}
		fields := map[string]bool{}
		for _, fe := range me.Errors {
			fields[fe.Field] = fe.Line > 0
		}
		if !fields["items[3].promisedLimit"] || !fields["items[5].departmentCode"] || len(me.Errors) != 2 {
			t.Errorf("errors = %+v, want promisedLimit of items[3] and departmentCode of items[5], with lines", me.Errors)
		}
		if v := version(t, e, changedA); v != 1 {
			t.Errorf("a rejected file published %s: version %d", changedA, v)
		}
	})
}

func TestSyncImportNeedsCatalogEdit(t *testing.T) {
	db := sqlstoretest.SQLite(t)
	e := seed(t, db)
	clerk := &identity.Principal{Username: "clerk", Roles: []identity.Role{identity.Clerk}}
	_, err := e.sync.Import(context.Background(), clerk, export(t, e, catalogsync.JSON), catalogsync.Options{DryRun: true})
	if !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("clerk import: %v, want Forbidden", err)
	}
}
