// Package catalogsync exchanges the service catalog with the province
// upstream: it writes the catalog as JSON or XLSX (docs/catalog-format.md),
// reads such a file back with line- or cell-level errors, compares it with
// the current catalog, and applies the difference as new published
// versions through the catalog service, keeping each item's local-only
// fields and telling each department about changes to its items.
package catalogsync

import (
	"context"
	"io"

	"onevisit/internal/catalog"
	"onevisit/internal/identity"
)

// Catalog is what the sync needs of the catalog service (catalog.Service).
type Catalog interface {
	Snapshot(ctx context.Context) (catalog.Snapshot, error)
	SaveDraft(ctx context.Context, p *identity.Principal, it catalog.Item) (catalog.Item, error)
	Publish(ctx context.Context, p *identity.Principal, code string) (catalog.Item, error)
	Withdraw(ctx context.Context, p *identity.Principal, code, reason string) error
	SaveMaterial(ctx context.Context, p *identity.Principal, m catalog.Material) (catalog.Material, error)
	SaveProof(ctx context.Context, p *identity.Principal, pr catalog.Proof) (catalog.Proof, error)
	SaveBundle(ctx context.Context, p *identity.Principal, b catalog.Bundle) (catalog.Bundle, error)
}

// Departments lists the departments an item may name (identity.Service).
type Departments interface {
	Departments(ctx context.Context) ([]identity.Department, error)
}

// Notifier tells a department about something (notify.Service).
type Notifier interface {
	Notify(ctx context.Context, deptCode, kind, title, body, link string) error
}

// Service exports and imports the catalog.
type Service struct {
	catalog  Catalog
	depts    Departments
	notifier Notifier
}

// New returns a Service. depts may be nil (departments are then checked
// only when items are saved) and so may notifier (nobody is told).
func New(c Catalog, depts Departments, n Notifier) *Service {
	return &Service{catalog: c, depts: depts, notifier: n}
}

// Options are the choices of an import.
type Options struct {
	Format Format // Auto (the default) detects JSON or XLSX
	// DryRun only compares: nothing is changed.
	DryRun bool
	// ConfirmRemovals withdraws the items missing from the file; without
	// it they are reported as pending and stay published.
	ConfirmRemovals bool
}

// Export writes the current catalog in format f.
func (s *Service) Export(ctx context.Context, w io.Writer, f Format) error {
	snap, err := s.catalog.Snapshot(ctx)
	if err != nil {
		return err
	}
	return Write(w, snap, f)
}

// Import reads a catalog file, checks it against the current catalog and
// compares the two; unless opt.DryRun it then applies the difference (see
// apply). It needs identity.PermCatalogEdit, even for a dry run. A file
// with errors is a *MalformedError and changes nothing.
func (s *Service) Import(ctx context.Context, p *identity.Principal, data []byte, opt Options) (Report, error) {
	if err := p.Require(identity.PermCatalogEdit); err != nil {
		return Report{}, err
	}
	inc, loc, errs := parse(data, opt.Format)
	if len(errs) > 0 {
		return Report{}, &MalformedError{Errors: errs}
	}
	cur, err := s.catalog.Snapshot(ctx)
	if err != nil {
		return Report{}, err
	}
	depts, err := s.departmentCodes(ctx)
	if err != nil {
		return Report{}, err
	}
	if errs := locateAll(loc, check(inc, &cur, depts)); len(errs) > 0 {
		return Report{}, &MalformedError{Errors: errs}
	}
	r := Compare(cur, inc)
	if opt.DryRun {
		r.DryRun = true
		r.PendingRemovals = removedCodes(r)
		return r, nil
	}
	err = s.apply(ctx, p, cur, inc, &r, opt.ConfirmRemovals)
	return r, err
}

// departmentCodes lists the codes of the departments, or nil when the
// service has no Departments.
func (s *Service) departmentCodes(ctx context.Context) ([]string, error) {
	if s.depts == nil {
		return nil, nil
	}
	ds, err := s.depts.Departments(ctx)
	if err != nil {
		return nil, err
	}
	codes := make([]string, len(ds))
	for i, d := range ds {
		codes[i] = d.Code
	}
	return codes, nil
}

func removedCodes(r Report) []string {
	codes := []string{}
	for _, ir := range r.Items {
		if ir.Kind == Removed {
			codes = append(codes, ir.Code)
		}
	}
	return codes
}
