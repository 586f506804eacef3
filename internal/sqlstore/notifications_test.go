package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/identity"
	"onevisit/internal/notify"
	"onevisit/internal/sqlstore"
	"onevisit/internal/sqlstore/sqlstoretest"
)

func TestNotificationsListedPerDepartmentNewestFirstAndMarkedRead(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		c := &clock{t: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)}
		svc := notify.NewService(db, c.now)
		for _, n := range []struct{ dept, title string }{{"MARKET", "first"}, {"COMMERCE", "other"}, {"MARKET", "second"}} {
			if err := svc.Notify(ctx, n.dept, "catalog.import", n.title, "body", "/catalog/items/X"); err != nil {
				t.Fatal(err)
			}
			c.t = c.t.Add(time.Minute)
		}
		market := &identity.Principal{Username: "approver", DepartmentCode: "MARKET"}
		got, err := svc.List(ctx, market, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Title != "second" || got[1].Title != "first" || got[0].Link != "/catalog/items/X" {
			t.Fatalf("MARKET notifications = %+v, want second then first", got)
		}
		if err := svc.MarkRead(ctx, market, got[1].ID); err != nil {
			t.Fatal(err)
		}
		unread, err := svc.List(ctx, market, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(unread) != 1 || unread[0].Title != "second" {
			t.Fatalf("unread = %+v, want only second", unread)
		}
		all, _ := svc.List(ctx, market, false)
		if !all[1].ReadAt.Equal(c.t) {
			t.Errorf("read at %v, want %v", all[1].ReadAt, c.t)
		}
		commerce, _ := svc.List(ctx, &identity.Principal{DepartmentCode: "COMMERCE"}, false)
		if err := svc.MarkRead(ctx, market, commerce[0].ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("marking another department's notification: %v, want NotFound", err)
		}
	})
}

func TestNotificationsCountedUnreadAndMarkedAllRead(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		at := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
		for _, dept := range []string{"MARKET", "MARKET", "HRSS"} {
			if err := db.InsertNotification(ctx, &notify.Notification{DepartmentCode: dept, Kind: "k", Title: "t", CreatedAt: at}); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := db.CountUnreadNotifications(ctx, "MARKET"); err != nil || n != 2 {
			t.Fatalf("MARKET unread = %d, %v; want 2", n, err)
		}
		if err := db.MarkAllNotificationsRead(ctx, "MARKET", at.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if n, _ := db.CountUnreadNotifications(ctx, "MARKET"); n != 0 {
			t.Errorf("MARKET unread after marking all read = %d", n)
		}
		if n, _ := db.CountUnreadNotifications(ctx, "HRSS"); n != 1 {
			t.Errorf("HRSS unread = %d, want 1", n)
		}
	})
}
