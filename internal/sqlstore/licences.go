package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/calendar"
	"onevisit/internal/licences"
)

// LicenceStore keeps licence types and the e-licence registry.
type LicenceStore struct{ db *DB }

// Licences returns the licence store of db.
func (db *DB) Licences() *LicenceStore { return &LicenceStore{db: db} }

var _ licences.Store = (*LicenceStore)(nil)

// SaveLicenceType inserts or replaces a licence type.
func (s *LicenceStore) SaveLicenceType(ctx context.Context, t licences.Type, a audit.Entry) error {
	fields, _ := json.Marshal(t.Fields)
	items, _ := json.Marshal(nonNil(t.Items))
	return s.db.Update(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO licence_types (code, name, name_en, fields, valid_years, items, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, fields = excluded.fields,
				valid_years = excluded.valid_years, items = excluded.items, updated_at = excluded.updated_at`,
			t.Code, t.Name, t.NameEn, string(fields), t.ValidYears, string(items), micros(tx.Now()))
		if isUniqueViolation(err) {
			return apperr.Field("name", "err.licence.type_name_taken")
		}
		if err != nil {
			return fmt.Errorf("save licence type: %w", err)
		}
		return appendAudit(ctx, tx, a)
	})
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// LicenceTypes lists the licence types by code.
func (s *LicenceStore) LicenceTypes(ctx context.Context) ([]licences.Type, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT code, name, name_en, fields, valid_years, items FROM licence_types ORDER BY code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ts := []licences.Type{}
	for rows.Next() {
		var t licences.Type
		var fields, items string
		if err := rows.Scan(&t.Code, &t.Name, &t.NameEn, &fields, &t.ValidYears, &items); err != nil {
			return nil, err
		}
		if err := errors.Join(json.Unmarshal([]byte(fields), &t.Fields), json.Unmarshal([]byte(items), &t.Items)); err != nil {
			return nil, fmt.Errorf("licence type %s: %w", t.Code, err)
		}
		ts = append(ts, t)
	}
	return ts, rows.Err()
}

// NextLicenceSerial increments and returns the (type, issuer, year) counter.
func (s *LicenceStore) NextLicenceSerial(ctx context.Context, typeCode, issuerCode string, year int) (int64, error) {
	var n int64
	err := s.db.Update(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO licence_serials (type_code, issuer_code, year, last) VALUES ($1, $2, $3, 1)
			ON CONFLICT (type_code, issuer_code, year) DO UPDATE SET last = licence_serials.last + 1
			RETURNING last`, typeCode, issuerCode, year).Scan(&n)
	})
	return n, err
}

// CreateLicence stores a newly issued licence with its audit entry.
func (s *LicenceStore) CreateLicence(ctx context.Context, l *licences.Licence, a audit.Entry) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		if err := insertLicence(ctx, tx, l); err != nil {
			return err
		}
		return appendAudit(ctx, tx, a)
	})
}

// SupersedeLicence stores next and marks the valid or expired version it
// replaces as superseded, linking both ways.
func (s *LicenceStore) SupersedeLicence(ctx context.Context, next *licences.Licence, a audit.Entry) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE licences SET status = 'superseded', status_reason = $1, status_at = $2,
			next_identifier = $3 WHERE identifier = $4 AND status IN ('valid', 'expired')`,
			a.Detail, micros(tx.Now()), next.Identifier, next.PrevIdentifier)
		if err != nil {
			return fmt.Errorf("supersede licence: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "err.licence.not_valid", next.PrevIdentifier)
		}
		if err := insertLicence(ctx, tx, next); err != nil {
			return err
		}
		return appendAudit(ctx, tx, a)
	})
}

func insertLicence(ctx context.Context, tx *Tx, l *licences.Licence) error {
	face, _ := json.Marshal(l.Face)
	id, err := insertID(ctx, tx, `INSERT INTO licences (identifier, type_code, type_name, serial, version, issuer_name,
		issuer_code, holder_name, holder_code, holder_kind, case_no, face, issue_date, valid_from, valid_to, status,
		status_reason, status_at, prev_identifier, next_identifier, pdf, pdf_sm3, pdf_sha256, seal, seal_cert, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26)`,
		l.Identifier, l.TypeCode, l.TypeName, l.Serial, l.Version, l.IssuerName, l.IssuerCode, l.HolderName,
		l.HolderCode, l.HolderKind, l.CaseNo, string(face), l.IssueDate.String(), l.ValidFrom.String(), dateText(l.ValidTo),
		string(l.Status), l.StatusReason, nullMicros(l.StatusAt), l.PrevIdentifier, l.NextIdentifier, l.PDF, l.SM3,
		l.SHA256, l.Seal, l.SealCert, micros(l.CreatedAt))
	if isUniqueViolation(err) {
		return apperr.New(apperr.Conflict, "err.licence.exists", l.Identifier)
	}
	if err != nil {
		return fmt.Errorf("insert licence: %w", err)
	}
	l.ID = id
	return nil
}

// SetLicenceStatus moves a licence from one status to another with its
// audit entry; Conflict when it is no longer in from.
func (s *LicenceStore) SetLicenceStatus(ctx context.Context, identifier string, from, to licences.Status, reason string, at time.Time, a audit.Entry) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE licences SET status = $1, status_reason = $2, status_at = $3
			WHERE identifier = $4 AND status = $5`, string(to), reason, micros(at), identifier, string(from))
		if err != nil {
			return fmt.Errorf("licence status: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "err.licence.not_valid", identifier)
		}
		return appendAudit(ctx, tx, a)
	})
}

const licenceColumns = `identifier, type_code, type_name, serial, version, issuer_name, issuer_code, holder_name,
	holder_code, holder_kind, case_no, face, issue_date, valid_from, valid_to, status, status_reason, status_at,
	prev_identifier, next_identifier, pdf_sm3, pdf_sha256, seal, seal_cert, created_at, id`

// Licence returns a licence with its PDF.
func (s *LicenceStore) Licence(ctx context.Context, identifier string) (licences.Licence, error) {
	return s.one(ctx, `identifier = $1`, identifier)
}

// LicenceBySM3 returns the licence whose PDF has the given SM3 digest.
func (s *LicenceStore) LicenceBySM3(ctx context.Context, sm3 string) (licences.Licence, error) {
	return s.one(ctx, `pdf_sm3 = $1`, sm3)
}

func (s *LicenceStore) one(ctx context.Context, where string, arg any) (licences.Licence, error) {
	row := s.db.read.QueryRowContext(ctx, `SELECT `+licenceColumns+`, pdf FROM licences WHERE `+where, arg)
	var l licences.Licence
	err := scanLicence(row.Scan, &l, &l.PDF)
	if errors.Is(err, sql.ErrNoRows) {
		return l, apperr.New(apperr.NotFound, "err.licence.not_found")
	}
	return l, err
}

// Licences lists licences, newest first, without PDFs: a holder's, a
// case's, or all.
func (s *LicenceStore) Licences(ctx context.Context, holderCode, caseNo string) ([]licences.Licence, error) {
	return s.list(ctx, `($1 = '' OR holder_code = $1) AND ($2 = '' OR case_no = $2) ORDER BY created_at DESC, id DESC`, holderCode, caseNo)
}

// ExpiredLicences lists valid licences whose last valid day is before day.
func (s *LicenceStore) ExpiredLicences(ctx context.Context, day calendar.Date) ([]licences.Licence, error) {
	return s.list(ctx, `status = 'valid' AND valid_to <> '' AND valid_to < $1 ORDER BY id`, day.String())
}

func (s *LicenceStore) list(ctx context.Context, where string, args ...any) ([]licences.Licence, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT `+licenceColumns+` FROM licences WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ls := []licences.Licence{}
	for rows.Next() {
		var l licences.Licence
		if err := scanLicence(rows.Scan, &l); err != nil {
			return nil, err
		}
		ls = append(ls, l)
	}
	return ls, rows.Err()
}

func scanLicence(scan func(...any) error, l *licences.Licence, extra ...any) error {
	var face, issue, from, to, status string
	var statusAt, created int64
	dest := []any{&l.Identifier, &l.TypeCode, &l.TypeName, &l.Serial, &l.Version, &l.IssuerName, &l.IssuerCode,
		&l.HolderName, &l.HolderCode, &l.HolderKind, &l.CaseNo, &face, &issue, &from, &to, &status, &l.StatusReason,
		&statusAt, &l.PrevIdentifier, &l.NextIdentifier, &l.SM3, &l.SHA256, &l.Seal, &l.SealCert, &created, &l.ID}
	if err := scan(append(dest, extra...)...); err != nil {
		return err
	}
	l.Status, l.StatusAt, l.CreatedAt = licences.Status(status), fromMicros(statusAt), fromMicros(created)
	l.IssueDate, _ = calendar.ParseDate(issue)
	l.ValidFrom, _ = calendar.ParseDate(from)
	if to != "" {
		l.ValidTo, _ = calendar.ParseDate(to)
	}
	return json.Unmarshal([]byte(face), &l.Face)
}
