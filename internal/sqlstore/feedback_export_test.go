package sqlstore

import "database/sql"

// QueryRowForTest runs a raw query on the read pool, so tests can recompute
// figures from the tables themselves.
func QueryRowForTest(db *DB, q string, args ...any) *sql.Row { return db.read.QueryRow(q, args...) }
