package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"onevisit/internal/apperr"
	"onevisit/internal/catalog"
)

// catalogTabs are the sections of the catalog admin, shown on each of its pages.
var catalogTabs = []navItem{
	{Href: "/catalog", Key: "catalog.tab.items"},
	{Href: "/catalog/proofs", Key: "catalog.tab.proofs"},
	{Href: "/catalog/bundles", Key: "catalog.tab.bundles"},
	{Href: "/catalog/consistency", Key: "catalog.tab.consistency"},
	{Href: "/catalog/imports", Key: "catalog.tab.imports"},
}

func tabsFor(path string) []navItem {
	tabs := make([]navItem, len(catalogTabs))
	copy(tabs, catalogTabs)
	for i := range tabs {
		tabs[i].Active = tabs[i].Href == path
	}
	return tabs
}

// The choices the edit form offers, in menu order.
var (
	itemTypeChoices = []catalog.ItemType{catalog.Licensing, catalog.PublicService, catalog.Confirmation, catalog.Payment,
		catalog.Filing, catalog.Ruling, catalog.Reward, catalog.Collection, catalog.OtherPower}
	sourceChoices = []catalog.Source{catalog.FromApplicant, catalog.FromLicences, catalog.FromSharing}
)

// catalogListData is the admin's list of items.
type catalogListData struct {
	Tabs  []navItem
	Query catalog.Query
	Items []guideCard
	Total int
	Depts []chip // Href holds the department code
}

func (s *Server) handleCatalogItems(w http.ResponseWriter, r *http.Request) {
	v := s.newView(w, r, "title.catalog")
	v.Flash = flashParam(r)
	q := catalog.Query{Q: r.URL.Query().Get("q"), DepartmentCode: r.URL.Query().Get("dept"), PerPage: catalog.MaxPerPage}
	res, err := s.catalog.Search(r.Context(), q)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	names, order, err := s.deptNames(r.Context(), v.Lang)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	d := catalogListData{Tabs: tabsFor(r.URL.Path), Query: q.Normalized(), Total: res.Total}
	for _, it := range res.Items {
		d.Items = append(d.Items, guideCard{Item: it, Dept: names[it.DepartmentCode]})
	}
	for _, c := range order {
		d.Depts = append(d.Depts, chip{Label: names[c], Href: c, On: c == q.DepartmentCode})
	}
	v.Data = d
	s.render(w, r, http.StatusOK, "catalog_items", v)
}

// flashParam is the ?done= notice key after a redirect, if it is one.
func flashParam(r *http.Request) string {
	f := r.URL.Query().Get("done")
	if !strings.HasPrefix(f, "flash.") {
		return ""
	}
	return f
}

// editData is the edit form of an item's draft.
type editData struct {
	Tabs     []navItem
	Item     catalog.Item
	Current  catalog.Item // the published version; zero when never published
	HasDraft bool
	Changes  []changeRow // draft against the published version
	Rows     []catalog.ItemMaterial
	Library  []catalog.Material
	Types    []catalog.ItemType
	Sources  []catalog.Source
}

// Promised is the form's promised limit in working days.
func (e editData) Promised() string { return dayText(e.Item.PromisedLimit) }

// Statutory is the form's statutory limit in working days.
func (e editData) Statutory() string { return dayText(e.Item.StatutoryLimit) }

// Compression is the saving the form's limits promise, in percent.
func (e editData) Compression() int { return compression(e.Item.PromisedLimit, e.Item.StatutoryLimit) }

// editView loads what the edit page needs; it starts from the draft when
// there is one, else from the published version.
func (s *Server) editView(ctx context.Context, v *view, code string) (editData, error) {
	d := editData{Tabs: tabsFor("/catalog"), Types: itemTypeChoices, Sources: sourceChoices}
	cur, err := s.catalog.Item(ctx, code)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return d, err
	}
	d.Current, d.Item = cur, cur
	draft, err := s.catalog.Draft(ctx, v.User, code)
	switch {
	case err == nil:
		d.Item, d.HasDraft = draft, true
	case !apperr.Is(err, apperr.NotFound):
		return d, err
	case d.Current.Code == "":
		return d, apperr.New(apperr.NotFound, "err.catalog.item_not_found", code)
	}
	if d.Library, err = s.catalog.Materials(ctx); err != nil {
		return d, err
	}
	if d.HasDraft && d.Current.Code != "" {
		d.Changes = s.changeRows(v, catalog.Diff(d.Current, d.Item), d.Library)
	}
	return d, nil
}

func (d *editData) fillRows() {
	d.Rows = append(append([]catalog.ItemMaterial{}, d.Item.Materials...), catalog.ItemMaterial{Required: true, Originals: 1})
}

func (s *Server) handleCatalogEdit(w http.ResponseWriter, r *http.Request) {
	v := s.newView(w, r, "title.catalog_edit")
	v.Flash = flashParam(r)
	d, err := s.editView(r.Context(), v, r.PathValue("code"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	d.fillRows()
	v.Data = d
	s.render(w, r, http.StatusOK, "catalog_edit", v)
}

// editFailed shows the edit page again with err, and the submitted item
// when there is one.
func (s *Server) editFailed(w http.ResponseWriter, r *http.Request, err error, submitted *catalog.Item) {
	if k := kindOf(err); k != apperr.Invalid && k != apperr.Conflict {
		s.renderError(w, r, err)
		return
	}
	v := s.newView(w, r, "title.catalog_edit")
	d, verr := s.editView(r.Context(), v, r.PathValue("code"))
	if verr != nil {
		s.renderError(w, r, verr)
		return
	}
	if submitted != nil {
		d.Item = *submitted
	}
	d.fillRows()
	loc := s.msgs.Error(v.Lang, err)
	v.Error, v.Data = &loc, d
	s.render(w, r, http.StatusUnprocessableEntity, "catalog_edit", v)
}

func (s *Server) handleCatalogSaveDraft(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	v := s.newView(w, r, "title.catalog_edit")
	d, err := s.editView(r.Context(), v, code)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	it, bad := itemFromForm(d.Item, r.PostForm)
	if len(bad) > 0 {
		s.editFailed(w, r, &apperr.Error{Kind: apperr.Invalid, Key: "err.invalid_input", Fields: bad}, &it)
		return
	}
	if _, err := s.catalog.SaveDraft(r.Context(), v.User, it); err != nil {
		s.editFailed(w, r, err, &it)
		return
	}
	http.Redirect(w, r, "/catalog/items/"+url.PathEscape(code)+"?done=flash.catalog.draft_saved", http.StatusSeeOther)
}

func (s *Server) handleCatalogPublish(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	if _, err := s.catalog.Publish(r.Context(), principalOf(r.Context()), code); err != nil {
		if apperr.Is(err, apperr.NotFound) {
			err = apperr.New(apperr.Conflict, "err.catalog.draft_not_found", code)
		}
		s.editFailed(w, r, err, nil)
		return
	}
	http.Redirect(w, r, "/catalog/items/"+url.PathEscape(code)+"/versions?done=flash.catalog.published", http.StatusSeeOther)
}

// itemFromForm is base with the fields the edit form submits; bad lists
// the fields whose text is not even a number.
func itemFromForm(base catalog.Item, f url.Values) (catalog.Item, map[string]string) {
	it, bad := base, map[string]string{}
	it.Name, it.Type, it.CaseType = f.Get("name"), catalog.ItemType(f.Get("type")), catalog.CaseType(f.Get("caseType"))
	it.StatutoryLimit = formDays(f, "statutoryLimit", bad)
	it.PromisedLimit = formDays(f, "promisedLimit", bad)
	it.VisitsRequired = formNumber(f, "visitsRequired", bad)
	it.OnlineDepth = formNumber(f, "onlineDepth", bad)
	it.DailyQuota = formNumber(f, "dailyQuota", bad)
	it.Bookable = f.Get("bookable") == "1"
	it.Fee, it.FeeBasis, it.LegalBasis = f.Get("fee"), f.Get("feeBasis"), f.Get("legalBasis")
	it.Conditions, it.Flow, it.ResultName = f.Get("conditions"), f.Get("flow"), f.Get("resultName")
	it.Local = catalog.Local{Window: f.Get("local.window"), Place: f.Get("local.place"), Hours: f.Get("local.hours"),
		Phone: f.Get("local.phone"), Notes: f.Get("local.notes")}
	it.Materials = materialsFromForm(f, bad)
	return it, bad
}

// materialsFromForm reads the material rows; a row without a material is
// dropped, which is how a row is removed.
func materialsFromForm(f url.Values, bad map[string]string) []catalog.ItemMaterial {
	codes := f["m.code"]
	on := func(name string, i int) bool {
		for _, v := range f[name] {
			if v == strconv.Itoa(i) {
				return true
			}
		}
		return false
	}
	at := func(name string, i int) string {
		if i < len(f[name]) {
			return f[name][i]
		}
		return ""
	}
	ms := []catalog.ItemMaterial{}
	for i, c := range codes {
		if c == "" {
			continue
		}
		m := catalog.ItemMaterial{MaterialCode: c, Required: on("m.required", i), Tolerant: on("m.tolerant", i),
			Source: catalog.Source(at("m.source", i)), Note: strings.TrimSpace(at("m.note", i))}
		o, err1 := strconv.Atoi(strings.TrimSpace(at("m.originals", i)))
		n, err2 := strconv.Atoi(strings.TrimSpace(at("m.copies", i)))
		if err1 != nil || err2 != nil {
			bad[fmt.Sprintf("materials[%d]", len(ms))] = "err.catalog.number"
		}
		m.Originals, m.Copies = o, n
		ms = append(ms, m)
	}
	return ms
}

func formNumber(f url.Values, name string, bad map[string]string) int {
	n, err := strconv.Atoi(strings.TrimSpace(f.Get(name)))
	if err != nil {
		bad[name] = "err.catalog.number"
	}
	return n
}

// formDays reads working days in steps of half a day ("2.5").
func formDays(f url.Values, name string, bad map[string]string) catalog.HalfDays {
	d, err := strconv.ParseFloat(strings.TrimSpace(f.Get(name)), 64)
	if err != nil || d*2 != float64(int(d*2)) {
		bad[name] = "err.catalog.days"
		return 0
	}
	return catalog.HalfDays(d * 2)
}

// changeRow is one line of a diff as the admin reads it.
type changeRow struct {
	Label, Old, New string
}

// changeRows names each change's field in the page's language: a material
// by its library name, its attribute by its column title.
func (s *Server) changeRows(v *view, cs []catalog.Change, lib []catalog.Material) []changeRow {
	names := map[string]string{}
	for _, m := range lib {
		names[m.Code] = m.Name
	}
	rows := make([]changeRow, len(cs))
	for i, c := range cs {
		rows[i] = changeRow{Label: fieldLabel(v, c.Field, names), Old: valueText(v, c.Old), New: valueText(v, c.New)}
	}
	return rows
}

func fieldLabel(v *view, field string, materials map[string]string) string {
	rest, ok := strings.CutPrefix(field, "materials[")
	if !ok {
		return v.T("item." + field)
	}
	code, attr, _ := strings.Cut(rest, "]")
	label := v.T("item.materials") + " · " + materials[code]
	if attr = strings.TrimPrefix(attr, "."); attr != "" {
		label += " · " + v.T("material."+attr)
	}
	return label
}

func valueText(v *view, s string) string {
	switch s {
	case "true":
		return v.T("common.yes")
	case "false":
		return v.T("common.no")
	}
	return s
}

// versionRow is a published version with its changes from the one before.
type versionRow struct {
	catalog.Item
	Changes []changeRow
	First   bool
}

// versionsData is an item's history.
type versionsData struct {
	Tabs     []navItem
	Item     catalog.Item
	Versions []versionRow
}

func (s *Server) handleCatalogVersions(w http.ResponseWriter, r *http.Request) {
	v := s.newView(w, r, "title.catalog_versions")
	v.Flash = flashParam(r)
	vs, err := s.catalog.Versions(r.Context(), r.PathValue("code"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	lib, err := s.catalog.Materials(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	d := versionsData{Tabs: tabsFor("/catalog"), Item: vs[0]}
	for i, it := range vs { // newest first: each is compared with the next, older one
		row := versionRow{Item: it, First: i == len(vs)-1}
		if !row.First {
			row.Changes = s.changeRows(v, catalog.Diff(vs[i+1], it), lib)
		}
		d.Versions = append(d.Versions, row)
	}
	v.Data = d
	s.render(w, r, http.StatusOK, "catalog_versions", v)
}

// proofRow is a proof with the library materials that are it.
type proofRow struct {
	catalog.Proof
	Materials []string
}

func (s *Server) handleCatalogProofs(w http.ResponseWriter, r *http.Request) {
	v := s.newView(w, r, "title.catalog_proofs")
	ps, err := s.catalog.Proofs(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	lib, err := s.catalog.Materials(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	rows := make([]proofRow, len(ps))
	for i, p := range ps {
		rows[i].Proof = p
		for _, m := range lib {
			if m.ProofCode == p.Code {
				rows[i].Materials = append(rows[i].Materials, m.Name)
			}
		}
	}
	v.Data = struct {
		Tabs   []navItem
		Proofs []proofRow
	}{tabsFor(r.URL.Path), rows}
	s.render(w, r, http.StatusOK, "catalog_proofs", v)
}

func (s *Server) handleCatalogBundles(w http.ResponseWriter, r *http.Request) {
	v := s.newView(w, r, "title.catalog_bundles")
	bs, err := s.catalog.Bundles(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	views := make([]bundleData, len(bs))
	for i, b := range bs {
		bv, err := s.catalog.Bundle(r.Context(), b.Code)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		views[i] = newBundleData(bv, nil)
	}
	v.Data = struct {
		Tabs    []navItem
		Bundles []bundleData
	}{tabsFor(r.URL.Path), views}
	s.render(w, r, http.StatusOK, "catalog_bundles", v)
}

func (s *Server) handleCatalogConsistency(w http.ResponseWriter, r *http.Request) {
	v := s.newView(w, r, "title.catalog_consistency")
	rep, err := s.catalog.ConsistencyReport(r.Context(), catalog.DefaultElementSet)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v.Data = struct {
		Tabs     []navItem
		Set      catalog.ElementSet
		Problems []catalog.Inconsistency
	}{tabsFor(r.URL.Path), catalog.DefaultElementSet, rep}
	s.render(w, r, http.StatusOK, "catalog_consistency", v)
}
