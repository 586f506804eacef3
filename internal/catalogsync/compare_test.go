package catalogsync

import (
	"slices"
	"testing"
	"time"

	"onevisit/internal/catalog"
)

func guide(code string) catalog.Item {
	return catalog.Item{Code: code, Level: catalog.Main, Name: "事项" + code, Type: catalog.Licensing, DepartmentCode: "MARKET",
		Objects: []catalog.Object{catalog.ForEnterprise}, CaseType: catalog.Promised, StatutoryLimit: 10, PromisedLimit: 4,
		Materials: []catalog.ItemMaterial{{MaterialCode: "M1", Originals: 1, Required: true}}}
}

func TestCompareIgnoresLocalFieldsAndPublishingStamps(t *testing.T) {
	cur := guide("A")
	cur.ID, cur.Version, cur.Status = 7, 3, catalog.Published
	cur.PublishedAt, cur.PublishedBy, cur.UpdatedAt = time.Now(), "catalog", time.Now()
	cur.Local = catalog.Local{Window: "A01", Place: "一楼", Phone: "0574-1", Notes: "本中心"}
	cur.Materials[0].Name = "申请书" // filled from the library
	r := Compare(catalog.Snapshot{Items: []catalog.Item{cur}}, catalog.Snapshot{Items: []catalog.Item{guide("A")}})
	if r.Unchanged != 1 || r.Changed != 0 {
		t.Errorf("report %+v, want A unchanged", r.Items)
	}
}

func TestCompareCountsAddedChangedRemovedInCodeOrder(t *testing.T) {
	changed := guide("B")
	changed.PromisedLimit = 2
	changed.Materials[0].Copies = 2
	r := Compare(
		catalog.Snapshot{Items: []catalog.Item{guide("C"), guide("B"), guide("A")}},
		catalog.Snapshot{Items: []catalog.Item{guide("D"), changed, guide("A")}})
	if [4]int{r.Added, r.Changed, r.Removed, r.Unchanged} != [4]int{1, 1, 1, 1} {
		t.Fatalf("counts %d %d %d %d, want 1 each", r.Added, r.Changed, r.Removed, r.Unchanged)
	}
	var got []string
	for _, ir := range r.Items {
		got = append(got, ir.Code+":"+string(ir.Kind))
	}
	if want := []string{"A:unchanged", "B:changed", "C:removed", "D:added"}; !slices.Equal(got, want) {
		t.Errorf("items %v, want %v", got, want)
	}
	fields := []string{}
	for _, c := range r.Items[1].Changes {
		fields = append(fields, c.Field)
	}
	if want := []string{"promisedLimit", "materials[M1].copies"}; !slices.Equal(fields, want) {
		t.Errorf("changes of B %v, want %v", fields, want)
	}
}

func TestCompareLibraryEntries(t *testing.T) {
	cancelled := time.Date(2018, 6, 30, 0, 0, 0, 0, china)
	cur := catalog.Snapshot{
		Materials: []catalog.Material{{ID: 1, Code: "M1", Name: "申请书"}, {ID: 2, Code: "M2", Name: "章程"}},
		Proofs:    []catalog.Proof{{ID: 1, Code: "P1", Name: "证明", Status: catalog.Cancelled, Replacement: catalog.Commitment, CancelledAt: cancelled.UTC()}},
		Bundles:   []catalog.Bundle{{Code: "B1", Name: "一件事", Stages: []catalog.Stage{{Name: "一", ItemCodes: []string{"A"}}}}},
	}
	inc := catalog.Snapshot{
		Materials: []catalog.Material{{Code: "M1", Name: "申请书"}, {Code: "M2", Name: "公司章程"}, {Code: "M3", Name: "照片"}},
		Proofs:    []catalog.Proof{{Code: "P1", Name: "证明", Status: catalog.Cancelled, Replacement: catalog.Commitment, CancelledAt: cancelled}},
		Bundles:   []catalog.Bundle{{Code: "B1", Name: "一件事", Stages: []catalog.Stage{{Name: "一", ItemCodes: []string{"A", "B"}}}}},
	}
	r := Compare(cur, inc)
	if r.Materials != (Counts{Added: 1, Changed: 1, Unchanged: 1}) || r.Proofs != (Counts{Unchanged: 1}) || r.Bundles != (Counts{Changed: 1}) {
		t.Errorf("materials %+v, proofs %+v, bundles %+v", r.Materials, r.Proofs, r.Bundles)
	}
}

func TestFAQReadsBackWhatItWrites(t *testing.T) {
	tests := []struct {
		name string
		qs   []catalog.QA
	}{
		{"plain", []catalog.QA{{Q: "要验资吗？", A: "不需要。"}, {Q: "能网办吗？", A: "可以。\n全程电子化。"}}},
		{"a mark inside an answer", []catalog.QA{{Q: "格式？", A: "第一行\nQ：不是问题"}}},
		{"none", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseFAQ(formatFAQ(tt.qs))
			if !ok || !slices.Equal(got, tt.qs) {
				t.Errorf("parseFAQ(formatFAQ(%q)) = %q, %t", tt.qs, got, ok)
			}
		})
	}
	got, ok := parseFAQ("问：可以邮寄吗？\n答：可以，\n免费寄递。")
	if want := []catalog.QA{{Q: "可以邮寄吗？", A: "可以，\n免费寄递。"}}; !ok || !slices.Equal(got, want) {
		t.Errorf("问/答 lines: %q, %t", got, ok)
	}
	if _, ok := parseFAQ("没有标记的一行"); ok {
		t.Error("text without Q：/A： marks was accepted")
	}
}

func TestParseDaysTakesHalfDays(t *testing.T) {
	tests := []struct {
		in   string
		want catalog.HalfDays
		ok   bool
	}{{"2.5", 5, true}, {"20", 40, true}, {"", 0, true}, {"1.25", 0, false}, {"三天", 0, false}}
	for _, tt := range tests {
		if got, ok := parseDays(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("parseDays(%q) = %d, %t; want %d, %t", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
