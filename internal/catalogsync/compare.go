package catalogsync

import (
	"slices"
	"strings"

	"onevisit/internal/catalog"
)

// Kind is what an import does to an item.
type Kind string

// The kinds of item in a Report.
const (
	Added     Kind = "added"
	Changed   Kind = "changed"
	Removed   Kind = "removed" // in the catalog, not in the file
	Unchanged Kind = "unchanged"
)

// ItemReport is one item of a Report; Changes lists the guide fields that
// differ for a changed item.
type ItemReport struct {
	Code    string           `json:"code"`
	Name    string           `json:"name"`
	Kind    Kind             `json:"kind"`
	Changes []catalog.Change `json:"changes,omitempty"`
}

// Counts says how many library entries (materials, proofs or bundles) a
// file adds, changes and leaves as they are. Entries missing from the file
// are kept: the import removes only items.
type Counts struct {
	Added     int `json:"added"`
	Changed   int `json:"changed"`
	Unchanged int `json:"unchanged"`
}

// Report is the comparison of a file with the current catalog and, once
// applied, what the import did.
type Report struct {
	Added     int          `json:"added"`
	Changed   int          `json:"changed"`
	Removed   int          `json:"removed"`
	Unchanged int          `json:"unchanged"`
	Items     []ItemReport `json:"items"` // every item of the file and the catalog, by code
	Materials Counts       `json:"materials"`
	Proofs    Counts       `json:"proofs"`
	Bundles   Counts       `json:"bundles"`

	DryRun bool `json:"dryRun"` // nothing was changed
	// Published lists the items published as a new version, parents first.
	Published []string `json:"published"`
	// Withdrawn lists the removed items withdrawn; PendingRemovals those
	// left published because removals were not confirmed.
	Withdrawn       []string `json:"withdrawn"`
	PendingRemovals []string `json:"pendingRemovals"`
	// Notified lists the departments told about changes to their items.
	Notified []string `json:"notified"`
}

// Compare compares the current catalog cur with an incoming one, item by
// item, on the guide only: local-only fields, version, status, publishing
// stamps, ids and material names filled from the library are not part of
// it. The items are sorted by code.
func Compare(cur, inc catalog.Snapshot) Report {
	r := Report{Items: []ItemReport{}, Published: []string{}, Withdrawn: []string{}, PendingRemovals: []string{}, Notified: []string{}}
	old := byCode(cur.Items, itemCode)
	for _, it := range inc.Items {
		o, ok := old[it.Code]
		delete(old, it.Code)
		switch changes := GuideDiff(o, it); {
		case !ok:
			r.add(ItemReport{Code: it.Code, Name: it.Name, Kind: Added})
		case len(changes) > 0:
			r.add(ItemReport{Code: it.Code, Name: it.Name, Kind: Changed, Changes: changes})
		default:
			r.add(ItemReport{Code: it.Code, Name: it.Name, Kind: Unchanged})
		}
	}
	for _, o := range old {
		r.add(ItemReport{Code: o.Code, Name: o.Name, Kind: Removed})
	}
	slices.SortFunc(r.Items, func(a, b ItemReport) int { return strings.Compare(a.Code, b.Code) })
	r.Materials = counts(diffByCode(cur.Materials, inc.Materials, materialCode, sameMaterial))
	r.Proofs = counts(diffByCode(cur.Proofs, inc.Proofs, proofCode, sameProof))
	r.Bundles = counts(diffByCode(cur.Bundles, inc.Bundles, bundleCode, sameBundle))
	return r
}

func (r *Report) add(ir ItemReport) {
	switch ir.Kind {
	case Added:
		r.Added++
	case Changed:
		r.Changed++
	case Removed:
		r.Removed++
	default:
		r.Unchanged++
	}
	r.Items = append(r.Items, ir)
}

// GuideDiff is catalog.Diff without the local-only fields: what an
// upstream import would change in an item's guide.
func GuideDiff(a, b catalog.Item) []catalog.Change {
	var out []catalog.Change
	for _, c := range catalog.Diff(a, b) {
		if !strings.HasPrefix(c.Field, "local.") {
			out = append(out, c)
		}
	}
	return out
}

func itemCode(it catalog.Item) string        { return it.Code }
func materialCode(m catalog.Material) string { return m.Code }
func proofCode(p catalog.Proof) string       { return p.Code }
func bundleCode(b catalog.Bundle) string     { return b.Code }
func byCode[T any](vs []T, code func(T) string) map[string]T {
	m := make(map[string]T, len(vs))
	for _, v := range vs {
		m[code(v)] = v
	}
	return m
}

// diffByCode splits inc into the entries new to cur and those that differ
// from cur's entry of the same code, and counts the others.
func diffByCode[T any](cur, inc []T, code func(T) string, same func(a, b T) bool) (added, changed []T, unchanged int) {
	old := byCode(cur, code)
	for _, v := range inc {
		o, ok := old[code(v)]
		switch {
		case !ok:
			added = append(added, v)
		case !same(o, v):
			changed = append(changed, v)
		default:
			unchanged++
		}
	}
	return added, changed, unchanged
}

func counts[T any](added, changed []T, unchanged int) Counts {
	return Counts{Added: len(added), Changed: len(changed), Unchanged: unchanged}
}

func sameMaterial(a, b catalog.Material) bool {
	a.ID, b.ID = 0, 0
	return a == b
}

// sameProof ignores the cancellation time when the file gives none (the
// catalog stamps one on save) or the proof is retained (it has none).
func sameProof(a, b catalog.Proof) bool {
	if b.CancelledAt.IsZero() || b.Status != catalog.Cancelled || a.CancelledAt.Equal(b.CancelledAt) {
		a.CancelledAt = b.CancelledAt
	}
	a.ID, b.ID = 0, 0
	return a == b
}

func sameBundle(a, b catalog.Bundle) bool {
	return a.Name == b.Name && a.Object == b.Object && a.Theme == b.Theme &&
		slices.EqualFunc(a.Stages, b.Stages, func(x, y catalog.Stage) bool {
			return x.Name == y.Name && slices.Equal(x.ItemCodes, y.ItemCodes)
		})
}
