package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/cases"
	"onevisit/internal/identity"
)

// CaseStore implements cases.Store.
type CaseStore struct{ db *DB }

// Cases returns the case store of db.
func (db *DB) Cases() *CaseStore { return &CaseStore{db: db} }

var _ cases.Store = (*CaseStore)(nil)

func idemPrincipal(a audit.Entry) string { return a.Actor + "#" + strconv.FormatInt(a.ActorID, 10) }

// CreateCase numbers and stores c; c.No holds the number prefix on entry
// and the daily sequence is appended.
func (s *CaseStore) CreateCase(ctx context.Context, c *cases.Case, evs []cases.Event, a audit.Entry, idemKey string) (bool, error) {
	return s.CreateCases(ctx, []*cases.Case{c}, [][]cases.Event{evs}, a, idemKey)
}

// CreateCases numbers and stores a case and, for a bundle, its sub-cases
// (cs[1:], which get the first case's number as ParentNo), in one
// transaction. A repeated idempotency key returns the first case stored
// under it instead.
func (s *CaseStore) CreateCases(ctx context.Context, cs []*cases.Case, evs [][]cases.Event, a audit.Entry, idemKey string) (bool, error) {
	created := false
	err := s.db.Update(ctx, func(tx *Tx) error {
		if idemKey != "" {
			var no string
			err := tx.QueryRowContext(ctx, `SELECT case_no FROM idempotency_keys WHERE principal = $1 AND key = $2`,
				idemPrincipal(a), idemKey).Scan(&no)
			if err == nil {
				existing, err := caseByNo(ctx, tx, no)
				*cs[0] = existing
				return err
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		for i, c := range cs {
			if i > 0 {
				c.ParentNo = cs[0].No
			}
			if err := createOne(ctx, tx, c, evs[i]); err != nil {
				return err
			}
		}
		if idemKey != "" {
			if _, err := tx.ExecContext(ctx, `INSERT INTO idempotency_keys (principal, key, case_no, created_at) VALUES ($1, $2, $3, $4)`,
				idemPrincipal(a), idemKey, cs[0].No, micros(tx.Now())); err != nil {
				return err
			}
		}
		a.ObjectID, created = cs[0].No, true
		return appendAudit(ctx, tx, a)
	})
	return created, err
}

// createOne numbers c, registers its applicant and inserts it with its events.
func createOne(ctx context.Context, tx *Tx, c *cases.Case, evs []cases.Event) error {
	var seq int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO case_counters (prefix, seq) VALUES ($1, 1)
		ON CONFLICT (prefix) DO UPDATE SET seq = case_counters.seq + 1 RETURNING seq`, c.No).Scan(&seq); err != nil {
		return fmt.Errorf("case number: %w", err)
	}
	c.No = fmt.Sprintf("%s%06d", c.No, seq)
	if err := upsertApplicant(ctx, tx, &c.Applicant); err != nil {
		return err
	}
	if err := insertCase(ctx, tx, c); err != nil {
		return err
	}
	for _, ev := range evs {
		ev.CaseNo = c.No
		if err := insertEvent(ctx, tx, ev); err != nil {
			return err
		}
	}
	return nil
}

func joinCodes(codes []string) string {
	if len(codes) == 0 {
		return ""
	}
	return "," + strings.Join(codes, ",") + ","
}

func dateText(d interface {
	IsZero() bool
	String() string
}) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

func insertCase(ctx context.Context, tx *Tx, c *cases.Case) error {
	body, err := json.Marshal(c)
	if err != nil {
		return err
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO cases (no, parent_no, item_code, item_version, department, joint, channel, status,
		applicant_id, applicant_user_id, received_on, start_on, due_promised, due_statutory, warning, visits, created_at, updated_at, decided_at, body)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id`,
		c.No, c.ParentNo, c.ItemCode, c.ItemVersion, c.Department, joinCodes(c.Joint), string(c.Channel), string(c.Status),
		c.Applicant.ID, c.Applicant.UserID, dateText(c.ReceivedOn), dateText(c.Clock.Start), dateText(c.DuePromised.Date),
		dateText(c.DueStatutory.Date), string(c.Warning), c.Visits, micros(c.CreatedAt), micros(c.UpdatedAt), nullMicros(c.DecidedAt), string(body)).Scan(&c.ID)
	if err != nil {
		return fmt.Errorf("insert case: %w", err)
	}
	return nil
}

func insertEvent(ctx context.Context, tx *Tx, ev cases.Event) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO case_events (case_no, at, action, from_status, to_status, actor, note)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, ev.CaseNo, micros(tx.Now()), string(ev.Action), string(ev.From), string(ev.To), ev.Actor, ev.Note)
	return err
}

// UpdateCase stores c if its stored status is still from.
func (s *CaseStore) UpdateCase(ctx context.Context, c *cases.Case, from cases.Status, ev cases.Event, a audit.Entry) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		body, err := json.Marshal(c)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE cases SET status = $1, received_on = $2, start_on = $3, due_promised = $4,
			due_statutory = $5, warning = $6, visits = $7, updated_at = $8, decided_at = $9, body = $10
			WHERE no = $11 AND status = $12`,
			string(c.Status), dateText(c.ReceivedOn), dateText(c.Clock.Start), dateText(c.DuePromised.Date), dateText(c.DueStatutory.Date),
			string(c.Warning), c.Visits, micros(c.UpdatedAt), nullMicros(c.DecidedAt), string(body), c.No, string(from))
		if err != nil {
			return fmt.Errorf("update case: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.Conflict, "err.case_changed")
		}
		ev.CaseNo = c.No
		if err := insertEvent(ctx, tx, ev); err != nil {
			return err
		}
		return appendAudit(ctx, tx, a)
	})
}

func caseByNo(ctx context.Context, q rowQuerier, no string) (cases.Case, error) {
	return queryBody[cases.Case](ctx, q, "err.case_not_found", `SELECT body FROM cases WHERE no = $1`, no)
}

// Audit records a staff read of a case.
func (s *CaseStore) Audit(ctx context.Context, a audit.Entry) error { return s.db.Audit(ctx, a) }

// Case returns a case by number.
func (s *CaseStore) Case(ctx context.Context, no string) (cases.Case, error) {
	return caseByNo(ctx, s.db.read, no)
}

// Events returns a case's timeline, oldest first.
func (s *CaseStore) Events(ctx context.Context, no string) ([]cases.Event, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT id, case_no, at, action, from_status, to_status, actor, note
		FROM case_events WHERE case_no = $1 ORDER BY id`, no)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var evs []cases.Event
	for rows.Next() {
		var ev cases.Event
		var at int64
		var action, from, to string
		if err := rows.Scan(&ev.Seq, &ev.CaseNo, &at, &action, &from, &to, &ev.Actor, &ev.Note); err != nil {
			return nil, err
		}
		ev.At, ev.Action, ev.From, ev.To = fromMicros(at), cases.Action(action), cases.Status(from), cases.Status(to)
		evs = append(evs, ev)
	}
	return evs, rows.Err()
}

// Cases lists cases matching f, most urgent first, and the total count.
func (s *CaseStore) Cases(ctx context.Context, f cases.Filter) ([]cases.Case, int, error) {
	cond, args := casesWhere(f)
	var total int
	if err := s.db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM cases`+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	q := `SELECT id, body FROM cases` + cond + ` ORDER BY CASE WHEN due_promised = '' THEN 1 ELSE 0 END, due_promised, id DESC` +
		fmt.Sprintf(` LIMIT %d OFFSET %d`, f.Per, (f.Page-1)*f.Per)
	rows, err := s.db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var list []cases.Case
	for rows.Next() {
		var id int64
		var body string
		if err := rows.Scan(&id, &body); err != nil {
			return nil, 0, err
		}
		var c cases.Case
		if err := json.Unmarshal([]byte(body), &c); err != nil {
			return nil, 0, err
		}
		c.ID = id // the body stored at creation holds no id yet
		list = append(list, c)
	}
	return list, total, rows.Err()
}

// CaseIDs lists the ids of the cases matching f. It has no ORDER BY on
// purpose: ordered by id, both engines' planners walk the primary key
// through every case (most of them long closed) instead of reading the
// matches from an index such as cases_status.
func (s *CaseStore) CaseIDs(ctx context.Context, f cases.Filter) ([]int64, error) {
	cond, args := casesWhere(f)
	return queryIDs(ctx, s.db.read, `SELECT id FROM cases`+cond, args)
}

// queryIDs reads a query's single integer column.
func queryIDs(ctx context.Context, db *pool, q string, args []any) ([]int64, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// casesWhere is the WHERE clause of f, with its arguments.
func casesWhere(f cases.Filter) (string, []any) {
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if len(f.Statuses) > 0 {
		ph := make([]string, len(f.Statuses))
		for i, st := range f.Statuses {
			ph[i] = arg(string(st))
		}
		where = append(where, "status IN ("+strings.Join(ph, ", ")+")")
	}
	if f.Department != "" {
		where = append(where, "(department = "+arg(f.Department)+" OR joint LIKE "+arg("%,"+f.Department+",%")+")")
	}
	if f.ParentNo != "" {
		where = append(where, "parent_no = "+arg(f.ParentNo))
	}
	if f.ApplicantID != 0 {
		where = append(where, "applicant_user_id = "+arg(f.ApplicantID))
	}
	if !f.DueBefore.IsZero() {
		where = append(where, "due_promised <> '' AND due_promised < "+arg(f.DueBefore.String()))
	}
	if len(f.Warnings) > 0 {
		ph := make([]string, len(f.Warnings))
		for i, w := range f.Warnings {
			ph[i] = arg(string(w))
		}
		where = append(where, "warning IN ("+strings.Join(ph, ", ")+")")
	}
	if len(f.IDs) > 0 {
		ph := make([]string, len(f.IDs))
		for i, id := range f.IDs {
			ph[i] = arg(id)
		}
		where = append(where, "id IN ("+strings.Join(ph, ", ")+")")
	}
	if len(where) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

// upsertApplicant finds the applicant with the same kind and code, updating
// its contact details, or creates it, and sets a.ID. An account with the
// same code claims the record, so its owner sees cases opened at a window.
func upsertApplicant(ctx context.Context, tx *Tx, a *cases.Applicant) error {
	account := a.UserID
	err := tx.QueryRowContext(ctx, `SELECT id, user_id FROM applicants WHERE kind = $1 AND id_number = $2 AND uscc = $3`,
		string(a.Kind), a.IDNumber, a.USCC).Scan(&a.ID, &a.UserID)
	if err == nil {
		if a.UserID == 0 {
			a.UserID = account
		}
		_, err = tx.ExecContext(ctx, `UPDATE applicants SET name = $1, legal_rep = $2, phone = $3, user_id = $4 WHERE id = $5`,
			a.Name, a.LegalRep, a.Phone, a.UserID, a.ID)
		return err
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if a.UserID == 0 {
		_ = tx.QueryRowContext(ctx, `SELECT id FROM users WHERE kind = $1 AND ((id_number <> '' AND id_number = $2) OR (uscc <> '' AND uscc = $3))`,
			string(a.Kind), a.IDNumber, a.USCC).Scan(&a.UserID)
	}
	return tx.QueryRowContext(ctx, `INSERT INTO applicants (kind, name, id_number, uscc, legal_rep, phone, user_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, string(a.Kind), a.Name, a.IDNumber, a.USCC, a.LegalRep, a.Phone,
		a.UserID, micros(tx.Now())).Scan(&a.ID)
}

// ApplicantForUser returns an account's identity as an applicant; the
// applicant record is found or created when a case is created.
func (s *CaseStore) ApplicantForUser(ctx context.Context, userID int64) (cases.Applicant, error) {
	var a cases.Applicant
	var kind string
	err := s.db.read.QueryRowContext(ctx, `SELECT kind, display_name, id_number, uscc, legal_rep, phone FROM users WHERE id = $1`, userID).
		Scan(&kind, &a.Name, &a.IDNumber, &a.USCC, &a.LegalRep, &a.Phone)
	if errors.Is(err, sql.ErrNoRows) {
		return a, apperr.New(apperr.NotFound, "err.user_not_found")
	}
	if err != nil {
		return a, err
	}
	a.Kind, a.UserID = identity.Kind(kind), userID
	return a, nil
}
