package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"onevisit/internal/analytics"
	"onevisit/internal/api"
	"onevisit/internal/appointments"
	"onevisit/internal/assessment"
	"onevisit/internal/calendar"
	"onevisit/internal/cases"
	"onevisit/internal/catalog"
	"onevisit/internal/config"
	"onevisit/internal/delivery"
	"onevisit/internal/demo"
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
	"onevisit/internal/sqlstore"
	"onevisit/internal/uploads"
	"onevisit/internal/web"
)

func loadConfig(name string, args []string, getenv func(string) string, stderr io.Writer, extra func(*flag.FlagSet)) (config.Config, *flag.FlagSet, error) {
	fs := flag.NewFlagSet("onevisit "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	if extra != nil {
		extra(fs)
	}
	c, err := config.Load(fs, args, getenv)
	return c, fs, err
}

func newLogger(c config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(c.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// openDB opens and migrates the configured database.
func openDB(ctx context.Context, c config.Config, log *slog.Logger) (*sqlstore.DB, error) {
	db, err := sqlstore.Open(ctx, c.DB, c.Data)
	if err != nil {
		return nil, err
	}
	n, err := db.Migrate(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	if n > 0 {
		log.Info("database migrated", "engine", db.Engine, "applied", n)
	}
	return db, nil
}

// app is the wired-up program.
type app struct {
	db       *sqlstore.DB
	ids      *identity.Service
	calendar *calendar.Service
	catalog  *catalog.Service
	cases    *cases.Service
	licences *licences.Service
	queue    *queue.Service
	outbox   *outbox.Service
	registry *prometheus.Registry
	handler  http.Handler
	// closeStreams ends the server-sent event streams when the server shuts down.
	closeStreams func()

	feedback   *feedback.Service
	escalation *escalation.Service
	callbacks  *feedback.Callbacks
	assessment *assessment.Service
	roller     *analytics.Roller // keeps the dashboards' roll-ups up to date
}

func newApp(ctx context.Context, c config.Config, log *slog.Logger) (*app, error) {
	db, err := openDB(ctx, c, log)
	if err != nil {
		return nil, err
	}
	msgs, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	policy := identity.DefaultPolicy
	policy.MaxFailedLogins, policy.LockFor = c.MaxFailedLogins, c.LockFor
	policy.SessionIdle, policy.SessionMax = c.SessionIdle, c.SessionMax
	ids := identity.NewService(db.Identity(), policy, time.Now)
	cal, err := calendar.NewService(ctx, db, time.Now)
	if err != nil {
		db.Close()
		return nil, err
	}
	cat := catalog.NewService(db.Catalog(), time.Now)
	cs := cases.NewService(db.Cases(), cat, cal, demo.Region, time.Now)
	qs := queue.NewService(db.Queue(), cal, cs, time.Now) // completed tickets count as visits of their cases
	notes := notify.NewService(db, time.Now)              // the database keeps notifications, as it keeps the audit log
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	fb, esc := newSupervision(db, cal, time.Now)
	appts := appointments.NewService(db.Appointments(), cat, qs, cal, appointments.Config{}, time.Now)
	cb, as := newFollowUp(db, fb, c.Center, time.Now)
	stats := analytics.NewService(db.Stats(), time.Now)
	fb.SetRollups(stats) // current within a second by the stats.rollup job (startJobs); `jobs run`, without it, reads the cases
	docs := openDocuments(c, log)
	lic, err := newLicences(c, db, cs, cat, ids, docs, log)
	if err != nil {
		db.Close()
		return nil, err
	}
	ob := newOutbox(c, db, log)
	limits := ratelimit.NewLimits(ratelimit.Rates{Login: c.RateLogin, Tickets: c.RateTickets, Public: c.RatePublic}, time.Now)
	dl := delivery.NewService(delivery.Config{Store: db.Deliveries(), Cases: cs, Items: cat, Texts: ob,
		Secret: c.EMSWebhookSecret, Now: time.Now})
	apiHandler := api.New(api.Config{Logger: log, Identity: ids, Calendar: cal, Catalog: cat, Cases: cs, Licences: lic, Delivery: dl, Queue: qs, Appointments: appts, Audit: db,
		Feedback: fb, Escalation: esc, Stats: stats, Callbacks: cb, Assessment: as, Documents: docs,
		Notify: notes, Messages: msgs, Now: time.Now, Limits: limits}).Handler()
	files, err := uploads.New(filepath.Join(c.Data, "uploads"), 20<<20)
	if err != nil {
		db.Close()
		return nil, err
	}
	srv, err := web.New(web.Config{Logger: log, Identity: ids, Catalog: cat, Cases: cs, Licences: lic, Delivery: dl, Queue: qs, Appointments: appts, Messages: msgs,
		Documents: docs, Uploads: files, Outbox: ob, Center: c.Center, BaseURL: c.BaseURL, DB: db, API: apiHandler,
		Feedback: fb, Escalation: esc, Stats: stats, Callbacks: cb, Assessment: as,
		Notify: notes, ImportsDir: filepath.Join(c.Data, "imports"),
		SecureCookies: c.SecureCookies || c.TLS(), Version: Version, Registry: reg, Limits: limits, HSTS: c.TLS()})
	if err != nil {
		db.Close()
		return nil, err
	}
	return &app{db: db, ids: ids, calendar: cal, catalog: cat, cases: cs, licences: lic, queue: qs, outbox: ob, registry: reg, handler: srv.Handler(), closeStreams: srv.CloseStreams,
		feedback: fb, escalation: esc, callbacks: cb, assessment: as, roller: analytics.NewRoller(db.Stats(), cal, time.Now)}, nil
}

func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c, _, err := loadConfig("serve", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	return serve(ctx, c, stdout, stderr, nil)
}

// serve runs the server until ctx ends. ready, if set, is called with the
// listening address once the server accepts connections.
func serve(ctx context.Context, c config.Config, stdout, stderr io.Writer, ready func(a *app, addr string) error) error {
	log := newLogger(c, stderr)
	fmt.Fprintf(stdout, "onevisit %s starting with:\n%s", Version, c)
	a, err := newApp(ctx, c, log)
	if err != nil {
		return err
	}
	// Live hall screens: every process follows hall_events in the database
	// and fans new rows out to its SSE clients; the streams end with ctx.
	go func() {
		if err := a.queue.Poll(ctx, 250*time.Millisecond, log); err != nil {
			log.Error("hall events poller stopped", "err", err)
		}
	}()
	defer a.db.Close()
	defer a.startJobs(ctx, log)() // jobs stop, and are waited for, before the database closes
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: a.handler, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	hs.RegisterOnShutdown(a.closeStreams) // Shutdown waits for handlers: end the event streams
	errc := make(chan error, 1)
	stopRedirect, err := startServing(hs, ln, c, log, errc)
	if err != nil {
		ln.Close()
		return err
	}
	defer stopRedirect()
	stopProfiler, err := startProfiler(c, log)
	if err != nil {
		hs.Close()
		return err
	}
	defer stopProfiler()
	addr := ln.Addr().String()
	log.Info("listening", "url", scheme(c)+"://"+addr, "engine", a.db.Engine)
	if ready != nil {
		if err := ready(a, addr); err != nil {
			hs.Close()
			return err
		}
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func runDemo(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var hist demo.History
	var light bool
	c, _, err := loadConfig("demo", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.IntVar(&hist.Cases, "history-cases", 0, "also generate this many past cases with their roll-ups (analytics at scale)")
		fs.IntVar(&hist.Days, "history-days", 3*365, "over this many days before today")
		fs.BoolVar(&light, "demo-light", false, "seed only accounts, the catalog, cases and the hall: no licences, "+
			"ratings, callbacks or weeks of hall history (starts in a second; for tests)")
	})
	if err != nil {
		return err
	}
	password, given := c.DemoPassword, c.DemoPassword != ""
	if !given {
		password = demo.RandomPassword()
	}
	return serve(ctx, c, stdout, stderr, func(a *app, addr string) error {
		res, err := demo.Seed(ctx, a.ids, password, given)
		if err != nil {
			return err
		}
		if err := demo.SeedCatalog(ctx, a.catalog, demo.System, demo.Catalog()); err != nil {
			return err
		}
		if err := demo.SeedCases(ctx, a.db.Cases(), a.catalog, a.calendar, c.DemoCases); err != nil {
			return err
		}
		if err := demo.SeedHall(ctx, a.queue); err != nil {
			return err
		}
		if !light {
			if err := seedDemoHistory(ctx, a); err != nil {
				return err
			}
		}
		if err := seedHistory(ctx, a, hist, stderr); err != nil {
			return err
		}
		printDemo(stdout, c, addr, res, password, given)
		return nil
	})
}

// seedDemoHistory adds what takes time to make: licences (signed PDFs),
// ratings and rectifications, callbacks and the monthly notice, and weeks
// of hall tickets.
func seedDemoHistory(ctx context.Context, a *app) error {
	if err := demo.SeedLicences(ctx, a.licences, a.cases, a.catalog); err != nil {
		return err
	}
	if err := demo.SeedFeedback(ctx, a.db.Feedback(), a.db.Cases(), a.db.Escalations(), a.calendar); err != nil {
		return err
	}
	if err := demo.SeedFollowUp(ctx, a.callbacks, a.assessment); err != nil {
		return err
	}
	return demo.SeedHallHistory(ctx, a.db.Queue(), a.queue, a.calendar)
}

func printDemo(w io.Writer, c config.Config, addr string, res demo.Result, password string, given bool) {
	url := c.BaseURL
	if url == "" {
		url = scheme(c) + "://" + addr
	}
	fmt.Fprintf(w, "\n一次办 onevisit demo is running: %s\n", url)
	switch {
	case res.Created || given:
		fmt.Fprintf(w, "Demo accounts (password for all: %s):\n", password)
	default:
		fmt.Fprintln(w, "Demo accounts (existing demo: passwords unchanged; pass --demo-password to reset them):")
	}
	for _, u := range demo.Usernames() {
		fmt.Fprintf(w, "  %s\n", u)
	}
	fmt.Fprintln(w, "Press Ctrl+C to stop.")
}

func runMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c, _, err := loadConfig("migrate", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, c, newLogger(c, stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "database (%s) is at schema version %d\n", db.Engine, v)
	return nil
}

// openDocuments loads the CJK font for PDF documents. Without one the
// server still runs; document downloads answer 503 and say which Debian
// package to install.
func openDocuments(c config.Config, log *slog.Logger) *document.Renderer {
	path := c.Font
	if path == "" {
		p, err := document.FindFont()
		if err != nil {
			log.Warn("PDF documents disabled", "err", err)
			return nil
		}
		path = p
	}
	r, err := document.New(path)
	if err != nil {
		log.Warn("PDF documents disabled", "font", path, "err", err)
		return nil
	}
	return r
}
