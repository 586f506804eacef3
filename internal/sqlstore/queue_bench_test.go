package sqlstore_test

import (
	"context"
	"os"
	"testing"
	"time"

	"onevisit/internal/queue"
	"onevisit/internal/sqlstore"
	"onevisit/internal/sqlstore/sqlstoretest"
)

// BenchmarkTakeAndCall measures one ticket taken at the kiosk and called at
// a window (two write transactions, each with its audit entry and hall
// event), and reports the pairs per second and their ratio to the engine's
// raw rate of minimal write transactions measured in the same run.
func BenchmarkTakeAndCall(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchTakeAndCall(b, sqlstoretest.SQLite(b)) })
	if os.Getenv(sqlstoretest.EnvPostgres) != "" {
		b.Run("postgres", func(b *testing.B) { benchTakeAndCall(b, sqlstoretest.Postgres(b)) })
	}
}

func benchTakeAndCall(b *testing.B, db *sqlstore.DB) {
	ctx := context.Background()
	now := hallNow
	svc, h := testHall(b, db, func() time.Time { return now })
	h.Opens, h.Closes, h.WorkdaysOnly = "00:00", "24:00", false
	if _, err := svc.SaveHall(ctx, hallAdmin, h); err != nil {
		b.Fatal(err)
	}
	w := signIn(b, svc, h, 2, 1)
	raw := rawWriteRate(b, db)
	for i := 0; b.Loop(); i++ {
		if i%900 == 899 {
			now = now.AddDate(0, 0, 1) // stay under the 999 numbers of a prefix a day
		}
		if _, err := svc.Take(ctx, nil, "main", queue.TakeInput{Zone: "A", Channel: queue.Kiosk}); err != nil {
			b.Fatal(err)
		}
		if _, err := svc.Call(ctx, clerk(1), w); err != nil {
			b.Fatal(err)
		}
	}
	rate := float64(b.N) / b.Elapsed().Seconds()
	b.ReportMetric(rate, "ops/s")
	b.ReportMetric(rate*2/raw, "ratio-to-raw-tx")
}

// rawWriteRate is the engine's rate of minimal write transactions (one
// upsert each) on this machine, the ceiling the hall's writes compare to.
func rawWriteRate(b *testing.B, db *sqlstore.DB) float64 {
	const n = 300
	start := time.Now()
	for i := range n {
		err := db.Update(context.Background(), func(tx *sqlstore.Tx) error {
			_, err := tx.ExecContext(context.Background(), `INSERT INTO ticket_counters (hall_id, prefix, day, seq)
				VALUES (0, 'raw', '2000-01-01', $1) ON CONFLICT (hall_id, prefix, day) DO UPDATE SET seq = $1`, i)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	return n / time.Since(start).Seconds()
}
