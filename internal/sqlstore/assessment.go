package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"onevisit/internal/assessment"
	"onevisit/internal/audit"
)

// AssessmentStore implements assessment.Store.
type AssessmentStore struct{ db *DB }

// Assessment returns the assessment store of db.
func (db *DB) Assessment() *AssessmentStore { return &AssessmentStore{db: db} }

var _ assessment.Store = (*AssessmentStore)(nil)

// AssessmentConfig returns the stored scorecards, if any.
func (s *AssessmentStore) AssessmentConfig(ctx context.Context) (assessment.Config, bool, error) {
	var body string
	err := s.db.read.QueryRowContext(ctx, `SELECT body FROM assessment_config WHERE id = 1`).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return assessment.Config{}, false, nil
	}
	if err != nil {
		return assessment.Config{}, false, err
	}
	var c assessment.Config
	return c, true, json.Unmarshal([]byte(body), &c)
}

// SaveAssessmentConfig replaces the scorecards.
func (s *AssessmentStore) SaveAssessmentConfig(ctx context.Context, c assessment.Config, a audit.Entry) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO assessment_config (id, updated_at, body) VALUES (1, $1, $2)
			ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at, body = excluded.body`,
			micros(s.db.now()), mustJSON(c))
		if err != nil {
			return fmt.Errorf("save assessment config: %w", err)
		}
		return appendAudit(ctx, tx, a.With(mustJSON(c)))
	})
}

// Notice returns the issued notice of a month ("2026-11").
func (s *AssessmentStore) Notice(ctx context.Context, month string) (assessment.Notice, error) {
	return queryBody[assessment.Notice](ctx, s.db.read, "err.assessment.not_issued", `SELECT body FROM assessment_notices WHERE month = $1`, month)
}

// CreateNotice stores n unless its month has a notice already.
func (s *AssessmentStore) CreateNotice(ctx context.Context, n *assessment.Notice, a audit.Entry) (bool, error) {
	created := false
	err := s.db.Update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO assessment_notices (month, created_at, body) VALUES ($1, $2, $3)
			ON CONFLICT (month) DO NOTHING`, n.Month, micros(n.GeneratedAt), mustJSON(n))
		if err != nil {
			return fmt.Errorf("insert notice: %w", err)
		}
		if k, _ := res.RowsAffected(); k == 0 {
			created = false
			return nil
		}
		created = true
		return appendAudit(ctx, tx, a)
	})
	return created, err
}
