package web

import (
	"net/http"
	"net/url"
	"strings"

	qrcode "github.com/skip2/go-qrcode"

	"onevisit/internal/apperr"
)

// handleQR answers GET /qr?u=/path with a PNG QR code of this site's
// absolute URL for path, so that a printed guide leads a phone back to the
// page. Only paths of this site are encoded: the endpoint must not become
// a generator of codes pointing anywhere.
func (s *Server) handleQR(w http.ResponseWriter, r *http.Request) {
	path, ok := sitePath(r.URL.Query().Get("u"))
	if !ok {
		s.renderError(w, r, apperr.Field("u", "err.qr_path"))
		return
	}
	scheme := "http"
	if s.secure || r.TLS != nil {
		scheme = "https"
	}
	png, err := qrcode.Encode(scheme+"://"+r.Host+path, qrcode.Medium, 256)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	_, _ = w.Write(png)
}

// sitePath returns u when it is a path of this site ("/guides/X"): no
// scheme, no host, no protocol-relative "//" or backslash tricks.
func sitePath(u string) (string, bool) {
	if !strings.HasPrefix(u, "/") || strings.HasPrefix(u, "//") || strings.ContainsAny(u, "\\\r\n\t") || len(u) > 512 {
		return "", false
	}
	p, err := url.Parse(u)
	if err != nil || p.Scheme != "" || p.Host != "" || p.User != nil {
		return "", false
	}
	return p.RequestURI(), true
}
