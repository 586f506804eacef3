package web

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"onevisit/internal/identity"
)

// routes lists every URL of the site.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /static/", cacheStatic(staticFiles()))
	mux.HandleFunc("GET /healthz", s.handleHealthz)
	mux.HandleFunc("GET /readyz", s.handleReadyz)
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{}))
	if s.api != nil {
		mux.Handle("/api/v1/", s.api)
	}

	page := func(pattern string, h http.HandlerFunc) { mux.Handle(pattern, s.withSession(s.withCSRF(h))) }
	page("GET /{$}", s.handleHome)
	page("GET /login", s.handleLoginForm)
	page("POST /login", s.handleLogin)
	page("POST /logout", s.requireLogin(s.handleLogout))
	page("POST /prefs", s.handlePrefs)
	page("GET /validate/{kind}", s.handleValidateFragment)

	admin := func(pattern string, h http.HandlerFunc) {
		page(pattern, s.requireLogin(s.requirePerm(identity.PermUsersManage, h)))
	}
	admin("GET /admin", s.handleAdmin)
	admin("POST /admin/users", s.handleAdminUserCreate)
	admin("POST /admin/departments", s.handleAdminDepartmentCreate)
	admin("POST /admin/tokens", s.handleAdminTokenCreate)
	admin("POST /admin/tokens/{id}/revoke", s.handleAdminTokenRevoke)
	page("/", s.handleNotFound)
	return mux
}
