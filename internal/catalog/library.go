package catalog

import (
	"context"
	"strings"
	"time"

	"onevisit/internal/audit"
	"onevisit/internal/identity"
)

// Materials lists the materials library by code.
func (s *Service) Materials(ctx context.Context) ([]Material, error) {
	return s.store.Materials(ctx)
}

// SaveMaterial creates or replaces (by code) an entry of the materials
// library. A material that is a proof must name a proof of the catalog.
func (s *Service) SaveMaterial(ctx context.Context, p *identity.Principal, m Material) (Material, error) {
	if err := p.Require(identity.PermCatalogEdit); err != nil {
		return Material{}, err
	}
	m.Code, m.Name, m.ProofCode = strings.TrimSpace(m.Code), strings.TrimSpace(m.Name), strings.TrimSpace(m.ProofCode)
	f := fieldErrors{}
	f.check(codePattern.MatchString(m.Code), "code", "err.catalog.code")
	f.check(m.Name != "", "name", "err.required")
	if m.ProofCode != "" {
		ok, err := s.proofExists(ctx, m.ProofCode)
		if err != nil {
			return Material{}, err
		}
		f.check(ok, "proofCode", "err.catalog.proof_missing")
	}
	if err := f.err(); err != nil {
		return Material{}, err
	}
	a := audit.New(p.Actor(), "catalog.material.save", "material", m.Code).With(m.Name)
	if err := s.store.SaveMaterial(ctx, &m, a); err != nil {
		return Material{}, err
	}
	s.forgetLibrary()
	return m, nil
}

func (s *Service) proofExists(ctx context.Context, code string) (bool, error) {
	ps, err := s.store.Proofs(ctx)
	if err != nil {
		return false, err
	}
	for _, p := range ps {
		if p.Code == code {
			return true, nil
		}
	}
	return false, nil
}

// Proofs lists the proofs catalog by code.
func (s *Service) Proofs(ctx context.Context) ([]Proof, error) {
	return s.store.Proofs(ctx)
}

// SaveProof creates or replaces (by code) an entry of the proofs catalog. A
// cancelled proof must say what replaces it; a retained one replaces nothing.
func (s *Service) SaveProof(ctx context.Context, p *identity.Principal, pr Proof) (Proof, error) {
	if err := p.Require(identity.PermCatalogEdit); err != nil {
		return Proof{}, err
	}
	pr.Code, pr.Name = strings.TrimSpace(pr.Code), strings.TrimSpace(pr.Name)
	if pr.Status == "" {
		pr.Status = Retained
	}
	f := fieldErrors{}
	f.check(codePattern.MatchString(pr.Code), "code", "err.catalog.code")
	f.check(pr.Name != "", "name", "err.required")
	f.check(pr.Status == Retained || pr.Status == Cancelled, "status", "err.catalog.unknown_value")
	f.check(pr.Status != Cancelled || pr.Replacement.Valid(), "replacement", "err.catalog.replacement_required")
	f.check(pr.Status != Retained || pr.Replacement == "", "replacement", "err.catalog.replacement_retained")
	if err := f.err(); err != nil {
		return Proof{}, err
	}
	switch {
	case pr.Status == Retained:
		pr.CancelledAt = time.Time{}
	case pr.CancelledAt.IsZero():
		pr.CancelledAt = s.now()
	}
	pr.CancelledAt = pr.CancelledAt.UTC().Truncate(time.Microsecond)
	a := audit.New(p.Actor(), "catalog.proof.save", "proof", pr.Code).With(string(pr.Status) + " " + pr.Name)
	if err := s.store.SaveProof(ctx, &pr, a); err != nil {
		return Proof{}, err
	}
	return pr, nil
}
