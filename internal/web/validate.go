package web

import (
	"html/template"
	"net/http"
	"time"

	"onevisit/internal/idcode"
)

var fragment = template.Must(template.New("v").Parse(
	`{{if .OK}}<span class="check ok">✓ {{.Msg}}</span>{{else}}<span class="check bad">✗ {{.Msg}}</span>{{end}}`))

// handleValidateFragment answers a form's live check of a code (htmx) with
// a small piece of HTML.
func (s *Server) handleValidateFragment(w http.ResponseWriter, r *http.Request) {
	check, ok := idcode.ByName[r.PathValue("kind")]
	if !ok {
		s.handleNotFound(w, r)
		return
	}
	code := r.URL.Query().Get("code")
	for _, f := range []string{"idNumber", "uscc"} { // forms send the field under its own name
		if code == "" {
			code = r.URL.Query().Get(f)
		}
	}
	lang := prefsOf(r.Context()).Lang
	data := struct {
		OK  bool
		Msg string
	}{OK: true, Msg: s.msgs.T(lang, "validate.ok")}
	if code == "" {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if err := check(code, time.Now()); err != nil {
		data.OK, data.Msg = false, idcode.ReasonOf(err).Message(string(lang))
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = fragment.Execute(w, data)
}
