package catalog

import (
	"context"
	"fmt"
	"strings"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/identity"
)

// BundleView is a bundle with its items' current versions, the one shared
// set of materials the applicant hands in ("材料 26→9") and the bundle's
// time limits.
type BundleView struct {
	Bundle
	Items []Item `json:"items"`
	// RequiredTotal is how many required materials the items demand one by
	// one, duplicates counted: what the applicant faced before the bundle.
	RequiredTotal   int              `json:"requiredTotal"`
	MergedMaterials []MergedMaterial `json:"mergedMaterials"`
	// The limits of the slowest path: stages run one after another, the
	// items of a stage in parallel.
	PromisedLimit  HalfDays `json:"promisedLimit"`
	StatutoryLimit HalfDays `json:"statutoryLimit"`
}

// MergedMaterial is one material of a bundle's shared set.
type MergedMaterial struct {
	MaterialCode string   `json:"materialCode"`
	Name         string   `json:"name"`
	ItemCodes    []string `json:"itemCodes"` // the items that need it
	Originals    int      `json:"originals"` // the most any item needs
	Copies       int      `json:"copies"`
	Required     bool     `json:"required"` // required by at least one item
}

// View merges a bundle with its items (by code): the shared materials in
// order of first use, and the limits of the slowest path. Items missing
// from items are left out.
func View(b Bundle, items map[string]Item) BundleView {
	v := BundleView{Bundle: b, Items: []Item{}, MergedMaterials: []MergedMaterial{}}
	merged := map[string]int{} // material code → index in v.MergedMaterials
	for _, st := range b.Stages {
		var promised, statutory HalfDays
		for _, code := range st.ItemCodes {
			it, ok := items[code]
			if !ok {
				continue
			}
			v.Items = append(v.Items, it)
			promised, statutory = max(promised, it.PromisedLimit), max(statutory, it.StatutoryLimit)
			for _, m := range it.Materials {
				v.merge(merged, it.Code, m)
			}
		}
		v.PromisedLimit += promised
		v.StatutoryLimit += statutory
	}
	return v
}

func (v *BundleView) merge(index map[string]int, itemCode string, m ItemMaterial) {
	if m.Required {
		v.RequiredTotal++
	}
	i, ok := index[m.MaterialCode]
	if !ok {
		index[m.MaterialCode] = len(v.MergedMaterials)
		v.MergedMaterials = append(v.MergedMaterials, MergedMaterial{MaterialCode: m.MaterialCode, Name: m.Name,
			ItemCodes: []string{itemCode}, Originals: m.Originals, Copies: m.Copies, Required: m.Required})
		return
	}
	mm := &v.MergedMaterials[i]
	mm.ItemCodes = append(mm.ItemCodes, itemCode)
	mm.Originals, mm.Copies = max(mm.Originals, m.Originals), max(mm.Copies, m.Copies)
	mm.Required = mm.Required || m.Required
}

// Bundles lists the bundles by code.
func (s *Service) Bundles(ctx context.Context) ([]Bundle, error) {
	return s.store.Bundles(ctx)
}

// Bundle is a bundle merged with the current versions of its items.
func (s *Service) Bundle(ctx context.Context, code string) (BundleView, error) {
	b, err := s.store.Bundle(ctx, code)
	if err != nil {
		return BundleView{}, err
	}
	var found []Item
	for _, st := range b.Stages {
		for _, c := range st.ItemCodes {
			it, err := s.store.ItemVersion(ctx, c, 0)
			if apperr.Is(err, apperr.NotFound) {
				continue // withdrawn since: the bundle shows what is still offered
			}
			if err != nil {
				return BundleView{}, err
			}
			found = append(found, it)
		}
	}
	found, err = s.fillAll(ctx, found)
	if err != nil {
		return BundleView{}, err
	}
	items := make(map[string]Item, len(found))
	for _, it := range found {
		items[it.Code] = it
	}
	return View(b, items), nil
}

// SaveBundle creates or replaces (by code) a bundle. Every stage needs at
// least one item, and every item must exist.
func (s *Service) SaveBundle(ctx context.Context, p *identity.Principal, b Bundle) (Bundle, error) {
	if err := p.Require(identity.PermCatalogEdit); err != nil {
		return Bundle{}, err
	}
	b.Code, b.Name = strings.TrimSpace(b.Code), strings.TrimSpace(b.Name)
	if err := s.validateBundle(ctx, b); err != nil {
		return Bundle{}, err
	}
	a := audit.New(p.Actor(), "catalog.bundle.save", "bundle", b.Code).With(b.Name)
	if err := s.store.SaveBundle(ctx, &b, a); err != nil {
		return Bundle{}, err
	}
	return b, nil
}

func (s *Service) validateBundle(ctx context.Context, b Bundle) error {
	f := fieldErrors{}
	f.check(codePattern.MatchString(b.Code), "code", "err.catalog.code")
	f.check(b.Name != "", "name", "err.required")
	f.check(b.Object.Valid(), "object", "err.catalog.unknown_value")
	f.check(len(b.Stages) > 0, "stages", "err.required")
	for i, st := range b.Stages {
		field := fmt.Sprintf("stages[%d]", i)
		f.check(len(st.ItemCodes) > 0, field, "err.catalog.stage_empty")
		for _, c := range st.ItemCodes {
			ok, err := s.store.ItemExists(ctx, c)
			if err != nil {
				return err
			}
			f.check(ok, field, "err.catalog.item_missing")
		}
	}
	return f.err()
}

// RequiredMerged is how many distinct required materials the bundle asks
// for once merged: what the applicant faces with the bundle (26 → 9).
func (v BundleView) RequiredMerged() int {
	n := 0
	for _, m := range v.MergedMaterials {
		if m.Required {
			n++
		}
	}
	return n
}
