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
	"onevisit/internal/cases"
	"onevisit/internal/outbox"
)

// OutboxStore implements outbox.Store: the relay cursor over case_events
// and the outbox of SMS and email messages.
type OutboxStore struct{ db *DB }

// Outbox returns the outbox store of db.
func (db *DB) Outbox() *OutboxStore { return &OutboxStore{db: db} }

var _ outbox.Store = (*OutboxStore)(nil)

// RelayCursor is the relay's position in case_events.
func (s *OutboxStore) RelayCursor(ctx context.Context, name string) (int64, error) {
	var pos int64
	err := s.db.read.QueryRowContext(ctx, `SELECT position FROM outbox_cursors WHERE name = $1`, name).Scan(&pos)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("outbox cursor %q: missing", name)
	}
	return pos, err
}

// EventsAfter lists case events after an id, in id order, with their cases.
func (s *OutboxStore) EventsAfter(ctx context.Context, after int64, limit int) ([]outbox.CaseEvent, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT e.id, e.case_no, e.at, e.action, e.from_status, e.to_status, e.actor, e.note,
		COALESCE(c.body, '') FROM case_events e LEFT JOIN cases c ON c.no = e.case_no
		WHERE e.id > $1 ORDER BY e.id LIMIT $2`, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []outbox.CaseEvent
	for rows.Next() {
		var ce outbox.CaseEvent
		var at int64
		var action, from, to, body string
		ev := &ce.Event
		if err := rows.Scan(&ev.Seq, &ev.CaseNo, &at, &action, &from, &to, &ev.Actor, &ev.Note, &body); err != nil {
			return nil, err
		}
		ev.At, ev.Action, ev.From, ev.To = fromMicros(at), cases.Action(action), cases.Status(from), cases.Status(to)
		if body != "" {
			if err := json.Unmarshal([]byte(body), &ce.Case); err != nil {
				return nil, fmt.Errorf("case %s: %w", ev.CaseNo, err)
			}
		}
		list = append(list, ce)
	}
	return list, rows.Err()
}

// CommitRelay moves the cursor conditionally and inserts msgs, skipping
// those already made for their event and channel, in one transaction.
func (s *OutboxStore) CommitRelay(ctx context.Context, name string, from, to int64, msgs []outbox.Message) (int, error) {
	var n int
	err := s.db.Update(ctx, func(tx *Tx) error {
		n = 0
		res, err := tx.ExecContext(ctx, `UPDATE outbox_cursors SET position = $1 WHERE name = $2 AND position = $3`, to, name, from)
		if err != nil {
			return fmt.Errorf("move outbox cursor: %w", err)
		}
		if moved, _ := res.RowsAffected(); moved == 0 {
			return apperr.New(apperr.Conflict, "err.outbox.cursor_moved")
		}
		for _, m := range msgs {
			res, err := tx.ExecContext(ctx, `INSERT INTO outbox (channel, recipient, case_no, event_id, template, subject, text,
				status, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
				ON CONFLICT (event_id, channel) DO NOTHING`, string(m.Channel), m.Recipient, m.CaseNo, m.EventID, m.Template,
				m.Subject, m.Text, string(m.Status), micros(m.CreatedAt), micros(m.NextAttemptAt))
			if err != nil {
				return fmt.Errorf("insert outbox message for event %d: %w", m.EventID, err)
			}
			added, _ := res.RowsAffected()
			n += int(added)
		}
		return nil
	})
	return n, err
}

const outboxColumns = `id, channel, recipient, case_no, event_id, template, subject, text, status, attempts, last_error, via,
	created_at, sent_at, next_attempt_at`

func scanMessages(rows *sql.Rows) ([]outbox.Message, error) {
	defer rows.Close()
	list := []outbox.Message{}
	for rows.Next() {
		var m outbox.Message
		var channel, status string
		var created, sent, next int64
		if err := rows.Scan(&m.ID, &channel, &m.Recipient, &m.CaseNo, &m.EventID, &m.Template, &m.Subject, &m.Text, &status,
			&m.Attempts, &m.LastError, &m.Via, &created, &sent, &next); err != nil {
			return nil, err
		}
		m.Channel, m.Status = outbox.Channel(channel), outbox.Status(status)
		m.CreatedAt, m.SentAt, m.NextAttemptAt = fromMicros(created), fromMicros(sent), fromMicros(next)
		list = append(list, m)
	}
	return list, rows.Err()
}

// DueMessages lists pending messages whose next attempt is due at now.
func (s *OutboxStore) DueMessages(ctx context.Context, now time.Time, limit int) ([]outbox.Message, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT `+outboxColumns+` FROM outbox
		WHERE status = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2`, micros(now), limit)
	if err != nil {
		return nil, err
	}
	return scanMessages(rows)
}

// ClaimMessage moves a pending message's next attempt from seen to until.
func (s *OutboxStore) ClaimMessage(ctx context.Context, id int64, seen, until time.Time) (bool, error) {
	var claimed bool
	err := s.db.Update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET next_attempt_at = $1
			WHERE id = $2 AND status = 'pending' AND next_attempt_at = $3`, micros(until), id, micros(seen))
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		claimed = n == 1
		return nil
	})
	return claimed, err
}

// SaveAttempt stores the outcome of a send attempt.
func (s *OutboxStore) SaveAttempt(ctx context.Context, m outbox.Message) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET status = $1, attempts = $2, last_error = $3, via = $4, sent_at = $5,
			next_attempt_at = $6 WHERE id = $7`, string(m.Status), m.Attempts, m.LastError, m.Via, nullMicros(m.SentAt),
			micros(m.NextAttemptAt), m.ID)
		return err
	})
}

// Messages lists the newest messages, of one status unless status is "".
func (s *OutboxStore) Messages(ctx context.Context, status outbox.Status, limit int) ([]outbox.Message, error) {
	q, args := `SELECT `+outboxColumns+` FROM outbox`, []any{limit}
	if status != "" {
		q, args = q+` WHERE status = $2`, append(args, string(status))
	}
	rows, err := s.db.read.QueryContext(ctx, q+` ORDER BY id DESC LIMIT $1`, args...)
	if err != nil {
		return nil, err
	}
	return scanMessages(rows)
}

// MessageCounts counts the messages of each status.
func (s *OutboxStore) MessageCounts(ctx context.Context) (map[outbox.Status]int, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT status, COUNT(*) FROM outbox GROUP BY status`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counts := map[outbox.Status]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		counts[outbox.Status(st)] = n
	}
	return counts, rows.Err()
}

// RetryMessage makes a failed message pending again, audited.
func (s *OutboxStore) RetryMessage(ctx context.Context, id int64, now time.Time, a audit.Entry) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		var status string
		err := tx.QueryRowContext(ctx, `SELECT status FROM outbox WHERE id = $1`, id).Scan(&status)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "err.outbox.not_found")
		}
		if err != nil {
			return err
		}
		if status != string(outbox.Failed) {
			return apperr.New(apperr.Conflict, "err.outbox.not_failed")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $1
			WHERE id = $2`, micros(now), id); err != nil {
			return err
		}
		return appendAudit(ctx, tx, a)
	})
}
