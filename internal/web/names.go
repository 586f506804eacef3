package web

import (
	"context"

	"onevisit/internal/analytics"
)

// directory is where the dashboards' names come from.
func (s *Server) directory() analytics.Directory {
	d := analytics.Directory{Departments: s.ids.Departments}
	if s.catalog != nil {
		d.Items = s.catalog.ItemNames
	}
	return d
}

// namesFor returns the names in the request's language, with the given
// item codes looked up where the catalog does not know them.
func (s *Server) namesFor(ctx context.Context, items ...string) analytics.Names {
	return s.names.Names(ctx, items...).In(string(prefsOf(ctx).Lang))
}
