package api_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"onevisit/internal/api"
	"onevisit/internal/calendar"
	"onevisit/internal/catalog"
	"onevisit/internal/demo"
	"onevisit/internal/i18n"
	"onevisit/internal/identity"
	"onevisit/internal/notify"
	"onevisit/internal/sqlstore"
	"onevisit/internal/sqlstore/sqlstoretest"
)

// catalogSnapshot is a small catalog in the export format: two items of
// one bundle sharing a material, and a proof that has been cancelled.
func catalogSnapshot() catalog.Snapshot {
	it := func(code, name, dept string, promised catalog.HalfDays, ms ...string) catalog.Item {
		i := catalog.Item{Code: code, BasicCode: "B-" + code, Level: catalog.Main, Name: name, Type: catalog.Licensing,
			DepartmentCode: dept, Objects: []catalog.Object{catalog.ForEnterprise}, CaseType: catalog.Promised,
			PromisedLimit: promised, StatutoryLimit: 40, VisitsRequired: 1, Fee: "不收费"}
		for _, m := range ms {
			i.Materials = append(i.Materials, catalog.ItemMaterial{MaterialCode: m, Originals: 1, Copies: 1, Required: true})
		}
		return i
	}
	return catalog.Snapshot{Format: catalog.SnapshotFormat, Version: catalog.SnapshotVersion,
		Proofs: []catalog.Proof{{Code: "P-NOCRIME", Name: "无犯罪记录证明", Status: catalog.Cancelled, Replacement: catalog.Commitment}},
		Materials: []catalog.Material{{Code: "M-LICENSE", Name: "营业执照"}, {Code: "M-TRADE", Name: "对外贸易经营者备案登记表"},
			{Code: "M-SEAL", Name: "印章样式"}, {Code: "M-NOCRIME", Name: "无犯罪记录证明", ProofCode: "P-NOCRIME"}},
		Items: []catalog.Item{it("TRADE", "对外贸易经营者备案登记", "COMMERCE", 2, "M-LICENSE", "M-TRADE"),
			it("SEAL", "印章刻制备案", "MARKET", 4, "M-LICENSE", "M-SEAL")},
		Bundles: []catalog.Bundle{{Code: "FT", Name: "外贸企业证照联办", Object: catalog.ForEnterprise,
			Stages: []catalog.Stage{{Name: "联办", ItemCodes: []string{"TRADE", "SEAL"}}}}},
	}
}

func newCatalogServer(t *testing.T, db *sqlstore.DB) string {
	t.Helper()
	ctx := context.Background()
	policy := identity.DefaultPolicy
	policy.Argon2 = identity.Argon2Params{MemoryKiB: 1024, Time: 1, Threads: 1}
	ids := identity.NewService(db.Identity(), policy, time.Now)
	if _, err := demo.Seed(ctx, ids, pw, false); err != nil {
		t.Fatal(err)
	}
	cal, err := calendar.NewService(ctx, db, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	cat := catalog.NewService(db.Catalog(), time.Now)
	system := &identity.Principal{Username: "system", Roles: []identity.Role{identity.CatalogAdmin}}
	for range 2 { // the second run must change nothing
		if err := demo.SeedCatalog(ctx, cat, system, catalogSnapshot()); err != nil {
			t.Fatal(err)
		}
	}
	a := api.New(api.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Identity: ids, Calendar: cal,
		Catalog: cat, Audit: db, Notify: notify.NewService(db, time.Now), Messages: i18n.MustLoad(), Now: time.Now})
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestCatalogReadEndpointsArePublic(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		base := newCatalogServer(t, db) + "/api/v1"
		code, v := call(t, "GET", base+"/items?q=外贸", "", "", "")
		if code != 200 || v["total"] != float64(1) || v["page"] != float64(1) {
			t.Fatalf("search 外贸: %d %v", code, v)
		}
		code, v = call(t, "GET", base+"/items?dept=MARKET&object=enterprise", "", "", "")
		if items, _ := v["items"].([]any); code != 200 || len(items) != 1 || items[0].(map[string]any)["code"] != "SEAL" {
			t.Fatalf("filter by department: %d %v", code, v)
		}
		code, v = call(t, "GET", base+"/items/TRADE", "", "", "")
		ms, _ := v["materials"].([]any)
		if code != 200 || v["version"] != float64(1) || len(ms) != 2 || ms[1].(map[string]any)["name"] != "对外贸易经营者备案登记表" {
			t.Fatalf("item: %d %v", code, v)
		}
		code, v = call(t, "GET", base+"/items/TRADE/versions", "", "", "")
		if vs, _ := v["versions"].([]any); code != 200 || len(vs) != 1 {
			t.Fatalf("versions: %d %v", code, v)
		}
		code, v = call(t, "GET", base+"/bundles/FT", "", "", "")
		if code != 200 || v["requiredTotal"] != float64(4) || len(v["mergedMaterials"].([]any)) != 3 || v["promisedLimit"] != float64(4) {
			t.Fatalf("bundle: %d %v", code, v)
		}
		for path, key := range map[string]string{"/bundles": "bundles", "/proofs": "proofs", "/materials": "materials"} {
			code, v := call(t, "GET", base+path, "", "", "")
			if list, _ := v[key].([]any); code != 200 || len(list) == 0 {
				t.Errorf("%s: %d %v", path, code, v)
			}
		}
		for _, path := range []string{"/items/NOPE", "/items/NOPE/versions", "/bundles/NOPE"} {
			code, v := call(t, "GET", base+path, "", "", "")
			if e, _ := v["error"].(map[string]any); code != 404 || e["code"] != "not_found" {
				t.Errorf("%s: %d %v, want 404", path, code, v)
			}
		}
		if code, _ := call(t, "GET", base+"/items?page=abc", "", "", ""); code != 400 {
			t.Errorf("a bad page number: %d, want 400", code)
		}
	})
}

func TestOnlyCatalogAdminsSaveAndPublishDrafts(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		base := newCatalogServer(t, db)
		draft := `{"code":"TRADE","basicCode":"B-TRADE","level":"main","name":"对外贸易经营者备案登记（新）","type":"licensing",
			"departmentCode":"COMMERCE","objects":["enterprise"],"caseType":"promised","statutoryLimit":40,"promisedLimit":2,
			"visitsRequired":0,"materials":[{"materialCode":"M-LICENSE","originals":1,"required":true}]}`
		if code, v := call(t, "POST", base+"/api/v1/items", "", "", draft); code != 401 {
			t.Fatalf("anonymous draft: %d %v", code, v)
		}
		if code, v := call(t, "POST", base+"/api/v1/items", login(t, base, "clerk"), "", draft); code != 403 {
			t.Fatalf("a clerk saving a draft: %d %v, want 403", code, v)
		}
		admin := login(t, base, "catalog")
		code, v := call(t, "POST", base+"/api/v1/items", admin, "en",
			`{"code":"X","level":"main","name":"X","type":"licensing","departmentCode":"COMMERCE","objects":["enterprise"],
			"caseType":"promised","statutoryLimit":2,"promisedLimit":4}`)
		if f, _ := v["error"].(map[string]any)["fields"].(map[string]any); code != 422 || f["promisedLimit"] == nil {
			t.Fatalf("promised above statutory: %d %v", code, v)
		}
		if code, v := call(t, "POST", base+"/api/v1/items", admin, "", draft); code != 200 || v["status"] != "draft" {
			t.Fatalf("save draft: %d %v", code, v)
		}
		if code, v := call(t, "POST", base+"/api/v1/items/TRADE/publish", admin, "", ""); code != 201 || v["version"] != float64(2) {
			t.Fatalf("publish: %d %v", code, v)
		}
		_, v = call(t, "GET", base+"/api/v1/items/TRADE/versions", "", "", "")
		vs := v["versions"].([]any)
		changes := vs[0].(map[string]any)["changes"].([]any)
		if len(vs) != 2 || len(changes) == 0 {
			t.Fatalf("versions after the second publication: %v", v)
		}
	})
}
