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

	"onevisit/internal/api"
	"onevisit/internal/calendar"
	"onevisit/internal/cases"
	"onevisit/internal/catalog"
	"onevisit/internal/config"
	"onevisit/internal/demo"
	"onevisit/internal/document"
	"onevisit/internal/i18n"
	"onevisit/internal/identity"
	"onevisit/internal/queue"
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
	queue    *queue.Service
	handler  http.Handler
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
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	apiHandler := api.New(api.Config{Logger: log, Identity: ids, Calendar: cal, Catalog: cat, Cases: cs, Queue: qs, Audit: db,
		Messages: msgs, Now: time.Now}).Handler()
	docs := openDocuments(c, log)
	files, err := uploads.New(filepath.Join(c.Data, "uploads"), 20<<20)
	if err != nil {
		db.Close()
		return nil, err
	}
	srv, err := web.New(web.Config{Logger: log, Identity: ids, Catalog: cat, Cases: cs, Queue: qs, Messages: msgs,
		Documents: docs, Uploads: files, Center: c.Center, BaseURL: c.BaseURL, DB: db, API: apiHandler,
		SecureCookies: c.SecureCookies, Version: Version, Registry: reg})
	if err != nil {
		db.Close()
		return nil, err
	}
	return &app{db: db, ids: ids, calendar: cal, catalog: cat, cases: cs, queue: qs, handler: srv.Handler()}, nil
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
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: a.handler, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	addr := ln.Addr().String()
	log.Info("listening", "url", "http://"+addr, "engine", a.db.Engine)
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
	c, _, err := loadConfig("demo", args, getenv, stderr, nil)
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
		printDemo(stdout, c, addr, res, password, given)
		return nil
	})
}

func printDemo(w io.Writer, c config.Config, addr string, res demo.Result, password string, given bool) {
	url := c.BaseURL
	if url == "" {
		url = "http://" + addr
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
