package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"onevisit/internal/calendar"
	"onevisit/internal/cases"
	"onevisit/internal/catalog"
	"onevisit/internal/idcode"
	"onevisit/internal/identity"
)

// history is a clock the demo moves through past working days, so seeded
// cases carry realistic dates, due dates and warnings.
type history struct{ t time.Time }

func (h *history) now() time.Time { return h.t }

// SeedCases creates n demo cases spread over the last weeks in every
// state: accepted at windows and applied online, some with one-time
// notices or refusals, most approved and delivered, some suspended and
// some overdue, so every worklist has something to show. The demo
// citizen and company have cases of their own. It does nothing if cases
// exist already.
func SeedCases(ctx context.Context, store cases.Store, cat *catalog.Service, cal cases.Calendar, n int) error {
	if n <= 0 {
		return nil
	}
	if _, total, err := store.Cases(ctx, cases.Filter{Page: 1, Per: 1}); err != nil || total > 0 {
		return err
	}
	page, err := cat.Search(ctx, catalog.Query{PerPage: 100})
	if err != nil || len(page.Items) == 0 {
		return err
	}
	h := &history{}
	svc := cases.NewService(store, cat, cal, Region, h.now)
	rng := rand.New(rand.NewPCG(20180425, 7))
	days := pastWorkdays(cal.Current(), calendar.DateOf(time.Now()), 30)
	for i := 0; i < n; i++ {
		day := days[i*len(days)/n]
		h.t = day.In(calendar.Shanghai).Add(9*time.Hour + time.Duration(rng.IntN(7*3600))*time.Second)
		item := page.Items[rng.IntN(len(page.Items))]
		if err := seedCase(ctx, svc, h, item, applicantFor(i, rng), rng, cal.Current(), days[len(days)-1]); err != nil {
			return fmt.Errorf("demo case %d (%s): %w", i, item.Code, err)
		}
	}
	h.t = days[len(days)-4].In(calendar.Shanghai).Add(10 * time.Hour)
	if err := seedBundle(ctx, svc, cat, h); err != nil {
		return fmt.Errorf("demo bundle: %w", err)
	}
	// Due dates and colours as of today, as the nightly job would leave them.
	_, err = cases.NewService(store, cat, cal, Region, time.Now).RefreshWarnings(ctx)
	return err
}

// pastWorkdays lists the last n working days up to today, oldest first.
func pastWorkdays(cal *calendar.Calendar, today calendar.Date, n int) []calendar.Date {
	var ds []calendar.Date
	for d := today; len(ds) < n; d = d.AddDays(-1) {
		if cal.IsWorkday(d) {
			ds = append([]calendar.Date{d}, ds...)
		}
	}
	return ds
}

var (
	demoClerk = &identity.Principal{UserID: 2, Username: "clerk", Name: "王敏", Kind: identity.Staff,
		Roles: []identity.Role{identity.Clerk}, DepartmentCode: "CENTER"}
	demoIssuer = &identity.Principal{UserID: 4, Username: "issuer", Name: "赵丽", Kind: identity.Staff,
		Roles: []identity.Role{identity.Issuer}, DepartmentCode: "CENTER"}
	surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑")
	given    = []string{"伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英", "建华", "晓东"}
	firms    = []string{"宁波港通国际贸易", "北仑远洋物流", "保税区海川电子", "甬舟食品", "梅山新材料科技", "东方进出口", "港城建设工程", "星海医疗器械"}
)

// applicantFor makes the i-th demo applicant: every tenth case is the demo
// citizen's, every fifteenth the demo company's, the rest strangers with
// valid ID numbers or credit codes.
func applicantFor(i int, rng *rand.Rand) cases.Applicant {
	switch {
	case i%10 == 0:
		return cases.Applicant{Kind: identity.Person, Name: "张三", IDNumber: CitizenID(), Phone: "13800000000"}
	case i%15 == 1:
		uscc, _ := OrgUSCC("91", Region, "MA2CX0Y1")
		return cases.Applicant{Kind: identity.Legal, Name: "宁波北仑示范贸易有限公司", USCC: uscc, LegalRep: "张三"}
	case i%3 == 0:
		org := fmt.Sprintf("MA2C%04d", rng.IntN(10000))
		uscc, _ := OrgUSCC("91", Region, org)
		return cases.Applicant{Kind: identity.Legal, Name: "宁波" + firms[rng.IntN(len(firms))] + "有限公司", USCC: uscc,
			LegalRep: string(surnames[rng.IntN(len(surnames))]) + given[rng.IntN(len(given))]}
	}
	body := fmt.Sprintf("%s%04d%02d%02d%03d", Region, 1950+rng.IntN(50), 1+rng.IntN(12), 1+rng.IntN(28), rng.IntN(1000))
	c, _ := idcode.IDCardCheck(body)
	return cases.Applicant{Kind: identity.Person, Name: string(surnames[rng.IntN(len(surnames))]) + given[rng.IntN(len(given))],
		IDNumber: body + string(c), Phone: fmt.Sprintf("139%08d", rng.IntN(100000000))}
}

// seedCase takes one case as far along its life as its age and a die say.
func seedCase(ctx context.Context, svc *cases.Service, h *history, item catalog.Item, a cases.Applicant, rng *rand.Rand,
	cal *calendar.Calendar, today calendar.Date) error {
	in := cases.Application{ItemCode: item.Code, Applicant: a, Window: fmt.Sprintf("%d号窗口", 1+rng.IntN(8))}
	roll := rng.IntN(100)
	for _, m := range item.Materials {
		in.Materials = append(in.Materials, cases.Tick{Code: m.MaterialCode, Received: roll >= 8 || !m.Required})
	}
	c, err := svc.Apply(ctx, demoClerk, in, "")
	if err != nil {
		return err
	}
	act := func(p *identity.Principal, a cases.Action, reason string, days float64) error {
		if err == nil {
			c, err = svc.Act(ctx, p, c.No, cases.ActInput{Action: a, Reason: reason, Days: days})
		}
		return err
	}
	approver := &identity.Principal{Username: "approver", Name: "后台审批", Kind: identity.Staff,
		Roles: []identity.Role{identity.Approver}, DepartmentCode: item.DepartmentCode}
	switch {
	case roll < 8:
		return act(demoClerk, cases.Notice, "申请材料不齐全", 0)
	case roll < 11:
		return act(demoClerk, cases.Refuse, "申请事项不属于本机关职权范围", 0)
	}
	if err := act(demoClerk, cases.Accept, "", 0); err != nil {
		return err
	}
	age := cal.WorkdaysBetween(calendar.DateOf(h.t), today)
	h.t = h.t.Add(time.Duration(1+rng.IntN(3)) * 24 * time.Hour)
	switch {
	case roll < 16:
		return act(approver, cases.Suspend, "组织专家评审", 0)
	case roll < 24 || age < 2:
		return nil // still in review; the older ones turn yellow or red
	case roll < 28:
		return act(approver, cases.Deny, "经审查，申请人不符合法定条件", 0)
	}
	if err := act(approver, cases.Approve, "经审查，符合法定条件和标准", 0); err != nil || roll < 45 {
		return err
	}
	if err := act(demoIssuer, cases.Issue, "", 0); err != nil || roll < 60 {
		return err
	}
	return act(demoIssuer, cases.Deliver, "EMS 免费寄递", 0)
}

// seedBundle starts the foreign-trade licences bundle for the demo company
// and approves its first stage, so a bundle is running mid-way.
func seedBundle(ctx context.Context, svc *cases.Service, cat *catalog.Service, h *history) error {
	v, err := cat.Bundle(ctx, "FTZ-TRADE-LICENCES")
	if err != nil {
		return err
	}
	uscc, _ := OrgUSCC("91", Region, "MA2CX0Y1")
	in := cases.BundleApplication{BundleCode: v.Code, Accept: true, Window: "综合窗口 1",
		Applicant: cases.Applicant{Kind: identity.Legal, Name: "宁波北仑示范贸易有限公司", USCC: uscc, LegalRep: "张三"}}
	for _, m := range v.MergedMaterials {
		in.Materials = append(in.Materials, cases.Tick{Code: m.MaterialCode, Received: true})
	}
	parent, err := svc.ApplyBundle(ctx, demoClerk, in, "")
	if err != nil {
		return err
	}
	subs, err := svc.SubCases(ctx, demoClerk, parent.No)
	if err != nil {
		return err
	}
	h.t = h.t.Add(24 * time.Hour)
	for _, c := range subs {
		if c.Stage != 0 {
			continue
		}
		approver := &identity.Principal{Username: "approver", Name: "后台审批", Kind: identity.Staff,
			Roles: []identity.Role{identity.Approver}, DepartmentCode: c.Department}
		if _, err := svc.Act(ctx, approver, c.No, cases.ActInput{Action: cases.Approve, Reason: "符合条件"}); err != nil {
			return err
		}
	}
	return nil
}
