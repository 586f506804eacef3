package sqlstore_test

import (
	"context"
	"testing"

	"onevisit/internal/sqlstore"
	"onevisit/internal/sqlstore/sqlstoretest"
)

func TestMigrateIsIdempotentAndForwardOnly(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		ms, err := db.Migrations()
		if err != nil || len(ms) == 0 {
			t.Fatalf("migrations: %v (%d)", err, len(ms))
		}
		v, err := db.SchemaVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if v != ms[len(ms)-1].Version {
			t.Fatalf("schema version %d, want %d", v, ms[len(ms)-1].Version)
		}
		n, err := db.Migrate(ctx)
		if err != nil || n != 0 {
			t.Fatalf("second migrate applied %d, err %v; want 0, nil", n, err)
		}
	})
}

func TestEnginesHaveTheSameMigrations(t *testing.T) {
	db := sqlstoretest.SQLite(t)
	lite, _ := db.Migrations()
	pg := &sqlstore.DB{Engine: sqlstore.Postgres}
	pgm, err := pg.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) != len(pgm) {
		t.Fatalf("sqlite has %d migrations, postgres %d", len(lite), len(pgm))
	}
	for i := range lite {
		if lite[i].Version != pgm[i].Version || lite[i].Name != pgm[i].Name {
			t.Errorf("migration %d: sqlite %04d_%s, postgres %04d_%s", i, lite[i].Version, lite[i].Name, pgm[i].Version, pgm[i].Name)
		}
	}
}
