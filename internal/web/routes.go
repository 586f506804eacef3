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
	// Cases: worklists, the case page, window acceptance, online
	// application, documents and the public progress page.
	caseRoute := func(pattern string, h http.HandlerFunc) { page(pattern, s.requireLogin(h)) }
	caseRoute("GET /cases", s.handleCases)
	caseRoute("GET /cases/{no}", s.handleCase)
	caseRoute("POST /cases/{no}/act", s.handleCaseAct)
	caseRoute("GET /cases/{no}/{doc}", s.handleCasePDF)
	page("GET /accept", s.requireLogin(s.requirePerm(identity.PermCasesAccept, s.handleAcceptForm)))
	page("POST /accept", s.requireLogin(s.requirePerm(identity.PermCasesAccept, s.handleAccept)))
	page("GET /apply", s.requireLogin(s.requirePerm(identity.PermCasesApply, s.handleApplyForm)))
	mux.Handle("POST /apply", s.withSession(s.withMultipart(s.withCSRF(s.requireLogin(s.requirePerm(identity.PermCasesApply, s.handleApply))))))
	page("GET /progress", s.handleProgress)

	// The service catalog: public guides, and its admin for catalog editors.
	guide := func(pattern string, h http.HandlerFunc) { page(pattern, s.withCatalog(h)) }
	guide("GET /guides", s.handleGuides)
	guide("GET /guides/{code}", s.handleGuide)
	guide("GET /guides/bundles/{code}", s.handleGuideBundle)
	mux.HandleFunc("GET /qr", s.handleQR)
	catalogAdmin := func(pattern string, h http.HandlerFunc) {
		guide(pattern, s.requireLogin(s.requirePerm(identity.PermCatalogEdit, h)))
	}
	catalogAdmin("GET /catalog", s.handleCatalogItems)
	catalogAdmin("GET /catalog/items/{code}", s.handleCatalogEdit)
	catalogAdmin("POST /catalog/items/{code}/draft", s.handleCatalogSaveDraft)
	catalogAdmin("POST /catalog/items/{code}/publish", s.handleCatalogPublish)
	catalogAdmin("GET /catalog/items/{code}/versions", s.handleCatalogVersions)
	catalogAdmin("GET /catalog/proofs", s.handleCatalogProofs)
	catalogAdmin("GET /catalog/bundles", s.handleCatalogBundles)
	catalogAdmin("GET /catalog/consistency", s.handleCatalogConsistency)
	// The service hall: kiosk, screens and phone pages are public; the
	// calling desk is for staff who may call tickets.
	hall := func(pattern string, h http.HandlerFunc) { page(pattern, s.withQueue(h)) }
	hall("GET /hall", s.handleHalls)
	hall("GET /hall/{hall}/screen", s.handleHallScreen)
	hall("GET /hall/{hall}/windows/{number}", s.handleWindowScreen)
	hall("GET /hall/{hall}/kiosk", s.handleKiosk)
	hall("POST /hall/{hall}/kiosk", s.handleKioskTake)
	hall("GET /hall/{hall}/kiosk/{ticket}", s.handleKioskTicket)
	hall("GET /hall/{hall}/take", s.handleTakeForm)
	hall("POST /hall/{hall}/take", s.handleTake)
	hall("GET /tickets/{ticket}", s.handleTicket)
	hall("GET /hall/{hall}/desk", s.requireLogin(s.requirePerm(identity.PermHallCall, s.handleDesk)))
	hall("POST /hall/{hall}/desk/{action}", s.requireLogin(s.requirePerm(identity.PermHallCall, s.handleDeskAct)))
	page("/", s.handleNotFound)
	return mux
}
