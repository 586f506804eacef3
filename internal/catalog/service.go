package catalog

import (
	"context"
	"sync"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/identity"
)

// Store is what the catalog service needs from storage. Every write takes
// the audit entry that records it, written in the same transaction. Reads
// of one thing return an apperr.NotFound error when it does not exist.
type Store interface {
	// SaveItemDraft creates the item if its code is new, or replaces its
	// draft (the version-0 row), and sets it.ID.
	SaveItemDraft(ctx context.Context, it *Item, a audit.Entry) error
	// PublishItem turns the item's draft into version current+1, stamped
	// with at and by, and returns it.
	PublishItem(ctx context.Context, code string, at time.Time, by string, a audit.Entry) (Item, error)
	// WithdrawItem marks the item and its current version withdrawn.
	WithdrawItem(ctx context.Context, code, reason string, at time.Time, a audit.Entry) error
	// ItemDraft is the item's draft.
	ItemDraft(ctx context.Context, code string) (Item, error)
	// ItemVersion is one published (or withdrawn) version; version 0 means
	// the current published one.
	ItemVersion(ctx context.Context, code string, version int) (Item, error)
	// ItemVersions lists the published and withdrawn versions, newest first.
	ItemVersions(ctx context.Context, code string) ([]Item, error)
	// ItemExists reports whether an item with code exists in any state.
	ItemExists(ctx context.Context, code string) (bool, error)
	// CurrentItems lists the current published version of every item, by code.
	CurrentItems(ctx context.Context) ([]Item, error)
	// SearchItems finds current published items; it returns one page and
	// the total number of matches.
	SearchItems(ctx context.Context, q Query) ([]Item, int, error)
	// DepartmentExists reports whether a department has code.
	DepartmentExists(ctx context.Context, code string) (bool, error)

	Materials(ctx context.Context) ([]Material, error)
	SaveMaterial(ctx context.Context, m *Material, a audit.Entry) error
	Proofs(ctx context.Context) ([]Proof, error)
	SaveProof(ctx context.Context, p *Proof, a audit.Entry) error
	Bundles(ctx context.Context) ([]Bundle, error)
	Bundle(ctx context.Context, code string) (Bundle, error)
	SaveBundle(ctx context.Context, b *Bundle, a audit.Entry) error
}

// Service is the catalog domain service: writes need identity.PermCatalogEdit,
// reads are public.
type Service struct {
	store Store
	now   func() time.Time
	lib   libraryCache
}

// NewService returns a Service on store with clock now.
func NewService(store Store, now func() time.Time) *Service {
	return &Service{store: store, now: now}
}

// SaveDraft creates an item (new code) or replaces its draft, after
// checking every field; it returns the stored draft.
func (s *Service) SaveDraft(ctx context.Context, p *identity.Principal, it Item) (Item, error) {
	if err := p.Require(identity.PermCatalogEdit); err != nil {
		return Item{}, err
	}
	it = normalize(it)
	if err := s.validateItem(ctx, it); err != nil {
		return Item{}, err
	}
	it.Status, it.Version, it.UpdatedAt = Draft, 0, s.now().UTC().Truncate(time.Microsecond)
	it.PublishedAt, it.PublishedBy = time.Time{}, ""
	for i := range it.Materials {
		it.Materials[i].Name = "" // filled from the library when read
	}
	a := audit.New(p.Actor(), "catalog.item.draft", "item", it.Code).With(it.Name)
	if err := s.store.SaveItemDraft(ctx, &it, a); err != nil {
		return Item{}, err
	}
	return s.fill(ctx, it)
}

// Publish publishes the item's draft as its next version, which is never
// changed again. It refuses a draft that demands a cancelled proof.
func (s *Service) Publish(ctx context.Context, p *identity.Principal, code string) (Item, error) {
	if err := p.Require(identity.PermCatalogEdit); err != nil {
		return Item{}, err
	}
	draft, err := s.store.ItemDraft(ctx, code)
	if err != nil {
		return Item{}, err
	}
	if err := s.checkProofs(ctx, draft); err != nil {
		return Item{}, err
	}
	a := audit.New(p.Actor(), "catalog.item.publish", "item", code).With(draft.Name)
	it, err := s.store.PublishItem(ctx, code, s.now().UTC().Truncate(time.Microsecond), p.Actor().Name, a)
	if err != nil {
		return Item{}, err
	}
	return s.fill(ctx, it)
}

// Withdraw stops offering an item; cases keep the version they pinned.
func (s *Service) Withdraw(ctx context.Context, p *identity.Principal, code, reason string) error {
	if err := p.Require(identity.PermCatalogEdit); err != nil {
		return err
	}
	if reason == "" {
		return apperr.Field("reason", "err.required")
	}
	a := audit.New(p.Actor(), "catalog.item.withdraw", "item", code).With(reason)
	return s.store.WithdrawItem(ctx, code, reason, s.now().UTC().Truncate(time.Microsecond), a)
}

// Item is the current published version of an item, with its materials.
func (s *Service) Item(ctx context.Context, code string) (Item, error) {
	return s.ItemVersion(ctx, code, 0)
}

// ItemVersion is one version of an item; version 0 is the current one.
func (s *Service) ItemVersion(ctx context.Context, code string, version int) (Item, error) {
	it, err := s.store.ItemVersion(ctx, code, version)
	if err != nil {
		return Item{}, err
	}
	return s.fill(ctx, it)
}

// Versions is an item's history, newest first.
func (s *Service) Versions(ctx context.Context, code string) ([]Item, error) {
	vs, err := s.store.ItemVersions(ctx, code)
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, apperr.New(apperr.NotFound, "err.catalog.item_not_found", code)
	}
	return s.fillAll(ctx, vs)
}

// Draft is the item's unpublished draft; only catalog editors see drafts.
func (s *Service) Draft(ctx context.Context, p *identity.Principal, code string) (Item, error) {
	if err := p.Require(identity.PermCatalogEdit); err != nil {
		return Item{}, err
	}
	it, err := s.store.ItemDraft(ctx, code)
	if err != nil {
		return Item{}, err
	}
	return s.fill(ctx, it)
}

// fill sets the names of an item's materials from the library.
func (s *Service) fill(ctx context.Context, it Item) (Item, error) {
	items, err := s.fillAll(ctx, []Item{it})
	if err != nil {
		return Item{}, err
	}
	return items[0], nil
}

func (s *Service) fillAll(ctx context.Context, items []Item) ([]Item, error) {
	lib, err := s.materialIndex(ctx)
	if err != nil {
		return nil, err
	}
	for i := range items {
		for j := range items[i].Materials {
			items[i].Materials[j].Name = lib[items[i].Materials[j].MaterialCode].Name
		}
	}
	return items, nil
}

// libraryTTL is how long the materials library is served from memory.
// Material names change rarely and only label items; another node's change
// shows here within the TTL, this node's at once.
const libraryTTL = 10 * time.Second

// libraryCache keeps the materials library indexed by code; every case
// reads its item's materials, so reading the whole library each time cost
// more than the case itself.
type libraryCache struct {
	mu  sync.Mutex
	idx map[string]Material
	at  time.Time
}

func (s *Service) materialIndex(ctx context.Context) (map[string]Material, error) {
	s.lib.mu.Lock()
	defer s.lib.mu.Unlock()
	if s.lib.idx != nil && s.now().Sub(s.lib.at) < libraryTTL {
		return s.lib.idx, nil
	}
	ms, err := s.store.Materials(ctx)
	if err != nil {
		return nil, err
	}
	idx := make(map[string]Material, len(ms))
	for _, m := range ms {
		idx[m.Code] = m
	}
	s.lib.idx, s.lib.at = idx, s.now()
	return idx, nil
}

// forgetLibrary drops the cached library after this node changed it.
func (s *Service) forgetLibrary() {
	s.lib.mu.Lock()
	s.lib.idx = nil
	s.lib.mu.Unlock()
}
