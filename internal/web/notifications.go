package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"onevisit/internal/apperr"
	"onevisit/internal/identity"
	"onevisit/internal/notify"
)

// bell says whether the page header shows p the notifications bell (staff,
// when the server keeps notifications) and how many of their department's
// notifications are unread: one COUNT query per page. A failed count is
// logged and only hides the number; it must not cost the page.
func (s *Server) bell(ctx context.Context, p *identity.Principal) (bool, int) {
	if s.notify == nil || p == nil || p.Kind != identity.Staff {
		return false, 0
	}
	n, err := s.notify.Unread(ctx, p)
	if err != nil {
		s.log.Warn("count unread notifications", "err", err, "id", RequestID(ctx))
	}
	return true, n
}

// withNotify serves the notification pages to staff, when the server keeps
// notifications.
func (s *Server) withNotify(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		switch p := principalOf(r.Context()); {
		case s.notify == nil:
			s.renderError(w, r, apperr.New(apperr.NotFound, "err.page_not_found"))
		case p.Kind != identity.Staff:
			s.renderError(w, r, apperr.New(apperr.Forbidden, "err.forbidden"))
		default:
			next(w, r)
		}
	}
}

// notificationRow is a notification as the list shows it.
type notificationRow struct {
	notify.Notification
	Target string // where its link leads this reader; "" for none
}

// handleNotifications lists the notifications of the user's department,
// newest first, the unread ones highlighted.
func (s *Server) handleNotifications(w http.ResponseWriter, r *http.Request) {
	v := s.newView(w, r, "title.notifications")
	v.Flash = flashParam(r)
	ns, err := s.notify.List(r.Context(), v.User, false)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	rows := make([]notificationRow, len(ns))
	for i, n := range ns {
		rows[i] = notificationRow{Notification: n, Target: target(v.User, n.Link)}
	}
	v.Data = rows
	s.render(w, r, http.StatusOK, "notifications", v)
}

// target is where a notification's link takes p: only paths within the
// site, and a catalog item as its public guide for staff who cannot edit
// the catalog (the item's department, told of an upstream change).
func target(p *identity.Principal, link string) string {
	if !strings.HasPrefix(link, "/") || strings.HasPrefix(link, "//") {
		return ""
	}
	if code, ok := strings.CutPrefix(link, "/catalog/items/"); ok && !p.Can(identity.PermCatalogEdit) {
		return "/guides/" + code
	}
	return link
}

// handleNotificationRead marks one notification read.
func (s *Server) handleNotificationRead(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.renderError(w, r, apperr.New(apperr.NotFound, "err.notify.not_found"))
		return
	}
	if err := s.notify.MarkRead(r.Context(), principalOf(r.Context()), id); err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, "/notifications", http.StatusSeeOther)
}

// handleNotificationsReadAll marks every notification of the department read.
func (s *Server) handleNotificationsReadAll(w http.ResponseWriter, r *http.Request) {
	if err := s.notify.MarkAllRead(r.Context(), principalOf(r.Context())); err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, "/notifications?done=flash.notify.all_read", http.StatusSeeOther)
}
