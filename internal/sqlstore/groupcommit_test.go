package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"onevisit/internal/audit"
	"onevisit/internal/sqlstore"
	"onevisit/internal/sqlstore/sqlstoretest"
)

// Concurrent writers share transactions on SQLite (group commit). A writer
// that fails after appending its audit entry must take the entry with it:
// the chain holds exactly the successful writers' entries, unbroken, and
// their other rows are there while the failed writers' are not.
func TestConcurrentWritersKeepTheAuditChain(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		before, err := db.VerifyAudit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		const writers = 300
		errFail := errors.New("refused after auditing")
		var wg sync.WaitGroup
		results := make([]error, writers)
		for i := range writers {
			wg.Go(func() {
				results[i] = db.Update(ctx, func(tx *sqlstore.Tx) error {
					e := audit.New(audit.Actor{Name: "tester"}, "test.write", "writer", fmt.Sprint(i))
					if err := sqlstore.AppendAudit(ctx, tx, e); err != nil {
						return err
					}
					if _, err := tx.ExecContext(ctx, `INSERT INTO notifications (department_code, kind, title, body, link, created_at)
						VALUES ($1, 'test', $2, '', '', 0)`, "T", fmt.Sprint(i)); err != nil {
						return err
					}
					if i%3 == 0 {
						return errFail
					}
					return nil
				})
			})
		}
		wg.Wait()
		ok := 0
		for i, err := range results {
			switch {
			case i%3 == 0 && !errors.Is(err, errFail):
				t.Fatalf("writer %d: got %v, want its own error", i, err)
			case i%3 != 0 && err != nil:
				t.Fatalf("writer %d: %v", i, err)
			case err == nil:
				ok++
			}
		}
		n, err := db.VerifyAudit(ctx)
		if err != nil {
			t.Fatalf("audit chain after %d writers: %v", writers, err)
		}
		if n-before != int64(ok) {
			t.Errorf("audit entries added: %d, want %d (one per successful writer)", n-before, ok)
		}
		var rows int
		if err := db.QueryRowForTest(ctx, `SELECT COUNT(*) FROM notifications WHERE department_code = 'T'`, nil, &rows); err != nil || rows != ok {
			t.Errorf("rows written: %d (%v), want %d", rows, err, ok)
		}
		entries, err := db.AuditEntries(ctx, "writer", "1", 10)
		if err != nil || len(entries) != 1 {
			t.Errorf("entries for a successful writer: %d, %v", len(entries), err)
		}
		if entries, _ := db.AuditEntries(ctx, "writer", "3", 10); len(entries) != 0 {
			t.Errorf("a failed writer's audit entry survived: %+v", entries)
		}
	})
}
