package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/calendar"
	"onevisit/internal/identity"
	"onevisit/internal/licences"
)

// myLicencesData is the holder's own licences page.
type myLicencesData struct {
	Licences []licences.Licence
	Today    calendar.Date
}

// holderCode is the signed-in applicant's registry code: the USCC of a
// company account, the ID number of a person's.
func (s *Server) holderCode(ctx context.Context, p *identity.Principal) (string, error) {
	if p == nil || p.Token != nil || p.Kind == identity.Staff {
		return "", apperr.New(apperr.NotFound, "err.page_not_found")
	}
	u, err := s.ids.User(ctx, p.UserID)
	if err != nil {
		return "", err
	}
	if u.Kind == identity.Legal {
		return u.USCC, nil
	}
	return u.IDNumber, nil
}

// handleMyLicences lists the licences the signed-in applicant holds, with
// download and a share-for-verification link and QR code.
func (s *Server) handleMyLicences(w http.ResponseWriter, r *http.Request) {
	code, err := s.holderCode(r.Context(), principalOf(r.Context()))
	var ls []licences.Licence
	if err == nil && code != "" {
		ls, err = s.licences.Held(r.Context(), code)
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := s.newView(w, r, "title.my_licences")
	v.Data = myLicencesData{Licences: ls, Today: calendar.DateOf(time.Now())}
	s.render(w, r, http.StatusOK, "my_licences", v)
}

// handleMyLicencePDF serves one of the holder's licences inline, so that a
// phone opens it in its PDF viewer.
func (s *Server) handleMyLicencePDF(w http.ResponseWriter, r *http.Request) {
	code, err := s.holderCode(r.Context(), principalOf(r.Context()))
	var l licences.Licence
	if err == nil {
		l, err = s.licences.Licence(r.Context(), r.PathValue("id"))
	}
	if err == nil && (code == "" || !strings.EqualFold(l.HolderCode, code)) {
		err = apperr.New(apperr.NotFound, "err.page_not_found")
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="licence-`+l.Serial+"-"+licences.VersionCode(l.Version)+`.pdf"`)
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = w.Write(l.PDF)
}
