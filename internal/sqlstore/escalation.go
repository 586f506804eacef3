package sqlstore

import (
	"context"
	"fmt"
	"strconv"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/escalation"
)

// EscalationStore implements escalation.Store.
type EscalationStore struct{ db *DB }

// Escalations returns the escalation store of db.
func (db *DB) Escalations() *EscalationStore { return &EscalationStore{db: db} }

var _ escalation.Store = (*EscalationStore)(nil)

// CreateReport stores a new report and sets its ID.
func (s *EscalationStore) CreateReport(ctx context.Context, r *escalation.Report, a audit.Entry) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO escalations (status, level, due_on, created_at, body)
			VALUES ($1, $2, $3, $4, '{}') RETURNING id`, string(r.Status), int(r.Level), r.DueOn.String(), micros(r.CreatedAt)).Scan(&r.ID)
		if err != nil {
			return fmt.Errorf("insert escalation: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE escalations SET body = $1 WHERE id = $2`, mustJSON(r), r.ID); err != nil {
			return err
		}
		a.ObjectID = strconv.FormatInt(r.ID, 10)
		return appendAudit(ctx, tx, a)
	})
}

// UpdateReport stores r if its stored level and status are unchanged.
func (s *EscalationStore) UpdateReport(ctx context.Context, r *escalation.Report, level escalation.Level, status escalation.Status, a audit.Entry) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE escalations SET status = $1, level = $2, due_on = $3, body = $4
			WHERE id = $5 AND level = $6 AND status = $7`,
			string(r.Status), int(r.Level), r.DueOn.String(), mustJSON(r), r.ID, int(level), string(status))
		if err != nil {
			return fmt.Errorf("update escalation: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.Conflict, "err.escalation.changed")
		}
		return appendAudit(ctx, tx, a)
	})
}

// Report returns one report.
func (s *EscalationStore) Report(ctx context.Context, id int64) (escalation.Report, error) {
	return queryBody[escalation.Report](ctx, s.db.read, "err.escalation.not_found", `SELECT body FROM escalations WHERE id = $1`, id)
}

// Reports lists reports with status ("" for all), highest level and
// earliest deadline first.
func (s *EscalationStore) Reports(ctx context.Context, status escalation.Status, limit int) ([]escalation.Report, error) {
	var w where
	w.eq("status", string(status))
	q := `SELECT body FROM escalations` + w.sql() + ` ORDER BY status, level DESC, due_on, id LIMIT ` + strconv.Itoa(max(limit, 1))
	return queryBodies[escalation.Report](ctx, s.db.read, q, w.args)
}
