package demo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"onevisit/internal/cases"
	"onevisit/internal/catalog"
	"onevisit/internal/identity"
	"onevisit/internal/licences"
)

// licenceTypes are the demo's licence types. Type codes follow the
// observed form: the issuing ministry's USCC and a three-digit sequence.
var licenceTypes = []licences.Type{
	{Code: "11100000MB0341032Y001", Name: "营业执照", NameEn: "Business licence", Items: []string{
		"330206-MARKET-XK-0001", "330206-MARKET-XK-0001-001", "330206-MARKET-XK-0001-002", "330206-MARKET-XK-0001-003",
		"330206-MARKET-XK-0002", "330206-MARKET-XK-0004"},
		Fields: []licences.Field{{Label: "名称", Source: "holder.name"}, {Label: "统一社会信用代码", Source: "holder.code"},
			{Label: "类型", Source: "const:有限责任公司（自然人投资或控股）"}, {Label: "法定代表人", Source: "holder.legalRep"},
			{Label: "注册资本", Source: "const:壹佰万元整"}, {Label: "住所", Source: "const:浙江省宁波市北仑区新碶街道明州路100号"},
			{Label: "经营范围", Source: "const:一般项目：货物进出口；技术进出口；国内贸易代理（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）。"}}},
	{Code: "11100000MB0341032Y002", Name: "食品经营许可证", NameEn: "Food business licence", ValidYears: 5, Items: []string{
		"330206-MARKET-XK-0005", "330206-MARKET-XK-0005-001", "330206-MARKET-XK-0005-002", "330206-MARKET-XK-0005-003"},
		Fields: []licences.Field{{Label: "经营者名称", Source: "holder.name"}, {Label: "社会信用代码（身份证号码）", Source: "holder.code"},
			{Label: "法定代表人（负责人）", Source: "holder.legalRep"}, {Label: "经营场所", Source: "const:浙江省宁波市北仑区长江路1166号"},
			{Label: "主体业态", Source: "const:餐饮服务经营者"}, {Label: "经营项目", Source: "const:热食类食品制售；冷食类食品制售；自制饮品制售"}}},
	{Code: "11100000000019208L001", Name: "对外贸易经营者备案登记表", NameEn: "Foreign trade operator registration", Items: []string{"330206-COMMERCE-BA-0001"},
		Fields: []licences.Field{{Label: "经营者中文名称", Source: "holder.name"}, {Label: "统一社会信用代码", Source: "holder.code"},
			{Label: "经营者类型", Source: "const:有限责任公司"}, {Label: "法定代表人", Source: "holder.legalRep"}}},
	{Code: "11100000000013338W010", Name: "建设用地规划许可证", NameEn: "Land use planning permit", Items: []string{"330206-CONSTR-XK-0001"},
		Fields: []licences.Field{{Label: "用地单位", Source: "holder.name"}, {Label: "用地项目名称", Source: "const:北仑港区物流仓储中心项目"},
			{Label: "用地位置", Source: "const:北仑区大碶街道"}, {Label: "用地面积", Source: "const:32000平方米"}}},
	{Code: "11100000000013338W011", Name: "建设工程规划许可证", NameEn: "Construction project planning permit", Items: []string{"330206-CONSTR-XK-0002"},
		Fields: []licences.Field{{Label: "建设单位（个人）", Source: "holder.name"}, {Label: "建设项目名称", Source: "const:北仑港区物流仓储中心一期"},
			{Label: "建设位置", Source: "const:北仑区大碶街道"}, {Label: "建设规模", Source: "const:总建筑面积48000平方米"}}},
	{Code: "11100000000013338W009", Name: "建筑工程施工许可证", NameEn: "Construction permit", Items: []string{
		"330206-CONSTR-XK-0004", "330206-CONSTR-XK-0004-001", "330206-CONSTR-XK-0004-002"},
		Fields: []licences.Field{{Label: "建设单位", Source: "holder.name"}, {Label: "工程名称", Source: "const:北仑港区物流仓储中心一期"},
			{Label: "建设地址", Source: "const:北仑区大碶街道"}, {Label: "合同工期", Source: "const:540天"}}},
	{Code: "11100000MA0034762Q001", Name: "危险化学品经营许可证", NameEn: "Hazardous chemicals trading licence", ValidYears: 3,
		Items: []string{"330206-SAFETY-XK-0001"},
		Fields: []licences.Field{{Label: "企业名称", Source: "holder.name"}, {Label: "法定代表人", Source: "holder.legalRep"},
			{Label: "经营方式", Source: "const:批发（无仓储）"}, {Label: "许可范围", Source: "const:见附件《经营品种目录》"}}},
}

// SeedLicences adds the demo's licence types and issues licences for the
// approved demo cases whose items issue one: most stay valid, some are
// revoked or changed to a second version, and a few were issued years ago
// and have expired. It does nothing if licence types exist already.
func SeedLicences(ctx context.Context, lic *licences.Service, cs *cases.Service, cat *catalog.Service) error {
	if ts, err := lic.Types(ctx); err != nil || len(ts) > 0 {
		return err
	}
	for _, t := range licenceTypes {
		if err := lic.SaveType(ctx, nil, t); err != nil {
			return fmt.Errorf("demo licence type %s: %w", t.Name, err)
		}
	}
	approved, _, err := cs.Cases(ctx, demoIssuer, cases.Filter{Statuses: []cases.Status{cases.Approved}, Per: 200})
	if err != nil {
		return err
	}
	if err := seedCompanyLicence(ctx, lic, cs, cat); err != nil {
		return fmt.Errorf("demo company licence: %w", err)
	}
	n := 0
	for _, c := range approved {
		t, ok := typeOf(c.ItemCode)
		if !ok {
			continue
		}
		if err := seedLicence(ctx, lic, c, n, t.ValidYears > 0 && n%2 == 1); err != nil {
			return fmt.Errorf("demo licence for %s: %w", c.No, err)
		}
		n++
	}
	_, err = lic.ExpireDue(ctx)
	return err
}

func typeOf(item string) (licences.Type, bool) {
	for _, t := range licenceTypes {
		if slices.Contains(t.Items, item) {
			return t, true
		}
	}
	return licences.Type{}, false
}

// seedLicence issues the n-th demo licence and gives it a history; an old
// one was issued years ago and has expired by now.
func seedLicence(ctx context.Context, lic *licences.Service, c cases.Case, n int, old bool) error {
	issuer := lic
	if old {
		past := time.Now().AddDate(-6, 0, 0)
		issuer = lic.WithClock(func() time.Time { return past })
	}
	l, err := issuer.Issue(ctx, demoIssuer, c.No, licences.IssueInput{})
	if err != nil {
		return err
	}
	switch {
	case old:
	case n%6 == 2:
		_, err = lic.Revoke(ctx, demoIssuer, l.Identifier, "持证主体申请注销")
	case n%6 == 3:
		_, err = lic.Change(ctx, demoIssuer, l.Identifier, licences.ChangeInput{Reason: "变更法定代表人", Face: changedRep(l)})
	}
	return err
}

// changedRep changes whichever face item names the legal representative.
func changedRep(l licences.Licence) map[string]string {
	for _, f := range l.Face {
		if f.Name == "法定代表人" || f.Name == "法定代表人（负责人）" {
			return map[string]string{f.Name: "李四"}
		}
	}
	return nil
}

// seedCompanyLicence gives the demo company a business licence, so that its
// next application for an item that asks for one finds it in the registry.
func seedCompanyLicence(ctx context.Context, lic *licences.Service, cs *cases.Service, cat *catalog.Service) error {
	it, err := cat.Item(ctx, "330206-MARKET-XK-0001-001")
	if err != nil {
		return err
	}
	var ticks []cases.Tick
	for _, m := range it.Materials {
		ticks = append(ticks, cases.Tick{Code: m.MaterialCode, Received: true})
	}
	uscc, err := OrgUSCC("91", Region, "MA2CX0Y1")
	if err != nil {
		return err
	}
	c, err := cs.Apply(ctx, demoClerk, cases.Application{ItemCode: it.Code, Window: "1号窗口", Applicant: cases.Applicant{
		Kind: identity.Legal, Name: "宁波北仑示范贸易有限公司", USCC: uscc, LegalRep: "张三"}, Decision: cases.Accept,
		Materials: ticks}, "")
	if err != nil {
		return err
	}
	approver := &identity.Principal{Username: "approver", Name: "后台审批", Kind: identity.Staff,
		Roles: []identity.Role{identity.Approver}, DepartmentCode: "MARKET"}
	if _, err := cs.Act(ctx, approver, c.No, cases.ActInput{Action: cases.Approve, Reason: "符合法定条件"}); err != nil {
		return err
	}
	_, err = lic.Issue(ctx, demoIssuer, c.No, licences.IssueInput{})
	return err
}
