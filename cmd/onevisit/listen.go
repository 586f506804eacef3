package main

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"

	"onevisit/internal/config"
)

// startServing serves hs on ln, over TLS when c has a certificate, and then
// also redirects plain HTTP on c.HTTPRedirectAddr to HTTPS. Serving errors
// go to errc; the returned function stops the redirect listener.
func startServing(hs *http.Server, ln net.Listener, c config.Config, log *slog.Logger, errc chan<- error) (func(), error) {
	if !c.TLS() {
		go func() { errc <- hs.Serve(ln) }()
		return func() {}, nil
	}
	cert, err := tls.LoadX509KeyPair(c.TLSCert, c.TLSKey)
	if err != nil {
		return nil, fmt.Errorf("tls: %w", err)
	}
	hs.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	go func() { errc <- hs.ServeTLS(ln, "", "") }()
	if c.HTTPRedirectAddr == "" {
		return func() {}, nil
	}
	rl, err := net.Listen("tcp", c.HTTPRedirectAddr)
	if err != nil {
		return nil, fmt.Errorf("http-redirect-addr: %w", err)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	rs := &http.Server{Handler: redirectToHTTPS(port), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := rs.Serve(rl); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("HTTP redirect listener stopped", "err", err)
		}
	}()
	log.Info("redirecting HTTP to HTTPS", "addr", rl.Addr().String())
	return func() { _ = rs.Close() }, nil
}

// redirectToHTTPS sends every request to the same host and path over
// HTTPS on port (443 is left out of the URL).
func redirectToHTTPS(port string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		if h, _, err := net.SplitHostPort(r.Host); err == nil {
			host = h
		}
		if port != "443" {
			host = net.JoinHostPort(host, port)
		}
		http.Redirect(w, r, "https://"+host+r.URL.RequestURI(), http.StatusPermanentRedirect)
	})
}

// scheme is the URL scheme the server speaks.
func scheme(c config.Config) string {
	if c.TLS() {
		return "https"
	}
	return "http"
}

// startProfiler serves Go's profiler on c.PprofAddr when it is set, so that
// `go tool pprof http://ADDR/debug/pprof/profile` can profile the running
// server; the returned function stops it.
func startProfiler(c config.Config, log *slog.Logger) (func(), error) {
	if c.PprofAddr == "" {
		return func() {}, nil
	}
	ln, err := net.Listen("tcp", c.PprofAddr)
	if err != nil {
		return nil, fmt.Errorf("pprof-addr: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	ps := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := ps.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("profiler stopped", "err", err)
		}
	}()
	log.Warn("profiler listening; do not expose it", "addr", ln.Addr().String())
	return func() { _ = ps.Close() }, nil
}
