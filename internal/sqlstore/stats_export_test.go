package sqlstore

import "context"

// QueryRowForTest scans one row of a query on the read pool, for tests
// that check the roll-ups against plain scans.
func (db *DB) QueryRowForTest(ctx context.Context, q string, args []any, dest ...any) error {
	return db.read.QueryRowContext(ctx, q, args...).Scan(dest...)
}
