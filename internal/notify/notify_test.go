package notify_test

import (
	"context"
	"testing"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/identity"
	"onevisit/internal/notify"
)

// memStore is a hand-written notify.Store.
type memStore struct{ ns []notify.Notification }

func (m *memStore) InsertNotification(_ context.Context, n *notify.Notification) error {
	n.ID = int64(len(m.ns) + 1)
	m.ns = append(m.ns, *n)
	return nil
}

func (m *memStore) Notifications(_ context.Context, dept string, unreadOnly bool, limit int) ([]notify.Notification, error) {
	var out []notify.Notification
	for i := len(m.ns) - 1; i >= 0 && len(out) < limit; i-- {
		if n := m.ns[i]; n.DepartmentCode == dept && (!unreadOnly || n.ReadAt.IsZero()) {
			out = append(out, n)
		}
	}
	return out, nil
}

func (m *memStore) MarkNotificationRead(_ context.Context, dept string, id int64, at time.Time) error {
	for i := range m.ns {
		if m.ns[i].ID == id && m.ns[i].DepartmentCode == dept {
			m.ns[i].ReadAt = at
			return nil
		}
	}
	return apperr.New(apperr.NotFound, "err.notify.not_found")
}

func (m *memStore) CountUnreadNotifications(_ context.Context, dept string) (int, error) {
	n := 0
	for _, x := range m.ns {
		if x.DepartmentCode == dept && x.ReadAt.IsZero() {
			n++
		}
	}
	return n, nil
}

func (m *memStore) MarkAllNotificationsRead(_ context.Context, dept string, at time.Time) error {
	for i := range m.ns {
		if m.ns[i].DepartmentCode == dept && m.ns[i].ReadAt.IsZero() {
			m.ns[i].ReadAt = at
		}
	}
	return nil
}

var now = func() time.Time { return time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC) }

func TestNotifyRequiresDepartmentKindAndTitle(t *testing.T) {
	svc := notify.NewService(&memStore{}, now)
	tests := []struct {
		name, dept, kind, title, field string
	}{
		{"no department", " ", "catalog.import", "t", "departmentCode"},
		{"no kind", "MARKET", "", "t", "kind"},
		{"no title", "MARKET", "catalog.import", "", "title"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := svc.Notify(context.Background(), tt.dept, tt.kind, tt.title, "", "")
			if e := apperr.As(err); e.Kind != apperr.Invalid || e.Fields[tt.field] == "" {
				t.Errorf("err = %v, want a field error on %s", err, tt.field)
			}
		})
	}
}

func TestListShowsOnlyThePrincipalsDepartment(t *testing.T) {
	ctx := context.Background()
	svc := notify.NewService(&memStore{}, now)
	_ = svc.Notify(ctx, "MARKET", "catalog.import", "for market", "", "")
	_ = svc.Notify(ctx, "HRSS", "catalog.import", "for hrss", "", "")
	got, err := svc.List(ctx, &identity.Principal{DepartmentCode: "HRSS"}, false)
	if err != nil || len(got) != 1 || got[0].Title != "for hrss" {
		t.Fatalf("List = %+v, %v; want only the HRSS notification", got, err)
	}
	if got, _ := svc.List(ctx, &identity.Principal{Username: "citizen"}, false); len(got) != 0 {
		t.Errorf("a principal without a department sees %d notifications", len(got))
	}
	if _, err := svc.List(ctx, nil, false); !apperr.Is(err, apperr.Unauthenticated) {
		t.Errorf("anonymous List: %v, want Unauthenticated", err)
	}
}

func TestMarkReadIsScopedToTheDepartment(t *testing.T) {
	ctx := context.Background()
	svc := notify.NewService(&memStore{}, now)
	_ = svc.Notify(ctx, "MARKET", "catalog.import", "for market", "", "")
	if err := svc.MarkRead(ctx, &identity.Principal{DepartmentCode: "HRSS"}, 1); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("HRSS marking MARKET's notification: %v, want NotFound", err)
	}
	if err := svc.MarkRead(ctx, &identity.Principal{DepartmentCode: "MARKET"}, 1); err != nil {
		t.Fatal(err)
	}
	if got, _ := svc.List(ctx, &identity.Principal{DepartmentCode: "MARKET"}, true); len(got) != 0 {
		t.Errorf("unread after MarkRead: %+v", got)
	}
}

func TestUnreadAndMarkAllReadAreScopedToTheDepartment(t *testing.T) {
	ctx := context.Background()
	svc := notify.NewService(&memStore{}, now)
	_ = svc.Notify(ctx, "MARKET", "catalog.import", "one", "", "")
	_ = svc.Notify(ctx, "MARKET", "catalog.import", "two", "", "")
	_ = svc.Notify(ctx, "HRSS", "catalog.import", "other", "", "")
	market, hrss := &identity.Principal{DepartmentCode: "MARKET"}, &identity.Principal{DepartmentCode: "HRSS"}
	if n, err := svc.Unread(ctx, market); err != nil || n != 2 {
		t.Fatalf("MARKET unread = %d, %v; want 2", n, err)
	}
	if err := svc.MarkAllRead(ctx, market); err != nil {
		t.Fatal(err)
	}
	if n, _ := svc.Unread(ctx, market); n != 0 {
		t.Errorf("MARKET unread after MarkAllRead = %d", n)
	}
	if n, _ := svc.Unread(ctx, hrss); n != 1 {
		t.Errorf("HRSS unread = %d, want 1: MarkAllRead reached another department", n)
	}
	if n, err := svc.Unread(ctx, nil); err != nil || n != 0 {
		t.Errorf("anonymous unread = %d, %v", n, err)
	}
}
