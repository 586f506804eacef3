// Package web is onevisit's HTML user interface and the HTTP front door: it
// wraps every request (the JSON API included) in request ids, logging,
// metrics and panic recovery, and serves server-rendered pages.
package web

import (
	"context"
	"embed"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"onevisit/internal/analytics"
	"onevisit/internal/appointments"
	"onevisit/internal/assessment"
	"onevisit/internal/cases"
	"onevisit/internal/catalog"
	"onevisit/internal/catalogsync"
	"onevisit/internal/delivery"
	"onevisit/internal/document"
	"onevisit/internal/escalation"
	"onevisit/internal/feedback"
	"onevisit/internal/i18n"
	"onevisit/internal/identity"
	"onevisit/internal/licences"
	"onevisit/internal/notify"
	"onevisit/internal/outbox"
	"onevisit/internal/queue"
	"onevisit/internal/ratelimit"
	"onevisit/internal/uploads"
)

//go:embed static
var staticFS embed.FS

// Pinger reports whether the database answers.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Server serves the HTML UI and mounts the JSON API.
type Server struct {
	log          *slog.Logger
	ids          *identity.Service
	catalog      *catalog.Service
	cases        *cases.Service
	licences     *licences.Service     // e-licences; nil in tests of other pages
	delivery     *delivery.Service     // delivery of results; nil in tests of other pages
	queue        *queue.Service        // the service hall; nil in tests of other pages
	appointments *appointments.Service // hall bookings; nil in tests of other pages
	outbox       *outbox.Service       // SMS and email to applicants; nil in tests of other pages
	docs         *document.Renderer    // nil when no CJK font is installed
	uploads      *uploads.Store
	notify       *notify.Service      // department notifications; nil in tests of other pages
	sync         *catalogsync.Service // upstream catalog imports; nil without a catalog
	imports      string               // folder of uploaded catalog files awaiting apply
	center       string
	baseURL      string
	msgs         *i18n.Catalog
	pages        *pages
	db           Pinger
	api          http.Handler
	metrics      *metrics
	registry     *prometheus.Registry
	secure       bool // cookies marked Secure
	startedAt    time.Time
	version      string

	feedback   *feedback.Service    // ratings and rectification; nil in tests of other pages
	escalation *escalation.Service  // unfinished-matter reports; nil in tests of other pages
	stats      *analytics.Service   // dashboards, big screen, transparency; nil in tests of other pages
	callbacks  *feedback.Callbacks  // callbacks (回访); nil in tests of other pages
	assess     *assessment.Service  // monthly assessment; nil in tests of other pages
	names      *analytics.NameCache // item and department names for the dashboards (names.go)

	limits       ratelimit.Limits   // per-client rate limits, shared with the API
	hsts         bool               // send Strict-Transport-Security: the site is served over TLS
	closing      context.Context    // done when the server shuts down: event streams end
	closeStreams context.CancelFunc // ends closing
}

// Config is what New needs.
type Config struct {
	Logger        *slog.Logger
	Identity      *identity.Service
	Catalog       *catalog.Service      // may be nil in tests of other pages
	Cases         *cases.Service        // may be nil in tests of other pages
	Licences      *licences.Service     // may be nil in tests of other pages
	Delivery      *delivery.Service     // may be nil in tests of other pages
	Queue         *queue.Service        // may be nil in tests of other pages
	Appointments  *appointments.Service // may be nil in tests of other pages
	Outbox        *outbox.Service       // may be nil in tests of other pages
	Documents     *document.Renderer
	Uploads       *uploads.Store
	Notify        *notify.Service // may be nil: no bell, and imports notify nobody
	ImportsDir    string          // where uploaded catalog files wait to be applied
	Center        string          // the service center's name, printed on documents
	BaseURL       string          // public URL, for QR codes
	Messages      *i18n.Catalog
	DB            Pinger
	API           http.Handler // mounted at /api/v1/
	SecureCookies bool
	Version       string
	Registry      *prometheus.Registry

	Feedback   *feedback.Service   // may be nil in tests of other pages
	Escalation *escalation.Service // may be nil in tests of other pages
	Stats      *analytics.Service  // may be nil in tests of other pages
	Callbacks  *feedback.Callbacks // may be nil in tests of other pages
	Assessment *assessment.Service // may be nil in tests of other pages
	Limits     ratelimit.Limits    // zero: no rate limits
	HSTS       bool                // the site is served over TLS: tell browsers to stay on HTTPS
}

// New returns a Server; it parses and checks every template.
func New(c Config) (*Server, error) {
	p, err := parsePages(c.Messages)
	if err != nil {
		return nil, err
	}
	reg := c.Registry
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	closing, closeStreams := context.WithCancel(context.Background())
	s := &Server{limits: c.Limits, hsts: c.HSTS, closing: closing, closeStreams: closeStreams, log: c.Logger, ids: c.Identity, catalog: c.Catalog, cases: c.Cases, licences: c.Licences, delivery: c.Delivery, queue: c.Queue, appointments: c.Appointments, outbox: c.Outbox, docs: c.Documents, uploads: c.Uploads, center: c.Center, baseURL: c.BaseURL, msgs: c.Messages, pages: p, db: c.DB, api: c.API,
		metrics: newMetrics(reg), registry: reg, secure: c.SecureCookies, startedAt: time.Now(), version: c.Version,
		feedback: c.Feedback, escalation: c.Escalation, stats: c.Stats, callbacks: c.Callbacks, assess: c.Assessment,
		notify: c.Notify, sync: newCatalogSync(c), imports: c.ImportsDir}
	s.names = analytics.NewNameCache(c.Stats, s.directory().Load)
	return s, nil
}

// Handler is the whole site with its middleware.
func (s *Server) Handler() http.Handler {
	return s.withRequestID(s.withLogging(s.withRecover(s.withSecurityHeaders(s.withStreams(s.routes())))))
}

// CloseStreams ends every server-sent event stream, and every one that
// starts later; register it with http.Server.RegisterOnShutdown so that
// Shutdown, which waits for all handlers, is not held up by open screens.
func (s *Server) CloseStreams() { s.closeStreams() }

func staticFiles() http.Handler {
	sub, _ := fs.Sub(staticFS, "static")
	return http.StripPrefix("/static/", http.FileServerFS(sub))
}
