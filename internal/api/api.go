// Package api is onevisit's JSON API, version 1, under /api/v1/. It
// authenticates with bearer tokens (session tokens from /auth/login, or a
// department system's API token), calls only domain services, and
// answers errors as {"error":{"code","message","fields"}} in the caller's
// language (Accept-Language; Chinese by default).
package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/calendar"
	"onevisit/internal/cases"
	"onevisit/internal/catalog"
	"onevisit/internal/i18n"
	"onevisit/internal/identity"
	"onevisit/internal/queue"
)

// AuditLog is what the API needs to show and check the audit log.
type AuditLog interface {
	AuditEntries(ctx context.Context, objectType, objectID string, limit int) ([]audit.Entry, error)
}

// API is the JSON API handler.
type API struct {
	log      *slog.Logger
	ids      *identity.Service
	calendar *calendar.Service
	catalog  *catalog.Service
	cases    *cases.Service
	queue    *queue.Service // the service hall; nil when not wired
	audit    AuditLog
	msgs     *i18n.Catalog
	now      func() time.Time
}

// Config is what New needs.
type Config struct {
	Logger   *slog.Logger
	Identity *identity.Service
	Calendar *calendar.Service
	Catalog  *catalog.Service
	Cases    *cases.Service
	Queue    *queue.Service
	Audit    AuditLog
	Messages *i18n.Catalog
	Now      func() time.Time
}

// New returns the API.
func New(c Config) *API {
	return &API{log: c.Logger, ids: c.Identity, calendar: c.Calendar, catalog: c.Catalog, cases: c.Cases, queue: c.Queue, audit: c.Audit, msgs: c.Messages, now: c.Now}
}

type ctxKey int

const keyPrincipal ctxKey = 0

func principalOf(ctx context.Context) *identity.Principal {
	p, _ := ctx.Value(keyPrincipal).(*identity.Principal)
	return p
}

// withAuth resolves a bearer token, if one is sent. A bad token is an
// error even on public endpoints, so a client learns its token expired.
func (a *API) withAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		if h == "" {
			next.ServeHTTP(w, r)
			return
		}
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			a.error(w, r, apperr.New(apperr.Unauthenticated, "err.token_invalid"))
			return
		}
		p, err := a.ids.Authenticate(r.Context(), strings.TrimSpace(token), clientIP(r))
		if err != nil {
			a.error(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), keyPrincipal, p)))
	})
}

func lang(r *http.Request) i18n.Lang {
	if l := r.URL.Query().Get("lang"); l != "" {
		return i18n.Parse(l)
	}
	if h := r.Header.Get("Accept-Language"); h != "" {
		return i18n.Parse(h)
	}
	return i18n.ZH
}

var statusOf = map[apperr.Kind]int{
	apperr.Invalid: http.StatusUnprocessableEntity, apperr.NotFound: http.StatusNotFound,
	apperr.Conflict: http.StatusConflict, apperr.Forbidden: http.StatusForbidden,
	apperr.Unauthenticated: http.StatusUnauthorized, apperr.TooMany: http.StatusTooManyRequests,
	apperr.Internal: http.StatusInternalServerError,
}

// badRequest is an Invalid error that is the request's fault in form rather
// than content (a malformed date or JSON), answered with 400.
type badRequest struct{ err *apperr.Error }

func (e badRequest) Error() string { return e.err.Error() }

func (a *API) error(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf[apperr.KindOf(err)]
	var br badRequest
	if errors.As(err, &br) {
		status = http.StatusBadRequest
	}
	if status == http.StatusInternalServerError {
		a.log.Error("internal error", "path", r.URL.Path, "err", err)
	}
	writeJSON(w, status, map[string]any{"error": a.msgs.Error(lang(r), err)})
}

func (e badRequest) Unwrap() error { return e.err }

func bad(key string, args ...any) error {
	return badRequest{err: apperr.New(apperr.Invalid, key, args...)}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// decode reads a JSON body of at most 1 MiB into v, rejecting unknown fields.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return bad("err.invalid_json")
	}
	return nil
}

func clientIP(r *http.Request) string {
	if i := strings.LastIndexByte(r.RemoteAddr, ':'); i > 0 {
		return strings.Trim(r.RemoteAddr[:i], "[]")
	}
	return r.RemoteAddr
}
