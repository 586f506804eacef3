package catalog

import (
	"slices"
	"testing"
)

func mats(codes ...string) []ItemMaterial {
	var ms []ItemMaterial
	for _, c := range codes {
		ms = append(ms, ItemMaterial{MaterialCode: c, Originals: 1, Required: true})
	}
	return ms
}

func TestViewCountsRequiredMaterialsMergesThemAndTakesTheSlowestPath(t *testing.T) {
	items := map[string]Item{
		"A": {Code: "A", PromisedLimit: 2, StatutoryLimit: 10, Materials: mats("app", "lic", "id", "trade")},
		"B": {Code: "B", PromisedLimit: 4, StatutoryLimit: 8, Materials: mats("app", "lic", "photo")},
		"C": {Code: "C", PromisedLimit: 6, StatutoryLimit: 20, Materials: append(mats("id", "charter"),
			ItemMaterial{MaterialCode: "lease", Copies: 2})},
	}
	b := Bundle{Stages: []Stage{{ItemCodes: []string{"A", "B"}}, {ItemCodes: []string{"C", "GONE"}}}}
	v := View(b, items)
	if v.RequiredTotal != 9 || len(v.MergedMaterials) != 7 || len(v.Items) != 3 {
		t.Fatalf("required %d, merged %d, items %d", v.RequiredTotal, len(v.MergedMaterials), len(v.Items))
	}
	if v.PromisedLimit != 10 || v.StatutoryLimit != 30 {
		t.Fatalf("limits %d/%d, want 10/30", v.PromisedLimit, v.StatutoryLimit)
	}
	last := v.MergedMaterials[6]
	if last.MaterialCode != "lease" || last.Required || last.Copies != 2 {
		t.Fatalf("an optional material stays optional: %+v", last)
	}
	if id := v.MergedMaterials[2]; !slices.Equal(id.ItemCodes, []string{"A", "C"}) || !id.Required {
		t.Fatalf("shared material: %+v", id)
	}
}

func TestDiffComparesMaterialsByCode(t *testing.T) {
	a := Item{Name: "x", Materials: mats("m1", "m2")}
	b := Item{Name: "x", Materials: mats("m2", "m3")}
	b.Materials[0].Copies = 3
	got := Diff(a, b)
	want := []Change{
		{Field: "materials[m2].copies", Old: "0", New: "3"},
		{Field: "materials[m3]", New: materialText(b.Materials[1])},
		{Field: "materials[m1]", Old: materialText(a.Materials[0])},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("diff:\n got %v\nwant %v", got, want)
	}
	if len(Diff(a, a)) != 0 {
		t.Fatal("an item differs from itself")
	}
}

func TestCheckItemAcceptsAValidItem(t *testing.T) {
	it := Item{Code: "X1", Name: "x", Type: Licensing, Level: Main, DepartmentCode: "D", Objects: []Object{ForPerson},
		CaseType: Immediate, VisitsRequired: 0, Materials: mats("m1")}
	if f := checkItem(it); len(f) != 0 {
		t.Fatalf("field errors: %v", f)
	}
}
