package api

import (
	"net/http"

	"onevisit/internal/apperr"
	"onevisit/internal/idcode"
)

type validateResponse struct {
	Kind   string `json:"kind"`
	Code   string `json:"code"`
	Valid  bool   `json:"valid"`
	Reason string `json:"reason,omitempty"`  // machine code: length, charset, checksum, …
	Detail string `json:"message,omitempty"` // the reason in the caller's language
}

// handleValidate checks a USCC, ID card number, organisation code or
// e-licence identifier. An invalid code is a normal answer (200).
func (a *API) handleValidate(w http.ResponseWriter, r *http.Request) {
	kind := r.PathValue("kind")
	check, ok := idcode.ByName[kind]
	if !ok {
		a.error(w, r, apperr.New(apperr.NotFound, "err.unknown_kind", kind))
		return
	}
	code := r.URL.Query().Get("code")
	resp := validateResponse{Kind: kind, Code: code, Valid: true}
	if err := check(code, a.now()); err != nil {
		reason := idcode.ReasonOf(err)
		resp.Valid, resp.Reason, resp.Detail = false, string(reason), reason.Message(string(lang(r)))
	}
	writeJSON(w, http.StatusOK, resp)
}
