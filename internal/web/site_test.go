package web_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"onevisit/internal/catalog"
	"onevisit/internal/demo"
	"onevisit/internal/identity"
	"onevisit/internal/sqlstore"
	"onevisit/internal/sqlstore/sqlstoretest"
)

// demoBase is what every site in these tests starts from: a fresh SQLite
// database with the demo accounts and, with withCatalog, the demo catalog.
type demoBase struct {
	ctx context.Context
	db  *sqlstore.DB
	ids *identity.Service
	cat *catalog.Service
	log *slog.Logger
}

func newDemoBase(t *testing.T, withCatalog bool) demoBase {
	t.Helper()
	b := demoBase{ctx: context.Background(), db: sqlstoretest.SQLite(t), log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	policy := identity.DefaultPolicy
	policy.Argon2 = identity.Argon2Params{MemoryKiB: 1024, Time: 1, Threads: 1}
	b.ids = identity.NewService(b.db.Identity(), policy, time.Now)
	if _, err := demo.Seed(b.ctx, b.ids, pw, false); err != nil {
		t.Fatal(err)
	}
	if withCatalog {
		b.cat = catalog.NewService(b.db.Catalog(), time.Now)
		if err := demo.SeedCatalog(b.ctx, b.cat, demo.System, demo.Catalog()); err != nil {
			t.Fatal(err)
		}
	}
	return b
}
