package web

import (
	"net/http"

	"onevisit/internal/analytics"
)

// The public transparency page: the published indicators (on-time,
// realization, satisfaction) per department and item over the last twelve
// months. Aggregates only — no case, no person.

// transparencyData is what the page gets.
type transparencyData struct {
	Filter      analytics.Filter
	Departments []analytics.Indicator
	Items       []analytics.Indicator
	Names       analytics.Names
}

func (s *Server) handleTransparency(w http.ResponseWriter, r *http.Request) {
	today := s.stats.Today()
	f := analytics.Filter{From: today.AddDays(-364), To: today}
	d := transparencyData{Filter: f}
	var err error
	if d.Departments, err = s.stats.Published(r.Context(), analytics.ByDepartment, f); err == nil {
		d.Items, err = s.stats.Published(r.Context(), analytics.ByItem, f)
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	codes := make([]string, len(d.Items))
	for i, it := range d.Items {
		codes[i] = it.Key
	}
	d.Names = s.namesFor(r.Context(), codes...)
	if s.writeTable(w, r, transparencyTable(d)) {
		return
	}
	v := s.newView(w, r, "title.transparency")
	v.Data = d
	s.render(w, r, http.StatusOK, "transparency", v)
}

// transparencyTable lays out both lists for export: a row per department
// or item with the published indicators.
func transparencyTable(d transparencyData) analytics.Table {
	t := analytics.Table{Name: "transparency-" + d.Filter.To.String(), Header: []string{"group", "code", "name", "decided",
		"onTimePromisedRate", "realizationRate", "ratings", "satisfactionRate"}}
	add := func(group string, list []analytics.Indicator, name func(string) string) {
		for _, in := range list {
			t.Rows = append(t.Rows, []any{group, in.Key, name(in.Key), in.Figures.Decided, in.Figures.OnTimePromisedRate,
				in.Figures.RealizationRate, in.Ratings.Ratings, in.Ratings.SatisfactionRate()})
		}
	}
	add(analytics.ByDepartment, d.Departments, d.Names.Department)
	add(analytics.ByItem, d.Items, d.Names.Item)
	return t
}
