package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// SQLite has one writer at a time, so each write transaction costs a
// commit no matter how small it is. The group committer runs the write
// functions of concurrent callers one after another inside a single
// transaction, each within its own SAVEPOINT — a failing function rolls
// back only its own work — and acknowledges every caller after the one
// COMMIT. Nothing is acknowledged before it is committed.
//
// PostgreSQL could run the transactions concurrently, but nearly every
// write takes the same two row locks until its commit — the audit chain's
// head and the day's case-number counter — so concurrent transactions only
// queue on them, one commit after another. Batched, the locks are taken
// once per batch and the commit's flush is shared, as on SQLite.
//
// Statements inside a batch run without the caller's cancellation
// (Tx.ExecContext and friends): a client that goes away must not abort
// the transaction its neighbours share. A caller whose context is done
// before its turn is skipped.

// maxBatch bounds how many write functions share one transaction.
const maxBatch = 128

type writeReq struct {
	ctx  context.Context
	fn   func(tx *Tx) error
	done chan error
}

type groupCommitter struct {
	db     *DB
	reqs   chan writeReq
	stop   chan struct{}
	closed sync.Once
	wg     sync.WaitGroup
}

func newGroupCommitter(db *DB) *groupCommitter {
	g := &groupCommitter{db: db, reqs: make(chan writeReq, maxBatch), stop: make(chan struct{})}
	g.wg.Add(1)
	go g.loop()
	return g
}

var errClosed = errors.New("sqlstore: database closed")

// update queues fn and waits for its transaction to commit.
func (g *groupCommitter) update(ctx context.Context, fn func(tx *Tx) error) error {
	req := writeReq{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case g.reqs <- req:
	case <-g.stop:
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	return <-req.done
}

func (g *groupCommitter) close() {
	g.closed.Do(func() { close(g.stop) })
	g.wg.Wait()
}

func (g *groupCommitter) loop() {
	defer g.wg.Done()
	for {
		var first writeReq
		select {
		case first = <-g.reqs:
		case <-g.stop:
			return
		}
		batch := []writeReq{first}
	drain:
		for len(batch) < maxBatch {
			select {
			case r := <-g.reqs:
				batch = append(batch, r)
			default:
				break drain
			}
		}
		g.run(batch)
	}
}

// run executes a batch in one transaction and answers every caller.
func (g *groupCommitter) run(batch []writeReq) {
	results := make([]error, len(batch))
	sqlTx, err := g.db.write.BeginTx(context.Background(), nil)
	if err != nil {
		for _, r := range batch {
			r.done <- fmt.Errorf("begin: %w", err)
		}
		return
	}
	tx := &Tx{Tx: sqlTx, db: g.db, head: &auditHead{}}
	ok := 0
	for i, r := range batch {
		results[i] = g.runOne(tx, r)
		if results[i] == nil {
			ok++
		}
	}
	if ok == 0 {
		_ = sqlTx.Rollback()
	} else if err := commit(tx); err != nil {
		err = fmt.Errorf("commit: %w", err)
		for i := range results {
			if results[i] == nil {
				results[i] = err
			}
		}
	}
	for i, r := range batch {
		r.done <- results[i]
	}
}

// commit writes the batch's audit head back and commits.
func commit(tx *Tx) error {
	if err := tx.head.flush(context.Background(), tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// runOne runs one caller's function inside a savepoint; if it fails, its
// work and its audit entries are undone.
func (g *groupCommitter) runOne(tx *Tx, r writeReq) error {
	if err := r.ctx.Err(); err != nil {
		return err
	}
	if _, err := tx.ExecContext(r.ctx, `SAVEPOINT w`); err != nil {
		return err
	}
	head := *tx.head
	if err := r.fn(tx); err != nil {
		*tx.head = head
		if _, rerr := tx.ExecContext(context.Background(), `ROLLBACK TO w`); rerr != nil {
			return errors.Join(err, rerr)
		}
		_, _ = tx.ExecContext(context.Background(), `RELEASE w`)
		return err
	}
	_, err := tx.ExecContext(context.Background(), `RELEASE w`)
	return err
}
