package sqlstore

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"onevisit/internal/analytics"
)

// copyHistory is WriteHistory on PostgreSQL: one pgx transaction on a
// connection of its own, the rows by COPY and the roll-up upserts sent as
// one pipelined batch.
func (s *StatsStore) copyHistory(ctx context.Context, tables []*historyTable, roll *analytics.Rollup) error {
	conn, err := s.db.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("history copy: not a pgx connection (%T)", dc)
		}
		tx, err := sc.Conn().Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
		if err := cursorCaughtUp(tx.QueryRow(ctx, historyCursorSQL+" FOR UPDATE", analytics.CaseEventsCursor)); err != nil {
			return err
		}
		for _, t := range tables {
			src := pgx.CopyFromSlice(t.rows(), func(i int) ([]any, error) { return t.row(i), nil })
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{t.name}, t.cols, src); err != nil {
				return fmt.Errorf("copy history %s: %w", t.name, err)
			}
		}
		b := &pgxBatch{}
		if err := writeRollup(ctx, b, roll); err != nil {
			return err
		}
		if err := tx.SendBatch(ctx, &b.Batch).Close(); err != nil {
			return fmt.Errorf("history roll-ups: %w", err)
		}
		if _, err := tx.Exec(ctx, relayMoveSQL, relayCursor, analytics.CaseEventsCursor); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, historyMoveSQL, analytics.CaseEventsCursor); err != nil {
			return err
		}
		return tx.Commit(ctx)
	})
}

// pgxBatch queues the roll-up upserts for one round trip.
type pgxBatch struct{ pgx.Batch }

func (b *pgxBatch) upsert(_ context.Context, q string, args ...any) error {
	b.Queue(q, args...)
	return nil
}
