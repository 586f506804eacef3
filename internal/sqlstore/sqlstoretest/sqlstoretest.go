// Package sqlstoretest gives tests a fresh, migrated database per test on
// every engine under test: SQLite always, and PostgreSQL too when
// ONEVISIT_TEST_POSTGRES holds a connection URL (each test gets its own
// schema, dropped afterwards).
package sqlstoretest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"onevisit/internal/sqlstore"
)

// EnvPostgres names the environment variable with the PostgreSQL test URL.
const EnvPostgres = "ONEVISIT_TEST_POSTGRES"

// Each runs fn as a subtest once per engine, each with a fresh migrated DB.
func Each(t *testing.T, fn func(t *testing.T, db *sqlstore.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	if os.Getenv(EnvPostgres) != "" {
		t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
	}
}

// SQLite returns a migrated SQLite database in a temporary folder.
func SQLite(t testing.TB) *sqlstore.DB {
	t.Helper()
	dir := t.TempDir()
	db, err := sqlstore.Open(context.Background(), filepath.Join(dir, "test.db"), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	migrate(t, db)
	return db
}

// Postgres returns a migrated PostgreSQL database in a schema of its own.
// It fails the test when ONEVISIT_TEST_POSTGRES is not set.
func Postgres(t testing.TB) *sqlstore.DB {
	t.Helper()
	dsn, schema := PostgresSchema(t)
	db, err := sqlstore.Open(context.Background(), dsn, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	_ = schema
	migrate(t, db)
	return db
}

// PostgresSchema creates an empty schema for the test, dropped when it ends,
// and returns a DSN whose search_path points at it.
func PostgresSchema(t testing.TB) (dsn, schema string) {
	t.Helper()
	base := os.Getenv(EnvPostgres)
	if base == "" {
		t.Fatalf("%s is not set", EnvPostgres)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema = "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer admin.Close()
		_, _ = admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), schema
}

func migrate(t testing.TB, db *sqlstore.DB) {
	t.Helper()
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
}
