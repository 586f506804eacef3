package sqlstore_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/catalog"
	"onevisit/internal/i18n"
	"onevisit/internal/identity"
	"onevisit/internal/sqlstore"
	"onevisit/internal/sqlstore/sqlstoretest"
)

var editor = &identity.Principal{Username: "catalog", Roles: []identity.Role{identity.CatalogAdmin}}

// catalogFixture is a small catalog: three departments, a proofs catalog
// with one cancelled proof, a materials library, and three published items
// whose materials overlap (4 + 3 + 3 required, 3 shared).
func catalogFixture(t testing.TB, db *sqlstore.DB) *catalog.Service {
	t.Helper()
	ctx := context.Background()
	ids := identity.NewService(db.Identity(), fastPolicy, db.Now)
	for _, d := range []identity.Department{{Code: "COMMERCE", Name: "商务局"}, {Code: "MARKET", Name: "市场监管局"}, {Code: "HRSS", Name: "人力社保局"}} {
		if _, err := ids.CreateDepartment(ctx, nil, d); err != nil {
			t.Fatal(err)
		}
	}
	svc := catalog.NewService(db.Catalog(), db.Now)
	for _, p := range []catalog.Proof{
		{Code: "P-NOCRIME", Name: "无犯罪记录证明", Status: catalog.Cancelled, Replacement: catalog.Commitment},
		{Code: "P-RESIDENCE", Name: "居住证明", Status: catalog.Retained},
	} {
		if _, err := svc.SaveProof(ctx, editor, p); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range []catalog.Material{
		{Code: "M-APP", Name: "申请表"}, {Code: "M-LICENSE", Name: "营业执照"}, {Code: "M-ID", Name: "法定代表人身份证"},
		{Code: "M-TRADE", Name: "对外贸易经营者备案登记表"}, {Code: "M-PHOTO", Name: "照片"},
		{Code: "M-CHARTER", Name: "公司章程"}, {Code: "M-LEASE", Name: "租赁合同"},
		{Code: "M-NOCRIME", Name: "无犯罪记录证明", ProofCode: "P-NOCRIME"},
		{Code: "M-RESIDENCE", Name: "居住证明", ProofCode: "P-RESIDENCE"},
	} {
		if _, err := svc.SaveMaterial(ctx, editor, m); err != nil {
			t.Fatal(err)
		}
	}
	for _, it := range []catalog.Item{
		item("TRADE", "对外贸易经营者备案登记", "COMMERCE", 2, 10, "M-APP", "M-LICENSE", "M-ID", "M-TRADE"),
		item("CUSTOMS", "报关单位注册登记", "MARKET", 4, 20, "M-APP", "M-LICENSE", "M-PHOTO"),
		item("SOCIAL", "单位社会保险登记", "HRSS", 6, 20, "M-ID", "M-CHARTER", "M-LEASE"),
	} {
		publish(t, svc, it)
	}
	return svc
}

// item is a valid main item of the enterprise whose materials are all
// required; limits are in half days.
func item(code, name, dept string, promised, statutory catalog.HalfDays, materials ...string) catalog.Item {
	it := catalog.Item{Code: code, BasicCode: "B-" + code, Level: catalog.Main, Name: name, Type: catalog.Licensing,
		DepartmentCode: dept, Objects: []catalog.Object{catalog.ForEnterprise}, CaseType: catalog.Promised,
		PromisedLimit: promised, StatutoryLimit: statutory, VisitsRequired: 1, OnlineDepth: 3,
		SubmitModes: []catalog.Mode{catalog.AtWindow, catalog.Online}, CollectModes: []catalog.Mode{catalog.ByEMS},
		Fee: "不收费", LegalBasis: "《中华人民共和国行政许可法》", Conditions: "依法设立的企业", Flow: "受理、审核、办结"}
	for _, m := range materials {
		it.Materials = append(it.Materials, catalog.ItemMaterial{MaterialCode: m, Originals: 1, Required: true, Source: catalog.FromApplicant})
	}
	return it
}

func publish(t testing.TB, svc *catalog.Service, it catalog.Item) catalog.Item {
	t.Helper()
	ctx := context.Background()
	if _, err := svc.SaveDraft(ctx, editor, it); err != nil {
		t.Fatalf("save draft %s: %v", it.Code, err)
	}
	out, err := svc.Publish(ctx, editor, it.Code)
	if err != nil {
		t.Fatalf("publish %s: %v", it.Code, err)
	}
	return out
}

func TestPublishedVersionsAreImmutableAndDiffShowsTheChanges(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		svc := catalogFixture(t, db)
		ctx := context.Background()
		v1, err := svc.Item(ctx, "TRADE")
		if err != nil || v1.Version != 1 || v1.Status != catalog.Published || v1.PublishedBy != "catalog" {
			t.Fatalf("v1: %+v %v", v1, err)
		}
		if v1.Materials[0].Name != "申请表" {
			t.Fatalf("material names are filled from the library: %+v", v1.Materials)
		}
		changed := item("TRADE", "对外贸易经营者备案登记（变更）", "COMMERCE", 1, 10, "M-APP", "M-LICENSE", "M-ID", "M-TRADE", "M-PHOTO")
		changed.Local.Phone = "0574-86888888"
		if _, err := svc.SaveDraft(ctx, editor, changed); err != nil {
			t.Fatal(err)
		}
		if cur, _ := svc.Item(ctx, "TRADE"); cur.Version != 1 || cur.Name != v1.Name {
			t.Fatalf("a draft must not change the published version: %+v", cur)
		}
		v2, err := svc.Publish(ctx, editor, "TRADE")
		if err != nil || v2.Version != 2 {
			t.Fatalf("v2: %+v %v", v2, err)
		}
		old, err := svc.ItemVersion(ctx, "TRADE", 1)
		if err != nil || old.Name != v1.Name || len(old.Materials) != 4 || !old.PublishedAt.Equal(v1.PublishedAt) {
			t.Fatalf("v1 after v2: %+v %v", old, err)
		}
		vs, err := svc.Versions(ctx, "TRADE")
		if err != nil || len(vs) != 2 || vs[0].Version != 2 || vs[1].Version != 1 {
			t.Fatalf("versions: %d %v", len(vs), err)
		}
		var fields []string
		for _, c := range catalog.Diff(vs[1], vs[0]) {
			fields = append(fields, c.Field)
		}
		want := []string{"name", "promisedLimit", "materials[M-PHOTO]", "local.phone"}
		if !slices.Equal(fields, want) {
			t.Fatalf("diff v1→v2: %v, want %v", fields, want)
		}
		if _, err := svc.Draft(ctx, editor, "TRADE"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("the draft is gone once published: %v", err)
		}
		if _, err := svc.Publish(ctx, editor, "TRADE"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("publishing without a draft: %v", err)
		}
		es, _ := db.AuditEntries(ctx, "item", "TRADE", 20)
		if n := countActions(es, "catalog.item.publish"); n != 2 {
			t.Fatalf("audited publications: %d, want 2", n)
		}
	})
}

func TestSaveDraftRejectsInvalidItemsWithFieldErrorsAndStoresNothing(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		svc := catalogFixture(t, db)
		ctx := context.Background()
		cases := []struct {
			name, field, key string
			edit             func(*catalog.Item)
		}{
			{"promised limit above the statutory one", "promisedLimit", "err.catalog.promised_over_statutory", func(it *catalog.Item) { it.PromisedLimit = 12 }},
			{"an immediate item promising days", "promisedLimit", "err.catalog.immediate_limit", func(it *catalog.Item) { it.CaseType = catalog.Immediate }},
			{"two visits", "visitsRequired", "err.catalog.visits", func(it *catalog.Item) { it.VisitsRequired = 2 }},
			{"an unknown department", "departmentCode", "err.catalog.department_missing", func(it *catalog.Item) { it.DepartmentCode = "NOPE" }},
			{"a sub-item without a parent", "parentCode", "err.required", func(it *catalog.Item) { it.Level = catalog.Sub }},
			{"a sub-item of a missing parent", "parentCode", "err.catalog.item_missing", func(it *catalog.Item) { it.Level, it.ParentCode = catalog.Sub, "NOPE" }},
			{"a material not in the library", "materials[1]", "err.catalog.material_missing", func(it *catalog.Item) { it.Materials[1].MaterialCode = "M-NOPE" }},
			{"no service object", "objects", "err.required", func(it *catalog.Item) { it.Objects = nil }},
			{"an unknown type", "type", "err.catalog.unknown_value", func(it *catalog.Item) { it.Type = "tax" }},
			{"an unknown collect mode", "collectModes", "err.catalog.unknown_value", func(it *catalog.Item) { it.CollectModes = []catalog.Mode{"drone"} }},
			{"a code with a slash", "code", "err.catalog.code", func(it *catalog.Item) { it.Code = "A/B" }},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				it := item("NEW", "新事项", "MARKET", 10, 10, "M-APP", "M-LICENSE")
				c.edit(&it)
				_, err := svc.SaveDraft(ctx, editor, it)
				if e := apperr.As(err); e.Kind != apperr.Invalid || e.Fields[c.field] != c.key {
					t.Fatalf("got %v, want %s: %s", err, c.field, c.key)
				}
				if ok, _ := db.Catalog().ItemExists(ctx, it.Code); ok {
					t.Fatal("an invalid item was stored")
				}
			})
		}
		it := item("NEW", "新事项", "MARKET", 4, 10, "M-APP")
		if _, err := svc.SaveDraft(ctx, &identity.Principal{Username: "clerk", Roles: []identity.Role{identity.Clerk}}, it); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("a clerk saving a draft: %v", err)
		}
	})
}

func TestPublishingAnItemThatDemandsACancelledProofFailsNamingTheProof(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		svc := catalogFixture(t, db)
		ctx := context.Background()
		if _, err := svc.SaveDraft(ctx, editor, item("PERMIT", "娱乐场所从业人员登记", "MARKET", 4, 10, "M-APP", "M-NOCRIME")); err != nil {
			t.Fatal(err)
		}
		_, err := svc.Publish(ctx, editor, "PERMIT")
		msgs := i18n.MustLoad()
		if got := msgs.Error(i18n.ZH, err).Message; got != "事项要求提供已取消的证明：无犯罪记录证明（已改为告知承诺）" {
			t.Fatalf("zh: %q (%v)", got, err)
		}
		if got := msgs.Error(i18n.EN, err); got.Code != "invalid" || !strings.Contains(got.Message, "无犯罪记录证明") {
			t.Fatalf("en: %+v", got)
		}
		if _, err := svc.Item(ctx, "PERMIT"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("nothing was published: %v", err)
		}
		if _, err := svc.SaveDraft(ctx, editor, item("PERMIT", "娱乐场所从业人员登记", "MARKET", 4, 10, "M-APP", "M-RESIDENCE")); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Publish(ctx, editor, "PERMIT"); err != nil {
			t.Fatalf("a retained proof may be demanded: %v", err)
		}
		if _, err := svc.SaveProof(ctx, editor, catalog.Proof{Code: "P-X", Name: "某证明", Status: catalog.Cancelled}); apperr.As(err).Fields["replacement"] == "" {
			t.Fatalf("cancelling needs a replacement: %v", err)
		}
	})
}

func TestSearchFindsChineseKeywordsAndFilters(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		svc := catalogFixture(t, db)
		ctx := context.Background()
		social := item("SOCIAL-P", "灵活就业人员参保登记", "HRSS", 0, 10)
		social.Objects = []catalog.Object{catalog.ForPerson}
		publish(t, svc, social)
		cases := []struct {
			name string
			q    catalog.Query
			want []string
		}{
			{"two characters of the name (外贸)", catalog.Query{Q: "外贸"}, []string{"TRADE"}},
			{"two characters of the department's name (社保)", catalog.Query{Q: "社保"}, []string{"SOCIAL", "SOCIAL-P"}},
			{"a longer phrase of the name", catalog.Query{Q: "对外贸易"}, []string{"TRADE"}},
			{"a material's name", catalog.Query{Q: "营业执照"}, []string{"CUSTOMS", "TRADE"}},
			{"a one-character term and a phrase", catalog.Query{Q: "照 报关单位"}, []string{"CUSTOMS"}},
			{"the department filter", catalog.Query{DepartmentCode: "HRSS"}, []string{"SOCIAL", "SOCIAL-P"}},
			{"the object filter", catalog.Query{Object: catalog.ForPerson}, []string{"SOCIAL-P"}},
			{"keyword and department", catalog.Query{Q: "登记", DepartmentCode: "MARKET"}, []string{"CUSTOMS"}},
			{"no match", catalog.Query{Q: "不存在的事项"}, nil},
			{"LIKE wildcards are literal", catalog.Query{Q: "%"}, nil},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				p, err := svc.Search(ctx, c.q)
				if err != nil {
					t.Fatal(err)
				}
				got := codes(p.Items)
				slices.Sort(got)
				if !slices.Equal(got, c.want) || p.Total != len(c.want) {
					t.Fatalf("got %v (total %d), want %v", got, p.Total, c.want)
				}
			})
		}
		p, err := svc.Search(ctx, catalog.Query{Page: 2, PerPage: 3})
		if err != nil || p.Total != 4 || len(p.Items) != 1 || p.Page != 2 {
			t.Fatalf("page 2 of 3: %v total %d %v", codes(p.Items), p.Total, err)
		}
		if err := svc.Withdraw(ctx, editor, "TRADE", "职能调整"); err != nil {
			t.Fatal(err)
		}
		if p, _ := svc.Search(ctx, catalog.Query{Q: "对外贸易"}); p.Total != 0 {
			t.Fatalf("a withdrawn item is still found: %v", codes(p.Items))
		}
		if _, err := svc.Item(ctx, "TRADE"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("withdrawn item: %v", err)
		}
		if v, err := svc.ItemVersion(ctx, "TRADE", 1); err != nil || v.Status != catalog.Withdrawn {
			t.Fatalf("a withdrawn version stays readable for old cases: %+v %v", v.Status, err)
		}
	})
}

func TestBundleMergesMaterialsAndTakesTheSlowestPath(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		svc := catalogFixture(t, db)
		ctx := context.Background()
		b := catalog.Bundle{Code: "FOREIGN-TRADE", Name: "外贸企业证照联办", Object: catalog.ForEnterprise, Theme: "开办企业",
			Stages: []catalog.Stage{{Name: "备案", ItemCodes: []string{"TRADE", "CUSTOMS"}}, {Name: "参保", ItemCodes: []string{"SOCIAL"}}}}
		if _, err := svc.SaveBundle(ctx, editor, b); err != nil {
			t.Fatal(err)
		}
		v, err := svc.Bundle(ctx, "FOREIGN-TRADE")
		if err != nil {
			t.Fatal(err)
		}
		if v.RequiredTotal != 10 || len(v.MergedMaterials) != 7 || len(v.Items) != 3 {
			t.Fatalf("required %d, merged %d, items %d; want 10, 7, 3", v.RequiredTotal, len(v.MergedMaterials), len(v.Items))
		}
		if m := v.MergedMaterials[0]; m.MaterialCode != "M-APP" || m.Name != "申请表" || !slices.Equal(m.ItemCodes, []string{"TRADE", "CUSTOMS"}) {
			t.Fatalf("first merged material: %+v", m)
		}
		// stage 1 in parallel: max(2, 4) = 4; stage 2: 6 → 10 half days.
		if v.PromisedLimit != 10 || v.StatutoryLimit != 40 {
			t.Fatalf("limits: promised %d, statutory %d; want 10, 40 half days", v.PromisedLimit, v.StatutoryLimit)
		}
		if p, _ := svc.Search(ctx, catalog.Query{Theme: "开办企业"}); p.Total != 3 {
			t.Fatalf("theme filter: %v", codes(p.Items))
		}
		if _, err := svc.Bundle(ctx, "NOPE"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("unknown bundle: %v", err)
		}
		b.Stages = append(b.Stages, catalog.Stage{Name: "空", ItemCodes: []string{"NOPE"}})
		if _, err := svc.SaveBundle(ctx, editor, b); apperr.As(err).Fields["stages[2]"] != "err.catalog.item_missing" {
			t.Fatalf("bundle of a missing item: %v", err)
		}
	})
}

func TestConsistencyReportAndSnapshot(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		svc := catalogFixture(t, db)
		ctx := context.Background()
		county := item("TRADE-COUNTY", "对外贸易经营者备案登记", "COMMERCE", 2, 10, "M-APP", "M-LICENSE", "M-ID", "M-TRADE")
		county.BasicCode, county.LegalBasis = "B-TRADE", "《对外贸易法》第九条"
		publish(t, svc, county)
		rep, err := svc.ConsistencyReport(ctx, catalog.DefaultElementSet)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep) != 1 || rep[0].BasicCode != "B-TRADE" || rep[0].Element != "legalBasis" || rep[0].Values["TRADE-COUNTY"] != "《对外贸易法》第九条" {
			t.Fatalf("report: %+v", rep)
		}
		snap, err := svc.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if snap.Format != catalog.SnapshotFormat || len(snap.Items) != 4 || len(snap.Materials) != 9 || len(snap.Proofs) != 2 {
			t.Fatalf("snapshot: %d items, %d materials, %d proofs", len(snap.Items), len(snap.Materials), len(snap.Proofs))
		}
		if got := codes(snap.Items); !slices.IsSorted(got) {
			t.Fatalf("snapshot items not sorted: %v", got)
		}
	})
}

func codes(its []catalog.Item) []string {
	var cs []string
	for _, it := range its {
		cs = append(cs, it.Code)
	}
	return cs
}

func countActions(es []audit.Entry, action string) int {
	n := 0
	for _, e := range es {
		if e.Action == action {
			n++
		}
	}
	return n
}
