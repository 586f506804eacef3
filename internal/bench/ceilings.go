package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"onevisit/internal/sqlstore"
)

// Ceilings serves the machine's own limits on loopback, to measure in the
// same run as the scenarios: a handler that does nothing, and one that does
// a single-row insert per request, each in its own write transaction, on
// the same engine as the server (SQLite in a temporary folder beside the
// data, or the same PostgreSQL database).
type Ceilings struct {
	URL   string
	db    *sqlstore.DB
	srv   *http.Server
	table string
	dir   string
}

// StartCeilings starts the ceiling server; dsn is the server's database
// ("" for SQLite).
func StartCeilings(ctx context.Context, dsn string) (*Ceilings, error) {
	c := &Ceilings{table: fmt.Sprintf("bench_raw_%d", os.Getpid())}
	var err error
	if dsn == "" {
		if c.dir, err = os.MkdirTemp("", "onevisit-bench-"); err != nil {
			return nil, err
		}
		dsn = filepath.Join(c.dir, "ceiling.db")
	}
	if c.db, err = sqlstore.Open(ctx, dsn, c.dir); err != nil {
		return nil, err
	}
	if err := c.exec(ctx, `CREATE TABLE `+c.table+` (id BIGINT PRIMARY KEY, payload TEXT NOT NULL, at BIGINT NOT NULL)`); err != nil {
		return nil, err
	}
	var n atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("GET /noop", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	mux.HandleFunc("POST /insert", func(w http.ResponseWriter, r *http.Request) {
		id := n.Add(1)
		err := c.db.Update(r.Context(), func(tx *sqlstore.Tx) error {
			_, err := tx.ExecContext(r.Context(), `INSERT INTO `+c.table+` (id, payload, at) VALUES ($1, $2, $3)`, id, "一次办", time.Now().UnixMicro())
			return err
		})
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		w.WriteHeader(http.StatusCreated)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	c.srv = &http.Server{Handler: mux}
	go c.srv.Serve(ln)
	c.URL = "http://" + ln.Addr().String()
	return c, nil
}

func (c *Ceilings) exec(ctx context.Context, q string) error {
	return c.db.Update(ctx, func(tx *sqlstore.Tx) error { _, err := tx.ExecContext(ctx, q); return err })
}

// Close stops the server and removes the scratch table or folder.
func (c *Ceilings) Close() {
	c.srv.Close()
	_ = c.exec(context.Background(), `DROP TABLE `+c.table)
	c.db.Close()
	if c.dir != "" {
		os.RemoveAll(c.dir)
	}
}

// NoopScenario requests the no-op handler: the HTTP ceiling.
func NoopScenario() Scenario {
	return Scenario{Name: "ceiling: no-op HTTP", Op: func(ctx context.Context, c *Client, _ *rand.Rand) error {
		return c.Do(ctx, "", "GET", "/noop", nil, http.StatusNoContent, nil)
	}}
}

// InsertScenario requests the insert handler: the write ceiling.
func InsertScenario() Scenario {
	return Scenario{Name: "ceiling: 1-row insert", Op: func(ctx context.Context, c *Client, _ *rand.Rand) error {
		return c.Do(ctx, "", "POST", "/insert", nil, http.StatusCreated, nil)
	}}
}
