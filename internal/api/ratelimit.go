package api

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/ratelimit"
)

// tooMany answers 429 with Retry-After and the localised message.
func (a *API) tooMany(w http.ResponseWriter, r *http.Request, wait time.Duration) {
	secs := ratelimit.RetryAfter(wait)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	a.error(w, r, apperr.New(apperr.TooMany, "err.rate_limited", secs))
}

// limitPublic spends the public allowance of an anonymous caller's
// address; signed-in callers and department systems are accountable and
// not limited here.
func (a *API) limitPublic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "" {
			if ok, wait := a.limits.Public.Allow(clientIP(r)); !ok {
				a.tooMany(w, r, wait)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// limitLogin refuses a sign-in while the address or the user name in the
// body (put back for the handler) has used up its failures, and counts a
// failure when the handler refuses.
func (a *API) limitLogin(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			a.error(w, r, bad("err.invalid_json"))
			return
		}
		var in struct{ Username string }
		_ = json.Unmarshal(body, &in) // the handler reports a malformed body
		ip := clientIP(r)
		if wait := a.limits.LoginWait(ip, in.Username); wait > 0 {
			a.tooMany(w, r, wait)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		sw := &statusRecorder{ResponseWriter: w}
		next(sw, r)
		if sw.status >= 400 {
			a.limits.LoginFailed(ip, in.Username)
		}
	}
}

// statusRecorder remembers the status a handler answered with.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (w *statusRecorder) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// limitTickets spends a ticket of an anonymous caller's address; staff
// and kiosk devices with a token take tickets for others and are not limited.
func (a *API) limitTickets(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if principalOf(r.Context()) == nil {
			if ok, wait := a.limits.Tickets.Allow(clientIP(r)); !ok {
				a.tooMany(w, r, wait)
				return
			}
		}
		next(w, r)
	}
}
