package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"onevisit/internal/api"
	"onevisit/internal/calendar"
	"onevisit/internal/cases"
	"onevisit/internal/catalog"
	"onevisit/internal/demo"
	"onevisit/internal/i18n"
	"onevisit/internal/identity"
	"onevisit/internal/sqlstore"
	"onevisit/internal/sqlstore/sqlstoretest"
)

// BenchmarkCaseAcceptance measures window acceptances (apply + accept in
// one request, as a clerk does) through the JSON API with 64 concurrent
// clients, and, in the same run, the machine's ceiling: single-row
// inserts, one transaction each, on the same engine. It reports cases/s,
// p50/p99 latency and the ratio to the ceiling.
//
//	go test ./internal/api -run '^$' -bench CaseAcceptance -benchtime 5s
func BenchmarkCaseAcceptance(b *testing.B) {
	engines := map[string]func(testing.TB) *sqlstore.DB{"sqlite": sqlstoretest.SQLite}
	if sqlstoretestPostgres() {
		engines["postgres"] = sqlstoretest.Postgres
	}
	for name, open := range engines {
		b.Run(name, func(b *testing.B) {
			db := open(b)
			ceiling := rawInsertRate(b, db, 64, 2*time.Second)
			base, token := benchServer(b, db)
			body := acceptanceBody()
			var lat []time.Duration
			var mu sync.Mutex
			var fails atomic.Int64
			b.SetParallelism(32) // 2 cores × 32 = 64 clients
			b.ResetTimer()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				var mine []time.Duration
				for pb.Next() {
					t0 := time.Now()
					req, _ := http.NewRequest("POST", base+"/api/v1/cases", bytes.NewReader(body))
					req.Header.Set("Authorization", "Bearer "+token)
					resp, err := http.DefaultClient.Do(req)
					if err != nil || resp.StatusCode != 201 {
						fails.Add(1)
					}
					if resp != nil {
						io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
					}
					mine = append(mine, time.Since(t0))
				}
				mu.Lock()
				lat = append(lat, mine...)
				mu.Unlock()
			})
			elapsed := time.Since(start)
			b.StopTimer()
			if fails.Load() > 0 {
				b.Fatalf("%d failed requests", fails.Load())
			}
			slices.Sort(lat)
			rate := float64(len(lat)) / elapsed.Seconds()
			b.ReportMetric(rate, "cases/s")
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
			b.ReportMetric(ceiling, "raw-inserts/s")
			b.ReportMetric(rate/ceiling, "ratio")
		})
	}
}

func sqlstoretestPostgres() bool { return envPostgres() != "" }

// rawInsertRate is the ceiling: concurrent single-row inserts, each its
// own write transaction, for d.
func rawInsertRate(b *testing.B, db *sqlstore.DB, workers int, d time.Duration) float64 {
	ctx := context.Background()
	if err := db.Update(ctx, func(tx *sqlstore.Tx) error {
		_, err := tx.ExecContext(ctx, `CREATE TABLE bench_raw (id BIGINT PRIMARY KEY, payload TEXT NOT NULL)`)
		return err
	}); err != nil {
		b.Fatal(err)
	}
	var n atomic.Int64
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				id := n.Add(1)
				_ = db.Update(ctx, func(tx *sqlstore.Tx) error {
					_, err := tx.ExecContext(ctx, `INSERT INTO bench_raw (id, payload) VALUES ($1, $2)`, id, "x")
					return err
				})
			}
		}()
	}
	wg.Wait()
	return float64(n.Load()) / d.Seconds()
}

func benchServer(b *testing.B, db *sqlstore.DB) (string, string) {
	ctx := context.Background()
	policy := identity.DefaultPolicy
	policy.Argon2 = identity.Argon2Params{MemoryKiB: 1024, Time: 1, Threads: 1}
	ids := identity.NewService(db.Identity(), policy, time.Now)
	if _, err := demo.Seed(ctx, ids, pw, false); err != nil {
		b.Fatal(err)
	}
	cat := catalog.NewService(db.Catalog(), time.Now)
	if err := demo.SeedCatalog(ctx, cat, demo.System, demo.Catalog()); err != nil {
		b.Fatal(err)
	}
	cal, err := calendar.NewService(ctx, db, time.Now)
	if err != nil {
		b.Fatal(err)
	}
	a := api.New(api.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Identity: ids, Calendar: cal, Catalog: cat,
		Cases: cases.NewService(db.Cases(), cat, cal, demo.Region, time.Now), Audit: db, Messages: i18n.MustLoad(), Now: time.Now})
	srv := httptest.NewServer(a.Handler())
	b.Cleanup(srv.Close)
	http.DefaultTransport.(*http.Transport).MaxIdleConnsPerHost = 128
	token, _, _, err := ids.Login(ctx, "clerk", pw, "api", "")
	if err != nil {
		b.Fatal(err)
	}
	return srv.URL, token
}

func acceptanceBody() []byte {
	in := cases.Application{ItemCode: "330206-MARKET-XK-0004", Decision: cases.Accept, Window: "3号窗口",
		Applicant: cases.Applicant{Kind: identity.Person, Name: "张三", IDNumber: demo.CitizenID()},
		Materials: []cases.Tick{{Code: "M018", Received: true}, {Code: "M019", Received: true}, {Code: "M005", Received: true}}}
	b, err := json.Marshal(in)
	if err != nil {
		panic(fmt.Sprint(err))
	}
	return b
}

func envPostgres() string { return os.Getenv(sqlstoretest.EnvPostgres) }
