package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"onevisit/internal/analytics"
	"onevisit/internal/apperr"
	"onevisit/internal/calendar"
	"onevisit/internal/cases"
)

// StatsStore implements analytics.Store: the roll-up tables, their
// cursors, and the few reads of cases and tickets the dashboards need.
type StatsStore struct{ db *DB }

// Stats returns the analytics store of db.
func (db *DB) Stats() *StatsStore { return &StatsStore{db: db} }

var _ analytics.Store = (*StatsStore)(nil)

// StatsCursor is a roll-up's position in its source.
func (s *StatsStore) StatsCursor(ctx context.Context, name string) (int64, error) {
	var pos int64
	err := s.db.read.QueryRowContext(ctx, `SELECT position FROM stats_cursors WHERE name = $1`, name).Scan(&pos)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("stats cursor %q: missing", name)
	}
	return pos, err
}

// StatsEventsAfter lists case events after an id, in id order, with their cases.
func (s *StatsStore) StatsEventsAfter(ctx context.Context, after int64, limit int) ([]analytics.CaseEvent, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT e.id, e.at, e.action, e.from_status, e.to_status, COALESCE(c.body, '')
		FROM case_events e LEFT JOIN cases c ON c.no = e.case_no WHERE e.id > $1 ORDER BY e.id LIMIT $2`, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []analytics.CaseEvent
	for rows.Next() {
		var ev analytics.CaseEvent
		var at int64
		var action, from, to, body string
		if err := rows.Scan(&ev.Seq, &at, &action, &from, &to, &body); err != nil {
			return nil, err
		}
		ev.At, ev.Action, ev.From, ev.To = fromMicros(at), cases.Action(action), cases.Status(from), cases.Status(to)
		if body != "" {
			if err := json.Unmarshal([]byte(body), &ev.Case); err != nil {
				return nil, fmt.Errorf("case event %d: %w", ev.Seq, err)
			}
		}
		list = append(list, ev)
	}
	return list, rows.Err()
}

// CommitRollup moves the cursor from → to and adds r, in one transaction;
// a cursor that moved meanwhile is a Conflict and changes nothing.
func (s *StatsStore) CommitRollup(ctx context.Context, name string, from, to int64, r *analytics.Rollup) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE stats_cursors SET position = $1 WHERE name = $2 AND position = $3`, to, name, from)
		if err != nil {
			return fmt.Errorf("move stats cursor: %w", err)
		}
		if moved, _ := res.RowsAffected(); moved == 0 {
			return apperr.New(apperr.Conflict, "err.stats.cursor_moved")
		}
		return addRollup(ctx, tx, r)
	})
}

// upserter runs the roll-up upserts of one transaction: each statement
// prepared once (sqlUpserts), or queued for one round trip (the
// PostgreSQL history writer's pgx batch).
type upserter interface {
	upsert(ctx context.Context, q string, args ...any) error
}

// sqlUpserts prepares each statement once per transaction.
type sqlUpserts struct {
	tx    *Tx
	stmts map[string]*sql.Stmt
}

func newSQLUpserts(tx *Tx) *sqlUpserts { return &sqlUpserts{tx: tx, stmts: map[string]*sql.Stmt{}} }

func (u *sqlUpserts) upsert(ctx context.Context, q string, args ...any) error {
	st := u.stmts[q]
	if st == nil {
		var err error
		if st, err = u.tx.PrepareContext(ctx, q); err != nil {
			return err
		}
		u.stmts[q] = st
	}
	_, err := st.ExecContext(ctx, args...)
	return err
}

func (u *sqlUpserts) close() {
	for _, st := range u.stmts {
		st.Close()
	}
}

// addRollup upserts r into the roll-up tables in tx.
func addRollup(ctx context.Context, tx *Tx, r *analytics.Rollup) error {
	u := newSQLUpserts(tx)
	defer u.close()
	return writeRollup(ctx, u, r)
}

// writeRollup upserts r into the daily, monthly, hourly and ratings tables.
func writeRollup(ctx context.Context, u upserter, r *analytics.Rollup) error {
	monthly := map[analytics.Key]*analytics.Counts{}
	for k, c := range r.Daily {
		if err := upsertCounts(ctx, u, "stats_daily", k.Day.String(), k, c); err != nil {
			return err
		}
		mk := analytics.Key{Day: calendar.Date{Year: k.Day.Year, Month: k.Day.Month, Day: 1}, Department: k.Department, Item: k.Item, Channel: k.Channel}
		if monthly[mk] == nil {
			monthly[mk] = &analytics.Counts{}
		}
		monthly[mk].Add(*c)
	}
	for k, c := range monthly {
		if err := upsertCounts(ctx, u, "stats_monthly", k.Day.String()[:7], k, c); err != nil {
			return err
		}
	}
	for k, h := range r.Hourly {
		args := []any{k.Day.String(), k.Hour}
		for _, f := range h.Fields() {
			args = append(args, *f)
		}
		if err := u.upsert(ctx, hourlyUpsert, args...); err != nil {
			return fmt.Errorf("stats_hourly: %w", err)
		}
	}
	return writeRatings(ctx, u, r.Ratings)
}

// writeRatings upserts ratings counters, the daily rows then the monthly
// ones, each by day with items before departments before the centre, so
// that concurrent writers on PostgreSQL lock the rows they share in the
// same order.
func writeRatings(ctx context.Context, u upserter, daily map[analytics.RatingKey]*analytics.Ratings) error {
	monthly := map[analytics.RatingKey]*analytics.Ratings{}
	for k, c := range daily {
		k.Day.Day = 1
		if monthly[k] == nil {
			monthly[k] = &analytics.Ratings{}
		}
		m := monthly[k]
		m.Ratings, m.Satisfied, m.Poor = m.Ratings+c.Ratings, m.Satisfied+c.Satisfied, m.Poor+c.Poor
	}
	for _, t := range []struct {
		table string
		rows  map[analytics.RatingKey]*analytics.Ratings
		day   int // length of the stored day
	}{{"stats_ratings_daily", daily, 10}, {"stats_ratings_monthly", monthly, 7}} {
		keys := slices.SortedFunc(maps.Keys(t.rows), compareRatingKeys)
		for _, k := range keys {
			c := t.rows[k]
			if err := u.upsert(ctx, ratingsUpsert[t.table], k.Department, k.Item, k.Day.String()[:t.day], c.Ratings, c.Satisfied, c.Poor); err != nil {
				return fmt.Errorf("%s: %w", t.table, err)
			}
		}
	}
	return nil
}

func compareRatingKeys(a, b analytics.RatingKey) int {
	level := func(k analytics.RatingKey) int {
		switch {
		case k.Item != "":
			return 0
		case k.Department != "":
			return 1
		}
		return 2
	}
	return cmp.Or(cmp.Compare(a.Day.Year, b.Day.Year), cmp.Compare(a.Day.Month, b.Day.Month), cmp.Compare(a.Day.Day, b.Day.Day),
		cmp.Compare(level(a), level(b)), cmp.Compare(a.Department, b.Department), cmp.Compare(a.Item, b.Item))
}

func upsertCounts(ctx context.Context, u upserter, table, day string, k analytics.Key, c *analytics.Counts) error {
	args := []any{k.Department, k.Item, day, k.Channel}
	for _, f := range c.Fields() {
		args = append(args, *f)
	}
	if err := u.upsert(ctx, countsUpsert[table], args...); err != nil {
		return fmt.Errorf("%s: %w", table, err)
	}
	return nil
}

// upsertSQL adds the counters of a row to an existing one (both engines
// accept INSERT … ON CONFLICT … DO UPDATE with excluded).
func upsertSQL(table string, keys, counters []string) string {
	cols := append(append([]string{}, keys...), counters...)
	ph := make([]string, len(cols))
	for i := range cols {
		ph[i] = fmt.Sprintf("$%d", i+1)
	}
	sets := make([]string, len(counters))
	for i, c := range counters {
		sets[i] = fmt.Sprintf("%s = %s.%s + excluded.%s", c, table, c, c)
	}
	return "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES (" + strings.Join(ph, ", ") +
		") ON CONFLICT (" + strings.Join(keys, ", ") + ") DO UPDATE SET " + strings.Join(sets, ", ")
}

var (
	countKeys    = []string{"department", "item_code", "day", "channel"}
	countsUpsert = map[string]string{
		"stats_daily":   upsertSQL("stats_daily", countKeys, analytics.Columns),
		"stats_monthly": upsertSQL("stats_monthly", countKeys, analytics.Columns),
	}
	hourlyUpsert  = upsertSQL("stats_hourly", []string{"day", "hour"}, analytics.HourColumns)
	ratingKeys    = []string{"department", "item_code", "day"}
	ratingsUpsert = map[string]string{
		"stats_ratings_daily":   upsertSQL("stats_ratings_daily", ratingKeys, analytics.RatingColumns),
		"stats_ratings_monthly": upsertSQL("stats_ratings_monthly", ratingKeys, analytics.RatingColumns),
	}
)

// FirstTicketDay is the day of the oldest ticket; zero when there is none.
func (s *StatsStore) FirstTicketDay(ctx context.Context) (calendar.Date, error) {
	var day sql.NullString
	if err := s.db.read.QueryRowContext(ctx, `SELECT MIN(day) FROM tickets`).Scan(&day); err != nil || !day.Valid {
		return calendar.Date{}, err
	}
	return calendar.ParseDate(day.String)
}

// TicketsOn lists the tickets of one day in every hall.
func (s *StatsStore) TicketsOn(ctx context.Context, day calendar.Date) ([]analytics.Ticket, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT issued_at, called_at, done_at, status FROM tickets
		WHERE hall_id IN (SELECT id FROM halls) AND day = $1`, day.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []analytics.Ticket
	for rows.Next() {
		var issued, called, done int64
		var status string
		if err := rows.Scan(&issued, &called, &done, &status); err != nil {
			return nil, err
		}
		list = append(list, analytics.Ticket{IssuedAt: fromMicros(issued), CalledAt: fromMicros(called), DoneAt: fromMicros(done),
			Served: status == "done"})
	}
	return list, rows.Err()
}

// Queue counts today's tickets of every hall by state.
func (s *StatsStore) Queue(ctx context.Context, day calendar.Date) (analytics.Queue, error) {
	var q analytics.Queue
	var waitSum, called int64
	err := s.db.read.QueryRowContext(ctx, `SELECT COUNT(*),
		COALESCE(SUM(CASE WHEN status = 'waiting' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN status = 'called' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN called_at > 0 THEN called_at - issued_at ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN called_at > 0 THEN 1 ELSE 0 END), 0)
		FROM tickets WHERE hall_id IN (SELECT id FROM halls) AND day = $1`, day.String()).
		Scan(&q.Issued, &q.Waiting, &q.Called, &q.Done, &waitSum, &called)
	if called > 0 {
		q.AvgWait = waitSum / called / 1e6
	}
	return q, err
}
