package sqlstore

import (
	"context"
	"database/sql"
	"sync"
)

// modernc's SQLite driver parses every statement afresh, and parsing is
// about a quarter of the CPU a window acceptance costs. On SQLite the
// stores therefore run their statements through a cache that prepares each
// distinct statement once per pool. PostgreSQL needs none: pgx keeps its
// own per-connection statement cache.
//
// Write transactions use the cached statements through Tx.StmtContext,
// which prepares them once on the transaction's connection and reuses them
// afterwards. Preparing the pool-level statement takes a second connection
// of the write pool, never the one the transaction holds (the write pool
// has two connections for that reason; only the group committer writes).

// maxCachedStmts bounds the cache; statements built with varying text (IN
// lists, limits) beyond it simply run unprepared.
const maxCachedStmts = 512

type stmtCache struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// get returns q prepared on pool, or nil when it cannot be cached (the
// cache is full, or preparing fails — the caller then runs q directly and
// reports the error as usual).
func (c *stmtCache) get(ctx context.Context, pool *sql.DB, q string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	st, ok := c.m[q]
	full := len(c.m) >= maxCachedStmts
	c.mu.Unlock()
	if ok || full {
		return st
	}
	st, err := pool.PrepareContext(context.WithoutCancel(ctx), q)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.m[q]; ok {
		_ = st.Close()
		return old
	}
	c.m[q] = st
	return st
}

func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.m {
		_ = st.Close()
		delete(c.m, q)
	}
}

// pool is a connection pool whose queries go through its statement cache
// when it has one.
type pool struct {
	*sql.DB
	stmts *stmtCache
}

func newPool(db *sql.DB, cached bool) *pool {
	p := &pool{DB: db}
	if cached {
		p.stmts = &stmtCache{m: map[string]*sql.Stmt{}}
	}
	return p
}

// QueryContext runs a query, prepared once when the pool caches statements.
func (p *pool) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := p.stmts.get(ctx, p.DB, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return p.DB.QueryContext(ctx, q, args...)
}

// QueryRowContext runs a single-row query, prepared once when the pool
// caches statements.
func (p *pool) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if st := p.stmts.get(ctx, p.DB, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return p.DB.QueryRowContext(ctx, q, args...)
}

// ExecContext runs a statement, prepared once when the pool caches
// statements.
func (p *pool) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if st := p.stmts.get(ctx, p.DB, q); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return p.DB.ExecContext(ctx, q, args...)
}

// Close closes the cached statements and the pool.
func (p *pool) Close() error {
	p.stmts.close()
	return p.DB.Close()
}

// stmt is q as a statement of tx, or nil when the write pool does not
// cache statements or tx is not the group committer's (a bulk load on a
// connection of its own prepares what it needs itself, and must not wait
// for the pool's other connection while holding the write lock).
func (tx *Tx) stmt(ctx context.Context, q string) *sql.Stmt {
	if tx.head == nil {
		return nil
	}
	if st, ok := tx.stmts[q]; ok {
		return st
	}
	st := tx.db.write.stmts.get(ctx, tx.db.write.DB, q)
	if st == nil {
		return nil
	}
	st = tx.Tx.StmtContext(ctx, st)
	if tx.stmts == nil {
		tx.stmts = map[string]*sql.Stmt{}
	}
	tx.stmts[q] = st
	return st
}

// detach drops the caller's cancellation inside a group-committed batch.
func (tx *Tx) detach(ctx context.Context) context.Context {
	if tx.head != nil {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

// ExecContext runs a statement in the transaction.
func (tx *Tx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	ctx = tx.detach(ctx)
	if st := tx.stmt(ctx, q); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return tx.Tx.ExecContext(ctx, q, args...)
}

// QueryContext runs a query in the transaction.
func (tx *Tx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	ctx = tx.detach(ctx)
	if st := tx.stmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return tx.Tx.QueryContext(ctx, q, args...)
}

// QueryRowContext runs a single-row query in the transaction.
func (tx *Tx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	ctx = tx.detach(ctx)
	if st := tx.stmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return tx.Tx.QueryRowContext(ctx, q, args...)
}
