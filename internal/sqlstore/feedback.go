package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"onevisit/internal/analytics"
	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/calendar"
	"onevisit/internal/cases"
	"onevisit/internal/feedback"
)

// FeedbackStore implements feedback.Store.
type FeedbackStore struct{ db *DB }

// Feedback returns the feedback store of db.
func (db *DB) Feedback() *FeedbackStore { return &FeedbackStore{db: db} }

var _ feedback.Store = (*FeedbackStore)(nil)

// CreateRating stores a rating and its rectification task, if any.
func (s *FeedbackStore) CreateRating(ctx context.Context, r *feedback.Rating, t *feedback.Task, a audit.Entry) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO ratings (case_no, mode, ticket, department, item_code, level, valid, created_at, body)
			VALUES ($1, $2, $3, $4, $5, $6, 1, $7, '{}') RETURNING id`,
			r.CaseNo, string(r.Mode), r.Ticket, r.Department, r.ItemCode, int(r.Level), micros(r.CreatedAt)).Scan(&r.ID)
		if isUniqueViolation(err) {
			return apperr.New(apperr.Conflict, "err.rating.once")
		}
		if err != nil {
			return fmt.Errorf("insert rating: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE ratings SET body = $1 WHERE id = $2`, mustJSON(r), r.ID); err != nil {
			return err
		}
		if err := countRating(ctx, tx, r.Department, r.ItemCode, int(r.Level), micros(r.CreatedAt), 1); err != nil {
			return err
		}
		if t != nil {
			t.RatingID = r.ID
			if err := insertTask(ctx, tx, t); err != nil {
				return err
			}
		}
		a.ObjectID = r.CaseNo
		return appendAudit(ctx, tx, a)
	})
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only plain structs are marshalled here
	}
	return string(b)
}

func insertTask(ctx context.Context, tx *Tx, t *feedback.Task) error {
	err := tx.QueryRowContext(ctx, `INSERT INTO rectifications (rating_id, department, status, due_on, overdue, created_at, body)
		VALUES ($1, $2, $3, $4, 0, $5, '{}') RETURNING id`,
		t.RatingID, t.Department, string(t.Status), t.DueOn.String(), micros(t.CreatedAt)).Scan(&t.ID)
	if err != nil {
		return fmt.Errorf("insert rectification: %w", err)
	}
	_, err = tx.ExecContext(ctx, `UPDATE rectifications SET body = $1 WHERE id = $2`, mustJSON(t), t.ID)
	return err
}

// Ratings lists ratings matching f, newest first.
func (s *FeedbackStore) Ratings(ctx context.Context, f feedback.RatingFilter) ([]feedback.Rating, error) {
	var w where
	w.eq("case_no", f.CaseNo)
	w.eq("department", f.Department)
	w.eq("item_code", f.ItemCode)
	w.period("created_at", f.From, f.To)
	if f.PoorOnly {
		w.add("level <= 2")
	}
	q := `SELECT id, body, valid FROM ratings` + w.sql() + ` ORDER BY created_at DESC, id DESC LIMIT ` + strconv.Itoa(max(f.Limit, 1)) +
		` OFFSET ` + strconv.Itoa(max(f.Offset, 0))
	rows, err := s.db.read.QueryContext(ctx, q, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []feedback.Rating
	for rows.Next() {
		var body string
		var id int64
		var valid int
		var r feedback.Rating
		if err := rows.Scan(&id, &body, &valid); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(body), &r); err != nil {
			return nil, err
		}
		r.ID, r.Valid = id, valid == 1 // bulk-written history stores no id in the body
		list = append(list, r)
	}
	return list, rows.Err()
}

// Task returns a rectification task.
func (s *FeedbackStore) Task(ctx context.Context, id int64) (feedback.Task, error) {
	return queryBody[feedback.Task](ctx, s.db.read, "err.task.not_found", `SELECT body FROM rectifications WHERE id = $1`, id)
}

// Tasks lists tasks matching f, earliest deadline first.
func (s *FeedbackStore) Tasks(ctx context.Context, f feedback.TaskFilter) ([]feedback.Task, error) {
	var w where
	w.eq("department", f.Department)
	in(&w, "status", f.Statuses)
	if !f.DueBefore.IsZero() {
		w.add("due_on < "+w.arg(), f.DueBefore.String())
	}
	if f.Overdue {
		w.add("overdue = 1")
	}
	q := `SELECT body FROM rectifications` + w.sql() + ` ORDER BY due_on, id LIMIT ` + strconv.Itoa(max(f.Limit, 1))
	return queryBodies[feedback.Task](ctx, s.db.read, q, w.args)
}

// UpdateTask stores t if its stored status is still from.
func (s *FeedbackStore) UpdateTask(ctx context.Context, t *feedback.Task, from feedback.TaskStatus, invalidate bool, a audit.Entry) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		overdue := 0
		if t.Overdue {
			overdue = 1
		}
		res, err := tx.ExecContext(ctx, `UPDATE rectifications SET status = $1, overdue = $2, body = $3 WHERE id = $4 AND status = $5`,
			string(t.Status), overdue, mustJSON(t), t.ID, string(from))
		if err != nil {
			return fmt.Errorf("update rectification: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.Conflict, "err.task.state")
		}
		if invalidate {
			if err := invalidateRating(ctx, tx, t.RatingID); err != nil {
				return err
			}
		}
		return appendAudit(ctx, tx, a)
	})
}

// invalidateRating excludes a rating from the figures (申诉复核 upheld) and
// takes it back from the ratings roll-up, once.
func invalidateRating(ctx context.Context, tx *Tx, id int64) error {
	var dept, item string
	var level int
	var at int64
	err := tx.QueryRowContext(ctx, `UPDATE ratings SET valid = 0 WHERE id = $1 AND valid = 1
		RETURNING department, item_code, level, created_at`, id).Scan(&dept, &item, &level, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // already excluded
	}
	if err != nil {
		return fmt.Errorf("invalidate rating: %w", err)
	}
	return countRating(ctx, tx, dept, item, level, at, -1)
}

// countRating adds n ratings of level given at (micros) to the ratings
// roll-up, in the transaction that records (or excludes) them.
func countRating(ctx context.Context, tx *Tx, dept, item string, level int, at, n int64) error {
	r := analytics.NewRollup()
	r.AddRating(calendar.DateOf(fromMicros(at)), dept, item, level, n)
	return addRollup(ctx, tx, r)
}

// LinkKey returns the key that signs rating links, creating it on first use.
func (s *FeedbackStore) LinkKey(ctx context.Context) ([]byte, error) {
	var key string
	err := s.db.read.QueryRowContext(ctx, `SELECT key FROM feedback_keys WHERE id = 1`).Scan(&key)
	if errors.Is(err, sql.ErrNoRows) {
		b := make([]byte, 32)
		_, _ = rand.Read(b)
		err = s.db.Update(ctx, func(tx *Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO feedback_keys (id, key) VALUES (1, $1) ON CONFLICT (id) DO NOTHING`, hex.EncodeToString(b))
			return err
		})
		if err == nil {
			err = s.db.read.QueryRowContext(ctx, `SELECT key FROM feedback_keys WHERE id = 1`).Scan(&key)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("rating link key: %w", err)
	}
	return hex.DecodeString(key)
}

// DecidedCases lists the cases decided in the filter's period.
func (s *FeedbackStore) DecidedCases(ctx context.Context, f feedback.MetricsFilter) ([]cases.Case, error) {
	var w where
	w.add("decided_at > 0")
	w.eq("department", f.Department)
	w.eq("item_code", f.ItemCode)
	w.period("decided_at", f.From, f.To)
	in(&w, "status", []cases.Status{cases.Approved, cases.Denied, cases.Issued, cases.Delivered, cases.Archived})
	return queryBodies[cases.Case](ctx, s.db.read, `SELECT body FROM cases`+w.sql()+` ORDER BY decided_at`, w.args)
}

// TaskCounts counts the rectification tasks opened in f's period, less
// those excluded on appeal ('excluded'): all of them, those closed with an
// outcome ('closed') and those flagged overdue. A task's item is its
// rating's, so one item's tasks are found through their ratings.
func (s *FeedbackStore) TaskCounts(ctx context.Context, f feedback.MetricsFilter) (feedback.TaskCounts, error) {
	var w where
	w.add("t.status <> 'excluded'")
	w.eq("t.department", f.Department)
	w.period("t.created_at", f.From, f.To)
	from := `rectifications t`
	if f.ItemCode != "" {
		from += ` JOIN ratings r ON r.id = t.rating_id`
		w.eq("r.item_code", f.ItemCode)
	}
	var c feedback.TaskCounts
	err := s.db.read.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN t.status = 'closed' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN t.overdue = 1 THEN 1 ELSE 0 END), 0) FROM `+from+w.sql(), w.args...).Scan(&c.Tasks, &c.Rectified, &c.Overdue)
	if err != nil {
		return c, fmt.Errorf("count rectifications: %w", err)
	}
	return c, nil
}

// rowQuerier is a pool or a transaction.
type rowQuerier interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// queryBody runs q, which selects one row's JSON body, and decodes it; no
// row is NotFound with the message notFound.
func queryBody[T any](ctx context.Context, db rowQuerier, notFound, q string, args ...any) (T, error) {
	var v T
	var body string
	err := db.QueryRowContext(ctx, q, args...).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return v, apperr.New(apperr.NotFound, notFound)
	}
	if err != nil {
		return v, err
	}
	return v, json.Unmarshal([]byte(body), &v)
}

// queryBodies runs q and decodes the JSON body each row holds.
func queryBodies[T any](ctx context.Context, db *pool, q string, args []any) ([]T, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []T
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, err
		}
		var v T
		if err := json.Unmarshal([]byte(body), &v); err != nil {
			return nil, err
		}
		list = append(list, v)
	}
	return list, rows.Err()
}

// where builds a WHERE clause with $n placeholders.
type where struct {
	conds []string
	args  []any
}

func (w *where) arg() string { return "$" + strconv.Itoa(len(w.args)+1) }

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

// eq adds col = v unless v is empty.
func (w *where) eq(col, v string) {
	if v != "" {
		w.add(col+" = "+w.arg(), v)
	}
}

// period adds from ≤ col < to for the bounds that are set.
func (w *where) period(col string, from, to time.Time) {
	if !from.IsZero() {
		w.add(col+" >= "+w.arg(), micros(from))
	}
	if !to.IsZero() {
		w.add(col+" < "+w.arg(), micros(to))
	}
}

// in adds col IN (…) unless vs is empty.
func in[S ~string](w *where, col string, vs []S) {
	if len(vs) == 0 {
		return
	}
	ph := make([]string, len(vs))
	for i, v := range vs {
		ph[i] = w.arg()
		w.args = append(w.args, string(v))
	}
	w.conds = append(w.conds, col+" IN ("+strings.Join(ph, ", ")+")")
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}
