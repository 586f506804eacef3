package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/calendar"
	"onevisit/internal/cases"
	"onevisit/internal/catalog"
	"onevisit/internal/demo"
	"onevisit/internal/identity"
	"onevisit/internal/sqlstore"
	"onevisit/internal/sqlstore/sqlstoretest"
)

// fakeCatalog serves one item, as the catalog would after publishing it.
type fakeCatalog struct{ item catalog.Item }

func (f fakeCatalog) Item(_ context.Context, code string) (catalog.Item, error) {
	if code != f.item.Code {
		return catalog.Item{}, apperr.New(apperr.NotFound, "err.item_not_found")
	}
	return f.item, nil
}

func (f fakeCatalog) ItemVersion(ctx context.Context, code string, _ int) (catalog.Item, error) {
	return f.Item(ctx, code)
}

// Bundle serves a two-stage bundle: the food licence and a second item in
// parallel, then a third item.
func (f fakeCatalog) Bundle(_ context.Context, code string) (catalog.BundleView, error) {
	if code != "TEST-BUNDLE" {
		return catalog.BundleView{}, apperr.New(apperr.NotFound, "err.bundle_unknown")
	}
	b := catalog.Bundle{Code: code, Name: "开办食品店一件事", Stages: []catalog.Stage{
		{Name: "证照", ItemCodes: []string{f.item.Code, "SHOP-SIGN"}}, {Name: "社保", ItemCodes: []string{"SOCIAL"}}}}
	sign := catalog.Item{Code: "SHOP-SIGN", Name: "户外招牌设置", DepartmentCode: "CONSTR", PromisedLimit: 6, StatutoryLimit: 20}
	social := catalog.Item{Code: "SOCIAL", Name: "单位社保登记", DepartmentCode: "HRSS", PromisedLimit: 2, StatutoryLimit: 10}
	return catalog.View(b, map[string]catalog.Item{f.item.Code: f.item, "SHOP-SIGN": sign, "SOCIAL": social}), nil
}

type builtinCalendar struct{}

func (builtinCalendar) Current() *calendar.Calendar { return calendar.Builtin() }

var foodLicence = catalog.Item{Code: "330206-MARKET-XK-0009", Version: 3, Name: "食品经营许可", DepartmentCode: "MARKET",
	JointDepartmentCodes: []string{"COMMERCE"}, StatutoryLimit: 40, PromisedLimit: 10,
	Materials: []catalog.ItemMaterial{
		{MaterialCode: "M001", Name: "食品经营许可申请书", Required: true},
		{MaterialCode: "M002", Name: "营业执照", Required: true},
		{MaterialCode: "M003", Name: "与食品经营相适应的设备布局图", Required: true, Tolerant: true},
		{MaterialCode: "M004", Name: "委托书", Required: false},
	}}

type caseWorld struct {
	svc                                      *cases.Service
	clock                                    *clock
	citizen, other, clerk, approver, landApp *identity.Principal
}

func newCaseWorld(t *testing.T, db *sqlstore.DB) *caseWorld {
	t.Helper()
	ctx := context.Background()
	c := &clock{t: time.Date(2026, 9, 28, 9, 30, 0, 0, calendar.Shanghai)} // a Monday before National Day
	db.SetClock(c.now)
	ids := identity.NewService(db.Identity(), fastPolicy, c.now)
	if _, err := demo.Seed(ctx, ids, "Case-test-2026", false); err != nil {
		t.Fatal(err)
	}
	admin, _ := loginPrincipal(t, ids, "admin", "Case-test-2026")
	depts, _ := ids.Departments(ctx)
	var landID int64
	for _, d := range depts {
		if d.Code == "LAND" {
			landID = d.ID
		}
	}
	if _, err := ids.CreateUser(ctx, admin, identity.NewUser{Username: "landapp", DisplayName: "国土审批", Password: "Land-Approver-1",
		Kind: identity.Staff, Roles: []identity.Role{identity.Approver}, DepartmentID: landID}); err != nil {
		t.Fatal(err)
	}
	if _, err := ids.CreateUser(ctx, admin, identity.NewUser{Username: "lisi", DisplayName: "李四", Password: "Lisi-pass-1",
		Kind: identity.Person, Roles: []identity.Role{identity.Applicant}, IDNumber: "11010519491231002X"}); err != nil {
		t.Fatal(err)
	}
	w := &caseWorld{clock: c, svc: cases.NewService(db.Cases(), fakeCatalog{foodLicence}, builtinCalendar{}, "330206", c.now)}
	w.citizen, _ = loginPrincipal(t, ids, "citizen", "Case-test-2026")
	w.other, _ = loginPrincipal(t, ids, "lisi", "Lisi-pass-1")
	w.clerk, _ = loginPrincipal(t, ids, "clerk", "Case-test-2026")
	w.approver, _ = loginPrincipal(t, ids, "approver", "Case-test-2026")
	w.landApp, _ = loginPrincipal(t, ids, "landapp", "Land-Approver-1")
	return w
}

func allTicks() []cases.Tick {
	return []cases.Tick{{Code: "M001", Received: true}, {Code: "M002", Received: true}, {Code: "M003", Received: true}}
}

func TestAnOnlineCaseGoesFromApplicationToDecision(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newCaseWorld(t, db)
		ctx := context.Background()
		c, err := w.svc.Apply(ctx, w.citizen, cases.Application{ItemCode: foodLicence.Code, Materials: allTicks()}, "key-1")
		if err != nil {
			t.Fatal(err)
		}
		if c.Status != cases.Submitted || c.No != "330206-20260928-000001" || c.ItemVersion != 3 {
			t.Fatalf("applied: %s %s v%d", c.Status, c.No, c.ItemVersion)
		}
		again, err := w.svc.Apply(ctx, w.citizen, cases.Application{ItemCode: foodLicence.Code, Materials: allTicks()}, "key-1")
		if err != nil || again.No != c.No {
			t.Fatalf("same idempotency key: %s, %v; want %s", again.No, err, c.No)
		}
		if _, err := w.svc.Case(ctx, w.other, c.No); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("another applicant sees the case: %v", err)
		}
		steps := []struct {
			p *identity.Principal
			a cases.Action
		}{{w.clerk, cases.PretrialPass}, {w.clerk, cases.Accept}, {w.approver, cases.Approve}}
		for _, st := range steps {
			if c, err = w.svc.Act(ctx, st.p, c.No, cases.ActInput{Action: st.a, Reason: "符合条件"}); err != nil {
				t.Fatalf("%s: %v", st.a, err)
			}
		}
		if c.Status != cases.Approved || c.DuePromised.Date.String() != "2026-10-10" || c.DueStatutory.Date.String() != "2026-10-30" {
			t.Fatalf("decided: %s, due %s / %s", c.Status, c.DuePromised, c.DueStatutory)
		}
		tl, err := w.svc.Timeline(ctx, w.citizen, c.No)
		if err != nil || len(tl) != 4 || tl[3].Action != cases.Approve || tl[3].Actor != "approver" {
			t.Fatalf("timeline: %+v %v", tl, err)
		}
		list, total, err := w.svc.Cases(ctx, w.citizen, cases.Filter{})
		if err != nil || total != 1 || list[0].No != c.No {
			t.Fatalf("the applicant's list: %d %v", total, err)
		}
		if _, total, _ := w.svc.Cases(ctx, w.other, cases.Filter{}); total != 0 {
			t.Fatalf("another applicant lists %d cases", total)
		}
	})
}

func TestIllegalMovesAndOtherDepartmentsChangeNothing(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newCaseWorld(t, db)
		ctx := context.Background()
		c, err := w.svc.Apply(ctx, w.clerk, cases.Application{ItemCode: foodLicence.Code, Materials: allTicks(), Decision: cases.Accept,
			Applicant: cases.Applicant{Kind: identity.Person, Name: "张三", IDNumber: demo.CitizenID()}}, "")
		if err != nil || c.Status != cases.InReview || c.Visits != 1 {
			t.Fatalf("window acceptance: %+v %v", c.Status, err)
		}
		if _, err := w.svc.Act(ctx, w.landApp, c.No, cases.ActInput{Action: cases.Approve}); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("another department approving: %v, want forbidden", err)
		}
		if _, err := w.svc.Act(ctx, w.clerk, c.No, cases.ActInput{Action: cases.Issue}); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("a clerk issuing: %v", err)
		}
		if _, err := w.svc.Act(ctx, w.approver, c.No, cases.ActInput{Action: cases.Resume}); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("resuming a running case: %v, want conflict", err)
		}
		after, _ := w.svc.Case(ctx, w.clerk, c.No)
		if after.Status != cases.InReview || !after.UpdatedAt.Equal(c.UpdatedAt) {
			t.Fatalf("a refused move changed the case: %s", after.Status)
		}
		// The citizen's account has the same ID number, so they see the window case.
		if _, err := w.svc.Case(ctx, w.citizen, c.No); err != nil {
			t.Fatalf("the applicant cannot see the case opened for them at the window: %v", err)
		}
		_, err = w.svc.Apply(ctx, w.clerk, cases.Application{ItemCode: foodLicence.Code,
			Applicant: cases.Applicant{Kind: identity.Person, Name: "王五", IDNumber: "110105194912310021"}}, "")
		if e := apperr.As(err); e.Kind != apperr.Invalid || e.Fields["applicant.idNumber"] != "idcode.checksum" {
			t.Fatalf("a wrong ID number at the window: %v", err)
		}
	})
}

func TestAOneTimeNoticeNamesEverythingMissing(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newCaseWorld(t, db)
		ctx := context.Background()
		c, err := w.svc.Apply(ctx, w.clerk, cases.Application{ItemCode: foodLicence.Code,
			Materials: []cases.Tick{{Code: "M001", Received: true, Problem: "未签字"}},
			Applicant: cases.Applicant{Kind: identity.Person, Name: "张三", IDNumber: demo.CitizenID()}}, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Act(ctx, w.clerk, c.No, cases.ActInput{Action: cases.Accept}); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("accepting with materials missing: %v", err)
		}
		c, err = w.svc.Act(ctx, w.clerk, c.No, cases.ActInput{Action: cases.Notice, Reason: "材料不齐"})
		if err != nil || c.Status != cases.Noticed {
			t.Fatalf("notice: %v", err)
		}
		tl, _ := w.svc.Timeline(ctx, w.clerk, c.No)
		note := tl[len(tl)-1].Note
		for _, want := range []string{"食品经营许可申请书（未签字）", "营业执照", "设备布局图"} {
			if !contains(note, want) {
				t.Errorf("notice %q does not name %s", note, want)
			}
		}
		if contains(note, "委托书") {
			t.Errorf("notice names an optional material: %q", note)
		}
	})
}

func TestSuspensionAndDeemedAcceptance(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newCaseWorld(t, db)
		ctx := context.Background()
		app := cases.Application{ItemCode: foodLicence.Code, Materials: allTicks(),
			Applicant: cases.Applicant{Kind: identity.Person, Name: "张三", IDNumber: demo.CitizenID()}}
		accepted, _ := w.svc.Apply(ctx, w.clerk, withDecision(app, cases.Accept), "")
		pending, _ := w.svc.Apply(ctx, w.clerk, app, "") // received, nobody decides
		if accepted.DuePromised.Date.String() != "2026-10-10" {
			t.Fatalf("due %s", accepted.DuePromised)
		}
		w.clock.t = w.clock.t.AddDate(0, 0, 1) // 9-29
		if _, err := w.svc.Act(ctx, w.approver, accepted.No, cases.ActInput{Action: cases.Suspend, Reason: "专家评审"}); err != nil {
			t.Fatal(err)
		}
		w.clock.t = time.Date(2026, 10, 9, 10, 0, 0, 0, calendar.Shanghai)
		c, err := w.svc.Act(ctx, w.approver, accepted.No, cases.ActInput{Action: cases.Resume})
		if err != nil || c.DuePromised.Date.String() != "2026-10-14" {
			t.Fatalf("after a 3-working-day suspension over National Day: due %s, %v; want 2026-10-14", c.DuePromised, err)
		}
		n, err := w.svc.DeemAccepted(ctx) // 9-28 + 5 working days is 10-9: not yet
		if err != nil || n != 0 {
			t.Fatalf("deemed on day 5: %d %v", n, err)
		}
		w.clock.t = time.Date(2026, 10, 12, 9, 0, 0, 0, calendar.Shanghai)
		if n, err = w.svc.DeemAccepted(ctx); err != nil || n != 1 {
			t.Fatalf("deemed after day 5: %d %v", n, err)
		}
		p, _ := w.svc.Case(ctx, w.clerk, pending.No)
		if p.Status != cases.InReview || p.Clock.Start.String() != "2026-09-28" {
			t.Fatalf("deemed acceptance: %s from %s, want in_review from the day of receipt", p.Status, p.Clock.Start)
		}
	})
}

func withDecision(a cases.Application, d cases.Action) cases.Application { a.Decision = d; return a }

func contains(s, sub string) bool { return len(sub) == 0 || indexOf(s, sub) >= 0 }

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func TestABundleRunsItsStagesAndCompletesWhenEveryItemDoes(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newCaseWorld(t, db)
		ctx := context.Background()
		parent, err := w.svc.ApplyBundle(ctx, w.clerk, cases.BundleApplication{BundleCode: "TEST-BUNDLE", Accept: true, Materials: allTicks(),
			Applicant: cases.Applicant{Kind: identity.Person, Name: "张三", IDNumber: demo.CitizenID()}}, "")
		if err != nil {
			t.Fatal(err)
		}
		// slowest path: max(5, 3) days, then 1 day = 6 promised working days from 9-28
		if parent.Status != cases.InReview || parent.Clock.Promised != 12 || parent.DuePromised.Date.String() != "2026-10-12" {
			t.Fatalf("parent: %s, promised %v half-days, due %s; want in_review, 12, 2026-10-12", parent.Status, parent.Clock.Promised, parent.DuePromised)
		}
		subs, err := w.svc.SubCases(ctx, w.clerk, parent.No)
		if err != nil || len(subs) != 3 {
			t.Fatalf("sub-cases: %d %v", len(subs), err)
		}
		status := func() map[string]cases.Status {
			subs, _ := w.svc.SubCases(ctx, w.clerk, parent.No)
			m := map[string]cases.Status{}
			for _, c := range subs {
				m[c.ItemCode] = c.Status
			}
			p, _ := w.svc.Case(ctx, w.clerk, parent.No)
			m["parent"] = p.Status
			return m
		}
		if st := status(); st[foodLicence.Code] != cases.InReview || st["SHOP-SIGN"] != cases.InReview || st["SOCIAL"] != cases.Waiting {
			t.Fatalf("after acceptance: %v", st)
		}
		byItem := map[string]string{}
		for _, c := range subs {
			byItem[c.ItemCode] = c.No
		}
		approve := func(p *identity.Principal, item string) {
			t.Helper()
			if _, err := w.svc.Act(ctx, p, byItem[item], cases.ActInput{Action: cases.Approve}); err != nil {
				t.Fatalf("approve %s: %v", item, err)
			}
		}
		approve(w.approver, foodLicence.Code)
		if st := status(); st["SOCIAL"] != cases.Waiting || st["parent"] != cases.InReview {
			t.Fatalf("one of two parallel items approved: %v", st)
		}
		approve(&identity.Principal{Username: "constr", Name: "建设", Kind: identity.Staff, Roles: []identity.Role{identity.Approver}, DepartmentCode: "CONSTR"}, "SHOP-SIGN")
		if st := status(); st["SOCIAL"] != cases.InReview || st["parent"] != cases.InReview {
			t.Fatalf("first stage done, the second should start: %v", st)
		}
		approve(&identity.Principal{Username: "hrss", Name: "社保", Kind: identity.Staff, Roles: []identity.Role{identity.Approver}, DepartmentCode: "HRSS"}, "SOCIAL")
		if st := status(); st["parent"] != cases.Approved {
			t.Fatalf("every item approved: %v", st)
		}
	})
}

// Staff who open an applicant's case read their personal data: each such
// read is in the audit log with who, which case and what for; the
// applicant's own reads are not, and someone who may not see the case
// leaves nothing to audit and sees nothing.
func TestStaffReadsOfACaseAreAudited(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newCaseWorld(t, db)
		ctx := context.Background()
		c, err := w.svc.Apply(ctx, w.citizen, cases.Application{ItemCode: foodLicence.Code, Materials: allTicks()}, "")
		if err != nil {
			t.Fatal(err)
		}
		reads := func() []string {
			es, err := db.AuditEntries(ctx, "case", c.No, 50)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, e := range es {
				if e.Action == "personal.read" {
					out = append(out, e.Actor+": "+e.Detail)
				}
			}
			return out
		}
		if _, err := w.svc.Open(ctx, w.citizen, c.No, "case page"); err != nil {
			t.Fatal(err)
		}
		if got := reads(); len(got) != 0 {
			t.Fatalf("the applicant's own read was audited: %v", got)
		}
		opened, err := w.svc.Open(ctx, w.clerk, c.No, "case page")
		if err != nil || opened.Applicant.IDNumber == "" {
			t.Fatalf("the clerk opens the case: %v", err)
		}
		if got := reads(); len(got) != 1 || got[0] != "clerk: case page" {
			t.Fatalf("audited reads after the clerk's: %v", got)
		}
		if _, err := w.svc.Open(ctx, w.landApp, c.No, "case page"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("another department's approver opens the case: %v", err)
		}
		if got := reads(); len(got) != 1 {
			t.Fatalf("a refused read was audited: %v", got)
		}
	})
}
