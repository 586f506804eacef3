package catalog

import (
	"context"
	"time"
)

// The Snapshot format name and version this code writes and reads.
const (
	SnapshotFormat  = "onevisit-catalog"
	SnapshotVersion = 1
)

// Snapshot is the whole current catalog for export: the materials
// library, the proofs catalog, the current published version of every item
// and the bundles, each sorted by code.
func (s *Service) Snapshot(ctx context.Context) (Snapshot, error) {
	snap := Snapshot{Format: SnapshotFormat, Version: SnapshotVersion, ExportedAt: s.now().UTC().Truncate(time.Second)}
	var err error
	if snap.Materials, err = s.store.Materials(ctx); err != nil {
		return Snapshot{}, err
	}
	if snap.Proofs, err = s.store.Proofs(ctx); err != nil {
		return Snapshot{}, err
	}
	items, err := s.store.CurrentItems(ctx)
	if err != nil {
		return Snapshot{}, err
	}
	if snap.Items, err = s.fillAll(ctx, items); err != nil {
		return Snapshot{}, err
	}
	if snap.Bundles, err = s.store.Bundles(ctx); err != nil {
		return Snapshot{}, err
	}
	return snap, nil
}

// ItemNames are the names of the current items by code.
func (s *Service) ItemNames(ctx context.Context) (map[string]string, error) {
	snap, err := s.Snapshot(ctx)
	names := make(map[string]string, len(snap.Items))
	for _, it := range snap.Items {
		names[it.Code] = it.Name
	}
	return names, err
}
