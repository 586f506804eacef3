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

// limitLogin spends a sign-in attempt of the address and of the user name
// in the body, which it puts back for the handler.
func (a *API) limitLogin(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			a.error(w, r, bad("err.invalid_json"))
			return
		}
		var in struct{ Username string }
		_ = json.Unmarshal(body, &in) // the handler reports a malformed body
		if ok, wait := a.limits.AllowLogin(clientIP(r), in.Username); !ok {
			a.tooMany(w, r, wait)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next(w, r)
	}
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
