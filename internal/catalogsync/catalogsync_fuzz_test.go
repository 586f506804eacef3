package catalogsync_test

import (
	"bytes"
	"testing"

	"onevisit/internal/catalog"
	"onevisit/internal/catalogsync"
	"onevisit/internal/demo"
)

// smallCatalog is the demo catalog cut to two items, a small seed.
func smallCatalog() catalog.Snapshot {
	snap := demo.Catalog()
	snap.Items = snap.Items[:2]
	snap.Bundles = nil
	return snap
}

// fuzzRead checks that reading any bytes as f returns a snapshot or an
// error, never panics, and that what it accepts writes out again.
func fuzzRead(f *testing.F, format catalogsync.Format, seeds ...[]byte) {
	var buf bytes.Buffer
	if err := catalogsync.Write(&buf, smallCatalog(), format); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		snap, err := catalogsync.Read(data, format)
		if err != nil {
			return
		}
		if err := catalogsync.Write(&bytes.Buffer{}, snap, format); err != nil {
			t.Fatalf("an accepted catalog does not write out: %v", err)
		}
	})
}

func FuzzReadJSON(f *testing.F) {
	fuzzRead(f, catalogsync.JSON, []byte(`{}`), []byte(`{"items":[{"code":"x"}]}`), []byte(`[`), []byte(`{"items":[{"materials":[{"pages":-1}]}]}`))
}

func FuzzReadXLSX(f *testing.F) {
	fuzzRead(f, catalogsync.XLSX, []byte("PK\x03\x04"), []byte{})
}
