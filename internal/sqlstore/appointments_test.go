package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/appointments"
	"onevisit/internal/calendar"
	"onevisit/internal/catalog"
	"onevisit/internal/identity"
	"onevisit/internal/queue"
	"onevisit/internal/sqlstore"
	"onevisit/internal/sqlstore/sqlstoretest"
)

// bookingCatalog holds one bookable item of zone B's department and one that
// cannot be booked.
type bookingCatalog struct{}

var bookableItem = catalog.Item{Code: "BOOK-1", Name: "食品经营许可", DepartmentCode: "MARKET", Bookable: true, DailyQuota: 85}

func (bookingCatalog) Item(_ context.Context, code string) (catalog.Item, error) {
	switch code {
	case bookableItem.Code:
		return bookableItem, nil
	case "WALKIN":
		return catalog.Item{Code: "WALKIN", Name: "咨询"}, nil
	}
	return catalog.Item{}, apperr.New(apperr.NotFound, "err.not_found")
}

func (bookingCatalog) Search(context.Context, catalog.Query) (catalog.Page[catalog.Item], error) {
	return catalog.Page[catalog.Item]{Items: []catalog.Item{bookableItem}, Total: 1, PerPage: 100}, nil
}

// booker is an applicant principal with user id n.
func booker(n int64) *identity.Principal {
	return &identity.Principal{UserID: n, Username: fmt.Sprintf("person%d", n), Name: "申请人", Kind: identity.Person,
		Roles: []identity.Role{identity.Applicant}}
}

// testAppointments sets up hall "main" (zone B is MARKET's) and the
// appointments service on a clock the test moves.
func testAppointments(t *testing.T, db *sqlstore.DB, cfg appointments.Config, now *time.Time) *appointments.Service {
	t.Helper()
	clock := func() time.Time { return *now }
	qs, h := testHall(t, db, clock)
	for _, z := range h.Zones {
		if z.Prefix == "B" {
			z.Department = "MARKET"
			if _, err := qs.SaveZone(context.Background(), hallAdmin, z); err != nil {
				t.Fatal(err)
			}
		}
	}
	return appointments.NewService(db.Appointments(), bookingCatalog{}, qs, builtinCal{}, cfg, clock)
}

func TestBookingASlotNeverOverbooksUnderConcurrency(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		now := hallNow
		svc := testAppointments(t, db, appointments.Config{SlotCapacity: 5}, &now)
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok, full := 0, 0
		for i := range 50 {
			wg.Go(func() {
				_, err := svc.Book(context.Background(), booker(int64(1000+i)), appointments.BookInput{Item: "BOOK-1", Date: "2026-03-11", Starts: "09:00"})
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					ok++
				case apperr.Is(err, apperr.TooMany):
					full++
				default:
					t.Errorf("book: %v", err)
				}
			})
		}
		wg.Wait()
		if ok != 5 || full != 45 {
			t.Fatalf("%d booked and %d refused as full; want 5 and 45", ok, full)
		}
		slots, err := svc.Slots(context.Background(), "BOOK-1", "main", calendar.Date{Year: 2026, Month: 3, Day: 11})
		if err != nil {
			t.Fatal(err)
		}
		if sl := slots[1]; sl.Starts != "09:00" || sl.Booked != 5 || sl.Available != 0 {
			t.Errorf("slot after the rush = %+v", sl)
		}
	})
}

func TestRescheduleAndCancelMovePlaces(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		now := hallNow
		svc := testAppointments(t, db, appointments.Config{SlotCapacity: 1}, &now)
		me, other := booker(1), booker(2)
		a, err := svc.Book(ctx, me, appointments.BookInput{Item: "BOOK-1", Date: "2026-03-11", Starts: "09:00"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Book(ctx, other, appointments.BookInput{Item: "BOOK-1", Date: "2026-03-11", Starts: "09:00"}); !apperr.Is(err, apperr.TooMany) {
			t.Fatalf("second booking of a one-place slot: %v", err)
		}
		if _, err := svc.Book(ctx, me, appointments.BookInput{Item: "BOOK-1", Date: "2026-03-11", Starts: "10:00"}); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("a second booking of the item that day: %v", err)
		}
		if _, err := svc.Reschedule(ctx, other, a.Code, appointments.BookInput{Date: "2026-03-12", Starts: "09:00"}); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("someone else rescheduling: %v", err)
		}
		if _, err := svc.Reschedule(ctx, me, a.Code, appointments.BookInput{Date: "2026-03-12", Starts: "09:00"}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Book(ctx, other, appointments.BookInput{Item: "BOOK-1", Date: "2026-03-11", Starts: "09:00"}); err != nil {
			t.Errorf("the place freed by rescheduling: %v", err)
		}
		if _, err := svc.Cancel(ctx, me, a.Code); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Book(ctx, booker(3), appointments.BookInput{Item: "BOOK-1", Date: "2026-03-12", Starts: "09:00"}); err != nil {
			t.Errorf("the place freed by cancelling: %v", err)
		}
		if _, err := svc.Book(ctx, me, appointments.BookInput{Item: "WALKIN", Date: "2026-03-12", Starts: "09:00"}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("booking an item that is not bookable: %v", err)
		}
		if _, err := svc.Book(ctx, me, appointments.BookInput{Item: "BOOK-1", Date: "2026-03-14", Starts: "09:00"}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("booking a Saturday: %v", err)
		}
	})
}

func TestCheckInGivesAnAppointmentTicketOnce(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		now := hallNow
		svc := testAppointments(t, db, appointments.Config{}, &now)
		a, err := svc.Book(ctx, booker(1), appointments.BookInput{Item: "BOOK-1", Date: "2026-03-11", Starts: "14:00"})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.CheckIn(ctx, nil, "main", a.Code); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("check-in the day before: %v", err)
		}
		now = time.Date(2026, 3, 11, 13, 40, 0, 0, calendar.Shanghai)
		got, tk, err := svc.CheckIn(ctx, nil, "main", " "+a.Code[:4]+a.Code[4:]+" ")
		if err != nil {
			t.Fatal(err)
		}
		if tk.Reason != queue.Appointment || tk.No != "B001" || tk.Appointment != a.Code || got.Ticket != tk.Token {
			t.Errorf("ticket %+v for booking %+v", tk, got)
		}
		if _, _, err := svc.CheckIn(ctx, nil, "main", a.Code); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("a second check-in: %v", err)
		}
	})
}

func TestThreeNoShowsBlockBooking(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		now := hallNow
		svc := testAppointments(t, db, appointments.Config{}, &now)
		me := booker(1)
		for _, d := range []string{"2026-03-10", "2026-03-11", "2026-03-12"} {
			if _, err := svc.Book(ctx, me, appointments.BookInput{Item: "BOOK-1", Date: d, Starts: "16:00"}); err != nil {
				t.Fatal(err)
			}
		}
		now = time.Date(2026, 3, 13, 9, 0, 0, 0, calendar.Shanghai)
		_, err := svc.Book(ctx, me, appointments.BookInput{Item: "BOOK-1", Date: "2026-03-16", Starts: "09:00"})
		if !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("booking after three no-shows: %v", err)
		}
		if _, err := svc.Book(ctx, booker(2), appointments.BookInput{Item: "BOOK-1", Date: "2026-03-16", Starts: "09:00"}); err != nil {
			t.Errorf("someone else may book: %v", err)
		}
	})
}

// After office hours every slot of today has passed: the picker opens on
// the next working day that has an open slot, not on a day of greyed-out
// buttons. During the day it stays on today.
func TestThePickerOpensOnTheFirstDayWithAnOpenSlot(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		now := hallNow // Tuesday 2026-03-10, 10:00
		svc := testAppointments(t, db, appointments.Config{SlotCapacity: 1}, &now)
		day, slots, err := svc.FirstOpen(ctx, "BOOK-1")
		if err != nil || day.String() != "2026-03-10" || !slices.ContainsFunc(slots, appointments.Slot.Open) {
			t.Fatalf("at 10:00: %s, %d slots, %v; want today with open slots", day, len(slots), err)
		}
		now = time.Date(2026, 3, 10, 18, 0, 0, 0, calendar.Shanghai)
		day, slots, err = svc.FirstOpen(ctx, "BOOK-1")
		if err != nil || day.String() != "2026-03-11" || !slices.ContainsFunc(slots, appointments.Slot.Open) {
			t.Fatalf("at 18:00: %s, %d slots, %v; want 2026-03-11 with open slots", day, len(slots), err)
		}
		for _, sl := range slots {
			if sl.Day.String() != "2026-03-11" {
				t.Fatalf("a slot of another day: %+v", sl)
			}
		}
	})
}
