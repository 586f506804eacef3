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

	"onevisit/internal/analytics"
	"onevisit/internal/apperr"
	"onevisit/internal/appointments"
	"onevisit/internal/assessment"
	"onevisit/internal/audit"
	"onevisit/internal/calendar"
	"onevisit/internal/cases"
	"onevisit/internal/catalog"
	"onevisit/internal/delivery"
	"onevisit/internal/document"
	"onevisit/internal/escalation"
	"onevisit/internal/feedback"
	"onevisit/internal/i18n"
	"onevisit/internal/identity"
	"onevisit/internal/licences"
	"onevisit/internal/notify"
	"onevisit/internal/queue"
	"onevisit/internal/ratelimit"
)

// AuditLog is what the API needs to show and check the audit log.
type AuditLog interface {
	AuditEntries(ctx context.Context, objectType, objectID string, limit int) ([]audit.Entry, error)
}

// API is the JSON API handler.
type API struct {
	log          *slog.Logger
	ids          *identity.Service
	calendar     *calendar.Service
	catalog      *catalog.Service
	cases        *cases.Service
	licences     *licences.Service     // e-licences; nil when not wired
	delivery     *delivery.Service     // delivery of results; nil when not wired
	queue        *queue.Service        // the service hall; nil when not wired
	appointments *appointments.Service // hall bookings; nil when not wired
	audit        AuditLog
	notify       *notify.Service // departments told about catalog imports; nil: nobody is told
	msgs         *i18n.Catalog
	now          func() time.Time

	feedback   *feedback.Service    // ratings, rectification and metrics; nil when not wired
	escalation *escalation.Service  // unfinished-matter reports; nil when not wired
	stats      *analytics.Service   // dashboards over the roll-ups; nil when not wired
	limits     ratelimit.Limits     // per-client rate limits; zero: none
	callbacks  *feedback.Callbacks  // callbacks (回访); nil when not wired
	assess     *assessment.Service  // monthly assessment of departments; nil when not wired
	docs       *document.Renderer   // PDFs; nil without a CJK font
	names      *analytics.NameCache // item and department names for the statistics (names.go)
}

// Config is what New needs.
type Config struct {
	Logger       *slog.Logger
	Identity     *identity.Service
	Calendar     *calendar.Service
	Catalog      *catalog.Service
	Cases        *cases.Service
	Licences     *licences.Service
	Delivery     *delivery.Service
	Queue        *queue.Service
	Appointments *appointments.Service
	Audit        AuditLog
	Notify       *notify.Service // may be nil: catalog imports then notify nobody
	Messages     *i18n.Catalog
	Now          func() time.Time

	Feedback   *feedback.Service
	Escalation *escalation.Service
	Stats      *analytics.Service
	Limits     ratelimit.Limits // shared with the web pages; zero: no limits
	Callbacks  *feedback.Callbacks
	Assessment *assessment.Service
	Documents  *document.Renderer // may be nil: no PDFs
}

// New returns the API.
func New(c Config) *API {
	a := &API{log: c.Logger, ids: c.Identity, calendar: c.Calendar, catalog: c.Catalog, cases: c.Cases, licences: c.Licences, delivery: c.Delivery, queue: c.Queue, appointments: c.Appointments, audit: c.Audit,
		notify: c.Notify, msgs: c.Messages, now: c.Now,
		feedback: c.Feedback, escalation: c.Escalation, stats: c.Stats, limits: c.Limits,
		callbacks: c.Callbacks, assess: c.Assessment, docs: c.Documents}
	a.names = analytics.NewNameCache(c.Stats, a.directory().Load)
	return a
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
			if c, err := r.Cookie(webSessionCookie); err == nil && r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/api/v1/stats/") {
				// The dashboard's CSV and XLSX links are plain links in a
				// logged-in browser: read-only exports accept its session.
				if p, err := a.ids.Authenticate(r.Context(), c.Value, clientIP(r)); err == nil {
					r = r.WithContext(context.WithValue(r.Context(), keyPrincipal, p))
				}
			}
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

// webSessionCookie is the web UI's session cookie (internal/web).
const webSessionCookie = "onevisit_session"

// signedIn answers 401 to an anonymous caller before the handler could
// answer 404 for an object that only signed-in callers may see.
func (a *API) signedIn(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if principalOf(r.Context()) == nil {
			a.error(w, r, apperr.New(apperr.Unauthenticated, "err.unauthenticated"))
			return
		}
		next(w, r)
	}
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
