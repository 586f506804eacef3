package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/catalog"
)

// Materials lists the materials library by code.
func (s *CatalogStore) Materials(ctx context.Context) ([]catalog.Material, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT id, code, name, description, COALESCE(proof_code, ''), licence_type
		FROM catalog_materials ORDER BY code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ms []catalog.Material
	for rows.Next() {
		var m catalog.Material
		if err := rows.Scan(&m.ID, &m.Code, &m.Name, &m.Description, &m.ProofCode, &m.LicenceType); err != nil {
			return nil, err
		}
		ms = append(ms, m)
	}
	return ms, rows.Err()
}

// SaveMaterial creates or replaces a material by code and sets its ID.
func (s *CatalogStore) SaveMaterial(ctx context.Context, m *catalog.Material, a audit.Entry) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		id, err := insertID(ctx, tx, `INSERT INTO catalog_materials (code, name, description, proof_code, licence_type, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, description = excluded.description,
			proof_code = excluded.proof_code, licence_type = excluded.licence_type, updated_at = excluded.updated_at`,
			m.Code, m.Name, m.Description, nullString(m.ProofCode), m.LicenceType, micros(tx.Now()))
		if err != nil {
			return wrapItemFK(err)
		}
		m.ID = id
		return appendAudit(ctx, tx, a)
	})
}

// Proofs lists the proofs catalog by code.
func (s *CatalogStore) Proofs(ctx context.Context) ([]catalog.Proof, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT id, code, name, purpose, legal_basis, issuing_unit, status,
		replacement, cancelled_at FROM catalog_proofs ORDER BY code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ps []catalog.Proof
	for rows.Next() {
		var p catalog.Proof
		var cancelled int64
		if err := rows.Scan(&p.ID, &p.Code, &p.Name, &p.Purpose, &p.LegalBasis, &p.IssuingUnit, &p.Status,
			&p.Replacement, &cancelled); err != nil {
			return nil, err
		}
		p.CancelledAt = fromMicros(cancelled)
		ps = append(ps, p)
	}
	return ps, rows.Err()
}

// SaveProof creates or replaces a proof by code and sets its ID.
func (s *CatalogStore) SaveProof(ctx context.Context, p *catalog.Proof, a audit.Entry) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		id, err := insertID(ctx, tx, `INSERT INTO catalog_proofs
			(code, name, purpose, legal_basis, issuing_unit, status, replacement, cancelled_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, purpose = excluded.purpose,
			legal_basis = excluded.legal_basis, issuing_unit = excluded.issuing_unit, status = excluded.status,
			replacement = excluded.replacement, cancelled_at = excluded.cancelled_at, updated_at = excluded.updated_at`,
			p.Code, p.Name, p.Purpose, p.LegalBasis, p.IssuingUnit, string(p.Status), string(p.Replacement),
			nullMicros(p.CancelledAt), micros(tx.Now()))
		if err != nil {
			return fmt.Errorf("save proof: %w", err)
		}
		p.ID = id
		return appendAudit(ctx, tx, a)
	})
}

const bundleColumns = `id, code, name, object, theme, body`

func scanBundle(r rowScanner) (catalog.Bundle, error) {
	var b catalog.Bundle
	var body string
	if err := r.Scan(&b.ID, &b.Code, &b.Name, &b.Object, &b.Theme, &body); err != nil {
		return b, err
	}
	if err := json.Unmarshal([]byte(body), &b.Stages); err != nil {
		return b, fmt.Errorf("bundle %s stages: %w", b.Code, err)
	}
	return b, nil
}

// Bundles lists the bundles by code.
func (s *CatalogStore) Bundles(ctx context.Context) ([]catalog.Bundle, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT `+bundleColumns+` FROM catalog_bundles ORDER BY code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var bs []catalog.Bundle
	for rows.Next() {
		b, err := scanBundle(rows)
		if err != nil {
			return nil, err
		}
		bs = append(bs, b)
	}
	return bs, rows.Err()
}

// Bundle finds a bundle by code.
func (s *CatalogStore) Bundle(ctx context.Context, code string) (catalog.Bundle, error) {
	b, err := scanBundle(s.db.read.QueryRowContext(ctx, `SELECT `+bundleColumns+` FROM catalog_bundles WHERE code = $1`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return b, apperr.New(apperr.NotFound, "err.catalog.bundle_not_found", code)
	}
	return b, err
}

// SaveBundle creates or replaces a bundle by code, with the list of its
// item codes that theme searches use, and sets its ID.
func (s *CatalogStore) SaveBundle(ctx context.Context, b *catalog.Bundle, a audit.Entry) error {
	body, err := json.Marshal(b.Stages)
	if err != nil {
		return err
	}
	return s.db.Update(ctx, func(tx *Tx) error {
		id, err := insertID(ctx, tx, `INSERT INTO catalog_bundles (code, name, object, theme, body, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, object = excluded.object, theme = excluded.theme,
			body = excluded.body, updated_at = excluded.updated_at`,
			b.Code, b.Name, string(b.Object), b.Theme, string(body), micros(tx.Now()))
		if err != nil {
			return fmt.Errorf("save bundle: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM catalog_bundle_items WHERE bundle_id = $1`, id); err != nil {
			return err
		}
		var codes []string
		for _, st := range b.Stages {
			codes = append(codes, st.ItemCodes...)
		}
		slices.Sort(codes)
		for _, c := range slices.Compact(codes) {
			if _, err := tx.ExecContext(ctx, `INSERT INTO catalog_bundle_items (bundle_id, item_code) VALUES ($1, $2)`, id, c); err != nil {
				return fmt.Errorf("bundle item: %w", err)
			}
		}
		b.ID = id
		return appendAudit(ctx, tx, a)
	})
}
