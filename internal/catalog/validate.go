package catalog

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"onevisit/internal/apperr"
)

// codePattern is what item, material, proof and bundle codes may hold:
// they are opaque, but travel in URLs and file names.
var codePattern = regexp.MustCompile(`^[0-9A-Za-z._-]{1,64}$`)

var (
	itemTypes = []ItemType{Licensing, PublicService, Confirmation, Payment, Filing, Ruling, Reward, Collection, OtherPower}
	levels    = []Level{Main, Sub, Handling}
	objects   = []Object{ForPerson, ForEnterprise}
	modes     = []Mode{AtWindow, Online, ByEMS}
	sources   = []Source{FromApplicant, FromLicences, FromSharing}
	replaces  = []Replacement{DirectCancel, Commitment, DataSharing, DeptCheck, LicenceReplace}
)

// Valid reports whether t is a known item type.
func (t ItemType) Valid() bool { return slices.Contains(itemTypes, t) }

// Valid reports whether l is a known level.
func (l Level) Valid() bool { return slices.Contains(levels, l) }

// Valid reports whether o is a known service object.
func (o Object) Valid() bool { return slices.Contains(objects, o) }

// Valid reports whether m is a known submit or collect mode.
func (m Mode) Valid() bool { return slices.Contains(modes, m) }

// Valid reports whether r is a known replacement of a cancelled proof.
func (r Replacement) Valid() bool { return slices.Contains(replaces, r) }

// fieldErrors collects field → message key; the first error of a field wins.
type fieldErrors map[string]string

func (f fieldErrors) add(field, key string) {
	if _, ok := f[field]; !ok {
		f[field] = key
	}
}

func (f fieldErrors) check(ok bool, field, key string) {
	if !ok {
		f.add(field, key)
	}
}

func (f fieldErrors) err() error {
	if len(f) == 0 {
		return nil
	}
	return &apperr.Error{Kind: apperr.Invalid, Key: "err.invalid_input", Fields: f}
}

// normalize trims the free-text identifiers of an item.
func normalize(it Item) Item {
	it.Code, it.BasicCode = strings.TrimSpace(it.Code), strings.TrimSpace(it.BasicCode)
	it.ParentCode, it.DepartmentCode = strings.TrimSpace(it.ParentCode), strings.TrimSpace(it.DepartmentCode)
	it.Name = strings.TrimSpace(it.Name)
	return it
}

// checkItem checks the rules of an item that need no storage.
func checkItem(it Item) fieldErrors {
	f := fieldErrors{}
	f.check(codePattern.MatchString(it.Code), "code", "err.catalog.code")
	f.check(it.Name != "", "name", "err.required")
	f.check(it.Type.Valid(), "type", "err.catalog.unknown_value")
	f.check(it.Level.Valid(), "level", "err.catalog.unknown_value")
	f.check(it.Level != Main || it.ParentCode == "", "parentCode", "err.catalog.main_has_parent")
	f.check(it.Level == Main || it.ParentCode != "", "parentCode", "err.required")
	f.check(it.ParentCode != it.Code, "parentCode", "err.catalog.parent_self")
	f.check(it.DepartmentCode != "", "departmentCode", "err.required")
	f.check(len(it.Objects) > 0, "objects", "err.required")
	f.check(allValid(it.Objects), "objects", "err.catalog.unknown_value")
	f.check(it.CaseType == Immediate || it.CaseType == Promised, "caseType", "err.catalog.unknown_value")
	checkLimits(f, it)
	f.check(it.VisitsRequired == 0 || it.VisitsRequired == 1, "visitsRequired", "err.catalog.visits")
	f.check(it.OnlineDepth >= 0 && it.OnlineDepth <= 4, "onlineDepth", "err.catalog.online_depth")
	f.check(it.DailyQuota >= 0, "dailyQuota", "err.catalog.negative")
	f.check(allValid(it.SubmitModes), "submitModes", "err.catalog.unknown_value")
	f.check(allValid(it.CollectModes), "collectModes", "err.catalog.unknown_value")
	checkItemMaterials(f, it.Materials)
	return f
}

func checkLimits(f fieldErrors, it Item) {
	f.check(it.StatutoryLimit >= 0, "statutoryLimit", "err.catalog.negative")
	f.check(it.PromisedLimit >= 0, "promisedLimit", "err.catalog.negative")
	f.check(it.PromisedLimit <= it.StatutoryLimit, "promisedLimit", "err.catalog.promised_over_statutory")
	f.check(it.CaseType != Immediate || it.PromisedLimit == 0, "promisedLimit", "err.catalog.immediate_limit")
}

func checkItemMaterials(f fieldErrors, ms []ItemMaterial) {
	seen := map[string]bool{}
	for i, m := range ms {
		field := fmt.Sprintf("materials[%d]", i)
		f.check(m.MaterialCode != "", field, "err.required")
		f.check(!seen[m.MaterialCode], field, "err.catalog.duplicate")
		f.check(m.Originals >= 0 && m.Copies >= 0, field, "err.catalog.negative")
		f.check(m.Source == "" || slices.Contains(sources, m.Source), field, "err.catalog.unknown_value")
		seen[m.MaterialCode] = true
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

// validateItem checks an item's own rules, then what it refers to: its
// parent, its department and its library materials.
func (s *Service) validateItem(ctx context.Context, it Item) error {
	f := checkItem(it)
	if it.ParentCode != "" && f["parentCode"] == "" {
		ok, err := s.store.ItemExists(ctx, it.ParentCode)
		if err != nil {
			return err
		}
		f.check(ok, "parentCode", "err.catalog.item_missing")
	}
	if it.DepartmentCode != "" {
		ok, err := s.store.DepartmentExists(ctx, it.DepartmentCode)
		if err != nil {
			return err
		}
		f.check(ok, "departmentCode", "err.catalog.department_missing")
	}
	lib, err := s.materialIndex(ctx)
	if err != nil {
		return err
	}
	for i, m := range it.Materials {
		_, ok := lib[m.MaterialCode]
		f.check(ok, fmt.Sprintf("materials[%d]", i), "err.catalog.material_missing")
	}
	return f.err()
}

// checkProofs refuses an item that demands a proof the proofs catalog has
// cancelled: outside the retained list no proof may be demanded.
func (s *Service) checkProofs(ctx context.Context, it Item) error {
	lib, err := s.materialIndex(ctx)
	if err != nil {
		return err
	}
	proofs, err := s.store.Proofs(ctx)
	if err != nil {
		return err
	}
	byCode := map[string]Proof{}
	for _, p := range proofs {
		byCode[p.Code] = p
	}
	for _, m := range it.Materials {
		pr, ok := byCode[lib[m.MaterialCode].ProofCode]
		if ok && pr.Status == Cancelled {
			return apperr.New(apperr.Invalid, "err.catalog.proof_cancelled."+string(pr.Replacement), pr.Name)
		}
	}
	return nil
}
