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

	"onevisit/internal/cases"
	"onevisit/internal/catalog"
	"onevisit/internal/document"
	"onevisit/internal/i18n"
	"onevisit/internal/identity"
	"onevisit/internal/queue"
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
	log       *slog.Logger
	ids       *identity.Service
	catalog   *catalog.Service
	cases     *cases.Service
	queue     *queue.Service     // the service hall; nil in tests of other pages
	docs      *document.Renderer // nil when no CJK font is installed
	uploads   *uploads.Store
	center    string
	baseURL   string
	msgs      *i18n.Catalog
	pages     *pages
	db        Pinger
	api       http.Handler
	metrics   *metrics
	registry  *prometheus.Registry
	secure    bool // cookies marked Secure
	startedAt time.Time
	version   string
}

// Config is what New needs.
type Config struct {
	Logger        *slog.Logger
	Identity      *identity.Service
	Catalog       *catalog.Service // may be nil in tests of other pages
	Cases         *cases.Service   // may be nil in tests of other pages
	Queue         *queue.Service   // may be nil in tests of other pages
	Documents     *document.Renderer
	Uploads       *uploads.Store
	Center        string // the service center's name, printed on documents
	BaseURL       string // public URL, for QR codes
	Messages      *i18n.Catalog
	DB            Pinger
	API           http.Handler // mounted at /api/v1/
	SecureCookies bool
	Version       string
	Registry      *prometheus.Registry
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
	return &Server{log: c.Logger, ids: c.Identity, catalog: c.Catalog, cases: c.Cases, queue: c.Queue, docs: c.Documents, uploads: c.Uploads, center: c.Center, baseURL: c.BaseURL, msgs: c.Messages, pages: p, db: c.DB, api: c.API,
		metrics: newMetrics(reg), registry: reg, secure: c.SecureCookies, startedAt: time.Now(), version: c.Version}, nil
}

// Handler is the whole site with its middleware.
func (s *Server) Handler() http.Handler {
	return s.withRequestID(s.withLogging(s.withRecover(s.withSecurityHeaders(s.routes()))))
}

func staticFiles() http.Handler {
	sub, _ := fs.Sub(staticFS, "static")
	return http.StripPrefix("/static/", http.FileServerFS(sub))
}
