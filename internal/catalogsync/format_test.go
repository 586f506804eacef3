package catalogsync

import (
	"bytes"
	"testing"

	"onevisit/internal/demo"
)

// TestDemoCatalogRoundTripsThroughBothFormats writes the demo catalog and
// reads it back: the comparison finds every item unchanged.
func TestDemoCatalogRoundTripsThroughBothFormats(t *testing.T) {
	snap := demo.Catalog()
	for _, f := range []Format{JSON, XLSX} {
		t.Run(string(f), func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, snap, f); err != nil {
				t.Fatal(err)
			}
			got, err := Read(buf.Bytes(), Auto)
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			r := Compare(snap, got)
			if r.Added+r.Changed+r.Removed != 0 || r.Unchanged != len(snap.Items) {
				t.Errorf("report %+v, want %d unchanged", counts4(r), len(snap.Items))
				for _, ir := range r.Items {
					if ir.Kind != Unchanged {
						t.Logf("%s %s %+v", ir.Kind, ir.Code, ir.Changes)
					}
				}
			}
			want := Counts{Unchanged: len(snap.Materials)}
			if r.Materials != want || r.Proofs.Unchanged != len(snap.Proofs) || r.Bundles.Unchanged != len(snap.Bundles) {
				t.Errorf("library: materials %+v proofs %+v bundles %+v", r.Materials, r.Proofs, r.Bundles)
			}
			for i, it := range got.Items {
				if it.Local != snap.Items[i].Local {
					t.Errorf("item %s local %+v, want %+v", it.Code, it.Local, snap.Items[i].Local)
				}
			}
		})
	}
}

func counts4(r Report) [4]int { return [4]int{r.Added, r.Changed, r.Removed, r.Unchanged} }
