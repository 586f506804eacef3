package demo

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"onevisit/internal/catalog"
)

// loadCatalogData decodes catalog.json strictly: a field the Go types do not
// know is an error, so the data cannot drift from the struct tags.
func loadCatalogData(t *testing.T) catalog.Snapshot {
	t.Helper()
	raw, err := os.ReadFile("catalog.json")
	if err != nil {
		t.Fatalf("read catalog.json: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var s catalog.Snapshot
	if err := dec.Decode(&s); err != nil {
		t.Fatalf("decode catalog.json: %v", err)
	}
	if dec.More() {
		t.Fatal("catalog.json: trailing data after the snapshot")
	}
	if s.Format != "onevisit-catalog" || s.Version != 1 {
		t.Fatalf("format/version = %q/%d, want onevisit-catalog/1", s.Format, s.Version)
	}
	return s
}

func itemsByCode(s catalog.Snapshot) map[string]catalog.Item {
	m := make(map[string]catalog.Item, len(s.Items))
	for _, it := range s.Items {
		m[it.Code] = it
	}
	return m
}

func TestCatalogDataHasFortyItemsWithCompleteGuides(t *testing.T) {
	s := loadCatalogData(t)
	if len(s.Items) < 40 {
		t.Fatalf("%d items, want at least 40", len(s.Items))
	}
	deptCodes := map[string]bool{}
	for _, d := range departments {
		deptCodes[d.code] = true
	}
	materials := map[string]bool{}
	for _, m := range s.Materials {
		if m.Code == "" || m.Name == "" {
			t.Errorf("material %+v: code and name are required", m)
		}
		if materials[m.Code] {
			t.Errorf("material code %s is not unique", m.Code)
		}
		materials[m.Code] = true
	}
	codes := map[string]bool{}
	ids := map[int64]bool{}
	for _, it := range s.Items {
		if codes[it.Code] {
			t.Errorf("item code %s is not unique", it.Code)
		}
		codes[it.Code] = true
		if ids[it.ID] {
			t.Errorf("item id %d is not unique", it.ID)
		}
		ids[it.ID] = true
	}
	withChildren := map[string]bool{}
	validTypes := map[catalog.ItemType]bool{
		catalog.Licensing: true, catalog.PublicService: true, catalog.Confirmation: true,
		catalog.Payment: true, catalog.Filing: true, catalog.Ruling: true,
		catalog.Reward: true, catalog.Collection: true, catalog.OtherPower: true,
	}
	validModes := map[catalog.Mode]bool{catalog.AtWindow: true, catalog.Online: true, catalog.ByEMS: true}
	validSources := map[catalog.Source]bool{catalog.FromApplicant: true, catalog.FromLicences: true, catalog.FromSharing: true}
	for _, it := range s.Items {
		where := it.Code + " " + it.Name
		switch it.Level {
		case catalog.Main:
			if it.ParentCode != "" {
				t.Errorf("%s: a main item has parent %s", where, it.ParentCode)
			}
		case catalog.Sub, catalog.Handling:
			if !codes[it.ParentCode] {
				t.Errorf("%s: parent %q does not exist", where, it.ParentCode)
			}
			withChildren[it.ParentCode] = true
		default:
			t.Errorf("%s: level %q", where, it.Level)
		}
		if it.BasicCode == "" {
			t.Errorf("%s: no basic code", where)
		}
		if !deptCodes[it.DepartmentCode] {
			t.Errorf("%s: department %q is not a demo department", where, it.DepartmentCode)
		}
		for _, d := range it.JointDepartmentCodes {
			if !deptCodes[d] {
				t.Errorf("%s: joint department %q is not a demo department", where, d)
			}
		}
		for field, v := range map[string]string{
			"name": it.Name, "legalBasis": it.LegalBasis, "conditions": it.Conditions,
			"flow": it.Flow, "resultName": it.ResultName, "fee": it.Fee,
		} {
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s: %s is empty", where, field)
			}
		}
		if !validTypes[it.Type] {
			t.Errorf("%s: type %q", where, it.Type)
		}
		if len(it.Objects) == 0 {
			t.Errorf("%s: no service object", where)
		}
		if it.PromisedLimit < 0 || it.PromisedLimit > it.StatutoryLimit {
			t.Errorf("%s: promised %d half-days, statutory %d", where, it.PromisedLimit, it.StatutoryLimit)
		}
		if (it.CaseType == catalog.Immediate) != (it.PromisedLimit == 0) {
			t.Errorf("%s: case type %q with promised limit %d", where, it.CaseType, it.PromisedLimit)
		}
		if it.VisitsRequired != 0 && it.VisitsRequired != 1 {
			t.Errorf("%s: visits %d", where, it.VisitsRequired)
		}
		if it.OnlineDepth < 1 || it.OnlineDepth > 4 {
			t.Errorf("%s: online depth %d", where, it.OnlineDepth)
		}
		if len(it.SubmitModes) == 0 || len(it.CollectModes) == 0 {
			t.Errorf("%s: submit or collect modes missing", where)
		}
		for _, m := range append(append([]catalog.Mode{}, it.SubmitModes...), it.CollectModes...) {
			if !validModes[m] {
				t.Errorf("%s: mode %q", where, m)
			}
		}
		if it.Bookable != (it.DailyQuota > 0) {
			t.Errorf("%s: bookable %v with daily quota %d", where, it.Bookable, it.DailyQuota)
		}
		if len(it.Materials) == 0 {
			t.Errorf("%s: no materials", where)
		}
		seen := map[string]bool{}
		for _, im := range it.Materials {
			if !materials[im.MaterialCode] {
				t.Errorf("%s: material %q is not in the library", where, im.MaterialCode)
			}
			if seen[im.MaterialCode] {
				t.Errorf("%s: material %s listed twice", where, im.MaterialCode)
			}
			seen[im.MaterialCode] = true
			if !validSources[im.Source] {
				t.Errorf("%s: material %s source %q", where, im.MaterialCode, im.Source)
			}
		}
		if it.Local.Place == "" || it.Local.Hours == "" || it.Local.Phone == "" || it.Local.Window == "" {
			t.Errorf("%s: local window/place/hours/phone incomplete", where)
		}
	}
	if len(withChildren) < 3 {
		t.Errorf("%d items have sub-items or handling cases, want at least 3", len(withChildren))
	}
}

func TestCatalogDataForeignTradeBundleMerges26To9(t *testing.T) {
	s := loadCatalogData(t)
	items := itemsByCode(s)
	for _, b := range s.Bundles {
		if b.Code != "FTZ-TRADE-LICENCES" {
			continue
		}
		total := 0
		union := map[string]bool{}
		depts := map[string]bool{}
		for _, st := range b.Stages {
			for _, c := range st.ItemCodes {
				it, ok := items[c]
				if !ok {
					t.Fatalf("bundle item %s does not exist", c)
				}
				depts[it.DepartmentCode] = true
				for _, im := range it.Materials {
					if im.Required {
						total++
						union[im.MaterialCode] = true
					}
				}
			}
		}
		if total != 26 || len(union) != 9 {
			t.Errorf("外贸企业证照联办: %d required materials merging to %d, want 26 to 9", total, len(union))
		}
		if len(depts) < 2 {
			t.Errorf("外贸企业证照联办 spans %d departments, want several", len(depts))
		}
		return
	}
	t.Fatal("no FTZ-TRADE-LICENCES bundle")
}

func TestCatalogDataBundlesReferToItems(t *testing.T) {
	s := loadCatalogData(t)
	items := itemsByCode(s)
	want := map[string]bool{"FTZ-TRADE-LICENCES": false, "TEMP-LAND-USE": false, "CONSTR-PLANNING-PERMIT": false, "COMPLETION-ACCEPTANCE": false}
	for _, b := range s.Bundles {
		if _, ok := want[b.Code]; ok {
			want[b.Code] = true
		}
		if b.Name == "" || b.Object == "" || b.Theme == "" {
			t.Errorf("bundle %s: name, object and theme are required", b.Code)
		}
		if len(b.Stages) < 2 {
			t.Errorf("bundle %s: %d stages, want at least 2", b.Code, len(b.Stages))
		}
		depts := map[string]bool{}
		inBundle := map[string]bool{}
		for _, st := range b.Stages {
			if st.Name == "" || len(st.ItemCodes) == 0 {
				t.Errorf("bundle %s: stage %+v is empty", b.Code, st)
			}
			for _, c := range st.ItemCodes {
				it, ok := items[c]
				if !ok {
					t.Errorf("bundle %s: item %s does not exist", b.Code, c)
					continue
				}
				if inBundle[c] {
					t.Errorf("bundle %s: item %s appears twice", b.Code, c)
				}
				inBundle[c] = true
				depts[it.DepartmentCode] = true
			}
		}
		if len(depts) < 2 {
			t.Errorf("bundle %s is not cross-department", b.Code)
		}
	}
	for code, found := range want {
		if !found {
			t.Errorf("bundle %s is missing", code)
		}
	}
}

func TestCatalogDataDemandsNoCancelledProof(t *testing.T) {
	s := loadCatalogData(t)
	if len(s.Proofs) < 8 {
		t.Errorf("%d proofs, want at least 8", len(s.Proofs))
	}
	proofs := map[string]catalog.Proof{}
	retained, cancelled := 0, 0
	for _, p := range s.Proofs {
		proofs[p.Code] = p
		switch p.Status {
		case catalog.Retained:
			retained++
			if p.Replacement != "" {
				t.Errorf("retained proof %s has a replacement", p.Code)
			}
		case catalog.Cancelled:
			cancelled++
			if p.Replacement == "" {
				t.Errorf("cancelled proof %s has no replacement", p.Code)
			}
		default:
			t.Errorf("proof %s: status %q", p.Code, p.Status)
		}
	}
	if retained == 0 || cancelled == 0 {
		t.Errorf("%d retained and %d cancelled proofs, want some of each", retained, cancelled)
	}
	proofOf := map[string]string{}
	for _, m := range s.Materials {
		if m.ProofCode == "" {
			continue
		}
		if _, ok := proofs[m.ProofCode]; !ok {
			t.Errorf("material %s: proof %s is not in the proofs catalog", m.Code, m.ProofCode)
		}
		proofOf[m.Code] = m.ProofCode
	}
	for _, it := range s.Items {
		for _, im := range it.Materials {
			if p, ok := proofOf[im.MaterialCode]; ok && proofs[p].Status == catalog.Cancelled {
				t.Errorf("%s %s demands cancelled proof %s (%s)", it.Code, it.Name, p, proofs[p].Name)
			}
		}
	}
}

func TestCatalogDataSearchableKeywords(t *testing.T) {
	s := loadCatalogData(t)
	has := func(words ...string) bool {
		for _, it := range s.Items {
			for _, w := range words {
				if strings.Contains(it.Name, w) || strings.Contains(it.Conditions, w) {
					return true
				}
			}
		}
		return false
	}
	if !has("外贸", "对外贸易") {
		t.Error("no item name or condition mentions 外贸 or 对外贸易")
	}
	if !has("社保", "社会保险") {
		t.Error("no item name or condition mentions 社保 or 社会保险")
	}
}
