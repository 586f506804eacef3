package sqlstore

import "context"

// QueryRowForTest scans one row of a query on the read pool, for tests
// that check the roll-ups against plain scans.
func (db *DB) QueryRowForTest(ctx context.Context, q string, args []any, dest ...any) error {
	return db.read.QueryRowContext(ctx, q, args...).Scan(dest...)
}

// ExecForTest runs a write statement outside the stores, for tests that
// change rows the way another writer (an operator, a bulk load) would.
func (db *DB) ExecForTest(ctx context.Context, q string, args ...any) error {
	_, err := db.write.ExecContext(ctx, q, args...)
	return err
}
