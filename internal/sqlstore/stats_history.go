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

// Bulk writing of generated history (demo.GenerateHistory): the rows are
// built outside the transaction, then written in one transaction per batch
// — on SQLite by multi-row INSERTs through statements prepared once per
// transaction, on PostgreSQL by COPY (history_copy.go) — with the roll-ups
// written directly instead of replayed from the events and the roll-up
// cursor moved past the new events in the same transaction, so the job
// never counts them again.

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

// historyTable is one table a history batch fills: its columns and the
// rows' values, flat.
type historyTable struct {
	name string
	cols []string
	vals []any
}

func (t *historyTable) rows() int { return len(t.vals) / len(t.cols) }

func (t *historyTable) row(i int) []any { return t.vals[i*len(t.cols) : (i+1)*len(t.cols)] }

var (
	caseCols = []string{"no", "item_code", "item_version", "department", "channel", "status", "applicant_id", "received_on",
		"start_on", "due_promised", "due_statutory", "warning", "visits", "created_at", "updated_at", "decided_at", "body"}
	eventCols  = []string{"case_no", "at", "action", "from_status", "to_status", "actor", "note"}
	ratingCols = []string{"case_no", "mode", "ticket", "department", "item_code", "level", "valid", "created_at", "body"}
)

// historyTables turns hs into the rows of cases, case_events and ratings.
func historyTables(hs []analytics.HistoryCase) ([]*historyTable, error) {
	cs := &historyTable{name: "cases", cols: caseCols, vals: make([]any, 0, len(hs)*len(caseCols))}
	evs := &historyTable{name: "case_events", cols: eventCols, vals: make([]any, 0, 4*len(hs)*len(eventCols))}
	rts := &historyTable{name: "ratings", cols: ratingCols, vals: make([]any, 0, len(hs)/2*len(ratingCols))}
	for i := range hs {
		h := &hs[i]
		c := &h.Case
		body, err := json.Marshal(c)
		if err != nil {
			return nil, err
		}
		cs.vals = append(cs.vals, c.No, c.ItemCode, c.ItemVersion, c.Department, string(c.Channel), string(c.Status),
			c.Applicant.ID, dateText(c.ReceivedOn), dateText(c.Clock.Start), dateText(c.DuePromised.Date),
			dateText(c.DueStatutory.Date), string(c.Warning), c.Visits, micros(c.CreatedAt), micros(c.UpdatedAt),
			nullMicros(c.DecidedAt), string(body))
		for _, ev := range h.Events {
			evs.vals = append(evs.vals, c.No, micros(ev.At), string(ev.Action), string(ev.From), string(ev.To), ev.Actor, ev.Note)
		}
		if r := h.Rating; r != nil {
			valid := 0
			if r.Valid {
				valid = 1
			}
			rts.vals = append(rts.vals, r.CaseNo, string(r.Mode), r.Ticket, r.Department, r.ItemCode, int(r.Level), valid,
				micros(r.CreatedAt), mustJSON(r))
		}
	}
	return []*historyTable{cs, evs, rts}, nil
}

// WriteHistory inserts hs with their events and ratings and adds roll to
// the roll-ups. The roll-up job must have caught up (its cursor at the
// last event), as on a database nobody else writes to; otherwise it is a
// Conflict.
func (s *StatsStore) WriteHistory(ctx context.Context, hs []analytics.HistoryCase, roll *analytics.Rollup) error {
	tables, err := historyTables(hs)
	if err != nil {
		return err
	}
	if s.db.Engine == Postgres {
		return s.copyHistory(ctx, tables, roll)
	}
	return s.insertHistory(ctx, tables, roll)
}

// historyCache is the SQLite page cache (KiB) of the write connection while
// it writes a history batch: the batch's index pages stay in memory instead
// of being spilled to the WAL before the commit.
const historyCache = 256 << 10

// insertHistory is WriteHistory on SQLite. A batch fills a transaction on
// its own, so it bypasses the group committer, whose savepoint would make
// SQLite copy every page the batch touches to a sub-journal file first: it
// takes the one write connection (the group committer waits for it) with
// a larger page cache and in-memory statement journals, and gives it back
// as it was after the commit.
func (s *StatsStore) insertHistory(ctx context.Context, tables []*historyTable, roll *analytics.Rollup) error {
	conn, err := s.db.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	var cache, temp int64
	if err := conn.QueryRowContext(ctx, `SELECT (SELECT cache_size FROM pragma_cache_size), (SELECT temp_store FROM pragma_temp_store)`).Scan(&cache, &temp); err != nil {
		return err
	}
	// temp_store = MEMORY: a multi-row INSERT keeps a statement journal
	// (to undo itself if a row fails), by default in a temporary file.
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA cache_size = %d; PRAGMA temp_store = MEMORY`, -historyCache)); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf(`PRAGMA cache_size = %d; PRAGMA temp_store = %d`, cache, temp)) //nolint:errcheck // best effort
	sqlTx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &Tx{Tx: sqlTx, db: s.db}
	if err := writeHistoryTx(ctx, tx, tables, roll); err != nil {
		_ = sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func writeHistoryTx(ctx context.Context, tx *Tx, tables []*historyTable, roll *analytics.Rollup) error {
	if err := cursorCaughtUp(tx.QueryRowContext(ctx, historyCursorSQL, analytics.CaseEventsCursor)); err != nil {
		return err
	}
	for _, t := range tables {
		if err := insertChunks(ctx, tx, t); err != nil {
			return fmt.Errorf("insert history %s: %w", t.name, err)
		}
	}
	if err := addRollup(ctx, tx, roll); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, relayMoveSQL, relayCursor, analytics.CaseEventsCursor); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, historyMoveSQL, analytics.CaseEventsCursor)
	return err
}

// A history batch moves the roll-ups' cursor past its events in its own
// transaction, and requires it to have caught up before (the batch writes
// its roll-up rows itself). It moves the outbox relay's cursor along when
// that had caught up too — the past sends no SMS, and without this the
// relay reads every generated event with its case (30 million on ten
// million cases: most of a core for hours, docs/performance.md); `demo
// --history-cases` drains the relay first. The relay's is moved first,
// while the roll-ups' still marks the last event before the batch.
const (
	historyCursorSQL = `SELECT position, (SELECT COALESCE(MAX(id), 0) FROM case_events) FROM stats_cursors WHERE name = $1`
	historyMoveSQL   = `UPDATE stats_cursors SET position = (SELECT COALESCE(MAX(id), 0) FROM case_events) WHERE name = $1`
	relayMoveSQL     = `UPDATE outbox_cursors SET position = (SELECT COALESCE(MAX(id), 0) FROM case_events)
		WHERE name = $1 AND position = (SELECT position FROM stats_cursors WHERE name = $2)`
	relayCursor = "case_events"
)

// cursorCaughtUp scans the cursor and the last event id (historyCursorSQL)
// and checks they are equal.
func cursorCaughtUp(row interface{ Scan(...any) error }) error {
	var pos, last int64
	if err := row.Scan(&pos, &last); err != nil {
		return err
	}
	if pos != last {
		return apperr.New(apperr.Conflict, "err.stats.cursor_moved")
	}
	return nil
}

// historyChunk is how many rows one INSERT statement writes on SQLite:
// large enough to amortise the statement, within SQLite's 32,766 variables.
const historyChunk = 100

// insertChunks writes t by multi-row INSERTs of historyChunk rows through a
// statement prepared once (on the transaction, so it runs on its
// connection), the remainder by one more statement.
func insertChunks(ctx context.Context, tx *Tx, t *historyTable) error {
	n, per := t.rows(), len(t.cols)
	full := n / historyChunk * historyChunk
	if full > 0 {
		st, err := tx.PrepareContext(ctx, multiInsert(t, historyChunk))
		if err != nil {
			return err
		}
		defer st.Close()
		for i := 0; i < full; i += historyChunk {
			if _, err := st.ExecContext(ctx, t.vals[i*per:(i+historyChunk)*per]...); err != nil {
				return err
			}
		}
	}
	if full < n {
		_, err := tx.ExecContext(ctx, multiInsert(t, n-full), t.vals[full*per:]...)
		return err
	}
	return nil
}

// multiInsert is an INSERT of rows rows into t. Its placeholders are
// SQLite's anonymous "?", not "$n": SQLite treats "$n" as a named
// parameter, and the driver's lookup of each name costs time linear in the
// number of parameters, which made a 1,700-value statement bind
// quadratically.
func multiInsert(t *historyTable, rows int) string {
	row := "(" + strings.Repeat("?, ", len(t.cols)-1) + "?)"
	return "INSERT INTO " + t.name + " (" + strings.Join(t.cols, ", ") + ") VALUES " +
		strings.Repeat(row+", ", rows-1) + row
}
