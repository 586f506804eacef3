package web

import (
	"context"
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
	Names       map[string]string // department and item codes → names
}

// Name is the name of a department or item code, or the code.
func (d transparencyData) Name(code string) string {
	if n := d.Names[code]; n != "" {
		return n
	}
	return code
}

func (s *Server) handleTransparency(w http.ResponseWriter, r *http.Request) {
	today := s.stats.Today()
	f := analytics.Filter{From: today.AddDays(-364), To: today}
	d := transparencyData{Filter: f, Names: s.codeNames(r.Context())}
	var err error
	if d.Departments, err = s.stats.Published(r.Context(), analytics.ByDepartment, f); err == nil {
		d.Items, err = s.stats.Published(r.Context(), analytics.ByItem, f)
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := s.newView(w, r, "title.transparency")
	v.Data = d
	s.render(w, r, http.StatusOK, "transparency", v)
}

// codeNames maps department and item codes to their names, as far as the
// directory and catalog know them.
func (s *Server) codeNames(ctx context.Context) map[string]string {
	names := map[string]string{}
	if depts, err := s.ids.Departments(ctx); err == nil {
		for _, d := range depts {
			names[d.Code] = d.Name
		}
	}
	return names
}
