package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"onevisit/internal/apperr"
	"onevisit/internal/i18n"
	"onevisit/internal/identity"
)

type ctxKey int

const (
	keyRequestID ctxKey = iota
	keyPrincipal
	keyPrefs
)

// RequestID is the id of the request in ctx, as logged and sent back in
// the X-Request-Id header.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(keyRequestID).(string)
	return id
}

func (s *Server) withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		id := hex.EncodeToString(b)
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), keyRequestID, id)))
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// Flush lets server-sent events through the wrapper.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "onevisit_http_requests_total",
			Help: "HTTP requests by route and status."}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "onevisit_http_request_duration_seconds",
			Help: "HTTP request latency by route.", Buckets: prometheus.DefBuckets}, []string{"route"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

func (s *Server) withLogging(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		elapsed := time.Since(start)
		s.metrics.requests.WithLabelValues(route, strconv.Itoa(sw.status)).Inc()
		s.metrics.duration.WithLabelValues(route).Observe(elapsed.Seconds())
		level := slog.LevelInfo
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" || r.URL.Path == "/metrics" {
			level = slog.LevelDebug
		}
		s.log.Log(r.Context(), level, "request", "id", RequestID(r.Context()), "method", r.Method,
			"path", r.URL.Path, "query", maskQuery(r.URL.RawQuery), "route", route, "status", sw.status, "bytes", sw.bytes, "ms", elapsed.Milliseconds(), "ip", clientIP(r))
	})
}

func (s *Server) withRecover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "id", RequestID(r.Context()), "panic", v, "stack", string(debug.Stack()))
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func (s *Server) withSecurityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'")
		if s.hsts {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// personalParams are query parameters whose values the request log masks:
// ID numbers, credit codes, the progress page's code, secrets.
var personalParams = []string{"code", "idnumber", "id_number", "uscc", "phone", "password", "token"}

// maskQuery is the raw query with the values of personal parameters
// replaced by "***"; the rest is kept as sent.
func maskQuery(raw string) string {
	if raw == "" {
		return ""
	}
	parts := strings.Split(raw, "&")
	for i, p := range parts {
		k, _, _ := strings.Cut(p, "=")
		if key, err := url.QueryUnescape(k); err == nil && slices.Contains(personalParams, strings.ToLower(key)) {
			parts[i] = k + "=***"
		}
	}
	return strings.Join(parts, "&")
}

// streamWriter notices a response that turns into server-sent events and
// arranges for its request context to end when the server shuts down.
type streamWriter struct {
	http.ResponseWriter
	closing context.Context
	cancel  context.CancelFunc
	stop    func() bool // unregisters cancel from closing; nil until a stream starts
}

func (w *streamWriter) WriteHeader(code int) {
	if w.stop == nil && strings.HasPrefix(w.Header().Get("Content-Type"), "text/event-stream") {
		w.stop = context.AfterFunc(w.closing, w.cancel)
	}
	w.ResponseWriter.WriteHeader(code)
}

// Flush lets server-sent events through the wrapper.
func (w *streamWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *streamWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// withStreams gives each request a context that CloseStreams ends if the
// response is an event stream; other requests run to their end.
func (s *Server) withStreams(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithCancel(r.Context())
		defer cancel()
		sw := &streamWriter{ResponseWriter: w, closing: s.closing, cancel: cancel}
		next.ServeHTTP(sw, r.WithContext(ctx))
		if sw.stop != nil {
			sw.stop()
		}
	})
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// prefs are the visitor's display choices, kept in cookies.
type prefs struct {
	Lang  i18n.Lang
	Large bool // 适老化: large type, high contrast
}

const (
	cookieSession = "onevisit_session"
	cookieCSRF    = "onevisit_csrf"
	cookieLang    = "onevisit_lang"
	cookieLarge   = "onevisit_large"
)

func readPrefs(r *http.Request) prefs {
	p := prefs{Lang: i18n.ZH} // Chinese first, whatever the browser says
	if c, err := r.Cookie(cookieLang); err == nil {
		p.Lang = i18n.Parse(c.Value)
	}
	if c, err := r.Cookie(cookieLarge); err == nil && c.Value == "1" {
		p.Large = true
	}
	return p
}

func prefsOf(ctx context.Context) prefs {
	p, ok := ctx.Value(keyPrefs).(prefs)
	if !ok {
		return prefs{Lang: i18n.ZH}
	}
	return p
}

func principalOf(ctx context.Context) *identity.Principal {
	p, _ := ctx.Value(keyPrincipal).(*identity.Principal)
	return p
}

// withSession resolves the session cookie (if any) and the display prefs.
func (s *Server) withSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), keyPrefs, readPrefs(r))
		if c, err := r.Cookie(cookieSession); err == nil && c.Value != "" {
			p, err := s.ids.Authenticate(ctx, c.Value, clientIP(r))
			switch {
			case err == nil:
				ctx = context.WithValue(ctx, keyPrincipal, p)
			case apperr.Is(err, apperr.Unauthenticated):
				s.clearCookie(w, cookieSession)
			default:
				s.renderError(w, r.WithContext(ctx), err)
				return
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// csrfToken is the token forms must carry: the session's for a logged-in
// user, otherwise a random one bound to a cookie (double submit).
func (s *Server) csrfToken(w http.ResponseWriter, r *http.Request) string {
	if p := principalOf(r.Context()); p != nil && p.CSRFToken != "" {
		return p.CSRFToken
	}
	if c, err := r.Cookie(cookieCSRF); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	tok := hex.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: cookieCSRF, Value: tok, Path: "/", HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
	r.AddCookie(&http.Cookie{Name: cookieCSRF, Value: tok})
	return tok
}

// withCSRF refuses a state-changing request whose form token does not match.
func (s *Server) withCSRF(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		want := ""
		if p := principalOf(r.Context()); p != nil && p.CSRFToken != "" {
			want = p.CSRFToken
		} else if c, err := r.Cookie(cookieCSRF); err == nil {
			want = c.Value
		}
		got := r.PostFormValue("csrf")
		if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
			s.renderError(w, r, apperr.New(apperr.Forbidden, "err.csrf"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) requireLogin(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if principalOf(r.Context()) == nil {
			http.Redirect(w, r, "/login?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		next(w, r)
	}
}

func (s *Server) requirePerm(perm identity.Permission, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := principalOf(r.Context()).Require(perm); err != nil {
			s.renderError(w, r, err)
			return
		}
		next(w, r)
	}
}

func (s *Server) setCookie(w http.ResponseWriter, name, value string, maxAge time.Duration) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: int(maxAge.Seconds()),
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
}

func (s *Server) clearCookie(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
}

func cacheStatic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		next.ServeHTTP(w, r)
	})
}

// withMultipart parses a multipart form (file uploads) before the CSRF
// check reads its token, bounding the whole body.
func (s *Server) withMultipart(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxUploadForm)
		if err := r.ParseMultipartForm(8 << 20); err != nil {
			s.renderError(w, r, apperr.New(apperr.Invalid, "err.upload_too_large"))
			return
		}
		next.ServeHTTP(w, r)
	})
}
