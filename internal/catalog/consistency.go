package catalog

import (
	"context"
	"sort"
)

// Inconsistency is an element on which the current versions of the items
// sharing a basic code disagree ("八统一" broken).
type Inconsistency struct {
	BasicCode string            `json:"basicCode"`
	Element   string            `json:"element"`
	Values    map[string]string `json:"values"` // item code → the element's value
}

// ConsistencyReport checks, for each basic code shared by several current
// items, that they agree on every element of set. Unknown element names are
// ignored. The report is sorted by basic code, then in the set's order.
func (s *Service) ConsistencyReport(ctx context.Context, set ElementSet) ([]Inconsistency, error) {
	items, err := s.store.CurrentItems(ctx)
	if err != nil {
		return nil, err
	}
	return Inconsistencies(items, set), nil
}

// Inconsistencies is the pure part of ConsistencyReport.
func Inconsistencies(items []Item, set ElementSet) []Inconsistency {
	groups := map[string][]Item{}
	for _, it := range items {
		if it.BasicCode != "" {
			groups[it.BasicCode] = append(groups[it.BasicCode], it)
		}
	}
	codes := make([]string, 0, len(groups))
	for c, g := range groups {
		if len(g) > 1 {
			codes = append(codes, c)
		}
	}
	sort.Strings(codes)
	var out []Inconsistency
	for _, c := range codes {
		for _, el := range set.Elements {
			if in, ok := disagreement(c, el, groups[c]); ok {
				out = append(out, in)
			}
		}
	}
	return out
}

func disagreement(basic, el string, group []Item) (Inconsistency, bool) {
	in := Inconsistency{BasicCode: basic, Element: el, Values: map[string]string{}}
	distinct := map[string]bool{}
	for _, it := range group {
		v, known := elementValue(it, el)
		if !known {
			return in, false
		}
		in.Values[it.Code] = v
		distinct[v] = true
	}
	return in, len(distinct) > 1
}
