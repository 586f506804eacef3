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
	page("POST /login", s.limitLogin(s.handleLogin))
	page("POST /logout", s.requireLogin(s.handleLogout))
	page("POST /prefs", s.handlePrefs)
	page("GET /validate/{kind}", s.limitIP(s.limits.Public, s.handleValidateFragment))

	admin := func(pattern string, h http.HandlerFunc) {
		page(pattern, s.requireLogin(s.requirePerm(identity.PermUsersManage, h)))
	}
	admin("GET /admin", s.handleAdmin)
	admin("POST /admin/users", s.handleAdminUserCreate)
	admin("POST /admin/departments", s.handleAdminDepartmentCreate)
	admin("POST /admin/tokens", s.handleAdminTokenCreate)
	admin("POST /admin/tokens/{id}/revoke", s.handleAdminTokenRevoke)
	// The outbox of SMS and email to applicants (outbox.go).
	admin("GET /admin/outbox", s.withOutbox(s.handleOutbox))
	admin("POST /admin/outbox/{id}/retry", s.withOutbox(s.handleOutboxRetry))
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
	page("GET /progress", s.limitIP(s.limits.Public, s.handleProgress))

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
	// Upstream imports: upload and review (a dry run), then apply.
	catalogAdmin("GET /catalog/imports", s.handleCatalogImportForm)
	mux.Handle("POST /catalog/imports", s.withSession(s.withMultipart(s.withCSRF(s.withCatalog(
		s.requireLogin(s.requirePerm(identity.PermCatalogEdit, s.handleCatalogImportReview)))))))
	catalogAdmin("POST /catalog/imports/{sha}/apply", s.handleCatalogImportApply)
	// Department notifications, behind the bell in the page header.
	notice := func(pattern string, h http.HandlerFunc) { page(pattern, s.requireLogin(s.withNotify(h))) }
	notice("GET /notifications", s.handleNotifications)
	notice("POST /notifications/{id}/read", s.handleNotificationRead)
	notice("POST /notifications/read-all", s.handleNotificationsReadAll)
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
	hall("POST /hall/{hall}/take", s.limitIP(s.limits.Tickets, s.handleTake)) // phones; a kiosk is one address for everyone
	hall("GET /tickets/{ticket}", s.handleTicket)
	hall("GET /hall/{hall}/desk", s.requireLogin(s.requirePerm(identity.PermHallCall, s.handleDesk)))
	hall("POST /hall/{hall}/desk/{action}", s.requireLogin(s.requirePerm(identity.PermHallCall, s.handleDeskAct)))
	// Check-in, statistics and staffing advice (appointments.go, hallstats.go);
	// the queue service decides who may read the statistics.
	hall("POST /hall/{hall}/kiosk/checkin", s.handleKioskCheckIn)
	hall("GET /hall/{hall}/stats", s.requireLogin(s.handleHallStats))
	hall("GET /hall/{hall}/staffing", s.requireLogin(s.handleHallStaffing))
	// Appointments (预约办理), for signed-in applicants (appointments.go).
	appt := func(pattern string, h http.HandlerFunc) { page(pattern, s.withAppointments(s.requireLogin(h))) }
	appt("GET /appointments", s.handleAppointments)
	appt("GET /appointments/new", s.handleAppointmentNew)
	appt("POST /appointments", s.handleAppointmentBook)
	appt("GET /appointments/{code}", s.handleAppointment)
	appt("POST /appointments/{code}/cancel", s.handleAppointmentCancel)
	appt("POST /appointments/{code}/reschedule", s.handleAppointmentReschedule)
	// Ratings, rectification of bad ratings and unfinished matters (feedback.go, escalation.go).
	rate := func(pattern string, h http.HandlerFunc) { page(pattern, s.withFeedback(h)) }
	rate("GET /cases/{no}/rate", s.requireLogin(s.handleRateForm))
	rate("POST /cases/{no}/rate", s.requireLogin(s.handleRate))
	rate("GET /rate/{token}", s.handleRateLinkForm)
	rate("POST /rate/{token}", s.handleRateLink)
	rate("GET /feedback", s.requireLogin(s.requirePerm(identity.PermSupervise, s.handleFeedbackBoard)))
	rate("GET /feedback/tasks", s.requireLogin(s.requirePerm(identity.PermRectify, s.handleTasks)))
	rate("POST /feedback/tasks/{id}", s.requireLogin(s.requirePerm(identity.PermRectify, s.handleTaskAct)))
	// Callbacks (回访) and the monthly assessment (callbacks.go, assessment.go).
	follow := func(pattern string, h http.HandlerFunc) { page(pattern, s.withAssessment(s.requireLogin(h))) }
	follow("GET /callbacks", s.requirePerm(identity.PermSupervise, s.handleCallbacks))
	follow("GET /callbacks/{id}", s.requirePerm(identity.PermSupervise, s.handleCallback))
	follow("POST /callbacks/{id}", s.requirePerm(identity.PermSupervise, s.handleCallbackRecord))
	follow("GET /assessment", s.handleAssessmentLatest)
	follow("GET /assessment/config", s.requirePerm(identity.PermSupervise, s.handleAssessmentConfig))
	follow("POST /assessment/config", s.requirePerm(identity.PermSupervise, s.handleAssessmentConfigSave))
	follow("GET /assessment/{month}", s.handleAssessment)
	follow("GET /assessment/{month}/notice.pdf", s.handleAssessmentPDF)
	esc := func(pattern string, h http.HandlerFunc) { page(pattern, s.withEscalation(s.requireLogin(h))) }
	esc("GET /escalations", s.handleEscalations)
	esc("POST /escalations", s.requirePerm(identity.PermEscalate, s.handleEscalationFile))
	esc("POST /escalations/{id}/resolve", s.handleEscalationResolve)
	// E-licences: the public verification page and upload check, and each
	// case's licences for staff and the applicant (licences.go).
	lic := func(pattern string, h http.HandlerFunc) { page(pattern, s.withLicences(h)) }
	licUpload := func(pattern string, h http.HandlerFunc) {
		mux.Handle(pattern, s.withSession(s.withMultipart(s.withCSRF(s.withLicences(h)))))
	}
	lic("GET /verify", s.limitIP(s.limits.Public, s.handleVerifyLookup))
	licUpload("POST /verify", s.limitIP(s.limits.Public, s.handleVerifyLookupUpload))
	lic("GET /verify/{id}", s.limitIP(s.limits.Public, s.handleVerify))
	licUpload("POST /verify/{id}", s.limitIP(s.limits.Public, s.handleVerifyUpload))
	lic("GET /cases/{no}/licences", s.requireLogin(s.handleCaseLicences))
	lic("POST /cases/{no}/licences", s.requireLogin(s.requirePerm(identity.PermLicencesIssue, s.handleLicenceIssue)))
	lic("GET /licences/{id}/pdf", s.requireLogin(s.handleLicencePDF))
	lic("POST /licences/{id}/revoke", s.requireLogin(s.requirePerm(identity.PermLicencesIssue, s.handleLicenceRevoke)))
	lic("POST /licences/{id}/change", s.requireLogin(s.requirePerm(identity.PermLicencesIssue, s.handleLicenceChange)))
	lic("GET /my/licences", s.requireLogin(s.handleMyLicences))
	lic("GET /my/licences/{id}/pdf", s.requireLogin(s.handleMyLicencePDF))
	// Delivery of results: the applicant's choice, EMS updates, pickup handover (delivery.go).
	deliver := func(pattern string, h http.HandlerFunc) { page(pattern, s.withDelivery(s.requireLogin(h))) }
	deliver("GET /cases/{no}/delivery", s.handleDelivery)
	deliver("POST /cases/{no}/delivery", s.handleDeliveryChoose)
	deliver("POST /cases/{no}/delivery/shipment", s.handleDeliveryShipment)
	deliver("POST /cases/{no}/delivery/handover", s.handleDeliveryHandover)
	// Leaders' dashboard and drill-downs, the big screen and the public
	// transparency page (dashboard.go, dashboard_more.go, bigscreen.go,
	// transparency.go).
	dash := func(pattern string, h http.HandlerFunc) {
		page(pattern, s.withStats(s.requireLogin(s.requirePerm(identity.PermDashboards, h))))
	}
	dash("GET /dashboard", s.handleDashboard)
	dash("GET /dashboard/drill", s.handleDrill)
	dash("GET /dashboard/data/{kind}", s.handleDashboardData)
	dash("GET /dashboard/tickets", s.handleDashboardTickets)
	dash("GET /dashboard/ratings", s.handleDashboardRatings)
	page("GET /bigscreen", s.withStats(s.handleBigscreen))
	page("GET /transparency", s.withStats(s.handleTransparency))
	page("/", s.handleNotFound)
	return mux
}
