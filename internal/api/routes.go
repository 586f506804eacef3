package api

import (
	"net/http"

	"onevisit/internal/apperr"
)

// Handler is the API; mount it at /api/v1/.
func (a *API) Handler() http.Handler {
	mux, _ := a.routes()
	return a.withAuth(a.limitPublic(mux))
}

// Routes lists the pattern of every route, as registered, for tests.
func (a *API) Routes() []string {
	_, patterns := a.routes()
	return patterns
}

// routes lists every URL of the API.
func (a *API) routes() (*http.ServeMux, []string) {
	mux := http.NewServeMux()
	var patterns []string
	h := func(pattern string, fn http.HandlerFunc) {
		mux.HandleFunc(pattern, fn)
		patterns = append(patterns, pattern)
	}
	h("GET /api/v1/openapi.json", a.handleOpenAPI)
	h("POST /api/v1/auth/login", a.limitLogin(a.handleLogin))
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
	h("GET /api/v1/progress/{no}", a.handleProgress)
	h("POST /api/v1/cases/bundles", a.handleBundleCaseCreate)
	h("GET /api/v1/cases/{no}/subcases", a.handleSubCases)
	h("POST /api/v1/cases/{no}/{action}", a.signedIn(a.handleCaseAction))
	// Ratings, rectification of bad ratings, unfinished matters and metrics (feedback.go, metrics.go).
	fb := func(pattern string, fn http.HandlerFunc) { h(pattern, a.withFeedback(fn)) }
	fb("POST /api/v1/cases/{no}/ratings", a.handleRatingCreate)
	fb("GET /api/v1/cases/{no}/rating-link", a.handleRatingLink)
	fb("GET /api/v1/ratings", a.handleRatings)
	fb("GET /api/v1/rectifications", a.handleTasks)
	fb("POST /api/v1/rectifications/{id}", a.handleTaskAct)
	fb("GET /api/v1/escalations", a.handleEscalations)
	fb("POST /api/v1/escalations", a.handleEscalationCreate)
	fb("POST /api/v1/escalations/{id}/resolve", a.handleEscalationResolve)
	fb("GET /api/v1/metrics", a.handleMetrics)
	// Callbacks (回访) and the monthly assessment of departments (assessment.go).
	fb("GET /api/v1/callbacks", a.withAssessment(a.handleCallbacks))
	fb("POST /api/v1/callbacks/{id}", a.withAssessment(a.handleCallbackRecord))
	fb("GET /api/v1/assessment", a.withAssessment(a.handleAssessment))
	fb("GET /api/v1/assessment/notice.pdf", a.withAssessment(a.handleAssessmentPDF))
	fb("GET /api/v1/assessment/config", a.withAssessment(a.handleAssessmentConfig))
	fb("PUT /api/v1/assessment/config", a.withAssessment(a.handleAssessmentConfigSave))
	// E-licences: the public registry entry, the file check and the lifecycle (licences.go).
	lic := func(pattern string, fn http.HandlerFunc) { h(pattern, a.withLicences(fn)) }
	lic("GET /api/v1/licence-types", a.handleLicenceTypes)
	lic("POST /api/v1/cases/{no}/licence", a.handleLicenceIssue)
	lic("POST /api/v1/licences/verify", a.handleLicenceVerify)
	lic("GET /api/v1/licences/{id}", a.handleLicence)
	lic("GET /api/v1/licences/{id}/pdf", a.handleLicencePDF)
	lic("POST /api/v1/licences/{id}/revoke", a.handleLicenceRevoke)
	lic("POST /api/v1/licences/{id}/change", a.handleLicenceChange)
	// Delivery of results: choice, staff updates, handover and the courier's signed webhook (delivery.go).
	dl := func(pattern string, fn http.HandlerFunc) { h(pattern, a.withDelivery(fn)) }
	dl("GET /api/v1/cases/{no}/delivery", a.handleDelivery)
	dl("POST /api/v1/cases/{no}/delivery", a.handleDeliveryChoose)
	dl("POST /api/v1/cases/{no}/delivery/shipment", a.handleDeliveryShipment)
	dl("POST /api/v1/cases/{no}/delivery/handover", a.handleDeliveryHandover)
	dl("POST /api/v1/delivery/ems/webhook", a.handleEMSWebhook)
	// The service hall: boards, live events and tickets are public; window
	// actions need a clerk signed in at the window (or a calling device's token).
	h("GET /api/v1/halls/{hall}", a.withQueue(a.handleHall))
	h("GET /api/v1/halls/{hall}/events", a.withQueue(a.handleHallEvents))
	h("POST /api/v1/halls/{hall}/tickets", a.withQueue(a.limitTickets(a.handleTicketTake)))
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
	// Appointments (appointments.go): slots are public, check-in needs only
	// the confirmation code; booking and changing need the applicant.
	h("GET /api/v1/items/{code}/slots", a.withAppointments(a.handleSlots))
	h("GET /api/v1/appointments", a.withAppointments(a.handleAppointments))
	h("POST /api/v1/appointments", a.withAppointments(a.handleAppointmentBook))
	h("GET /api/v1/appointments/{code}", a.withAppointments(a.handleAppointment))
	h("DELETE /api/v1/appointments/{code}", a.withAppointments(a.handleAppointmentCancel))
	h("POST /api/v1/appointments/{code}/reschedule", a.withAppointments(a.handleAppointmentReschedule))
	h("POST /api/v1/appointments/{code}/checkin", a.withAppointments(a.handleAppointmentCheckIn))
	h("GET /api/v1/halls/{hall}/stats", a.withQueue(a.handleHallStats))
	h("GET /api/v1/halls/{hall}/staffing", a.withQueue(a.handleHallStaffing))
	// Leaders' statistics over the roll-ups (stats.go); live is public.
	st := func(pattern string, fn http.HandlerFunc) { h(pattern, a.withStats(fn)) }
	st("GET /api/v1/stats/summary", a.handleStatsSummary)
	st("GET /api/v1/stats/series", a.handleStatsSeries)
	st("GET /api/v1/stats/top", a.handleStatsTop)
	st("GET /api/v1/stats/heatmap", a.handleStatsHeatmap)
	st("GET /api/v1/stats/drill", a.handleStatsDrill)
	st("GET /api/v1/stats/live", a.handleStatsLive)
	h("/api/v1/", func(w http.ResponseWriter, r *http.Request) {
		a.error(w, r, apperr.New(apperr.NotFound, "err.not_found"))
	})
	return mux, patterns
}
