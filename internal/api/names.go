package api

import (
	"net/http"

	"onevisit/internal/analytics"
)

// directory is where the dashboards' names come from.
func (a *API) directory() analytics.Directory {
	d := analytics.Directory{Departments: a.ids.Departments}
	if a.catalog != nil {
		d.Items = a.catalog.ItemNames
	}
	return d
}

// namesFor returns the names in the request's language, with the given
// item codes looked up where the catalog does not know them.
func (a *API) namesFor(r *http.Request, items ...string) analytics.Names {
	return a.names.Names(r.Context(), items...).In(string(lang(r)))
}
