// Package sqlstore implements onevisit's stores on SQLite (the embedded
// default) and PostgreSQL, with one set of hand-written SQL.
//
// Dialect differences are kept here and in the per-engine migrations:
//   - placeholders are written $1, $2 … for both engines (SQLite accepts them);
//   - timestamps are stored as BIGINT Unix microseconds (UTC) on both engines,
//     civil dates as TEXT 'YYYY-MM-DD', so values compare and sort the same way;
//   - SQLite gets a separate one-connection write pool so that writers queue
//     in Go instead of failing with "database is locked".
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	_ "modernc.org/sqlite"             // SQLite driver "sqlite"
)

// Engine names the database engine behind a DB.
type Engine string

// The supported engines.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// DB is an open onevisit database: a read pool and a write pool (the same
// pool on PostgreSQL).
type DB struct {
	Engine Engine
	read   *pool
	write  *pool
	group  *groupCommitter // SQLite only: batches concurrent write transactions
	now    func() time.Time
}

// Open opens the database named by dsn. An empty dsn or one without a
// postgres:// scheme is a SQLite file path; "" means onevisit.db in dataDir.
// It does not migrate; call Migrate.
func Open(ctx context.Context, dsn, dataDir string) (*DB, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return openPostgres(ctx, dsn)
	}
	path := strings.TrimPrefix(dsn, "sqlite://")
	if path == "" {
		if err := os.MkdirAll(dataDir, 0o750); err != nil {
			return nil, fmt.Errorf("create data folder: %w", err)
		}
		path = filepath.Join(dataDir, "onevisit.db")
	}
	return openSQLite(ctx, path)
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	// busy_timeout must come first so that the journal_mode change itself
	// waits for other processes instead of failing.
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(ON)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	dsn := "file:" + path + "?" + q.Encode()
	write, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	// Two connections: the group committer's transaction holds one, the
	// statement cache prepares on the other (stmtcache.go). Only the
	// committer writes, so writers still queue in Go.
	write.SetMaxOpenConns(2)
	write.SetMaxIdleConns(2)
	write.SetConnMaxIdleTime(0)
	read, err := sql.Open("sqlite", dsn)
	if err != nil {
		write.Close()
		return nil, err
	}
	read.SetMaxOpenConns(8)
	read.SetMaxIdleConns(8) // keep connections, and the statements prepared on them
	db := &DB{Engine: SQLite, read: newPool(read, true), write: newPool(write, true), now: time.Now}
	db.group = newGroupCommitter(db)
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	return db, nil
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	pool, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	pool.SetMaxOpenConns(32)
	pool.SetMaxIdleConns(32)
	p := newPool(pool, false)
	db := &DB{Engine: Postgres, read: p, write: p, now: time.Now}
	db.group = newGroupCommitter(db)
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	return db, nil
}

// Analyze refreshes the query planner's statistics of the tables a bulk
// load of history fills: VACUUM (ANALYZE) on PostgreSQL (this schema's
// tables only), ANALYZE on SQLite.
func (db *DB) Analyze(ctx context.Context) error {
	q := `ANALYZE`
	if db.Engine == Postgres {
		q = `VACUUM (ANALYZE) cases, case_events, ratings, stats_daily, stats_monthly, stats_hourly,
			stats_ratings_daily, stats_ratings_monthly`
	}
	_, err := db.write.DB.ExecContext(ctx, q)
	return err
}

// SetClock replaces the clock used for timestamps written by the stores.
func (db *DB) SetClock(now func() time.Time) { db.now = now }

// Now is the store's current time.
func (db *DB) Now() time.Time { return db.now() }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	var one int
	return db.read.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Close closes both pools.
func (db *DB) Close() error {
	db.group.close()
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// Tx is a write transaction.
type Tx struct {
	*sql.Tx
	db    *DB
	head  *auditHead           // group commit: the audit chain's head, kept for the whole batch
	stmts map[string]*sql.Stmt // the cached statements bound to this transaction
}

// Now is the transaction's clock.
func (tx *Tx) Now() time.Time { return tx.db.now() }

// Engine is the engine the transaction runs on.
func (tx *Tx) Engine() Engine { return tx.db.Engine }

// Update runs fn in a write transaction and commits it if fn returns nil;
// it returns only once the change is committed. Concurrent calls share
// transactions (groupcommit.go), each within its own savepoint; fn must
// not call Update itself.
func (db *DB) Update(ctx context.Context, fn func(tx *Tx) error) error {
	return db.group.update(ctx, fn)
}

// micros converts t to the stored representation of a timestamp.
func micros(t time.Time) int64 { return t.UnixMicro() }

// fromMicros converts a stored timestamp back; 0 is the zero time.
func fromMicros(us int64) time.Time {
	if us == 0 {
		return time.Time{}
	}
	return time.UnixMicro(us).UTC()
}

// nullMicros is micros for optional timestamps: the zero time is stored as 0.
func nullMicros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

// isUniqueViolation reports whether err is a unique-constraint violation on
// either engine.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}
