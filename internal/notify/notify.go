// Package notify keeps in-app notifications for departments: short
// messages about something that concerns a department's staff (an upstream
// catalog change to its items, …), listed to the staff of that department
// until they mark them read.
package notify

import (
	"context"
	"strings"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/identity"
)

// Notification is one message to a department.
type Notification struct {
	ID             int64     `json:"id"`
	DepartmentCode string    `json:"departmentCode"`
	Kind           string    `json:"kind"` // what it is about, e.g. "catalog.import"
	Title          string    `json:"title"`
	Body           string    `json:"body,omitempty"`
	Link           string    `json:"link,omitempty"` // a path in the app, e.g. /catalog/items/{code}
	CreatedAt      time.Time `json:"createdAt"`
	ReadAt         time.Time `json:"readAt,omitzero"`
}

// Store keeps notifications. MarkRead returns an apperr.NotFound error when
// the department has no notification id.
type Store interface {
	// InsertNotification stores n and sets n.ID.
	InsertNotification(ctx context.Context, n *Notification) error
	// Notifications lists a department's notifications, newest first, at
	// most limit of them; unreadOnly leaves out the read ones.
	Notifications(ctx context.Context, deptCode string, unreadOnly bool, limit int) ([]Notification, error)
	// MarkNotificationRead sets the read time of a department's notification.
	MarkNotificationRead(ctx context.Context, deptCode string, id int64, at time.Time) error
	// CountUnreadNotifications counts a department's unread notifications.
	CountUnreadNotifications(ctx context.Context, deptCode string) (int, error)
	// MarkAllNotificationsRead sets the read time of a department's unread
	// notifications.
	MarkAllNotificationsRead(ctx context.Context, deptCode string, at time.Time) error
}

// ListLimit is how many notifications List returns at most.
const ListLimit = 100

// Service sends notifications to departments and shows each member of
// staff those of their own department.
type Service struct {
	store Store
	now   func() time.Time
}

// NewService returns a Service on store with clock now.
func NewService(store Store, now func() time.Time) *Service {
	return &Service{store: store, now: now}
}

// Notify stores a notification for the department deptCode. Sending is
// done by the system on behalf of an action that was itself checked and
// audited, so it takes no principal.
func (s *Service) Notify(ctx context.Context, deptCode, kind, title, body, link string) error {
	n := Notification{DepartmentCode: strings.TrimSpace(deptCode), Kind: kind, Title: strings.TrimSpace(title),
		Body: body, Link: link, CreatedAt: s.now().UTC().Truncate(time.Microsecond)}
	switch {
	case n.DepartmentCode == "":
		return apperr.Field("departmentCode", "err.required")
	case n.Kind == "":
		return apperr.Field("kind", "err.required")
	case n.Title == "":
		return apperr.Field("title", "err.required")
	}
	return s.store.InsertNotification(ctx, &n)
}

// List is the notifications of p's department, newest first (at most
// ListLimit). Staff without a department have none.
func (s *Service) List(ctx context.Context, p *identity.Principal, unreadOnly bool) ([]Notification, error) {
	if p == nil {
		return nil, apperr.New(apperr.Unauthenticated, "err.unauthenticated")
	}
	if p.DepartmentCode == "" {
		return []Notification{}, nil
	}
	return s.store.Notifications(ctx, p.DepartmentCode, unreadOnly, ListLimit)
}

// MarkRead marks one of the notifications of p's department read; another
// department's notification is not found.
func (s *Service) MarkRead(ctx context.Context, p *identity.Principal, id int64) error {
	if p == nil {
		return apperr.New(apperr.Unauthenticated, "err.unauthenticated")
	}
	if p.DepartmentCode == "" {
		return apperr.New(apperr.NotFound, "err.notify.not_found")
	}
	return s.store.MarkNotificationRead(ctx, p.DepartmentCode, id, s.now().UTC().Truncate(time.Microsecond))
}

// Unread counts the unread notifications of p's department: the number on
// the bell in the page header. Nobody outside a department has any.
func (s *Service) Unread(ctx context.Context, p *identity.Principal) (int, error) {
	if p == nil || p.DepartmentCode == "" {
		return 0, nil
	}
	return s.store.CountUnreadNotifications(ctx, p.DepartmentCode)
}

// MarkAllRead marks every notification of p's department read.
func (s *Service) MarkAllRead(ctx context.Context, p *identity.Principal) error {
	if p == nil {
		return apperr.New(apperr.Unauthenticated, "err.unauthenticated")
	}
	if p.DepartmentCode == "" {
		return nil
	}
	return s.store.MarkAllNotificationsRead(ctx, p.DepartmentCode, s.now().UTC().Truncate(time.Microsecond))
}
