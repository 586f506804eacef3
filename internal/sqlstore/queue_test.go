package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/calendar"
	"onevisit/internal/idcode"
	"onevisit/internal/identity"
	"onevisit/internal/queue"
	"onevisit/internal/sqlstore"
	"onevisit/internal/sqlstore/sqlstoretest"
)

// hallNow is a Tuesday morning, a working day, in Shanghai.
var hallNow = time.Date(2026, 3, 10, 10, 0, 0, 0, calendar.Shanghai)

type builtinCal struct{}

func (builtinCal) Current() *calendar.Calendar { return calendar.Builtin() }

var hallAdmin = &identity.Principal{UserID: 900, Username: "hall-admin", Kind: identity.Staff, Roles: []identity.Role{identity.Admin}}

// clerk is a clerk principal with user id n.
func clerk(n int64) *identity.Principal {
	return &identity.Principal{UserID: n, Username: fmt.Sprintf("clerk%d", n), Name: fmt.Sprintf("窗口员%d", n),
		Kind: identity.Staff, Roles: []identity.Role{identity.Clerk}}
}

// testHall sets up hall "main": zones A and B; window 1 serves A and B,
// window 2 serves A, window 3 is a green channel for A and B.
func testHall(t testing.TB, db *sqlstore.DB, now func() time.Time) (*queue.Service, queue.Hall) {
	t.Helper()
	ctx := context.Background()
	svc := queue.NewService(db.Queue(), builtinCal{}, nil, now)
	h, err := svc.SaveHall(ctx, hallAdmin, queue.Hall{Code: "main", Name: "政务服务大厅", Opens: "08:30", Closes: "17:00", WorkdaysOnly: true, Voice: true})
	if err != nil {
		t.Fatal(err)
	}
	var zones []int64
	for i, p := range []string{"A", "B"} {
		z, err := svc.SaveZone(ctx, hallAdmin, queue.Zone{HallID: h.ID, Name: "区" + p, Prefix: p, Sort: i})
		if err != nil {
			t.Fatal(err)
		}
		zones = append(zones, z.ID)
	}
	for _, w := range []queue.Window{{Number: 1, Kind: queue.Comprehensive, Zones: zones},
		{Number: 2, Kind: queue.Comprehensive, Zones: zones[:1]}, {Number: 3, Kind: queue.Green, Zones: zones}} {
		w.HallID = h.ID
		if _, err := svc.SaveWindow(ctx, hallAdmin, w); err != nil {
			t.Fatal(err)
		}
	}
	h, err = svc.Hall(ctx, "main")
	if err != nil {
		t.Fatal(err)
	}
	return svc, h
}

func fixedNow() time.Time { return hallNow }

// signIn puts clerk n at window number and returns the window id.
func signIn(t testing.TB, svc *queue.Service, h queue.Hall, number int, n int64) int64 {
	t.Helper()
	for _, w := range h.Windows {
		if w.Number == number {
			if _, err := svc.SignIn(context.Background(), clerk(n), w.ID); err != nil {
				t.Fatal(err)
			}
			return w.ID
		}
	}
	t.Fatalf("no window %d", number)
	return 0
}

func take(t testing.TB, svc *queue.Service, in queue.TakeInput) queue.Ticket {
	t.Helper()
	tk, err := svc.Take(context.Background(), nil, "main", in)
	if err != nil {
		t.Fatalf("take %+v: %v", in, err)
	}
	return tk
}

func TestTicketNumbersRunPerPrefixPerDay(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		now := hallNow
		svc, _ := testHall(t, db, func() time.Time { return now })
		want := []string{"A001", "A002", "B001", "A003"}
		for i, z := range []string{"A", "A", "B", "a"} {
			if got := take(t, svc, queue.TakeInput{Zone: z, Channel: queue.Kiosk}).No; got != want[i] {
				t.Errorf("ticket %d = %s, want %s", i, got, want[i])
			}
		}
		now = now.AddDate(0, 0, 1) // Wednesday: numbers start again
		if got := take(t, svc, queue.TakeInput{Zone: "A"}).No; got != "A001" {
			t.Errorf("next day's first ticket = %s, want A001", got)
		}
	})
}

func TestTicketRefusals(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		now := hallNow
		svc, h := testHall(t, db, func() time.Time { return now })
		h.Zones[1].DailyCap = 2
		if _, err := svc.SaveZone(ctx, hallAdmin, h.Zones[1]); err != nil {
			t.Fatal(err)
		}
		take(t, svc, queue.TakeInput{Zone: "B"})
		take(t, svc, queue.TakeInput{Zone: "B"})
		id := idNumber(t, "19800101")
		take(t, svc, queue.TakeInput{Zone: "A", IDNumber: id})
		cases := []struct {
			name string
			at   time.Time
			in   queue.TakeInput
			kind apperr.Kind
		}{
			{"the daily cap is reached", hallNow, queue.TakeInput{Zone: "B"}, apperr.TooMany},
			{"an unknown zone", hallNow, queue.TakeInput{Zone: "Z"}, apperr.Invalid},
			{"a bad ID number", hallNow, queue.TakeInput{Zone: "A", IDNumber: "110101199001011234"}, apperr.Invalid},
			{"the same person twice in a zone", hallNow, queue.TakeInput{Zone: "A", IDNumber: id}, apperr.Conflict},
			{"a priority claimed at the kiosk", hallNow, queue.TakeInput{Zone: "A", Reason: queue.GreenLane}, apperr.Forbidden},
			{"before opening", time.Date(2026, 3, 10, 8, 0, 0, 0, calendar.Shanghai), queue.TakeInput{Zone: "A"}, apperr.Conflict},
			{"on a Saturday", time.Date(2026, 3, 14, 10, 0, 0, 0, calendar.Shanghai), queue.TakeInput{Zone: "A"}, apperr.Conflict},
			{"on a public holiday", time.Date(2026, 10, 2, 10, 0, 0, 0, calendar.Shanghai), queue.TakeInput{Zone: "A"}, apperr.Conflict},
		}
		for _, c := range cases {
			now = c.at
			if _, err := svc.Take(ctx, nil, "main", c.in); apperr.KindOf(err) != c.kind || err == nil {
				t.Errorf("%s: err = %v, want kind %v", c.name, err, c.kind)
			}
		}
	})
}

// idNumber is a valid ID card number of someone born on birth (YYYYMMDD).
func idNumber(t testing.TB, birth string) string {
	t.Helper()
	body := "330206" + birth + "002"
	c, err := idcode.IDCardCheck(body)
	if err != nil {
		t.Fatal(err)
	}
	return body + string(c)
}

func TestTicketWithElderlyIDHasPriority(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		svc, _ := testHall(t, db, fixedNow)
		young := take(t, svc, queue.TakeInput{Zone: "A", IDNumber: idNumber(t, "19900101")})
		old := take(t, svc, queue.TakeInput{Zone: "A", IDNumber: idNumber(t, "19560310")}) // 70 today
		if young.Reason != queue.Ordinary || old.Reason != queue.Elderly {
			t.Fatalf("reasons = %q, %q; want ordinary, elderly", young.Reason, old.Reason)
		}
		if old.Ahead != 0 {
			t.Errorf("elderly ticket has %d ahead, want 0", old.Ahead)
		}
		got, err := svc.Ticket(context.Background(), young.Token)
		if err != nil || got.Ahead != 1 || got.IDNumber != young.IDNumber {
			t.Errorf("young ticket = %+v, %v; want 1 ahead and linked to the ID number", got, err)
		}
	})
}
