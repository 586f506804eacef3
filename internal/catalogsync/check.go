package catalogsync

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"onevisit/internal/catalog"
)

// codePattern is what the catalog accepts as a code (catalog.SaveDraft
// checks the same).
var codePattern = regexp.MustCompile(`^[0-9A-Za-z._-]{1,64}$`)

// checker collects the problems of an incoming catalog. The rules are
// those the catalog service enforces on save, checked up front so that a
// bad file is rejected whole instead of half applied.
type checker struct {
	problems []problem
}

func (c *checker) check(ok bool, path, key string, args ...any) {
	if !ok {
		c.problems = append(c.problems, problem{path: path, key: key, args: args})
	}
}

// refs is what a catalog entry may refer to: the codes of the incoming
// file together with those of the current catalog, and the departments.
type refs struct {
	items     map[string]bool
	materials map[string]catalog.Material
	proofs    map[string]catalog.Proof
	depts     map[string]bool // nil: departments are not checked
}

func newRefs(inc catalog.Snapshot, cur *catalog.Snapshot, depts []string) refs {
	r := refs{items: map[string]bool{}, materials: map[string]catalog.Material{}, proofs: map[string]catalog.Proof{}}
	add := func(s catalog.Snapshot) {
		for _, it := range s.Items {
			r.items[it.Code] = true
		}
		for _, m := range s.Materials {
			r.materials[m.Code] = m
		}
		for _, p := range s.Proofs {
			r.proofs[p.Code] = p
		}
	}
	if cur != nil {
		add(*cur)
	}
	add(inc) // the file's entries replace the current ones
	if depts != nil {
		r.depts = map[string]bool{}
		for _, d := range depts {
			r.depts[d] = true
		}
	}
	return r
}

// check lists the problems of inc: its own rules and its references
// (parents, library materials, proofs, bundle items) to itself and to cur,
// if given, and to the departments depts, if not nil.
func check(inc catalog.Snapshot, cur *catalog.Snapshot, depts []string) []problem {
	c := &checker{}
	c.check(inc.Format == catalog.SnapshotFormat, "format", "err.catalogsync.format", catalog.SnapshotFormat)
	c.check(inc.Version == catalog.SnapshotVersion, "version", "err.catalogsync.version", inc.Version)
	r := newRefs(inc, cur, depts)
	c.proofs(inc.Proofs)
	c.materials(inc.Materials, r)
	seen := map[string]bool{}
	for i, it := range inc.Items {
		p := fmt.Sprintf("items[%d]", i)
		c.check(!seen[it.Code], p+".code", "err.catalog.duplicate")
		seen[it.Code] = true
		c.item(p, it, r)
	}
	c.bundles(inc.Bundles, r)
	return c.problems
}

func (c *checker) item(p string, it catalog.Item, r refs) {
	c.check(codePattern.MatchString(it.Code), p+".code", "err.catalog.code")
	c.check(it.Name != "", p+".name", "err.required")
	c.check(it.Type.Valid(), p+".type", "err.catalog.unknown_value")
	c.check(it.Level.Valid(), p+".level", "err.catalog.unknown_value")
	c.parent(p, it, r)
	c.check(it.DepartmentCode != "", p+".departmentCode", "err.required")
	c.check(it.DepartmentCode == "" || r.depts == nil || r.depts[it.DepartmentCode], p+".departmentCode", "err.catalog.department_missing")
	c.check(len(it.Objects) > 0 && allValid(it.Objects), p+".objects", "err.catalog.unknown_value")
	c.check(it.CaseType == catalog.Immediate || it.CaseType == catalog.Promised, p+".caseType", "err.catalog.unknown_value")
	c.check(it.StatutoryLimit >= 0, p+".statutoryLimit", "err.catalog.negative")
	c.check(it.PromisedLimit >= 0, p+".promisedLimit", "err.catalog.negative")
	c.check(it.PromisedLimit <= it.StatutoryLimit, p+".promisedLimit", "err.catalog.promised_over_statutory")
	c.check(it.CaseType != catalog.Immediate || it.PromisedLimit == 0, p+".promisedLimit", "err.catalog.immediate_limit")
	c.check(it.VisitsRequired == 0 || it.VisitsRequired == 1, p+".visitsRequired", "err.catalog.visits")
	c.check(it.OnlineDepth >= 0 && it.OnlineDepth <= 4, p+".onlineDepth", "err.catalog.online_depth")
	c.check(it.DailyQuota >= 0, p+".dailyQuota", "err.catalog.negative")
	c.check(allValid(it.SubmitModes), p+".submitModes", "err.catalog.unknown_value")
	c.check(allValid(it.CollectModes), p+".collectModes", "err.catalog.unknown_value")
	c.itemMaterials(p, it.Materials, r)
}

func (c *checker) parent(p string, it catalog.Item, r refs) {
	switch {
	case it.Level == catalog.Main:
		c.check(it.ParentCode == "", p+".parentCode", "err.catalog.main_has_parent")
	case it.ParentCode == "":
		c.check(false, p+".parentCode", "err.required")
	case it.ParentCode == it.Code:
		c.check(false, p+".parentCode", "err.catalog.parent_self")
	default:
		c.check(r.items[it.ParentCode], p+".parentCode", "err.catalog.item_missing")
	}
}

var sources = []catalog.Source{catalog.FromApplicant, catalog.FromLicences, catalog.FromSharing}

func (c *checker) itemMaterials(p string, ms []catalog.ItemMaterial, r refs) {
	seen := map[string]bool{}
	for j, m := range ms {
		q := fmt.Sprintf("%s.materials[%d]", p, j)
		lib, ok := r.materials[m.MaterialCode]
		c.check(ok, q+".materialCode", "err.catalog.material_missing")
		c.check(!seen[m.MaterialCode], q+".materialCode", "err.catalog.duplicate")
		c.check(m.Originals >= 0, q+".originals", "err.catalog.negative")
		c.check(m.Copies >= 0, q+".copies", "err.catalog.negative")
		c.check(m.Source == "" || slices.Contains(sources, m.Source), q+".source", "err.catalog.unknown_value")
		if pr, ok := r.proofs[lib.ProofCode]; ok && pr.Status == catalog.Cancelled {
			c.check(false, q+".materialCode", "err.catalog.proof_cancelled."+string(pr.Replacement), pr.Name)
		}
		seen[m.MaterialCode] = true
	}
}

func (c *checker) materials(ms []catalog.Material, r refs) {
	seen := map[string]bool{}
	for i, m := range ms {
		p := fmt.Sprintf("materials[%d]", i)
		c.check(codePattern.MatchString(m.Code), p+".code", "err.catalog.code")
		c.check(!seen[m.Code], p+".code", "err.catalog.duplicate")
		c.check(m.Name != "", p+".name", "err.required")
		_, ok := r.proofs[m.ProofCode]
		c.check(m.ProofCode == "" || ok, p+".proofCode", "err.catalog.proof_missing")
		seen[m.Code] = true
	}
}

func (c *checker) proofs(ps []catalog.Proof) {
	seen := map[string]bool{}
	for i, pr := range ps {
		p := fmt.Sprintf("proofs[%d]", i)
		c.check(codePattern.MatchString(pr.Code), p+".code", "err.catalog.code")
		c.check(!seen[pr.Code], p+".code", "err.catalog.duplicate")
		c.check(pr.Name != "", p+".name", "err.required")
		c.check(pr.Status == catalog.Retained || pr.Status == catalog.Cancelled, p+".status", "err.catalog.unknown_value")
		c.check(pr.Status != catalog.Cancelled || pr.Replacement.Valid(), p+".replacement", "err.catalog.replacement_required")
		c.check(pr.Status != catalog.Retained || pr.Replacement == "", p+".replacement", "err.catalog.replacement_retained")
		seen[pr.Code] = true
	}
}

func (c *checker) bundles(bs []catalog.Bundle, r refs) {
	seen := map[string]bool{}
	for i, b := range bs {
		p := fmt.Sprintf("bundles[%d]", i)
		c.check(codePattern.MatchString(b.Code), p+".code", "err.catalog.code")
		c.check(!seen[b.Code], p+".code", "err.catalog.duplicate")
		c.check(b.Name != "", p+".name", "err.required")
		c.check(b.Object.Valid(), p+".object", "err.catalog.unknown_value")
		c.check(len(b.Stages) > 0, p+".stages", "err.required")
		for j, st := range b.Stages {
			q := fmt.Sprintf("%s.stages[%d].itemCodes", p, j)
			c.check(len(st.ItemCodes) > 0, q, "err.catalog.stage_empty")
			for _, code := range st.ItemCodes {
				c.check(r.items[code], q, "err.catalog.item_not_found", code)
			}
		}
		seen[b.Code] = true
	}
}

type validator interface{ Valid() bool }

func allValid[T validator](vs []T) bool {
	for _, v := range vs {
		if !v.Valid() {
			return false
		}
	}
	return true
}

// normalize trims what the catalog service trims on save, so that a file
// compares equal to the catalog it was applied to.
func normalize(s catalog.Snapshot) catalog.Snapshot {
	for i := range s.Items {
		it := &s.Items[i]
		it.Code, it.BasicCode = strings.TrimSpace(it.Code), strings.TrimSpace(it.BasicCode)
		it.ParentCode, it.DepartmentCode = strings.TrimSpace(it.ParentCode), strings.TrimSpace(it.DepartmentCode)
		it.Name = strings.TrimSpace(it.Name)
	}
	for i := range s.Materials {
		m := &s.Materials[i]
		m.Code, m.Name, m.ProofCode = strings.TrimSpace(m.Code), strings.TrimSpace(m.Name), strings.TrimSpace(m.ProofCode)
	}
	for i := range s.Proofs {
		p := &s.Proofs[i]
		p.Code, p.Name = strings.TrimSpace(p.Code), strings.TrimSpace(p.Name)
		if p.Status == "" {
			p.Status = catalog.Retained
		}
	}
	for i := range s.Bundles {
		b := &s.Bundles[i]
		b.Code, b.Name = strings.TrimSpace(b.Code), strings.TrimSpace(b.Name)
	}
	return s
}
