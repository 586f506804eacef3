package api

import (
	"net/http"
	"strconv"

	"onevisit/internal/catalog"
)

// handleItems searches the current published items:
// ?q=&dept=&object=&theme=&page=&perPage=.
func (a *API) handleItems(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	q := catalog.Query{Q: v.Get("q"), DepartmentCode: v.Get("dept"), Object: catalog.Object(v.Get("object")), Theme: v.Get("theme")}
	var err error
	if q.Page, err = intParam(v.Get("page")); err != nil {
		a.error(w, r, err)
		return
	}
	if q.PerPage, err = intParam(v.Get("perPage")); err != nil {
		a.error(w, r, err)
		return
	}
	if q.Object != "" && !q.Object.Valid() {
		a.error(w, r, bad("err.invalid_input"))
		return
	}
	page, err := a.catalog.Search(r.Context(), q)
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, page)
}

// intParam reads an optional positive number; "" is 0.
func intParam(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 1_000_000 {
		return 0, bad("err.invalid_input")
	}
	return n, nil
}

func (a *API) handleItem(w http.ResponseWriter, r *http.Request) {
	it, err := a.catalog.Item(r.Context(), r.PathValue("code"))
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, it)
}

// handleItemVersions lists an item's published versions, newest first,
// each with the changes from the version before it.
func (a *API) handleItemVersions(w http.ResponseWriter, r *http.Request) {
	vs, err := a.catalog.Versions(r.Context(), r.PathValue("code"))
	if err != nil {
		a.error(w, r, err)
		return
	}
	type version struct {
		catalog.Item
		Changes []catalog.Change `json:"changes"`
	}
	out := make([]version, len(vs))
	for i, v := range vs {
		out[i] = version{Item: v, Changes: []catalog.Change{}}
		if i+1 < len(vs) {
			out[i].Changes = nonNil(catalog.Diff(vs[i+1], v))
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"versions": out})
}

// handleItemDraft saves a draft (permission catalog.edit).
func (a *API) handleItemDraft(w http.ResponseWriter, r *http.Request) {
	p := a.requireLogin(w, r)
	if p == nil {
		return
	}
	var it catalog.Item
	if err := decode(r, &it); err != nil {
		a.error(w, r, err)
		return
	}
	it, err := a.catalog.SaveDraft(r.Context(), p, it)
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, it)
}

// handleItemPublish publishes the item's draft as its next version.
func (a *API) handleItemPublish(w http.ResponseWriter, r *http.Request) {
	p := a.requireLogin(w, r)
	if p == nil {
		return
	}
	it, err := a.catalog.Publish(r.Context(), p, r.PathValue("code"))
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, it)
}

func (a *API) handleBundles(w http.ResponseWriter, r *http.Request) {
	bs, err := a.catalog.Bundles(r.Context())
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"bundles": nonNil(bs)})
}

func (a *API) handleBundle(w http.ResponseWriter, r *http.Request) {
	b, err := a.catalog.Bundle(r.Context(), r.PathValue("code"))
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, b)
}

func (a *API) handleProofs(w http.ResponseWriter, r *http.Request) {
	ps, err := a.catalog.Proofs(r.Context())
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"proofs": nonNil(ps)})
}

func (a *API) handleMaterials(w http.ResponseWriter, r *http.Request) {
	ms, err := a.catalog.Materials(r.Context())
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"materials": nonNil(ms)})
}
