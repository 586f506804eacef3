package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/feedback"
)

var _ feedback.CallbackStore = (*FeedbackStore)(nil)

// CreateCallbacks stores the callbacks that do not exist yet, with one
// audit entry for the batch when any was stored.
func (s *FeedbackStore) CreateCallbacks(ctx context.Context, list []feedback.Call, a audit.Entry) (int, error) {
	n := 0
	err := s.db.Update(ctx, func(tx *Tx) error {
		n = 0
		for i := range list {
			ok, err := insertCallback(ctx, tx, &list[i])
			if err != nil {
				return err
			}
			if ok {
				n++
			}
		}
		if n == 0 {
			return nil
		}
		a.Detail = fmt.Sprintf("%d", n)
		return appendAudit(ctx, tx, a)
	})
	return n, err
}

// insertCallback stores c unless its case, reason and rating have one
// already, and reports whether it did.
func insertCallback(ctx context.Context, tx *Tx, c *feedback.Call) (bool, error) {
	err := tx.QueryRowContext(ctx, `INSERT INTO callbacks (day, reason, case_no, rating_id, department, status, created_at, body)
		VALUES ($1, $2, $3, $4, $5, $6, $7, '{}') ON CONFLICT (case_no, reason, rating_id) DO NOTHING RETURNING id`,
		c.Day.String(), string(c.Reason), c.CaseNo, c.RatingID, c.Department, string(c.Status), micros(c.CreatedAt)).Scan(&c.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("insert callback: %w", err)
	}
	_, err = tx.ExecContext(ctx, `UPDATE callbacks SET body = $1 WHERE id = $2`, mustJSON(c), c.ID)
	return err == nil, err
}

// Callbacks lists the callbacks matching f, by day and id.
func (s *FeedbackStore) Callbacks(ctx context.Context, f feedback.CallbackFilter) ([]feedback.Call, error) {
	var w where
	if !f.From.IsZero() {
		w.add("day >= "+w.arg(), f.From.String())
	}
	if !f.To.IsZero() {
		w.add("day < "+w.arg(), f.To.String())
	}
	w.eq("department", f.Department)
	w.eq("status", string(f.Status))
	return queryBodies[feedback.Call](ctx, s.db.read, `SELECT body FROM callbacks`+w.sql()+` ORDER BY day, id`, w.args)
}

// Callback returns one callback.
func (s *FeedbackStore) Callback(ctx context.Context, id int64) (feedback.Call, error) {
	return queryBody[feedback.Call](ctx, s.db.read, "err.callback.not_found", `SELECT body FROM callbacks WHERE id = $1`, id)
}

// FinishCallback stores c if the stored callback is still pending.
func (s *FeedbackStore) FinishCallback(ctx context.Context, c *feedback.Call, a audit.Entry) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE callbacks SET status = $1, body = $2 WHERE id = $3 AND status = $4`,
			string(c.Status), mustJSON(c), c.ID, string(feedback.CallbackPending))
		if err != nil {
			return fmt.Errorf("update callback: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.Conflict, "err.callback.done")
		}
		return appendAudit(ctx, tx, a)
	})
}

// AppendAudit records an audit entry on its own, such as a read of
// personal data.
func (s *FeedbackStore) AppendAudit(ctx context.Context, a audit.Entry) error {
	return s.db.Update(ctx, func(tx *Tx) error { return appendAudit(ctx, tx, a) })
}
