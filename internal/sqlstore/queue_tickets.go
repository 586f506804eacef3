package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/calendar"
	"onevisit/internal/queue"
)

const ticketSelect = `SELECT t.id, t.token, t.hall_id, h.code, t.zone_id, z.name, t.day, t.no, t.reason, t.priority, t.channel,
	t.status, t.id_number, t.applicant_id, t.appointment, t.queued_at, t.issued_at, t.called_at, t.done_at, t.window_id,
	COALESCE(w.number, 0), t.target_window_id, t.recalls, t.transfers, t.clerk_id, t.cases
	FROM tickets t JOIN halls h ON h.id = t.hall_id JOIN hall_zones z ON z.id = t.zone_id
	LEFT JOIN hall_windows w ON w.id = t.window_id`

func scanTicket(r rowScanner) (queue.Ticket, error) {
	var t queue.Ticket
	var day, reason, channel, status, cases string
	var queued, issued, called, done int64
	err := r.Scan(&t.ID, &t.Token, &t.HallID, &t.HallCode, &t.ZoneID, &t.Zone, &day, &t.No, &reason, &t.Priority, &channel,
		&status, &t.IDNumber, &t.ApplicantID, &t.Appointment, &queued, &issued, &called, &done, &t.WindowID,
		&t.WindowNumber, &t.TargetWindowID, &t.Recalls, &t.Transfers, &t.ClerkID, &cases)
	if errors.Is(err, sql.ErrNoRows) {
		return t, apperr.New(apperr.NotFound, "err.queue.ticket_not_found")
	}
	if err != nil {
		return t, err
	}
	t.Day, _ = calendar.ParseDate(day)
	t.Reason, t.Channel, t.Status, t.Cases = queue.Reason(reason), queue.Channel(channel), queue.Status(status), splitCases(cases)
	t.QueuedAt, t.IssuedAt, t.CalledAt, t.DoneAt = fromMicros(queued), fromMicros(issued), fromMicros(called), fromMicros(done)
	return t, nil
}

// Ticket returns a ticket by its public token.
func (s *QueueStore) Ticket(ctx context.Context, token string) (queue.Ticket, error) {
	return scanTicket(s.db.read.QueryRowContext(ctx, ticketSelect+` WHERE t.token = $1`, token))
}

// TicketByID returns a ticket by its internal id.
func (s *QueueStore) TicketByID(ctx context.Context, id int64) (queue.Ticket, error) {
	return scanTicket(s.db.read.QueryRowContext(ctx, ticketSelect+` WHERE t.id = $1`, id))
}

// TakeTicket numbers t within its zone's prefix and day and stores it; t.No
// holds the prefix on entry.
func (s *QueueStore) TakeTicket(ctx context.Context, t *queue.Ticket, cap int, ev queue.Event, a audit.Entry) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		// The counter row is locked first (on PostgreSQL, until commit), so
		// the duplicate check below cannot race another ticket of the zone.
		var seq int
		if err := tx.QueryRowContext(ctx, `INSERT INTO ticket_counters (hall_id, prefix, day, seq) VALUES ($1, $2, $3, 1)
			ON CONFLICT (hall_id, prefix, day) DO UPDATE SET seq = ticket_counters.seq + 1 RETURNING seq`,
			t.HallID, t.No, t.Day.String()).Scan(&seq); err != nil {
			return fmt.Errorf("ticket number: %w", err)
		}
		if seq > cap {
			return apperr.New(apperr.TooMany, "err.queue.sold_out")
		}
		if err := checkNotWaiting(ctx, tx, t); err != nil {
			return err
		}
		t.No = fmt.Sprintf("%s%03d", t.No, seq)
		var err error
		t.ID, err = insertID(ctx, tx, `INSERT INTO tickets (token, hall_id, zone_id, day, no, reason, priority, channel, status,
			id_number, applicant_id, appointment, queued_at, issued_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
			t.Token, t.HallID, t.ZoneID, t.Day.String(), t.No, string(t.Reason), t.Priority, string(t.Channel), string(t.Status),
			t.IDNumber, t.ApplicantID, t.Appointment, micros(t.QueuedAt), micros(t.IssuedAt))
		if err != nil {
			return fmt.Errorf("insert ticket: %w", err)
		}
		if err := appendAudit(ctx, tx, a.With(a.Detail+" "+t.No)); err != nil {
			return err
		}
		ev.Fill(*t)
		return insertHallEvent(ctx, tx, ev)
	})
}

// checkNotWaiting refuses a second open ticket of one person in one zone.
func checkNotWaiting(ctx context.Context, tx *Tx, t *queue.Ticket) error {
	if t.IDNumber == "" {
		return nil
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM tickets WHERE hall_id = $1 AND day = $2 AND zone_id = $3
		AND id_number = $4 AND status IN ('waiting', 'called')`, t.HallID, t.Day.String(), t.ZoneID, t.IDNumber).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return apperr.New(apperr.Conflict, "err.queue.already_waiting")
	}
	return nil
}

// Ahead counts the waiting tickets of t's zone that come before t: a higher
// priority, or the same priority and an earlier place in line.
func (s *QueueStore) Ahead(ctx context.Context, t queue.Ticket) (int, error) {
	var n int
	err := s.db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM tickets WHERE hall_id = $1 AND day = $2 AND zone_id = $3
		AND status = 'waiting' AND (priority > $4 OR (priority = $4 AND (queued_at < $5 OR (queued_at = $5 AND id < $6))))`,
		t.HallID, t.Day.String(), t.ZoneID, t.Priority, micros(t.QueuedAt), t.ID).Scan(&n)
	return n, err
}

// RecentCalls lists the day's most recently called tickets, newest first.
func (s *QueueStore) RecentCalls(ctx context.Context, hallID int64, day calendar.Date, limit int) ([]queue.Ticket, error) {
	rows, err := s.db.read.QueryContext(ctx, ticketSelect+` WHERE t.hall_id = $1 AND t.day = $2 AND t.called_at > 0
		AND t.status IN ('called', 'done', 'no_show') ORDER BY t.called_at DESC, t.id DESC LIMIT `+fmt.Sprint(limit), hallID, day.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ts []queue.Ticket
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return nil, err
		}
		ts = append(ts, t)
	}
	return ts, rows.Err()
}

// nextTicketQuery picks the ticket a window calls next: today's waiting
// tickets of the zones it serves (or transferred to it), the highest
// priority first and, within one, the earliest place in line. When $4 is
// true the window has made its run of priority calls and an ordinary ticket
// goes first, so a stream of priority tickets cannot starve the queue.
//
// Dialect switch: on PostgreSQL, FOR UPDATE SKIP LOCKED makes a window that
// calls at the same moment pass over a ticket another window is claiming
// instead of waiting for it. SQLite needs no lock clause: its write
// transactions are serialized (BEGIN IMMEDIATE, across processes too). On
// both engines the claiming UPDATE re-checks status = 'waiting' and a claim
// that changes no row is retried.
func nextTicketQuery(e Engine) string {
	q := `SELECT id FROM tickets WHERE hall_id = $1 AND day = $2 AND status = 'waiting'
		AND zone_id IN (SELECT zone_id FROM hall_window_zones WHERE window_id = $3)
		AND (target_window_id = 0 OR target_window_id = $3)
		ORDER BY CASE WHEN $4 AND priority = 0 THEN 1 ELSE 0 END DESC, priority DESC, queued_at, id LIMIT 1`
	if e == Postgres {
		q += ` FOR UPDATE SKIP LOCKED`
	}
	return q
}

// CallNext finishes the window's current ticket and claims the next one.
// When nobody waits the finish is still committed and NotFound returned.
func (s *QueueStore) CallNext(ctx context.Context, w queue.Window, day calendar.Date, maxRun int, ev queue.Event, a audit.Entry) (queue.Ticket, error) {
	var t queue.Ticket
	none := false
	err := s.db.Update(ctx, func(tx *Tx) error {
		run, err := lockWindow(ctx, tx, w.ID)
		if err != nil {
			return err
		}
		finished, err := finishCurrent(ctx, tx, w.ID)
		if err != nil {
			return err
		}
		id, err := claimNext(ctx, tx, w, day, run >= maxRun)
		if none = errors.Is(err, sql.ErrNoRows); none {
			return finishOnly(ctx, tx, w.ID, finished, ev, a)
		}
		if err != nil {
			return err
		}
		if t, err = scanTicket(tx.QueryRowContext(ctx, ticketSelect+` WHERE t.id = $1`, id)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE hall_windows SET ticket_id = $1, priority_run = $2 WHERE id = $3`,
			id, nextRun(run, t), w.ID); err != nil {
			return err
		}
		a.Detail = t.No
		if err := appendAudit(ctx, tx, a); err != nil {
			return err
		}
		if err := completeEvents(ctx, tx, ev, finished); err != nil {
			return err
		}
		ev.Fill(t)
		return insertHallEvent(ctx, tx, ev)
	})
	if err == nil && none {
		return queue.Ticket{}, apperr.New(apperr.NotFound, "err.queue.nobody_waiting")
	}
	return t, err
}

// nextRun is the window's run of priority calls after calling t.
func nextRun(run int, t queue.Ticket) int {
	if t.Priority > 0 {
		return run + 1
	}
	return 0
}

// lockWindow touches the window row, which takes its lock on PostgreSQL so
// that two calls at one window queue, and returns its priority run.
func lockWindow(ctx context.Context, tx *Tx, windowID int64) (int, error) {
	var run int
	err := tx.QueryRowContext(ctx, `UPDATE hall_windows SET updated_at = $1 WHERE id = $2 AND state = 'open' RETURNING priority_run`,
		micros(tx.Now()), windowID).Scan(&run)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, apperr.New(apperr.Conflict, "err.queue.window_not_open")
	}
	return run, err
}

// finishCurrent completes the ticket the window is serving, if any, and
// returns its number.
func finishCurrent(ctx context.Context, tx *Tx, windowID int64) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `UPDATE tickets SET status = 'done', done_at = $1
		WHERE id = (SELECT ticket_id FROM hall_windows WHERE id = $2) AND window_id = $2 AND status = 'called' RETURNING no`, micros(tx.Now()), windowID)
	if err != nil {
		return nil, fmt.Errorf("finish current: %w", err)
	}
	defer rows.Close()
	var nos []string
	for rows.Next() {
		var no string
		if err := rows.Scan(&no); err != nil {
			return nil, err
		}
		nos = append(nos, no)
	}
	return nos, rows.Err()
}

// completeEvents records a complete event for each finished ticket.
func completeEvents(ctx context.Context, tx *Tx, call queue.Event, nos []string) error {
	for _, no := range nos {
		ev := call
		ev.Kind, ev.Ticket = queue.EvComplete, no
		if err := insertHallEvent(ctx, tx, ev); err != nil {
			return err
		}
	}
	return nil
}

// claimNext selects and claims the next ticket for the window, retrying when
// another window claimed the selected one first.
func claimNext(ctx context.Context, tx *Tx, w queue.Window, day calendar.Date, ordinaryFirst bool) (int64, error) {
	q := nextTicketQuery(tx.Engine())
	for range 20 {
		var id int64
		if err := tx.QueryRowContext(ctx, q, w.HallID, day.String(), w.ID, ordinaryFirst).Scan(&id); err != nil {
			return 0, err
		}
		res, err := tx.ExecContext(ctx, `UPDATE tickets SET status = 'called', window_id = $1, called_at = $2, clerk_id = $3,
			recalls = 0, target_window_id = 0 WHERE id = $4 AND status = 'waiting'`, w.ID, micros(tx.Now()), w.ClerkID, id)
		if err != nil {
			return 0, fmt.Errorf("claim ticket: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return id, nil
		}
	}
	return 0, apperr.New(apperr.Conflict, "err.queue.busy")
}

// finishOnly clears the window's current ticket when nobody else waits.
func finishOnly(ctx context.Context, tx *Tx, windowID int64, finished []string, ev queue.Event, a audit.Entry) error {
	if len(finished) == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE hall_windows SET ticket_id = 0 WHERE id = $1`, windowID); err != nil {
		return err
	}
	a.Action, a.Detail = "ticket.complete", finished[0]
	if err := appendAudit(ctx, tx, a); err != nil {
		return err
	}
	return completeEvents(ctx, tx, ev, finished)
}

// UpdateTicket stores a recall, skip, transfer or completion of t if t is
// still called at the window.
func (s *QueueStore) UpdateTicket(ctx context.Context, t *queue.Ticket, windowID int64, ev queue.Event, a audit.Entry) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE tickets SET zone_id = $1, status = $2, called_at = $3, done_at = $4, window_id = $5,
			target_window_id = $6, recalls = $7, transfers = $8, cases = $9 WHERE id = $10 AND status = 'called' AND window_id = $11`,
			t.ZoneID, string(t.Status), nullMicros(t.CalledAt), nullMicros(t.DoneAt), t.WindowID, t.TargetWindowID,
			t.Recalls, t.Transfers, joinCases(t.Cases), t.ID, windowID)
		if err != nil {
			return fmt.Errorf("update ticket: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.Conflict, "err.queue.ticket_changed")
		}
		if t.Status != queue.Called {
			if _, err := tx.ExecContext(ctx, `UPDATE hall_windows SET ticket_id = 0 WHERE id = $1 AND ticket_id = $2`, windowID, t.ID); err != nil {
				return err
			}
		}
		if err := appendAudit(ctx, tx, a); err != nil {
			return err
		}
		return insertHallEvent(ctx, tx, ev)
	})
}
