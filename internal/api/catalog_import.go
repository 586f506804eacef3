package api

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"

	"onevisit/internal/catalogsync"
	"onevisit/internal/identity"
)

// maxImportSize bounds an uploaded catalog file; a province's XLSX with
// thousands of items is a few MiB.
const maxImportSize = 32 << 20

// handleCatalogImport compares an uploaded catalog file with the current
// catalog and, with ?dryRun=false, applies it (permission catalog.edit).
// The file is the multipart field "file", or the body itself sent as
// application/json or as XLSX. ?confirmRemovals=true withdraws the items
// missing from the file. A malformed file is answered 422 with the error
// and "errors": one entry per problem, placed by line or sheet and row.
func (a *API) handleCatalogImport(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r.Context())
	if err := p.Require(identity.PermCatalogEdit); err != nil {
		a.error(w, r, err)
		return
	}
	opt, err := importOptions(r.URL.Query())
	if err != nil {
		a.error(w, r, err)
		return
	}
	data, err := importFile(w, r, &opt)
	if err != nil {
		a.error(w, r, err)
		return
	}
	report, err := a.catalogSync().Import(r.Context(), p, data, opt)
	var bad *catalogsync.MalformedError
	if errors.As(err, &bad) {
		l := lang(r)
		catalogsync.Localize(bad.Errors, func(key string, args ...any) string { return a.msgs.T(l, key, args...) })
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"error": a.msgs.Error(l, err), "errors": bad.Errors})
		return
	}
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, report)
}

// catalogSync is the upstream sync behind the import endpoint, put
// together from the catalog and identity services; departments are
// notified when the API has a notify service.
func (a *API) catalogSync() *catalogsync.Service {
	var n catalogsync.Notifier
	if a.notify != nil { // a nil *notify.Service is not a nil Notifier
		n = a.notify
	}
	return catalogsync.New(a.catalog, a.ids, n)
}

// importOptions reads ?dryRun= (default true) and ?confirmRemovals=
// (default false).
func importOptions(v url.Values) (catalogsync.Options, error) {
	var opt catalogsync.Options
	var err error
	if opt.DryRun, err = boolParam(v.Get("dryRun"), true); err != nil {
		return opt, err
	}
	opt.ConfirmRemovals, err = boolParam(v.Get("confirmRemovals"), false)
	return opt, err
}

func boolParam(s string, def bool) (bool, error) {
	switch s {
	case "":
		return def, nil
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, bad("err.invalid_input")
}

// importFile reads the uploaded file and sets the format its media type
// names; other media types are told apart by their content.
func importFile(w http.ResponseWriter, r *http.Request, opt *catalogsync.Options) ([]byte, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxImportSize)
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	body := io.Reader(r.Body)
	switch mt {
	case "multipart/form-data":
		f, _, err := r.FormFile("file")
		if err != nil {
			return nil, tooLargeOr(err, bad("err.catalogsync.file_missing"))
		}
		defer f.Close()
		body = f
	case "application/json":
		opt.Format = catalogsync.JSON
	case catalogsync.XLSXMediaType:
		opt.Format = catalogsync.XLSX
	}
	data, err := io.ReadAll(body)
	if err != nil {
		return nil, tooLargeOr(err, err)
	}
	return data, nil
}

func tooLargeOr(err, other error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return bad("err.catalogsync.too_large", maxImportSize>>20)
	}
	return other
}
