package api

import (
	"context"
	"io"
	"net/http"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/calendar"
	"onevisit/internal/identity"
	"onevisit/internal/licences"
)

func (a *API) withLicences(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if a.licences == nil {
			a.error(w, r, apperr.New(apperr.NotFound, "err.page_not_found"))
			return
		}
		next(w, r)
	}
}

// publicLicence is what anyone may learn of a licence: the verification
// page's content, with the holder masked. Staff who may read personal data
// get the holder in full.
type publicLicence struct {
	Identifier     string              `json:"identifier"`
	TypeCode       string              `json:"typeCode"`
	TypeName       string              `json:"typeName"`
	Version        int                 `json:"version"`
	IssuerName     string              `json:"issuerName"`
	IssuerCode     string              `json:"issuerCode"`
	HolderName     string              `json:"holderName"`
	HolderCode     string              `json:"holderCode"`
	Face           []licences.FaceItem `json:"face"`
	IssueDate      calendar.Date       `json:"issueDate"`
	ValidFrom      calendar.Date       `json:"validFrom"`
	ValidTo        calendar.Date       `json:"validTo,omitzero"`
	Status         licences.Status     `json:"status"` // as of today: valid, revoked, expired or superseded
	StatusReason   string              `json:"statusReason,omitempty"`
	StatusAt       time.Time           `json:"statusAt,omitzero"`
	PrevIdentifier string              `json:"prevIdentifier,omitempty"`
	NextIdentifier string              `json:"nextIdentifier,omitempty"`
	SM3            string              `json:"sm3"`
	SHA256         string              `json:"sha256"`
	Seal           []byte              `json:"seal"` // DER SM2 seal signature, base64
	VerifyURL      string              `json:"verifyUrl"`
}

func (a *API) publicView(p *identity.Principal, l licences.Licence) publicLicence {
	v := publicLicence{Identifier: l.Identifier, TypeCode: l.TypeCode, TypeName: l.TypeName, Version: l.Version,
		IssuerName: l.IssuerName, IssuerCode: l.IssuerCode, HolderName: l.MaskedName(), HolderCode: l.MaskedHolder(),
		Face: l.PublicFace(), IssueDate: l.IssueDate, ValidFrom: l.ValidFrom, ValidTo: l.ValidTo,
		Status: l.StatusOn(calendar.DateOf(a.now())), StatusReason: l.StatusReason, StatusAt: l.StatusAt,
		PrevIdentifier: l.PrevIdentifier, NextIdentifier: l.NextIdentifier, SM3: l.SM3, SHA256: l.SHA256, Seal: l.Seal,
		VerifyURL: a.licences.VerifyURL(l.Identifier)}
	if p.Can(identity.PermPersonalRead) {
		v.HolderName, v.HolderCode, v.Face = l.HolderName, l.HolderCode, l.Face
	}
	return v
}

// reader is p when p may read the licence holder's personal data, the
// read audited as one of the licence's case; otherwise nil, for the public
// (masked) view.
func (a *API) reader(ctx context.Context, p *identity.Principal, l licences.Licence) *identity.Principal {
	if !p.Can(identity.PermPersonalRead) {
		return nil
	}
	if _, err := a.cases.Open(ctx, p, l.CaseNo, "licence "+l.Identifier); err != nil {
		return nil
	}
	return p
}

// handleLicence is GET /licences/{identifier}: public.
func (a *API) handleLicence(w http.ResponseWriter, r *http.Request) {
	l, err := a.licences.Licence(r.Context(), r.PathValue("id"))
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a.publicView(a.reader(r.Context(), principalOf(r.Context()), l), l))
}

// handleLicencePDF serves the signed file to those who may see its case.
func (a *API) handleLicencePDF(w http.ResponseWriter, r *http.Request) {
	l, err := a.licences.Licence(r.Context(), r.PathValue("id"))
	if err == nil {
		_, err = a.cases.Open(r.Context(), principalOf(r.Context()), l.CaseNo, "licence pdf "+l.Identifier)
	}
	if err != nil {
		a.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	_, _ = w.Write(l.PDF)
}

// handleLicenceVerify checks a PDF sent as the request body.
func (a *API) handleLicenceVerify(w http.ResponseWriter, r *http.Request) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 10<<20))
	if err != nil {
		a.error(w, r, apperr.New(apperr.Invalid, "err.upload_too_large"))
		return
	}
	c, err := a.licences.Verify(r.Context(), r.URL.Query().Get("identifier"), b)
	if err != nil {
		a.error(w, r, err)
		return
	}
	out := map[string]any{"genuine": c.Genuine, "reason": c.Reason, "message": a.msgs.T(lang(r), c.Reason)}
	if c.Found {
		out["licence"] = a.publicView(a.reader(r.Context(), principalOf(r.Context()), c.Licence), c.Licence)
	}
	writeJSON(w, http.StatusOK, out)
}

// handleLicenceIssue is POST /cases/{no}/licence.
func (a *API) handleLicenceIssue(w http.ResponseWriter, r *http.Request) {
	var in licences.IssueInput
	if r.ContentLength != 0 {
		if err := decode(r, &in); err != nil {
			a.error(w, r, err)
			return
		}
	}
	l, err := a.licences.Issue(r.Context(), principalOf(r.Context()), r.PathValue("no"), in)
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, a.publicView(principalOf(r.Context()), l))
}

// handleLicenceRevoke is POST /licences/{identifier}/revoke {"reason": …}.
func (a *API) handleLicenceRevoke(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decode(r, &in); err != nil {
		a.error(w, r, err)
		return
	}
	l, err := a.licences.Revoke(r.Context(), principalOf(r.Context()), r.PathValue("id"), in.Reason)
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a.publicView(principalOf(r.Context()), l))
}

// handleLicenceChange is POST /licences/{identifier}/change: a new version.
func (a *API) handleLicenceChange(w http.ResponseWriter, r *http.Request) {
	var in licences.ChangeInput
	if err := decode(r, &in); err != nil {
		a.error(w, r, err)
		return
	}
	l, err := a.licences.Change(r.Context(), principalOf(r.Context()), r.PathValue("id"), in)
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, a.publicView(principalOf(r.Context()), l))
}

// handleLicenceTypes lists the licence types.
func (a *API) handleLicenceTypes(w http.ResponseWriter, r *http.Request) {
	ts, err := a.licences.Types(r.Context())
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"types": ts})
}
