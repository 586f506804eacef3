package catalogsync

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"onevisit/internal/catalog"
	"onevisit/internal/identity"
)

// WithdrawReason is the reason recorded when an import withdraws an item.
const WithdrawReason = "上游事项目录已删除该事项 (removed from the upstream catalog)"

// apply changes the catalog as compared in r, through the catalog service
// (so every change is checked and audited): new and changed proofs, then
// materials, then items (a new draft with the file's guide and the
// item's own local-only fields, published at once, parents before
// children), then bundles; removed items are withdrawn (children first)
// only when confirm is set. Then each affected department is notified
// once. Entries equal to the catalog's are not saved again, so applying
// the same file twice publishes nothing the second time.
func (s *Service) apply(ctx context.Context, p *identity.Principal, cur, inc catalog.Snapshot, r *Report, confirm bool) error {
	if err := s.applyLibrary(ctx, p, cur, inc); err != nil {
		return err
	}
	if err := s.applyItems(ctx, p, cur, inc, r); err != nil {
		return err
	}
	added, changed, _ := diffByCode(cur.Bundles, inc.Bundles, bundleCode, sameBundle)
	for _, b := range slices.Concat(added, changed) {
		if _, err := s.catalog.SaveBundle(ctx, p, b); err != nil {
			return fmt.Errorf("bundle %s: %w", b.Code, err)
		}
	}
	if err := s.applyRemovals(ctx, p, cur, r, confirm); err != nil {
		return err
	}
	return s.notify(ctx, cur, inc, r)
}

func (s *Service) applyLibrary(ctx context.Context, p *identity.Principal, cur, inc catalog.Snapshot) error {
	added, changed, _ := diffByCode(cur.Proofs, inc.Proofs, proofCode, sameProof)
	for _, pr := range slices.Concat(added, changed) {
		if _, err := s.catalog.SaveProof(ctx, p, pr); err != nil {
			return fmt.Errorf("proof %s: %w", pr.Code, err)
		}
	}
	madded, mchanged, _ := diffByCode(cur.Materials, inc.Materials, materialCode, sameMaterial)
	for _, m := range slices.Concat(madded, mchanged) {
		if _, err := s.catalog.SaveMaterial(ctx, p, m); err != nil {
			return fmt.Errorf("material %s: %w", m.Code, err)
		}
	}
	return nil
}

var depth = map[catalog.Level]int{catalog.Main: 0, catalog.Sub: 1, catalog.Handling: 2}

// applyItems saves and publishes the added and changed items.
func (s *Service) applyItems(ctx context.Context, p *identity.Principal, cur, inc catalog.Snapshot, r *Report) error {
	kinds := map[string]Kind{}
	for _, ir := range r.Items {
		kinds[ir.Code] = ir.Kind
	}
	old := byCode(cur.Items, itemCode)
	var todo []catalog.Item
	for _, it := range inc.Items {
		if k := kinds[it.Code]; k == Added || k == Changed {
			if o, ok := old[it.Code]; ok {
				it.Local = o.Local // local-only fields are this center's own
			}
			todo = append(todo, it)
		}
	}
	slices.SortFunc(todo, func(a, b catalog.Item) int {
		return cmp.Or(depth[a.Level]-depth[b.Level], strings.Compare(a.Code, b.Code))
	})
	for _, it := range todo {
		if _, err := s.catalog.SaveDraft(ctx, p, it); err != nil {
			return fmt.Errorf("item %s: %w", it.Code, err)
		}
		if _, err := s.catalog.Publish(ctx, p, it.Code); err != nil {
			return fmt.Errorf("item %s: %w", it.Code, err)
		}
		r.Published = append(r.Published, it.Code)
	}
	return nil
}

// applyRemovals withdraws the removed items, children first, or lists them
// as pending.
func (s *Service) applyRemovals(ctx context.Context, p *identity.Principal, cur catalog.Snapshot, r *Report, confirm bool) error {
	codes := removedCodes(*r)
	if !confirm {
		r.PendingRemovals = codes
		return nil
	}
	old := byCode(cur.Items, itemCode)
	slices.SortStableFunc(codes, func(a, b string) int { return depth[old[b].Level] - depth[old[a].Level] })
	for _, code := range codes {
		if err := s.catalog.Withdraw(ctx, p, code, WithdrawReason); err != nil {
			return fmt.Errorf("item %s: %w", code, err)
		}
		r.Withdrawn = append(r.Withdrawn, code)
	}
	slices.Sort(r.Withdrawn)
	return nil
}
