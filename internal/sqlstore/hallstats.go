package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"onevisit/internal/calendar"
	"onevisit/internal/queue"
)

// Window returns one window's row with its live state (the set-up cache
// of queue.Service reads the zones it serves once).
func (s *QueueStore) Window(ctx context.Context, id int64) (queue.Window, error) {
	var w queue.Window
	var kind, state string
	err := s.db.read.QueryRowContext(ctx, `SELECT w.id, w.hall_id, w.number, w.name, w.kind, w.state, w.clerk_id, w.clerk_name,
		w.ticket_id, w.priority_run, COALESCE(t.no, '') FROM hall_windows w
		LEFT JOIN tickets t ON t.id = w.ticket_id AND t.status = 'called' WHERE w.id = $1`, id).
		Scan(&w.ID, &w.HallID, &w.Number, &w.Name, &kind, &state, &w.ClerkID, &w.ClerkName, &w.TicketID, &w.PriorityRun, &w.Ticket)
	if errors.Is(err, sql.ErrNoRows) {
		return w, errHallNotFound()
	}
	w.Kind, w.State = queue.WindowKind(kind), queue.WindowState(state)
	return w, err
}

// History returns the hall's tickets of the days from … to, with the
// number of the window that called them: the input of hall statistics and
// staffing advice. Distributions are computed in Go, the same on both
// engines (neither percentile function is portable).
func (s *QueueStore) History(ctx context.Context, hallID int64, from, to calendar.Date) ([]queue.Visit, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT t.no, t.zone_id, COALESCE(w.number, 0), t.day, t.status, t.issued_at, t.called_at, t.done_at
		FROM tickets t LEFT JOIN hall_windows w ON w.id = t.window_id
		WHERE t.hall_id = $1 AND t.day >= $2 AND t.day <= $3`, hallID, from.String(), to.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var vs []queue.Visit
	for rows.Next() {
		var v queue.Visit
		var day, status string
		var issued, called, done int64
		if err := rows.Scan(&v.No, &v.ZoneID, &v.WindowNo, &day, &status, &issued, &called, &done); err != nil {
			return nil, err
		}
		v.Day, _ = calendar.ParseDate(day)
		v.Status = queue.Status(status)
		v.Issued, v.Called, v.Done = fromMicros(issued), fromMicros(called), fromMicros(done)
		vs = append(vs, v)
	}
	return vs, rows.Err()
}

// InsertHistory stores past tickets (the demo's simulated weeks) unless the
// hall already has tickets on the first one's day; it reports whether it
// did. Each ticket must carry its number, token, times, status and window.
// No audit entries or hall events are written: these tickets never
// happened in this hall.
func (s *QueueStore) InsertHistory(ctx context.Context, hallID int64, ts []queue.Ticket) (bool, error) {
	if len(ts) == 0 {
		return false, nil
	}
	var n int
	if err := s.db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM tickets WHERE hall_id = $1 AND day = $2`,
		hallID, ts[0].Day.String()).Scan(&n); err != nil || n > 0 {
		return false, err
	}
	for start := 0; start < len(ts); start += 500 {
		batch := ts[start:min(start+500, len(ts))]
		if err := s.db.Update(ctx, func(tx *Tx) error { return insertTickets(ctx, tx, hallID, batch) }); err != nil {
			return false, err
		}
	}
	return true, nil
}

func insertTickets(ctx context.Context, tx *Tx, hallID int64, ts []queue.Ticket) error {
	for _, t := range ts {
		_, err := tx.ExecContext(ctx, `INSERT INTO tickets (token, hall_id, zone_id, day, no, reason, priority, channel, status,
			queued_at, issued_at, called_at, done_at, window_id, clerk_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
			t.Token, hallID, t.ZoneID, t.Day.String(), t.No, string(t.Reason), t.Priority, string(t.Channel), string(t.Status),
			micros(t.QueuedAt), micros(t.IssuedAt), nullMicros(t.CalledAt), nullMicros(t.DoneAt), t.WindowID, t.ClerkID)
		if err != nil {
			return fmt.Errorf("history ticket %s %s: %w", t.Day, t.No, err)
		}
	}
	return nil
}
