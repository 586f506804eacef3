package web

import (
	"errors"
	"net/http"
	"net/url"

	"onevisit/internal/apperr"
	"onevisit/internal/cases"
	"onevisit/internal/catalog"
	"onevisit/internal/uploads"
)

// handleApplyForm is 网上申报: an applicant picks an item and uploads its
// materials.
func (s *Server) handleApplyForm(w http.ResponseWriter, r *http.Request) {
	v := s.newView(w, r, "title.apply")
	if err := s.fillApply(r, v, r.URL.Query().Get("item")); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "apply", v)
}

func (s *Server) fillApply(r *http.Request, v *view, code string) error {
	d := acceptData{Query: r.URL.Query().Get("q")}
	if code == "" {
		items, err := s.itemOptions(r, d.Query)
		d.Items = items
		v.Data = d
		return err
	}
	it, err := s.catalog.Item(r.Context(), code)
	if err != nil {
		return err
	}
	d.Item = &it
	v.Data = d
	return nil
}

// maxUploadForm bounds a whole application form: every file of it.
const maxUploadForm = 64 << 20

// handleApply stores the uploaded materials (content-addressed, type
// checked by content) and submits the application for pre-review, or
// saves it as a draft.
func (s *Server) handleApply(w http.ResponseWriter, r *http.Request) {
	code := r.PostFormValue("item")
	item, err := s.catalog.Item(r.Context(), code)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	in := cases.Application{ItemCode: code, Draft: r.PostFormValue("draft") == "1"}
	for _, m := range item.Materials {
		t, err := s.uploadMaterial(r, m)
		if err != nil {
			s.applyFailed(w, r, code, err)
			return
		}
		if t.UploadSHA != "" {
			in.Materials = append(in.Materials, t)
		}
	}
	c, err := s.cases.Apply(r.Context(), principalOf(r.Context()), in, r.PostFormValue("idem"))
	if err != nil {
		s.applyFailed(w, r, code, err)
		return
	}
	http.Redirect(w, r, "/cases/"+url.PathEscape(c.No)+"?done=flash.case_applied", http.StatusSeeOther)
}

// uploadMaterial stores the file sent for material m, if any.
func (s *Server) uploadMaterial(r *http.Request, m catalog.ItemMaterial) (cases.Tick, error) {
	f, hdr, err := r.FormFile("file_" + m.MaterialCode)
	if errors.Is(err, http.ErrMissingFile) {
		return cases.Tick{Code: m.MaterialCode}, nil
	}
	if err != nil {
		return cases.Tick{}, apperr.Field("file_"+m.MaterialCode, "err.upload_failed")
	}
	defer f.Close()
	blob, err := s.uploads.Put(f, hdr.Filename)
	switch {
	case errors.Is(err, uploads.ErrTooLarge):
		return cases.Tick{}, apperr.Field("file_"+m.MaterialCode, "err.upload_too_large")
	case errors.Is(err, uploads.ErrType):
		return cases.Tick{}, apperr.Field("file_"+m.MaterialCode, "err.upload_type")
	case err != nil:
		return cases.Tick{}, err
	}
	return cases.Tick{Code: m.MaterialCode, Received: true, UploadSHA: blob.SHA256}, nil
}

func (s *Server) applyFailed(w http.ResponseWriter, r *http.Request, code string, err error) {
	if kindOf(err) != apperr.Invalid {
		s.renderError(w, r, err)
		return
	}
	v := s.newView(w, r, "title.apply")
	if ferr := s.fillApply(r, v, code); ferr != nil {
		s.renderError(w, r, ferr)
		return
	}
	loc := s.msgs.Error(v.Lang, err)
	v.Error = &loc
	s.render(w, r, http.StatusUnprocessableEntity, "apply", v)
}
