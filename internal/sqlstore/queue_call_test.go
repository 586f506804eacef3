package sqlstore_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/queue"
	"onevisit/internal/sqlstore"
	"onevisit/internal/sqlstore/sqlstoretest"
)

// callAll has each service call on its window until nobody waits, and
// returns how often each ticket number was called.
func callAll(t *testing.T, svcs []*queue.Service, windows []int64, clerks []int64) map[string]int {
	t.Helper()
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for i := range svcs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				tk, err := svcs[i].Call(context.Background(), clerk(clerks[i]), windows[i])
				if apperr.Is(err, apperr.NotFound) {
					return
				}
				if err != nil {
					t.Errorf("window %d: %v", windows[i], err)
					return
				}
				mu.Lock()
				seen[tk.No]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return seen
}

func checkServedOnce(t *testing.T, seen map[string]int, n int) {
	t.Helper()
	if len(seen) != n {
		t.Errorf("%d distinct tickets called, want %d", len(seen), n)
	}
	for no, c := range seen {
		if c != 1 {
			t.Errorf("ticket %s called %d times", no, c)
		}
	}
}

func TestCallTwoWindowsServeEachTicketOnce(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		svc, h := testHall(t, db, fixedNow)
		w1, w2 := signIn(t, svc, h, 1, 1), signIn(t, svc, h, 2, 2)
		for range 200 {
			take(t, svc, queue.TakeInput{Zone: "A"})
		}
		seen := callAll(t, []*queue.Service{svc, svc}, []int64{w1, w2}, []int64{1, 2})
		checkServedOnce(t, seen, 200)
	})
}

// twoProcesses opens the same database twice, as two server processes would.
func twoProcesses(t *testing.T, fn func(t *testing.T, a, b *sqlstore.DB)) {
	open := func(t *testing.T, dsn, dir string) *sqlstore.DB {
		db, err := sqlstore.Open(context.Background(), dsn, dir)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "hall.db")
		a := open(t, path, dir)
		if _, err := a.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		fn(t, a, open(t, path, dir))
	})
	if os.Getenv(sqlstoretest.EnvPostgres) != "" {
		t.Run("postgres", func(t *testing.T) {
			dsn, _ := sqlstoretest.PostgresSchema(t)
			a := open(t, dsn, "")
			if _, err := a.Migrate(context.Background()); err != nil {
				t.Fatal(err)
			}
			fn(t, a, open(t, dsn, ""))
		})
	}
}

func TestCallTwoProcessesServeEachTicketOnce(t *testing.T) {
	twoProcesses(t, func(t *testing.T, a, b *sqlstore.DB) {
		svcA, h := testHall(t, a, fixedNow)
		svcB := queue.NewService(b.Queue(), builtinCal{}, nil, fixedNow)
		w1, w2 := signIn(t, svcA, h, 1, 1), signIn(t, svcB, h, 2, 2)
		for i := range 200 {
			take(t, []*queue.Service{svcA, svcB}[i%2], queue.TakeInput{Zone: "A"})
		}
		seen := callAll(t, []*queue.Service{svcA, svcB}, []int64{w1, w2}, []int64{1, 2})
		checkServedOnce(t, seen, 200)
		evs, err := b.Queue().Events(context.Background(), h.ID, 0, 10000)
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i < len(evs); i++ {
			if evs[i].Seq <= evs[i-1].Seq {
				t.Fatalf("events out of order: %d after %d", evs[i].Seq, evs[i-1].Seq)
			}
		}
	})
}

func TestCallPriorityFirstButOrdinaryStillMoves(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		now := hallNow
		svc, h := testHall(t, db, func() time.Time { return now })
		w := signIn(t, svc, h, 2, 1)
		staff := clerk(7)
		takeAs := func(reason queue.Reason) {
			now = now.Add(time.Second)
			if _, err := svc.Take(ctx, staff, "main", queue.TakeInput{Zone: "A", Reason: reason, Appointment: "Y1"}); err != nil {
				t.Fatal(err)
			}
		}
		takeAs(queue.Ordinary) // A001
		takeAs(queue.Ordinary) // A002
		for range 8 {
			takeAs(queue.Disabled) // A003…A010 keep coming
		}
		takeAs(queue.GreenLane) // A011, the highest level
		var got []string
		for range 8 {
			tk, err := svc.Call(ctx, clerk(1), w)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, tk.No)
		}
		want := []string{"A011", "A003", "A004", "A001", "A005", "A006", "A007", "A002"}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("call order = %v, want %v (at most 3 priority calls in a row)", got, want)
			}
		}
	})
}

func TestCallRecallSkipTransferComplete(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		visits := &fakeVisits{}
		_, h := testHall(t, db, fixedNow)
		svc := queue.NewService(db.Queue(), builtinCal{}, visits, fixedNow)
		w1, w2 := signIn(t, svc, h, 1, 1), signIn(t, svc, h, 2, 2)
		take(t, svc, queue.TakeInput{Zone: "A"})
		b1 := take(t, svc, queue.TakeInput{Zone: "B"})
		first := mustCall(t, svc, 1, w1)
		for i := range queue.MaxRecalls {
			tk, err := svc.Recall(ctx, clerk(1), w1)
			if err != nil || tk.Recalls != i+1 {
				t.Fatalf("recall %d: %+v, %v", i+1, tk, err)
			}
		}
		if _, err := svc.Recall(ctx, clerk(1), w1); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("fourth recall: %v, want Conflict", err)
		}
		if tk, err := svc.Skip(ctx, clerk(1), w1); err != nil || tk.Status != queue.NoShow {
			t.Fatalf("skip %s: %+v, %v", first.No, tk, err)
		}
		if _, err := svc.Call(ctx, clerk(2), w1); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("calling at someone else's window: %v, want Forbidden", err)
		}
		b := mustCall(t, svc, 1, w1)
		if b.No != b1.No {
			t.Fatalf("window 1 called %s, want %s", b.No, b1.No)
		}
		if _, err := svc.Transfer(ctx, clerk(1), w1, queue.TransferInput{Window: 2}); err != nil {
			t.Fatal(err)
		}
		if got := mustCall(t, svc, 2, w2); got.No != b1.No || got.Transfers != 1 || !got.QueuedAt.Equal(b1.QueuedAt) {
			t.Fatalf("window 2 called %+v, want the transferred %s keeping its place", got, b1.No)
		}
		done, err := svc.Complete(ctx, clerk(2), w2, []string{"330206-20260310-000001, 330206-20260310-000002"})
		if err != nil || done.Status != queue.Done || len(visits.calls) != 2 {
			t.Fatalf("complete: %+v, %v, visits %v", done, err, visits.calls)
		}
		if visits.calls[0] != "330206-20260310-000001 main-20260310-B001" {
			t.Errorf("visit = %q", visits.calls[0])
		}
	})
}

type fakeVisits struct{ calls []string }

func (f *fakeVisits) RecordVisit(_ context.Context, caseNo, ticket string) error {
	f.calls = append(f.calls, caseNo+" "+ticket)
	return nil
}

func mustCall(t *testing.T, svc *queue.Service, clerkID, window int64) queue.Ticket {
	t.Helper()
	tk, err := svc.Call(context.Background(), clerk(clerkID), window)
	if err != nil {
		t.Fatalf("call at window %d: %v", window, err)
	}
	return tk
}

func TestHallEventsFeedScreens(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		svc, h := testHall(t, db, fixedNow)
		w := signIn(t, svc, h, 2, 1)
		sub := svc.Hub().Subscribe(h.ID)
		done := make(chan error, 1)
		go func() { done <- svc.Poll(ctx, 20*time.Millisecond, slog.New(slog.DiscardHandler)) }()
		time.Sleep(50 * time.Millisecond)
		tk := take(t, svc, queue.TakeInput{Zone: "A"})
		mustCall(t, svc, 1, w)
		want := queue.Speech(tk.No, 2)
		deadline := time.After(5 * time.Second)
		for {
			select {
			case ev := <-sub.C:
				if ev.Kind == queue.EvCall {
					if ev.Speech != want || ev.Seq == 0 {
						t.Fatalf("call event = %+v, want speech %q", ev, want)
					}
					cancel()
					<-done
					return
				}
			case <-deadline:
				t.Fatal("no call event within 5s")
			}
		}
	})
}
