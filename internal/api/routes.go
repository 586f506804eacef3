package api

import (
	"net/http"

	"onevisit/internal/apperr"
)

// Handler lists every URL of the API; mount it at /api/v1/.
func (a *API) Handler() http.Handler {
	mux := http.NewServeMux()
	h := func(pattern string, fn http.HandlerFunc) { mux.HandleFunc(pattern, fn) }
	h("GET /api/v1/openapi.json", a.handleOpenAPI)
	h("POST /api/v1/auth/login", a.handleLogin)
	h("POST /api/v1/auth/logout", a.handleLogout)
	h("GET /api/v1/me", a.handleMe)

	h("GET /api/v1/calendar/due", a.handleCalendarDue)
	h("GET /api/v1/calendar/workdays", a.handleCalendarWorkdays)
	h("GET /api/v1/calendar/revisions", a.handleCalendarRevisions)
	h("POST /api/v1/calendar/revisions", a.handleCalendarRevisionCreate)
	h("GET /api/v1/calendar/{year}", a.handleCalendarYear)

	h("GET /api/v1/validate/{kind}", a.handleValidate)

	h("GET /api/v1/items", a.handleItems)
	h("POST /api/v1/items", a.handleItemDraft)
	h("GET /api/v1/items/{code}", a.handleItem)
	h("GET /api/v1/items/{code}/versions", a.handleItemVersions)
	h("POST /api/v1/items/{code}/publish", a.handleItemPublish)
	h("GET /api/v1/bundles", a.handleBundles)
	h("GET /api/v1/bundles/{code}", a.handleBundle)
	h("GET /api/v1/proofs", a.handleProofs)
	h("GET /api/v1/materials", a.handleMaterials)
	h("POST /api/v1/catalog/imports", a.handleCatalogImport)

	h("GET /api/v1/departments", a.handleDepartments)
	h("POST /api/v1/departments", a.handleDepartmentCreate)
	h("GET /api/v1/users", a.handleUsers)
	h("POST /api/v1/users", a.handleUserCreate)
	h("GET /api/v1/users/{id}/personal", a.handleUserPersonal)
	h("GET /api/v1/tokens", a.handleTokens)
	h("POST /api/v1/tokens", a.handleTokenCreate)
	h("DELETE /api/v1/tokens/{id}", a.handleTokenRevoke)
	h("GET /api/v1/audit", a.handleAudit)

	h("POST /api/v1/cases", a.handleCaseCreate)
	h("GET /api/v1/cases", a.handleCases)
	h("GET /api/v1/cases/{no}", a.handleCase)
	h("GET /api/v1/cases/{no}/events", a.handleCaseTimeline)
	h("POST /api/v1/cases/bundles", a.handleBundleCaseCreate)
	h("GET /api/v1/cases/{no}/subcases", a.handleSubCases)
	h("POST /api/v1/cases/{no}/{action}", a.handleCaseAction)
	// The service hall: boards, live events and tickets are public; window
	// actions need a clerk signed in at the window (or a calling device's token).
	h("GET /api/v1/halls/{hall}", a.withQueue(a.handleHall))
	h("GET /api/v1/halls/{hall}/events", a.withQueue(a.handleHallEvents))
	h("POST /api/v1/halls/{hall}/tickets", a.withQueue(a.handleTicketTake))
	h("GET /api/v1/tickets/{id}", a.withQueue(a.handleTicket))
	h("POST /api/v1/windows/{id}/signin", a.windowAction("signin"))
	h("POST /api/v1/windows/{id}/signout", a.windowAction("signout"))
	h("POST /api/v1/windows/{id}/pause", a.windowAction("pause"))
	h("POST /api/v1/windows/{id}/resume", a.windowAction("resume"))
	h("POST /api/v1/windows/{id}/call", a.windowAction("call"))
	h("POST /api/v1/windows/{id}/recall", a.windowAction("recall"))
	h("POST /api/v1/windows/{id}/skip", a.windowAction("skip"))
	h("POST /api/v1/windows/{id}/transfer", a.windowAction("transfer"))
	h("POST /api/v1/windows/{id}/complete", a.windowAction("complete"))
	h("/api/v1/", func(w http.ResponseWriter, r *http.Request) {
		a.error(w, r, apperr.New(apperr.NotFound, "err.not_found"))
	})
	return a.withAuth(mux)
}
