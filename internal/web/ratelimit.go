package web

import (
	"net/http"
	"strconv"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/ratelimit"
)

// tooMany shows the friendly error page with 429 and Retry-After.
func (s *Server) tooMany(w http.ResponseWriter, r *http.Request, wait time.Duration) {
	secs := ratelimit.RetryAfter(wait)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	s.renderError(w, r, apperr.New(apperr.TooMany, "err.rate_limited", secs))
}

// limitLogin refuses a sign-in while the address or the user name typed
// into the form (the CSRF check has parsed it) has used up its failures,
// and counts a failure when the handler refuses the password.
func (s *Server) limitLogin(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ip, user := clientIP(r), r.PostFormValue("username")
		if wait := s.limits.LoginWait(ip, user); wait > 0 {
			s.tooMany(w, r, wait)
			return
		}
		sw := &statusWriter{ResponseWriter: w}
		next(sw, r)
		if sw.status >= 400 {
			s.limits.LoginFailed(ip, user)
		}
	}
}

// limitIP spends one of l's tokens for the client's address.
func (s *Server) limitIP(l *ratelimit.Limiter, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if ok, wait := l.Allow(clientIP(r)); !ok {
			s.tooMany(w, r, wait)
			return
		}
		next(w, r)
	}
}
