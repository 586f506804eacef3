// Package demo seeds the demo service center: the departments of a
// free-trade-zone administrative service center and one account per role.
// Later features add their part of the demo here.
package demo

import (
	"context"
	"crypto/rand"
	_ "embed"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"

	"onevisit/internal/apperr"
	"onevisit/internal/catalog"
	"onevisit/internal/idcode"
	"onevisit/internal/identity"
)

// Region is the region code (GB/T 2260) the demo center sits in: 宁波市北仑区.
const Region = "330206"

// department is a seed department; org is its 8-character organisation
// code body, from which its organisation code and USCC are derived.
type department struct {
	code, name, nameEn, org string
}

// Departments of the demo center (经济发展局, 建设管理局 … as in the reform's
// account of the Ningbo free-trade zone).
var departments = []department{
	{"CENTER", "行政服务中心", "Administrative Service Center", "MB000001"},
	{"ECON", "经济发展局", "Economic Development Bureau", "MB000002"},
	{"CONSTR", "建设管理局", "Construction Administration Bureau", "MB000003"},
	{"LAND", "国土资源分局", "Land Resources Branch", "MB000004"},
	{"HRSS", "人力社保局", "Human Resources and Social Security Bureau", "MB000005"},
	{"MARKET", "市场监管局", "Market Supervision Bureau", "MB000006"},
	{"COMMERCE", "商务局", "Commerce Bureau", "MB000007"},
	{"ENV", "环境保护局", "Environmental Protection Bureau", "MB000008"},
	{"SAFETY", "安全生产监督管理局", "Work Safety Bureau", "MB000009"},
	{"REFORM", "审管办", "Approval Supervision Office", "MB000010"},
}

// account is a seed user.
type account struct {
	username, name string
	kind           identity.Kind
	roles          []identity.Role
	dept           string // department code
}

// Accounts lists the demo accounts, one per role.
var accounts = []account{
	{"admin", "系统管理员", identity.Staff, []identity.Role{identity.Admin}, "CENTER"},
	{"clerk", "王敏（综合窗口）", identity.Staff, []identity.Role{identity.Clerk}, "CENTER"},
	{"approver", "李强（市场监管局）", identity.Staff, []identity.Role{identity.Approver}, "MARKET"},
	{"issuer", "赵丽（统一出件）", identity.Staff, []identity.Role{identity.Issuer}, "CENTER"},
	{"supervisor", "陈静（审管办）", identity.Staff, []identity.Role{identity.Supervisor}, "REFORM"},
	{"catalog", "周涛（事项管理）", identity.Staff, []identity.Role{identity.CatalogAdmin}, "REFORM"},
	{"leader", "孙主任（管委会）", identity.Staff, []identity.Role{identity.Leader}, "CENTER"},
	{"citizen", "张三", identity.Person, []identity.Role{identity.Applicant}, ""},
	{"company", "宁波北仑示范贸易有限公司", identity.Legal, []identity.Role{identity.Applicant}, ""},
}

// Usernames lists the demo accounts in the order they are printed.
func Usernames() []string {
	names := make([]string, len(accounts))
	for i, a := range accounts {
		names[i] = a.username
	}
	return names
}

// OrgUSCC derives a valid organisation code and USCC (GB 11714, GB 32100)
// from an 8-character organisation-code body, for registration category
// dept+cat (e.g. "11" for a government organ, "91" for a company).
func OrgUSCC(deptCat, region, org8 string) (string, error) {
	oc, err := idcode.OrgCodeCheck(org8)
	if err != nil {
		return "", err
	}
	body := deptCat + region + org8 + string(oc)
	c, err := idcode.USCCCheck(body)
	if err != nil {
		return "", err
	}
	return body + string(c), nil
}

// CitizenID is the demo citizen's ID card number (a valid check digit,
// born 1985-03-15 in the demo region).
func CitizenID() string {
	body := Region + "19850315" + "001"
	c, _ := idcode.IDCardCheck(body)
	return body + string(c)
}

// RandomPassword returns a password that meets the staff policy.
func RandomPassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 14)
	for i := range b {
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		b[i] = alphabet[n.Int64()]
	}
	return "Ov-" + string(b)
}

// Result says what Seed did.
type Result struct {
	Created bool // false: the demo was already there
}

// Seed creates the demo departments and accounts with password, unless the
// admin account exists already; then, if reset is set, it sets every demo
// account's password to password.
func Seed(ctx context.Context, ids *identity.Service, password string, reset bool) (Result, error) {
	existing, err := ids.UserExists(ctx, "admin")
	if err != nil {
		return Result{}, err
	}
	if existing {
		if reset {
			return Result{}, resetPasswords(ctx, ids, password)
		}
		return Result{}, nil
	}
	deptIDs := map[string]int64{}
	var centerID int64
	for _, d := range departments {
		uscc, err := OrgUSCC("11", Region, d.org)
		if err != nil {
			return Result{}, fmt.Errorf("demo department %s: %w", d.code, err)
		}
		dep := identity.Department{ParentID: centerID, Code: d.code, Name: d.name, NameEn: d.nameEn, USCC: uscc, RegionCode: Region}
		if d.code == "CENTER" {
			dep.ParentID = 0
		}
		dep, err = ids.CreateDepartment(ctx, nil, dep)
		if err != nil {
			return Result{}, fmt.Errorf("demo department %s: %w", d.code, err)
		}
		deptIDs[d.code] = dep.ID
		if d.code == "CENTER" {
			centerID = dep.ID
		}
	}
	companyUSCC, err := OrgUSCC("91", Region, "MA2CX0Y1")
	if err != nil {
		return Result{}, err
	}
	for _, a := range accounts {
		in := identity.NewUser{Username: a.username, DisplayName: a.name, Password: password, Kind: a.kind,
			Roles: a.roles, DepartmentID: deptIDs[a.dept], SkipPolicy: true, Phone: "13800000000"}
		switch a.kind {
		case identity.Person:
			in.IDNumber = CitizenID()
		case identity.Legal:
			in.USCC, in.LegalRep = companyUSCC, "张三"
		}
		if _, err := ids.Bootstrap(ctx, in); err != nil {
			return Result{}, fmt.Errorf("demo account %s: %w", a.username, apperr.As(err))
		}
	}
	return Result{Created: true}, nil
}

func resetPasswords(ctx context.Context, ids *identity.Service, password string) error {
	for _, a := range accounts {
		if err := ids.ResetPassword(ctx, a.username, password); err != nil && !apperr.Is(err, apperr.NotFound) {
			return fmt.Errorf("demo account %s: %w", a.username, err)
		}
	}
	return nil
}

//go:embed catalog.json
var catalogJSON []byte

// Catalog is the demo center's catalog: 54 items of a free-trade-zone
// service center with their guides, the materials library, the proofs
// catalog and four cross-department bundles.
func Catalog() catalog.Snapshot {
	var snap catalog.Snapshot
	if err := json.Unmarshal(catalogJSON, &snap); err != nil {
		panic("demo catalog.json: " + err.Error()) // checked by TestCatalogData*
	}
	return snap
}

// System is the principal the demo seeds data as.
var System = &identity.Principal{Username: "system", Name: "system", Kind: identity.Staff,
	Roles: []identity.Role{identity.CatalogAdmin, identity.Clerk}}

// SeedCatalog loads a catalog snapshot through the catalog service as p
// (a catalog admin, e.g. a synthetic "system" principal): proofs, then
// materials, then items with parents before children (each saved as a
// draft and published), then bundles. It does nothing when the catalog
// already has a published item.
func SeedCatalog(ctx context.Context, svc *catalog.Service, p *identity.Principal, snap catalog.Snapshot) error {
	existing, err := svc.Search(ctx, catalog.Query{PerPage: 1})
	if err != nil || existing.Total > 0 {
		return err
	}
	for _, pr := range snap.Proofs {
		if _, err := svc.SaveProof(ctx, p, pr); err != nil {
			return fmt.Errorf("demo proof %s: %w", pr.Code, err)
		}
	}
	for _, m := range snap.Materials {
		if _, err := svc.SaveMaterial(ctx, p, m); err != nil {
			return fmt.Errorf("demo material %s: %w", m.Code, err)
		}
	}
	items := slices.Clone(snap.Items)
	depth := map[catalog.Level]int{catalog.Main: 0, catalog.Sub: 1, catalog.Handling: 2}
	slices.SortStableFunc(items, func(a, b catalog.Item) int { return depth[a.Level] - depth[b.Level] })
	for _, it := range items {
		if _, err := svc.SaveDraft(ctx, p, it); err != nil {
			return fmt.Errorf("demo item %s: %w", it.Code, err)
		}
		if _, err := svc.Publish(ctx, p, it.Code); err != nil {
			return fmt.Errorf("demo item %s: %w", it.Code, err)
		}
	}
	for _, b := range snap.Bundles {
		if _, err := svc.SaveBundle(ctx, p, b); err != nil {
			return fmt.Errorf("demo bundle %s: %w", b.Code, err)
		}
	}
	return nil
}
