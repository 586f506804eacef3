package catalog

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Change is one difference between two versions of an item. Field is the
// Item JSON field name, "materials[CODE]" or "materials[CODE].copies" for a
// material, "local.phone" for a local field.
type Change struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

// element is a comparable field of an item, named as in its JSON.
type element struct {
	name  string
	value func(Item) string
}

func str[T ~string](v T) string { return string(v) }

func join[T ~string](vs []T) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = string(v)
	}
	return strings.Join(s, ",")
}

// elements lists the guide fields in the order of the guide; materials and
// local fields are compared on their own.
var elements = []element{
	{"basicCode", func(it Item) string { return it.BasicCode }},
	{"parentCode", func(it Item) string { return it.ParentCode }},
	{"level", func(it Item) string { return str(it.Level) }},
	{"name", func(it Item) string { return it.Name }},
	{"type", func(it Item) string { return str(it.Type) }},
	{"departmentCode", func(it Item) string { return it.DepartmentCode }},
	{"jointDepartmentCodes", func(it Item) string { return join(it.JointDepartmentCodes) }},
	{"objects", func(it Item) string { return join(it.Objects) }},
	{"caseType", func(it Item) string { return str(it.CaseType) }},
	{"statutoryLimit", func(it Item) string { return halfDays(it.StatutoryLimit) }},
	{"promisedLimit", func(it Item) string { return halfDays(it.PromisedLimit) }},
	{"visitsRequired", func(it Item) string { return strconv.Itoa(it.VisitsRequired) }},
	{"onlineDepth", func(it Item) string { return strconv.Itoa(it.OnlineDepth) }},
	{"submitModes", func(it Item) string { return join(it.SubmitModes) }},
	{"collectModes", func(it Item) string { return join(it.CollectModes) }},
	{"bookable", func(it Item) string { return strconv.FormatBool(it.Bookable) }},
	{"dailyQuota", func(it Item) string { return strconv.Itoa(it.DailyQuota) }},
	{"fee", func(it Item) string { return it.Fee }},
	{"feeBasis", func(it Item) string { return it.FeeBasis }},
	{"legalBasis", func(it Item) string { return it.LegalBasis }},
	{"conditions", func(it Item) string { return it.Conditions }},
	{"flow", func(it Item) string { return it.Flow }},
	{"resultName", func(it Item) string { return it.ResultName }},
	{"resultSample", func(it Item) string { return it.ResultSample }},
	{"faq", func(it Item) string { return faq(it.FAQ) }},
	{"materials", func(it Item) string { return materialsKey(it.Materials) }},
	{"local.window", func(it Item) string { return it.Local.Window }},
	{"local.place", func(it Item) string { return it.Local.Place }},
	{"local.hours", func(it Item) string { return it.Local.Hours }},
	{"local.phone", func(it Item) string { return it.Local.Phone }},
	{"local.notes", func(it Item) string { return it.Local.Notes }},
}

// elementValue is the comparable text of the named element, and whether
// the element is known.
func elementValue(it Item, name string) (string, bool) {
	for _, e := range elements {
		if e.name == name {
			return e.value(it), true
		}
	}
	return "", false
}

func halfDays(h HalfDays) string { return strconv.FormatFloat(h.Days(), 'f', -1, 64) }

func faq(qs []QA) string {
	if len(qs) == 0 {
		return ""
	}
	b, _ := json.Marshal(qs)
	return string(b)
}

// materialsKey is a canonical text of a material list, independent of order.
func materialsKey(ms []ItemMaterial) string {
	s := make([]string, len(ms))
	for i, m := range ms {
		s[i] = m.MaterialCode + "(" + materialText(m) + ")"
	}
	slices.Sort(s)
	return strings.Join(s, ";")
}

func materialText(m ItemMaterial) string {
	return fmt.Sprintf("originals=%d copies=%d required=%t tolerant=%t source=%s note=%s",
		m.Originals, m.Copies, m.Required, m.Tolerant, m.Source, m.Note)
}

// Diff lists the differences from a to b, field by field, in guide order;
// materials are compared by code (added, removed, or changed field by field).
func Diff(a, b Item) []Change {
	var cs []Change
	for _, e := range elements {
		if e.name == "materials" {
			cs = append(cs, diffMaterials(a.Materials, b.Materials)...)
			continue
		}
		if o, n := e.value(a), e.value(b); o != n {
			cs = append(cs, Change{Field: e.name, Old: o, New: n})
		}
	}
	return cs
}

func diffMaterials(a, b []ItemMaterial) []Change {
	old := map[string]ItemMaterial{}
	for _, m := range a {
		old[m.MaterialCode] = m
	}
	var cs []Change
	seen := map[string]bool{}
	for _, n := range b {
		seen[n.MaterialCode] = true
		field := "materials[" + n.MaterialCode + "]"
		o, ok := old[n.MaterialCode]
		if !ok {
			cs = append(cs, Change{Field: field, New: materialText(n)})
			continue
		}
		cs = append(cs, materialChanges(field, o, n)...)
	}
	for _, o := range a {
		if !seen[o.MaterialCode] {
			cs = append(cs, Change{Field: "materials[" + o.MaterialCode + "]", Old: materialText(o)})
		}
	}
	return cs
}

func materialChanges(field string, o, n ItemMaterial) []Change {
	pairs := []struct{ name, old, new string }{
		{"originals", strconv.Itoa(o.Originals), strconv.Itoa(n.Originals)},
		{"copies", strconv.Itoa(o.Copies), strconv.Itoa(n.Copies)},
		{"required", strconv.FormatBool(o.Required), strconv.FormatBool(n.Required)},
		{"tolerant", strconv.FormatBool(o.Tolerant), strconv.FormatBool(n.Tolerant)},
		{"source", string(o.Source), string(n.Source)},
		{"note", o.Note, n.Note},
	}
	var cs []Change
	for _, p := range pairs {
		if p.old != p.new {
			cs = append(cs, Change{Field: field + "." + p.name, Old: p.old, New: p.new})
		}
	}
	return cs
}
