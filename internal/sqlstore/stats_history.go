package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"onevisit/internal/analytics"
	"onevisit/internal/apperr"
	"onevisit/internal/identity"
)

// Bulk writing of generated history (demo.GenerateHistory): multi-row
// inserts, and the roll-ups written directly instead of replayed from the
// events, with the roll-up cursor moved past the new events in the same
// transaction, so the job never counts them again.

// HistoryApplicants creates n applicants for generated cases.
func (s *StatsStore) HistoryApplicants(ctx context.Context, n int) ([]int64, error) {
	ids := make([]int64, 0, n)
	err := s.db.Update(ctx, func(tx *Tx) error {
		ids = ids[:0]
		for i := range n {
			var id int64
			err := tx.QueryRowContext(ctx, `INSERT INTO applicants (kind, name, id_number, uscc, created_at)
				VALUES ($1, $2, $3, '', $4) ON CONFLICT (kind, id_number, uscc) DO UPDATE SET name = excluded.name RETURNING id`,
				string(identity.Person), "历史申请人", fmt.Sprintf("HIST%014d", i), micros(tx.Now())).Scan(&id)
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	return ids, err
}

// WriteHistory inserts hs with their events and adds roll to the roll-ups.
// The roll-up job must have caught up (its cursor at the last event), as
// on a database nobody else writes to; otherwise it is a Conflict.
func (s *StatsStore) WriteHistory(ctx context.Context, hs []analytics.HistoryCase, roll *analytics.Rollup) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		var pos, last int64
		if err := tx.QueryRowContext(ctx, `SELECT position FROM stats_cursors WHERE name = $1`, analytics.CaseEventsCursor).Scan(&pos); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM case_events`).Scan(&last); err != nil {
			return err
		}
		if pos != last {
			return apperr.New(apperr.Conflict, "err.stats.cursor_moved")
		}
		if err := insertHistory(ctx, tx, hs); err != nil {
			return err
		}
		if err := addRollup(ctx, tx, roll); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE stats_cursors SET position = (SELECT COALESCE(MAX(id), 0) FROM case_events) WHERE name = $1`,
			analytics.CaseEventsCursor)
		return err
	})
}

const historyChunk = 40

func insertHistory(ctx context.Context, tx *Tx, hs []analytics.HistoryCase) error {
	for i := 0; i < len(hs); i += historyChunk {
		chunk := hs[i:min(i+historyChunk, len(hs))]
		var rows [][]any
		var evs [][]any
		for _, h := range chunk {
			c := &h.Case
			body, err := json.Marshal(c)
			if err != nil {
				return err
			}
			rows = append(rows, []any{c.No, c.ItemCode, c.ItemVersion, c.Department, string(c.Channel), string(c.Status),
				c.Applicant.ID, dateText(c.ReceivedOn), dateText(c.Clock.Start), dateText(c.DuePromised.Date),
				dateText(c.DueStatutory.Date), string(c.Warning), c.Visits, micros(c.CreatedAt), micros(c.UpdatedAt),
				nullMicros(c.DecidedAt), string(body)})
			for _, ev := range h.Events {
				evs = append(evs, []any{c.No, micros(ev.At), string(ev.Action), string(ev.From), string(ev.To), ev.Actor, ev.Note})
			}
		}
		if err := insertRows(ctx, tx, `INSERT INTO cases (no, item_code, item_version, department, channel, status,
			applicant_id, received_on, start_on, due_promised, due_statutory, warning, visits, created_at, updated_at, decided_at, body) VALUES `, rows); err != nil {
			return fmt.Errorf("insert history cases: %w", err)
		}
		if err := insertRows(ctx, tx, `INSERT INTO case_events (case_no, at, action, from_status, to_status, actor, note) VALUES `, evs); err != nil {
			return fmt.Errorf("insert history events: %w", err)
		}
	}
	return nil
}

// insertRows runs one multi-row INSERT of rows.
func insertRows(ctx context.Context, tx *Tx, prefix string, rows [][]any) error {
	var b strings.Builder
	b.WriteString(prefix)
	var args []any
	for i, r := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j, v := range r {
			if j > 0 {
				b.WriteString(", ")
			}
			args = append(args, v)
			fmt.Fprintf(&b, "$%d", len(args))
		}
		b.WriteByte(')')
	}
	_, err := tx.ExecContext(ctx, b.String(), args...)
	return err
}
