package web

import (
	"context"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"onevisit/internal/apperr"
	"onevisit/internal/catalog"
	"onevisit/internal/i18n"
)

// guideCard is an item as the public guide pages show it, with its
// department's name and the arithmetic of its time limits.
type guideCard struct {
	catalog.Item
	Dept string
}

// Promised is the promised limit in working days, e.g. "2.5".
func (c guideCard) Promised() string { return dayText(c.PromisedLimit) }

// Statutory is the statutory limit in working days.
func (c guideCard) Statutory() string { return dayText(c.StatutoryLimit) }

// Compression is how much shorter, in percent, the promised limit is than
// the statutory one.
func (c guideCard) Compression() int { return compression(c.PromisedLimit, c.StatutoryLimit) }

// ZeroVisits reports whether the item needs no visit at all (零跑).
func (c guideCard) ZeroVisits() bool { return c.VisitsRequired == 0 }

func dayText(h catalog.HalfDays) string { return strconv.FormatFloat(h.Days(), 'f', -1, 64) }

func compression(promised, statutory catalog.HalfDays) int {
	if statutory <= 0 || promised >= statutory {
		return 0
	}
	return int(math.Round(100 * float64(statutory-promised) / float64(statutory)))
}

// chip is one filter link of the search page.
type chip struct {
	Label, Href string
	On          bool
}

// guidesData is what the search page shows.
type guidesData struct {
	Query       catalog.Query
	Results     []guideCard
	Total       int
	Filtered    bool // a text or a filter was given
	Depts       []chip
	Objects     []chip
	Themes      []chip
	Hot         []chip // suggested searches
	Bundles     []catalog.Bundle
	Page, Pages int
	Prev, Next  string
	Clear       string
}

// deptNames maps department codes to their names in lang.
func (s *Server) deptNames(ctx context.Context, lang i18n.Lang) (map[string]string, []string, error) {
	depts, err := s.ids.Departments(ctx)
	if err != nil {
		return nil, nil, err
	}
	names, order := map[string]string{}, []string{}
	for _, d := range depts {
		names[d.Code] = d.Name
		if lang == i18n.EN && d.NameEn != "" {
			names[d.Code] = d.NameEn
		}
		order = append(order, d.Code)
	}
	return names, order, nil
}

func guidesQuery(r *http.Request) catalog.Query {
	v := r.URL.Query()
	page, _ := strconv.Atoi(v.Get("page"))
	return catalog.Query{Q: v.Get("q"), DepartmentCode: v.Get("dept"), Object: catalog.Object(v.Get("object")),
		Theme: v.Get("theme"), Page: page, PerPage: 10}.Normalized()
}

// guidesURL is the search page for q, with one parameter changed.
func guidesURL(q catalog.Query, key, value string) string {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("q", q.Q)
	set("dept", q.DepartmentCode)
	set("object", string(q.Object))
	set("theme", q.Theme)
	if key != "page" {
		q.Page = 1
	}
	if q.Page > 1 {
		v.Set("page", strconv.Itoa(q.Page))
	}
	v.Del(key)
	set(key, value)
	if len(v) == 0 {
		return "/guides"
	}
	return "/guides?" + v.Encode()
}

// chips are filter links: choosing the current value again clears it.
func chips(q catalog.Query, key, current string, values, labels []string) []chip {
	out := make([]chip, len(values))
	for i, val := range values {
		target := val
		if val == current {
			target = ""
		}
		out[i] = chip{Label: labels[i], Href: guidesURL(q, key, target), On: val == current}
	}
	return out
}

func (s *Server) handleGuides(w http.ResponseWriter, r *http.Request) {
	v := s.newView(w, r, "title.guides")
	q := guidesQuery(r)
	d, err := s.guidesData(r.Context(), v, q)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v.Data = d
	s.render(w, r, http.StatusOK, "guide_search", v)
}

func (s *Server) guidesData(ctx context.Context, v *view, q catalog.Query) (guidesData, error) {
	names, order, err := s.deptNames(ctx, v.Lang)
	if err != nil {
		return guidesData{}, err
	}
	res, err := s.catalog.Search(ctx, q)
	if err != nil {
		return guidesData{}, err
	}
	bundles, err := s.catalog.Bundles(ctx)
	if err != nil {
		return guidesData{}, err
	}
	d := guidesData{Query: q, Total: res.Total, Bundles: bundles, Page: q.Page,
		Filtered: q.Q != "" || q.DepartmentCode != "" || q.Object != "" || q.Theme != "", Clear: "/guides"}
	for _, it := range res.Items {
		d.Results = append(d.Results, guideCard{Item: it, Dept: names[it.DepartmentCode]})
	}
	d.Pages = (res.Total + q.PerPage - 1) / q.PerPage
	if q.Page > 1 {
		d.Prev = guidesURL(q, "page", strconv.Itoa(q.Page-1))
	}
	if q.Page < d.Pages {
		d.Next = guidesURL(q, "page", strconv.Itoa(q.Page+1))
	}
	d.Depts = chips(q, "dept", q.DepartmentCode, order, labelsOf(order, names))
	objs := []string{string(catalog.ForPerson), string(catalog.ForEnterprise)}
	d.Objects = chips(q, "object", string(q.Object), objs, []string{v.T("object.person"), v.T("object.enterprise")})
	themes := themesOf(bundles)
	d.Themes = chips(q, "theme", q.Theme, themes, themes)
	for _, term := range strings.Split(v.T("guides.hot_terms"), ",") {
		d.Hot = append(d.Hot, chip{Label: term, Href: "/guides?q=" + url.QueryEscape(term)})
	}
	return d, nil
}

func labelsOf(codes []string, names map[string]string) []string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = names[c]
	}
	return out
}

// themesOf lists the bundles' themes in order of first appearance.
func themesOf(bs []catalog.Bundle) []string {
	var out []string
	for _, b := range bs {
		if b.Theme != "" && !slices.Contains(out, b.Theme) {
			out = append(out, b.Theme)
		}
	}
	return out
}

// guideData is what a guide page shows.
type guideData struct {
	guideCard
	Joint    []string // the joint departments' names
	Crumbs   []catalog.Item
	Children []catalog.Item
	Bundles  []catalog.Bundle // the bundles the item is part of
}

func (s *Server) handleGuide(w http.ResponseWriter, r *http.Request) {
	v := s.newView(w, r, "title.guide")
	d, err := s.guideData(r.Context(), v.Lang, r.PathValue("code"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v.Data = d
	s.render(w, r, http.StatusOK, "guide_item", v)
}

func (s *Server) guideData(ctx context.Context, lang i18n.Lang, code string) (guideData, error) {
	it, err := s.catalog.Item(ctx, code)
	if err != nil {
		return guideData{}, err
	}
	names, _, err := s.deptNames(ctx, lang)
	if err != nil {
		return guideData{}, err
	}
	d := guideData{guideCard: guideCard{Item: it, Dept: names[it.DepartmentCode]}}
	for _, c := range it.JointDepartmentCodes {
		d.Joint = append(d.Joint, names[c])
	}
	for parent := it.ParentCode; parent != "" && len(d.Crumbs) < 3; {
		p, err := s.catalog.Item(ctx, parent)
		if err != nil {
			break // a withdrawn parent leaves the crumb out
		}
		d.Crumbs = append([]catalog.Item{p}, d.Crumbs...)
		parent = p.ParentCode
	}
	all, err := s.catalog.Search(ctx, catalog.Query{PerPage: catalog.MaxPerPage})
	if err != nil {
		return guideData{}, err
	}
	for _, c := range all.Items {
		if c.ParentCode == it.Code {
			d.Children = append(d.Children, c)
		}
	}
	d.Bundles, err = s.bundlesOf(ctx, it.Code)
	return d, err
}

func (s *Server) bundlesOf(ctx context.Context, code string) ([]catalog.Bundle, error) {
	bs, err := s.catalog.Bundles(ctx)
	if err != nil {
		return nil, err
	}
	var out []catalog.Bundle
	for _, b := range bs {
		for _, st := range b.Stages {
			if slices.Contains(st.ItemCodes, code) {
				out = append(out, b)
				break
			}
		}
	}
	return out, nil
}

// bundleData is what a bundle page shows.
type bundleData struct {
	catalog.BundleView
	Stages    []stageView
	ItemNames map[string]string
	Merged    int // required materials after merging
}

// stageView is a stage of a bundle with its items, which run in parallel.
type stageView struct {
	No    int // from 1
	Name  string
	Items []guideCard
}

// Promised is the bundle's promised limit along its slowest path.
func (b bundleData) Promised() string { return dayText(b.PromisedLimit) }

// Statutory is the bundle's statutory limit along its slowest path.
func (b bundleData) Statutory() string { return dayText(b.StatutoryLimit) }

// Compression is how much shorter the promised path is, in percent.
func (b bundleData) Compression() int { return compression(b.PromisedLimit, b.StatutoryLimit) }

func (s *Server) handleGuideBundle(w http.ResponseWriter, r *http.Request) {
	v := s.newView(w, r, "title.bundle")
	bv, err := s.catalog.Bundle(r.Context(), r.PathValue("code"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	names, _, err := s.deptNames(r.Context(), v.Lang)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v.Data = newBundleData(bv, names)
	s.render(w, r, http.StatusOK, "guide_bundle", v)
}

func newBundleData(bv catalog.BundleView, depts map[string]string) bundleData {
	d := bundleData{BundleView: bv, ItemNames: map[string]string{}}
	byCode := map[string]catalog.Item{}
	for _, it := range bv.Items {
		byCode[it.Code], d.ItemNames[it.Code] = it, it.Name
	}
	for _, st := range bv.Bundle.Stages {
		var cards []guideCard
		for _, c := range st.ItemCodes {
			if it, ok := byCode[c]; ok {
				cards = append(cards, guideCard{Item: it, Dept: depts[it.DepartmentCode]})
			}
		}
		d.Stages = append(d.Stages, stageView{No: len(d.Stages) + 1, Name: st.Name, Items: cards})
	}
	for _, m := range bv.MergedMaterials {
		if m.Required {
			d.Merged++
		}
	}
	return d
}

// errNoCatalog answers when the server runs without a catalog.
var errNoCatalog = apperr.New(apperr.NotFound, "err.page_not_found")

// withCatalog answers 404 when the server has no catalog service.
func (s *Server) withCatalog(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.catalog == nil {
			s.renderError(w, r, errNoCatalog)
			return
		}
		next(w, r)
	}
}
