package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/calendar"
	"onevisit/internal/cases"
	"onevisit/internal/i18n"
	"onevisit/internal/identity"
)

//go:embed templates
var templateFS embed.FS

// pages holds one parsed template set per page, each with the layout.
type pages struct {
	sets map[string]*template.Template
}

var funcs = template.FuncMap{
	"date": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(calendar.Shanghai).Format("2006-01-02 15:04")
	},
	"maskedID": identity.MaskedID,
	"maskName": cases.MaskName,
	"add":      func(a, b int) int { return a + b },
	"pct":      func(f float64) string { return fmt.Sprintf("%.1f%%", f*100) },
	"num":      statNumber,
	"list":     func(v ...any) []any { return v },
}

func parsePages(msgs *i18n.Catalog) (*pages, error) {
	p := &pages{sets: map[string]*template.Template{}}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(name, "templates/"), ".html")
		if base == "layout" {
			continue
		}
		t, err := template.New(base).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", name)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", base, err)
		}
		p.sets[base] = t
	}
	return p, nil
}

// view is what every page template gets.
type view struct {
	msgs   *i18n.Catalog
	Lang   i18n.Lang
	Large  bool
	User   *identity.Principal
	CSRF   string
	Path   string
	Title  string // message key
	Nav    []navItem
	Flash  string // message key of a success notice
	Secret string // a value shown once (a new API token)
	Bell   bool   // the header links to the department's notifications
	Unread int    // how many of them are unread
	Error  *i18n.Localized
	Form   url.Values
	Data   any
}

// T translates a message key into the page's language.
func (v *view) T(key string, args ...any) string { return v.msgs.T(v.Lang, key, args...) }

// FieldError is the localised error of a form field, if any.
func (v *view) FieldError(name string) string {
	if v.Error == nil {
		return ""
	}
	return v.Error.Fields[name]
}

// Value is a submitted form value, to refill a form after an error.
func (v *view) Value(name string) string { return v.Form.Get(name) }

// Other is the language the switch offers.
func (v *view) Other() i18n.Lang {
	if v.Lang == i18n.EN {
		return i18n.ZH
	}
	return i18n.EN
}

type navItem struct {
	Href, Key string
	Active    bool
}

func (s *Server) newView(w http.ResponseWriter, r *http.Request, title string) *view {
	p := prefsOf(r.Context())
	v := &view{msgs: s.msgs, Lang: p.Lang, Large: p.Large, User: principalOf(r.Context()),
		CSRF: s.csrfToken(w, r), Path: r.URL.Path, Title: title, Form: url.Values{}}
	v.Nav = navFor(v.User, r.URL.Path)
	v.Bell, v.Unread = s.bell(r.Context(), v.User)
	return v
}

// navFor lists the pages the principal can open.
// Anonymous visitors get the public guides only.
func navFor(p *identity.Principal, path string) []navItem {
	guides := navItem{Href: "/guides", Key: "nav.guides"}
	if p == nil {
		guides.Active = strings.HasPrefix(path, "/guides")
		return []navItem{guides}
	}
	items := []navItem{{Href: "/", Key: "nav.home"}, guides}
	if p.Can(identity.PermCasesApply) || p.Can(identity.PermCasesAccept) || p.Can(identity.PermCasesApprove) ||
		p.Can(identity.PermSupervise) || p.Can(identity.PermLicencesIssue) {
		items = append(items, navItem{Href: "/cases", Key: "nav.cases"})
	}
	if p.Can(identity.PermCasesApply) && p.Kind != identity.Staff {
		items = append(items, navItem{Href: "/my/licences", Key: "nav.my_licences"})
	}
	if p.Can(identity.PermCasesAccept) {
		items = append(items, navItem{Href: "/accept", Key: "nav.accept"})
	}
	if p.Can(identity.PermHallCall) {
		items = append(items, navItem{Href: "/hall/main/desk", Key: "nav.hall"})
	}
	if p.Can(identity.PermSupervise) {
		items = append(items, navItem{Href: "/feedback", Key: "nav.feedback"})
	} else if p.Can(identity.PermRectify) {
		items = append(items, navItem{Href: "/feedback/tasks", Key: "nav.tasks"})
	}
	if p.Can(identity.PermSupervise) {
		items = append(items, navItem{Href: "/callbacks", Key: "nav.callbacks"})
	}
	if p.Can(identity.PermSupervise) || p.Can(identity.PermDashboards) {
		items = append(items, navItem{Href: "/assessment", Key: "nav.assessment"})
	}
	if p.Can(identity.PermEscalate) || p.Can(identity.PermDashboards) {
		items = append(items, navItem{Href: "/escalations", Key: "nav.escalations"})
	}
	if p.Can(identity.PermDashboards) {
		items = append(items, navItem{Href: "/dashboard", Key: "nav.dashboard"})
	}
	if p.Can(identity.PermCatalogEdit) {
		items = append(items, navItem{Href: "/catalog", Key: "nav.catalog"})
	}
	if p.Can(identity.PermUsersManage) {
		items = append(items, navItem{Href: "/admin", Key: "nav.admin"})
	}
	for i := range items {
		items[i].Active = items[i].Href == path || (items[i].Href != "/" && strings.HasPrefix(path, items[i].Href+"/"))
	}
	return items
}

// render writes page with status, buffering so that a template error
// becomes a clean 500 instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, v *view) {
	t, ok := s.pages.sets[page]
	if !ok {
		s.renderError(w, r, fmt.Errorf("no page %q", page))
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		s.log.Error("render", "page", page, "err", err, "id", RequestID(r.Context()))
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

var errStatus = map[apperr.Kind]int{
	apperr.Invalid: http.StatusUnprocessableEntity, apperr.NotFound: http.StatusNotFound,
	apperr.Conflict: http.StatusConflict, apperr.Forbidden: http.StatusForbidden,
	apperr.Unauthenticated: http.StatusUnauthorized, apperr.TooMany: http.StatusTooManyRequests,
	apperr.Internal: http.StatusInternalServerError,
}

// renderError shows a friendly, localised error page; internal errors are
// logged once here, with the request id the page shows.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, err error) {
	kind := apperr.KindOf(err)
	if kind == apperr.Internal {
		s.log.Error("internal error", "id", RequestID(r.Context()), "err", err)
	}
	v := s.newView(w, r, "title.error")
	loc := s.msgs.Error(v.Lang, err)
	v.Error = &loc
	v.Data = RequestID(r.Context())
	s.render(w, r, errStatus[kind], "error", v)
}

func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	s.renderError(w, r, apperr.New(apperr.NotFound, "err.page_not_found"))
}

// statNumber shows a count without decimals and an average with one.
func statNumber(f float64) string {
	if f == float64(int64(f)) {
		return fmt.Sprintf("%d", int64(f))
	}
	return fmt.Sprintf("%.1f", f)
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// ReasonText shows a 差评's reason ("slow,policy; text") with its label
// codes in the page's language.
func (v *view) ReasonText(reason string) string {
	labels, text, found := strings.Cut(reason, "; ")
	if !found && !strings.Contains(reason, "_") && strings.ContainsFunc(reason, func(r rune) bool { return r > 0x7f }) {
		return reason // text only
	}
	var names []string
	for _, l := range strings.Split(labels, ",") {
		if l = strings.TrimSpace(l); l != "" {
			names = append(names, v.T("rate.label."+l))
		}
	}
	out := strings.Join(names, "、")
	if text != "" {
		out += "：" + text
	}
	return out
}
