package web

import (
	"cmp"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"

	"onevisit/internal/apperr"
	"onevisit/internal/catalog"
	"onevisit/internal/catalogsync"
)

// maxImportFile bounds an uploaded catalog file; a province's XLSX with
// thousands of items is a few MiB.
const maxImportFile = 32 << 20

// newCatalogSync is the upstream sync behind the import pages, put together
// from the catalog, identity and notify services; nil without a catalog.
func newCatalogSync(c Config) *catalogsync.Service {
	if c.Catalog == nil {
		return nil
	}
	var n catalogsync.Notifier
	if c.Notify != nil { // a nil *notify.Service is not a nil Notifier
		n = c.Notify
	}
	return catalogsync.New(c.Catalog, c.Identity, n)
}

// importData is the import page: the upload form; then the review of a
// file (a dry run) or its errors; once applied, what the import did.
type importData struct {
	Tabs    []navItem
	File    string // the uploaded file's name
	SHA     string // the stored file, which the apply form names
	Report  *catalogsync.Report
	Items   []importItem             // the added and changed items
	Removed []catalogsync.ItemReport // in the catalog, not in the file
	Errors  []importError            // why the file cannot be imported
	Applied bool                     // Report says what was done

	Published, Withdrawn, Pending []importResult // once applied
	Depts                         []string       // the departments notified, by name
}

// importItem is an added or changed item with its field-level diff.
type importItem struct {
	catalogsync.ItemReport
	Diff []changeRow
}

// importResult is an item the import published, withdrew or left pending.
type importResult struct{ Code, Name string }

// importError is a problem in the file, placed in the reader's language.
type importError struct{ Place, Field, Message string }

// Changes reports whether applying the reviewed file would change anything.
func (d importData) Changes() bool {
	r := d.Report
	return r != nil && (r.Added+r.Changed+r.Removed > 0 || r.Materials.Added+r.Materials.Changed+
		r.Proofs.Added+r.Proofs.Changed+r.Bundles.Added+r.Bundles.Changed > 0)
}

func (s *Server) handleCatalogImportForm(w http.ResponseWriter, r *http.Request) {
	v := s.newView(w, r, "title.catalog_import")
	v.Data = importData{Tabs: tabsFor("/catalog/imports")}
	s.render(w, r, http.StatusOK, "catalog_import", v)
}

// handleCatalogImportReview compares an uploaded file with the catalog (a
// dry run) and keeps the file for the apply step when it can be imported.
func (s *Server) handleCatalogImportReview(w http.ResponseWriter, r *http.Request) {
	v := s.newView(w, r, "title.catalog_import")
	d := importData{Tabs: tabsFor("/catalog/imports")}
	data, name, err := importUpload(r)
	if err != nil {
		s.importFailed(w, r, v, d, err)
		return
	}
	d.File = name
	rep, err := s.sync.Import(r.Context(), v.User, data, catalogsync.Options{DryRun: true})
	if err != nil {
		s.importFailed(w, r, v, d, err)
		return
	}
	if d.SHA, err = s.importFiles().put(data); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.renderImport(w, r, v, d, rep)
}

// handleCatalogImportApply applies a reviewed file; the removed items are
// withdrawn only when the form confirms it.
func (s *Server) handleCatalogImportApply(w http.ResponseWriter, r *http.Request) {
	v := s.newView(w, r, "title.catalog_import")
	d := importData{Tabs: tabsFor("/catalog/imports"), Applied: true}
	data, err := s.importFiles().get(r.PathValue("sha"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	opt := catalogsync.Options{ConfirmRemovals: r.PostFormValue("confirmRemovals") == "1"}
	rep, err := s.sync.Import(r.Context(), v.User, data, opt)
	if err != nil {
		s.importFailed(w, r, v, d, err)
		return
	}
	s.renderImport(w, r, v, d, rep)
}

// importUpload reads the file of the form field "file".
func importUpload(r *http.Request) ([]byte, string, error) {
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return nil, "", apperr.New(apperr.Invalid, "err.catalogsync.choose_file")
	}
	defer f.Close()
	if hdr.Size > maxImportFile {
		return nil, "", apperr.New(apperr.Invalid, "err.catalogsync.too_large", maxImportFile>>20)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxImportFile+1))
	if err != nil {
		return nil, "", err
	}
	if len(data) > maxImportFile {
		return nil, "", apperr.New(apperr.Invalid, "err.catalogsync.too_large", maxImportFile>>20)
	}
	return data, hdr.Filename, nil
}

// importFailed shows the page again with what is wrong: every problem of a
// malformed file, placed by line and column or sheet and row.
func (s *Server) importFailed(w http.ResponseWriter, r *http.Request, v *view, d importData, err error) {
	if kindOf(err) != apperr.Invalid {
		s.renderError(w, r, err)
		return
	}
	var bad *catalogsync.MalformedError
	if errors.As(err, &bad) {
		d.Errors = fileErrors(v, bad.Errors)
	}
	loc := s.msgs.Error(v.Lang, err)
	d.Applied = false
	v.Error, v.Data = &loc, d
	s.render(w, r, http.StatusUnprocessableEntity, "catalog_import", v)
}

// fileErrors localises a malformed file's errors for the page.
func fileErrors(v *view, errs []catalogsync.FileError) []importError {
	catalogsync.Localize(errs, v.T)
	out := make([]importError, len(errs))
	for i, e := range errs {
		out[i] = importError{Place: filePlace(v, e), Field: e.Field, Message: e.Message}
	}
	return out
}

// filePlace is where an error is: a sheet and row of a workbook, or a line
// and column of a JSON document.
func filePlace(v *view, e catalogsync.FileError) string {
	switch {
	case e.Sheet != "" && e.Row > 0:
		return v.T("catalog.import.at_row", e.Sheet, e.Row)
	case e.Sheet != "":
		return v.T("catalog.import.at_sheet", e.Sheet)
	case e.Line > 0:
		return v.T("catalog.import.at_line", e.Line, e.Column)
	}
	return ""
}

// renderImport shows a dry run's review or an applied import's result.
func (s *Server) renderImport(w http.ResponseWriter, r *http.Request, v *view, d importData, rep catalogsync.Report) {
	d.Report = &rep
	var err error
	if d.Items, err = s.importItems(r.Context(), v, rep); err != nil {
		s.renderError(w, r, err)
		return
	}
	for _, ir := range rep.Items {
		if ir.Kind == catalogsync.Removed {
			d.Removed = append(d.Removed, ir)
		}
	}
	if d.Applied {
		if err := s.fillResult(r.Context(), v, &d, rep); err != nil {
			s.renderError(w, r, err)
			return
		}
	}
	v.Data = d
	s.render(w, r, http.StatusOK, "catalog_import", v)
}

// importItems lists the added and changed items, each change named in the
// page's language.
func (s *Server) importItems(ctx context.Context, v *view, rep catalogsync.Report) ([]importItem, error) {
	lib, err := s.catalog.Materials(ctx)
	if err != nil {
		return nil, err
	}
	var out []importItem
	for _, ir := range rep.Items {
		if ir.Kind != catalogsync.Added && ir.Kind != catalogsync.Changed {
			continue
		}
		out = append(out, importItem{ItemReport: ir, Diff: s.changeRows(v, ir.Changes, withCodes(lib, ir.Changes))})
	}
	return out, nil
}

// withCodes is the material library plus, for a material the file adds to
// the library, an entry named by its code, so that its diff rows name it.
func withCodes(lib []catalog.Material, cs []catalog.Change) []catalog.Material {
	known := map[string]bool{}
	for _, m := range lib {
		known[m.Code] = true
	}
	for _, c := range cs {
		rest, ok := strings.CutPrefix(c.Field, "materials[")
		code, _, _ := strings.Cut(rest, "]")
		if ok && !known[code] {
			known[code] = true
			lib = append(lib, catalog.Material{Code: code, Name: code})
		}
	}
	return lib
}

// fillResult names the items an applied import published, withdrew or left
// pending, and the departments it notified.
func (s *Server) fillResult(ctx context.Context, v *view, d *importData, rep catalogsync.Report) error {
	names := map[string]string{}
	for _, ir := range rep.Items {
		names[ir.Code] = ir.Name
	}
	named := func(codes []string) []importResult {
		out := make([]importResult, len(codes))
		for i, c := range codes {
			out[i] = importResult{Code: c, Name: names[c]}
		}
		return out
	}
	d.Published, d.Withdrawn, d.Pending = named(rep.Published), named(rep.Withdrawn), named(rep.PendingRemovals)
	depts, _, err := s.deptNames(ctx, v.Lang)
	if err != nil {
		return err
	}
	for _, c := range rep.Notified {
		d.Depts = append(d.Depts, cmp.Or(depts[c], c))
	}
	return nil
}
