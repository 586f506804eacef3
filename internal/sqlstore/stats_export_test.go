package sqlstore

import (
	"context"
	"strings"

	"onevisit/internal/analytics"
)

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

// DrillPlanForTest is SQLite's query plan of a drill-down page's query.
func (s *StatsStore) DrillPlanForTest(ctx context.Context, d analytics.Drill) (string, error) {
	w, order := s.drillWhere(d)
	rows, err := s.db.read.QueryContext(ctx, "EXPLAIN QUERY PLAN SELECT no FROM cases"+w.sql()+" ORDER BY "+order+" LIMIT 51", w.args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return "", err
		}
		plan = append(plan, detail)
	}
	return strings.Join(plan, "; "), rows.Err()
}
