package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/calendar"
	"onevisit/internal/queue"
)

// QueueStore implements queue.Store: halls, tickets and the hall event feed.
// Ticket writes (taking, calling, recalling …) are in queue_tickets.go.
type QueueStore struct{ db *DB }

// Queue returns the hall store of db.
func (db *DB) Queue() *QueueStore { return &QueueStore{db: db} }

var _ queue.Store = (*QueueStore)(nil)

func errHallNotFound() error { return apperr.New(apperr.NotFound, "err.queue.not_found") }

// SaveHall inserts h (ID 0) or updates it.
func (s *QueueStore) SaveHall(ctx context.Context, h *queue.Hall, a audit.Entry) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		args := []any{h.Code, h.Name, h.NameEn, h.Opens, h.Closes, h.WorkdaysOnly, h.MaxPriorityRun, h.Voice, h.VoiceRepeat, h.Notice, micros(tx.Now())}
		var err error
		if h.ID == 0 {
			h.ID, err = insertID(ctx, tx, `INSERT INTO halls (code, name, name_en, opens, closes, workdays_only, max_priority_run,
				voice, voice_repeat, notice, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, args...)
		} else {
			err = execOne(ctx, tx, `UPDATE halls SET code = $1, name = $2, name_en = $3, opens = $4, closes = $5, workdays_only = $6,
				max_priority_run = $7, voice = $8, voice_repeat = $9, notice = $10, updated_at = $11 WHERE id = $12`, append(args, h.ID)...)
		}
		if isUniqueViolation(err) {
			return apperr.Field("code", "err.taken")
		}
		if err != nil {
			return fmt.Errorf("save hall: %w", err)
		}
		return appendAudit(ctx, tx, a)
	})
}

// SaveZone inserts z (ID 0) or updates it.
func (s *QueueStore) SaveZone(ctx context.Context, z *queue.Zone, a audit.Entry) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		args := []any{z.HallID, z.Code, z.Name, z.NameEn, z.Prefix, z.DailyCap, z.Department, z.Sort}
		var err error
		if z.ID == 0 {
			z.ID, err = insertID(ctx, tx, `INSERT INTO hall_zones (hall_id, code, name, name_en, prefix, daily_cap, department, sort)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, args...)
		} else {
			err = execOne(ctx, tx, `UPDATE hall_zones SET hall_id = $1, code = $2, name = $3, name_en = $4, prefix = $5,
				daily_cap = $6, department = $7, sort = $8 WHERE id = $9`, append(args, z.ID)...)
		}
		if isUniqueViolation(err) {
			return apperr.Field("prefix", "err.taken")
		}
		if err != nil {
			return fmt.Errorf("save zone: %w", err)
		}
		return appendAudit(ctx, tx, a)
	})
}

// SaveWindow inserts w (ID 0) or updates its set-up, and the zones it serves.
func (s *QueueStore) SaveWindow(ctx context.Context, w *queue.Window, a audit.Entry) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		var err error
		if w.ID == 0 {
			w.ID, err = insertID(ctx, tx, `INSERT INTO hall_windows (hall_id, number, name, kind, state, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6)`, w.HallID, w.Number, w.Name, string(w.Kind), string(w.State), micros(tx.Now()))
		} else {
			err = execOne(ctx, tx, `UPDATE hall_windows SET number = $1, name = $2, kind = $3, updated_at = $4 WHERE id = $5`,
				w.Number, w.Name, string(w.Kind), micros(tx.Now()), w.ID)
		}
		if isUniqueViolation(err) {
			return apperr.Field("number", "err.taken")
		}
		if err != nil {
			return fmt.Errorf("save window: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM hall_window_zones WHERE window_id = $1`, w.ID); err != nil {
			return err
		}
		for _, z := range w.Zones {
			if _, err := tx.ExecContext(ctx, `INSERT INTO hall_window_zones (window_id, zone_id) VALUES ($1, $2)`, w.ID, z); err != nil {
				return fmt.Errorf("window zone %d: %w", z, err)
			}
		}
		return appendAudit(ctx, tx, a)
	})
}

// execOne runs an UPDATE that must change exactly one row.
func execOne(ctx context.Context, tx *Tx, query string, args ...any) error {
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errHallNotFound()
	}
	return nil
}

const hallColumns = `id, code, name, name_en, opens, closes, workdays_only, max_priority_run, voice, voice_repeat, notice`

func scanHall(r rowScanner) (queue.Hall, error) {
	var h queue.Hall
	err := r.Scan(&h.ID, &h.Code, &h.Name, &h.NameEn, &h.Opens, &h.Closes, &h.WorkdaysOnly, &h.MaxPriorityRun, &h.Voice, &h.VoiceRepeat, &h.Notice)
	return h, err
}

// Halls lists every hall without its zones and windows.
func (s *QueueStore) Halls(ctx context.Context) ([]queue.Hall, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT `+hallColumns+` FROM halls ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var hs []queue.Hall
	for rows.Next() {
		h, err := scanHall(rows)
		if err != nil {
			return nil, err
		}
		hs = append(hs, h)
	}
	return hs, rows.Err()
}

// Hall returns the hall with code, with its zones and windows.
func (s *QueueStore) Hall(ctx context.Context, code string) (queue.Hall, error) {
	return s.hallWhere(ctx, `code = $1`, code)
}

// HallOfWindow returns the hall a window belongs to.
func (s *QueueStore) HallOfWindow(ctx context.Context, windowID int64) (queue.Hall, error) {
	return s.hallWhere(ctx, `id = (SELECT hall_id FROM hall_windows WHERE id = $1)`, windowID)
}

func (s *QueueStore) hallWhere(ctx context.Context, cond string, arg any) (queue.Hall, error) {
	h, err := scanHall(s.db.read.QueryRowContext(ctx, `SELECT `+hallColumns+` FROM halls WHERE `+cond, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return queue.Hall{}, errHallNotFound()
	}
	if err != nil {
		return queue.Hall{}, err
	}
	if h.Zones, err = s.zones(ctx, h.ID); err != nil {
		return queue.Hall{}, err
	}
	h.Windows, err = s.windows(ctx, h.ID)
	return h, err
}

func (s *QueueStore) zones(ctx context.Context, hallID int64) ([]queue.Zone, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT id, hall_id, code, name, name_en, prefix, daily_cap, department, sort
		FROM hall_zones WHERE hall_id = $1 ORDER BY sort, id`, hallID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var zs []queue.Zone
	for rows.Next() {
		var z queue.Zone
		if err := rows.Scan(&z.ID, &z.HallID, &z.Code, &z.Name, &z.NameEn, &z.Prefix, &z.DailyCap, &z.Department, &z.Sort); err != nil {
			return nil, err
		}
		zs = append(zs, z)
	}
	return zs, rows.Err()
}

func (s *QueueStore) windows(ctx context.Context, hallID int64) ([]queue.Window, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT w.id, w.hall_id, w.number, w.name, w.kind, w.state, w.clerk_id, w.clerk_name,
		w.ticket_id, w.priority_run, COALESCE(t.no, '') FROM hall_windows w
		LEFT JOIN tickets t ON t.id = w.ticket_id AND t.status = 'called'
		WHERE w.hall_id = $1 ORDER BY w.number`, hallID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ws []queue.Window
	for rows.Next() {
		var w queue.Window
		var kind, state string
		if err := rows.Scan(&w.ID, &w.HallID, &w.Number, &w.Name, &kind, &state, &w.ClerkID, &w.ClerkName,
			&w.TicketID, &w.PriorityRun, &w.Ticket); err != nil {
			return nil, err
		}
		w.Kind, w.State = queue.WindowKind(kind), queue.WindowState(state)
		ws = append(ws, w)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return ws, s.windowZones(ctx, hallID, ws)
}

func (s *QueueStore) windowZones(ctx context.Context, hallID int64, ws []queue.Window) error {
	rows, err := s.db.read.QueryContext(ctx, `SELECT wz.window_id, wz.zone_id FROM hall_window_zones wz
		JOIN hall_windows w ON w.id = wz.window_id WHERE w.hall_id = $1 ORDER BY wz.zone_id`, hallID)
	if err != nil {
		return err
	}
	defer rows.Close()
	index := map[int64]int{}
	for i, w := range ws {
		index[w.ID] = i
	}
	for rows.Next() {
		var wid, zid int64
		if err := rows.Scan(&wid, &zid); err != nil {
			return err
		}
		if i, ok := index[wid]; ok {
			ws[i].Zones = append(ws[i].Zones, zid)
		}
	}
	return rows.Err()
}

// SetWindow stores a window's state and clerk, if its state is still from.
func (s *QueueStore) SetWindow(ctx context.Context, w queue.Window, from queue.WindowState, ev queue.Event, a audit.Entry) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE hall_windows SET state = $1, clerk_id = $2, clerk_name = $3, priority_run = 0, updated_at = $4
			WHERE id = $5 AND ($6 = '' OR state = $6)`, string(w.State), w.ClerkID, w.ClerkName, micros(tx.Now()), w.ID, string(from))
		if err != nil {
			return fmt.Errorf("set window: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.Conflict, "err.queue.window_state")
		}
		if err := appendAudit(ctx, tx, a); err != nil {
			return err
		}
		return insertHallEvent(ctx, tx, ev)
	})
}

// insertHallEvent adds ev to the feed. Callers insert it after appendAudit:
// on PostgreSQL the audit head's row lock is then held from the moment the
// event's seq is drawn until commit, so events commit in seq order and a
// poller reading "seq > last" never skips one that commits late. (SQLite has
// a single writer, so the order holds there anyway.)
func insertHallEvent(ctx context.Context, tx *Tx, ev queue.Event) error {
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO hall_events (hall_id, at, kind, body) VALUES ($1, $2, $3, $4)`,
		ev.HallID, micros(tx.Now()), string(ev.Kind), string(body))
	if err != nil {
		return fmt.Errorf("hall event: %w", err)
	}
	return nil
}

// Events returns events after seq, oldest first; hallID 0 means all halls.
func (s *QueueStore) Events(ctx context.Context, hallID, after int64, limit int) ([]queue.Event, error) {
	q, args := `SELECT seq, hall_id, at, body FROM hall_events WHERE seq > $1`, []any{after}
	if hallID != 0 {
		q, args = q+` AND hall_id = $2`, append(args, hallID)
	}
	rows, err := s.db.read.QueryContext(ctx, q+fmt.Sprintf(` ORDER BY seq LIMIT %d`, limit), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var evs []queue.Event
	for rows.Next() {
		var ev queue.Event
		var seq, hall, at int64
		var body string
		if err := rows.Scan(&seq, &hall, &at, &body); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(body), &ev); err != nil {
			return nil, fmt.Errorf("hall event %d: %w", seq, err)
		}
		ev.Seq, ev.HallID, ev.At = seq, hall, fromMicros(at)
		evs = append(evs, ev)
	}
	return evs, rows.Err()
}

// LastEventSeq is the newest event's seq.
func (s *QueueStore) LastEventSeq(ctx context.Context) (int64, error) {
	var seq int64
	err := s.db.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM hall_events`).Scan(&seq)
	return seq, err
}

// Waiting counts a day's waiting tickets per zone.
func (s *QueueStore) Waiting(ctx context.Context, hallID int64, day calendar.Date) (map[int64]int, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT zone_id, COUNT(*) FROM tickets
		WHERE hall_id = $1 AND day = $2 AND status = 'waiting' GROUP BY zone_id`, hallID, day.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[int64]int{}
	for rows.Next() {
		var zone int64
		var n int
		if err := rows.Scan(&zone, &n); err != nil {
			return nil, err
		}
		m[zone] = n
	}
	return m, rows.Err()
}

func joinCases(nos []string) string { return strings.Join(nos, ",") }

func splitCases(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}
