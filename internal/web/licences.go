package web

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/calendar"
	"onevisit/internal/cases"
	"onevisit/internal/i18n"
	"onevisit/internal/licences"
)

// maxLicenceUpload caps a PDF uploaded to the verification page.
const maxLicenceUpload = 10 << 20

func (s *Server) withLicences(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.licences == nil {
			s.renderError(w, r, apperr.New(apperr.NotFound, "err.page_not_found"))
			return
		}
		next(w, r)
	}
}

// verifyData is the public verification page of one licence.
type verifyData struct {
	Licence licences.Licence
	Status  licences.Status // as of today
	Check   *licences.Check // the result of an uploaded file, if any
}

// handleVerify is the public verification page (扫码核验): status, issuer,
// type, masked holder and face items; no login.
func (s *Server) handleVerify(w http.ResponseWriter, r *http.Request) {
	s.renderVerify(w, r, r.PathValue("id"), nil)
}

// handleVerifyUpload checks whether an uploaded PDF is the genuine file.
func (s *Server) handleVerifyUpload(w http.ResponseWriter, r *http.Request) {
	pdf, err := uploadedPDF(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	c, err := s.licences.Verify(r.Context(), r.PathValue("id"), pdf)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.renderVerify(w, r, r.PathValue("id"), &c)
}

func uploadedPDF(r *http.Request) ([]byte, error) {
	f, _, err := r.FormFile("file")
	if err != nil {
		return nil, apperr.Field("file", "err.required")
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxLicenceUpload+1))
	if err != nil || len(b) > maxLicenceUpload {
		return nil, apperr.New(apperr.Invalid, "err.upload_too_large")
	}
	return b, nil
}

func (s *Server) renderVerify(w http.ResponseWriter, r *http.Request, id string, c *licences.Check) {
	l, err := s.licences.Licence(r.Context(), id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := s.newView(w, r, "title.verify")
	v.Data = verifyData{Licence: l, Status: l.StatusOn(calendar.DateOf(time.Now())), Check: c}
	s.render(w, r, http.StatusOK, "verify", v)
}

// handleVerifyLookup is the verification entry page: an identifier, or a
// file whose identifier is read from it.
func (s *Server) handleVerifyLookup(w http.ResponseWriter, r *http.Request) {
	if id := strings.TrimSpace(r.URL.Query().Get("id")); id != "" {
		http.Redirect(w, r, "/verify/"+url.PathEscape(strings.ToUpper(id)), http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "verify_lookup", s.newView(w, r, "title.verify"))
}

// handleVerifyLookupUpload finds the licence an uploaded file claims to be
// and shows its page with the check's result.
func (s *Server) handleVerifyLookupUpload(w http.ResponseWriter, r *http.Request) {
	pdf, err := uploadedPDF(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	c, err := s.licences.Verify(r.Context(), "", pdf)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if !c.Found {
		v := s.newView(w, r, "title.verify")
		v.Data = c
		s.render(w, r, http.StatusOK, "verify_lookup", v)
		return
	}
	s.renderVerify(w, r, c.Licence.Identifier, &c)
}

// caseLicencesData is a case's licence page for staff and the applicant.
type caseLicencesData struct {
	Case     cases.Case
	Licences []licences.Licence
	Types    []licences.Type
	Today    calendar.Date
}

// handleCaseLicences lists the licences issued for a case and, once the
// case is approved, offers to issue one.
func (s *Server) handleCaseLicences(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r.Context())
	c, err := s.cases.Case(r.Context(), p, r.PathValue("no"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	ls, err := s.licences.ForCase(r.Context(), p, c.No)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	ts, err := s.licences.Types(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := s.newView(w, r, "title.licences")
	v.Flash = flashParam(r)
	if msg := r.URL.Query().Get("err"); msg != "" {
		v.Error = &i18n.Localized{Message: msg}
	}
	v.Data = caseLicencesData{Case: c, Licences: ls, Types: ts, Today: calendar.DateOf(time.Now())}
	s.render(w, r, http.StatusOK, "licence_case", v)
}

// handleLicenceIssue issues the licence of an approved case.
func (s *Server) handleLicenceIssue(w http.ResponseWriter, r *http.Request) {
	no := r.PathValue("no")
	in := licences.IssueInput{TypeCode: r.PostFormValue("type"), Face: map[string]string{}}
	for _, label := range r.PostForm["face_label"] {
		in.Face[label] = r.PostFormValue("face_" + label)
	}
	_, err := s.licences.Issue(r.Context(), principalOf(r.Context()), no, in)
	s.licenceResult(w, r, "/cases/"+url.PathEscape(no)+"/licences", err, "flash.licence_issued")
}

// handleLicenceRevoke revokes a licence with a reason.
func (s *Server) handleLicenceRevoke(w http.ResponseWriter, r *http.Request) {
	back, err := s.licenceBack(r)
	if err == nil {
		_, err = s.licences.Revoke(r.Context(), principalOf(r.Context()), r.PathValue("id"), r.PostFormValue("reason"))
	}
	s.licenceResult(w, r, back, err, "flash.licence_revoked")
}

// handleLicenceChange issues the next version of a licence (renewal or change).
func (s *Server) handleLicenceChange(w http.ResponseWriter, r *http.Request) {
	in := licences.ChangeInput{Reason: r.PostFormValue("reason"), Face: map[string]string{}}
	for _, label := range r.PostForm["face_label"] {
		in.Face[label] = r.PostFormValue("face_" + label)
	}
	back, err := s.licenceBack(r)
	if err == nil {
		_, err = s.licences.Change(r.Context(), principalOf(r.Context()), r.PathValue("id"), in)
	}
	s.licenceResult(w, r, back, err, "flash.licence_changed")
}

// licenceBack is the licence page of the case the licence in the path was issued for.
func (s *Server) licenceBack(r *http.Request) (string, error) {
	l, err := s.licences.Licence(r.Context(), r.PathValue("id"))
	if err != nil {
		return "", err
	}
	return "/cases/" + url.PathEscape(l.CaseNo) + "/licences", nil
}

// licenceResult redirects back with a notice, or with the error's message
// when the input or the state was wrong.
func (s *Server) licenceResult(w http.ResponseWriter, r *http.Request, back string, err error, flash string) {
	if err == nil {
		http.Redirect(w, r, back+"?done="+flash, http.StatusSeeOther)
		return
	}
	if k := kindOf(err); (k == apperr.Invalid || k == apperr.Conflict) && back != "" {
		http.Redirect(w, r, back+"?err="+url.QueryEscape(s.msgs.Error(prefsOf(r.Context()).Lang, err).Message), http.StatusSeeOther)
		return
	}
	s.renderError(w, r, err)
}

// handleLicencePDF serves a licence file to those who may see its case:
// the holder and staff.
func (s *Server) handleLicencePDF(w http.ResponseWriter, r *http.Request) {
	l, err := s.licences.Licence(r.Context(), r.PathValue("id"))
	if err == nil {
		_, err = s.cases.Open(r.Context(), principalOf(r.Context()), l.CaseNo, "licence pdf "+l.Identifier)
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="licence-`+l.Serial+"-"+licences.VersionCode(l.Version)+`.pdf"`)
	_, _ = w.Write(l.PDF)
}
