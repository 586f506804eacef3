package analytics

import (
	"context"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/calendar"
)

// The cursors of the roll-ups, in stats_cursors.
const (
	CaseEventsCursor = "case_events" // the last case_events id rolled up
	TicketsCursor    = "tickets"     // the last hall day rolled up, as YYYYMMDD
)

const (
	// rollBatch is how many events one roll-up transaction takes at most.
	rollBatch = 1000
	// settleAfter: on PostgreSQL event ids come from a sequence, so a
	// transaction holding id 7 may commit after the one holding 8 (and a
	// rolled-back one leaves a gap for good). Counters cannot be added
	// twice, so unlike the outbox relay the roll-up stops at the first gap
	// and only passes it once the event after it is older than this, when
	// every transaction that could fill it has ended. On SQLite writers are
	// serial and ids leave no gaps.
	settleAfter = time.Minute
)

// RollStore is what the roll-up jobs need from the database.
type RollStore interface {
	StatsCursor(ctx context.Context, name string) (int64, error)
	StatsEventsAfter(ctx context.Context, after int64, limit int) ([]CaseEvent, error)
	// CommitRollup adds r and moves the cursor from → to in one
	// transaction, if the cursor is still at from; otherwise it changes
	// nothing and returns a Conflict error.
	CommitRollup(ctx context.Context, name string, from, to int64, r *Rollup) error
	FirstTicketDay(ctx context.Context) (calendar.Date, error) // zero when there are none
	TicketsOn(ctx context.Context, day calendar.Date) ([]Ticket, error)
}

// Calendars gives the working-day calendar in force.
type Calendars interface {
	Current() *calendar.Calendar
}

// Roller keeps the roll-ups up to date. Every node may run it: the
// conditional cursor move lets exactly one of two concurrent runs commit a
// batch; the other's transaction changes nothing.
type Roller struct {
	store RollStore
	cal   Calendars
	now   func() time.Time
}

// NewRoller returns a Roller.
func NewRoller(store RollStore, cal Calendars, now func() time.Time) *Roller {
	return &Roller{store: store, cal: cal, now: now}
}

// Run rolls up every settled case event after the cursor, batch by batch,
// and the hall days that have ended. It returns how many events it took.
func (r *Roller) Run(ctx context.Context) (int, error) {
	total := 0
	for {
		n, more, err := r.caseBatch(ctx)
		total += n
		if err != nil {
			return total, err
		}
		if !more {
			break
		}
	}
	return total, r.hallDays(ctx)
}

func (r *Roller) caseBatch(ctx context.Context) (n int, more bool, err error) {
	from, err := r.store.StatsCursor(ctx, CaseEventsCursor)
	if err != nil {
		return 0, false, err
	}
	evs, err := r.store.StatsEventsAfter(ctx, from, rollBatch)
	if err != nil || len(evs) == 0 {
		return 0, false, err
	}
	to, cal, roll := from, r.cal.Current(), NewRollup()
	cutoff := r.now().Add(-settleAfter)
	for _, ev := range evs {
		if ev.Seq != to+1 && !ev.At.Before(cutoff) {
			break
		}
		roll.Fold(cal, ev)
		to, n = ev.Seq, n+1
	}
	if to == from {
		return 0, false, nil
	}
	err = r.store.CommitRollup(ctx, CaseEventsCursor, from, to, roll)
	if apperr.Is(err, apperr.Conflict) {
		return 0, false, nil // another node took this batch
	}
	return n, err == nil && len(evs) == rollBatch, err
}

// hallDays rolls up each hall day after the cursor that has ended.
func (r *Roller) hallDays(ctx context.Context) error {
	today := calendar.DateOf(r.now())
	for {
		pos, err := r.store.StatsCursor(ctx, TicketsCursor)
		if err != nil {
			return err
		}
		day, err := r.nextHallDay(ctx, pos)
		if err != nil || day.IsZero() || !day.Before(today) {
			return err
		}
		roll := NewRollup()
		ts, err := r.store.TicketsOn(ctx, day)
		if err != nil {
			return err
		}
		for _, t := range ts {
			roll.FoldTicket(t)
		}
		err = r.store.CommitRollup(ctx, TicketsCursor, pos, dayNumber(day), roll)
		if apperr.Is(err, apperr.Conflict) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func (r *Roller) nextHallDay(ctx context.Context, pos int64) (calendar.Date, error) {
	if pos == 0 {
		return r.store.FirstTicketDay(ctx)
	}
	d := calendar.Date{Year: int(pos / 10000), Month: time.Month(pos / 100 % 100), Day: int(pos % 100)}
	return d.AddDays(1), nil
}

// dayNumber is d as YYYYMMDD.
func dayNumber(d calendar.Date) int64 { return int64(d.Year*10000 + int(d.Month)*100 + d.Day) }
