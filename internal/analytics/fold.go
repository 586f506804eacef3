package analytics

import (
	"time"

	"onevisit/internal/calendar"
	"onevisit/internal/cases"
	"onevisit/internal/feedback"
)

// CaseEvent is one entry of the case timeline with its case as stored
// now, which is what the roll-up counts. The case row, not the event time,
// dates the counters (creation, acceptance and decision days), so history
// written with another clock is dated as it happened.
type CaseEvent struct {
	Seq    int64
	At     time.Time
	Action cases.Action
	From   cases.Status
	To     cases.Status
	Case   cases.Case // zero when the case is gone
}

// Fold adds what ev counts to r:
//   - the case's first event (no from-status) counts it received on its
//     creation day and hour;
//   - accept into review counts it accepted on its acceptance day (the
//     clock's start); a bundle's later stage is accepted into waiting
//     first and counted when its stage starts;
//   - refuse and pretrial_refuse count it refused on the event's day;
//   - approve and deny count it completed on its decision day, with the
//     on-time, visit and working-day counters of docs/metrics.md.
//
// Other events count nothing.
func (r *Rollup) Fold(cal *calendar.Calendar, ev CaseEvent) {
	c := &ev.Case
	if c.No == "" {
		return
	}
	k := Key{Department: c.Department, Item: c.ItemCode, Channel: string(c.Channel)}
	switch {
	case ev.From == "":
		k.Day = calendar.DateOf(c.CreatedAt)
		r.add(k, Counts{Received: 1})
		r.addHour(HourKey{k.Day, c.CreatedAt.In(calendar.Shanghai).Hour()}, HourCounts{Received: 1})
	case ev.Action == cases.Accept && ev.To == cases.InReview:
		if k.Day = c.Clock.Start; !k.Day.IsZero() {
			r.add(k, Counts{Accepted: 1})
		}
	case ev.Action == cases.Refuse || ev.Action == cases.PretrialRefuse:
		k.Day = calendar.DateOf(ev.At)
		r.add(k, Counts{Refused: 1})
	case ev.Action == cases.Approve || ev.Action == cases.Deny:
		k.Day = calendar.DateOf(c.DecidedAt)
		r.add(k, Completed(cal, c, ev.Action == cases.Approve))
	}
}

// Completed is what a decided case adds to the counters of its decision
// day; the same formulas as feedback.Metrics.
func Completed(cal *calendar.Calendar, c *cases.Case, approved bool) Counts {
	n := Counts{Decided: 1}
	if approved {
		n.Approved = 1
	}
	if c.Visits <= 1 {
		n.WithinOneVisit = 1
	}
	if c.Visits == 0 {
		n.ZeroVisit = 1
	}
	if c.Clock.Start.IsZero() {
		return n
	}
	decided := calendar.DateOf(c.DecidedAt)
	n.Timed = 1
	if !decided.After(c.DuePromised.Date) {
		n.OnTimePromised = 1
	}
	if !decided.After(c.DueStatutory.Date) {
		n.OnTimeStatutory = 1
	}
	n.DaysUsedSum = int64(cal.WorkdaysBetween(c.Clock.Start, decided) - c.Clock.Paused)
	n.PromisedHalfSum = int64(c.Clock.Promised + c.Clock.Extension)
	n.StatutoryHalfSum = int64(c.Clock.Statutory + c.Clock.Extension)
	return n
}

// Ticket is a hall ticket as the hall roll-up reads it.
type Ticket struct {
	IssuedAt, CalledAt, DoneAt time.Time
	Served                     bool // completed at a window (not a no-show)
}

// FoldTicket adds a ticket to the hour it was issued in.
func (r *Rollup) FoldTicket(t Ticket) {
	local := t.IssuedAt.In(calendar.Shanghai)
	h := HourCounts{Arrivals: 1}
	if !t.CalledAt.IsZero() {
		h.Called, h.WaitSum = 1, int64(t.CalledAt.Sub(t.IssuedAt)/time.Second)
	}
	if t.Served && !t.CalledAt.IsZero() && !t.DoneAt.IsZero() {
		h.Served, h.ServiceSum = 1, int64(t.DoneAt.Sub(t.CalledAt)/time.Second)
	}
	r.addHour(HourKey{calendar.DateOf(t.IssuedAt), local.Hour()}, h)
}

// HistoryCase is a generated past case with its timeline and rating, for
// bulk writers that store history and its roll-ups directly.
type HistoryCase struct {
	Case   cases.Case
	Events []cases.Event    // oldest first, At set
	Rating *feedback.Rating // nil: not rated
}

// FoldHistory adds what a generated case's timeline and rating count,
// exactly as the roll-up job (events) and the feedback store (ratings)
// would count them from the stored rows.
func (r *Rollup) FoldHistory(cal *calendar.Calendar, h *HistoryCase) {
	for _, ev := range h.Events {
		r.Fold(cal, CaseEvent{At: ev.At, Action: ev.Action, From: ev.From, To: ev.To, Case: h.Case})
	}
	if rt := h.Rating; rt != nil && rt.Valid {
		r.AddRating(calendar.DateOf(rt.CreatedAt), rt.Department, rt.ItemCode, int(rt.Level), 1)
	}
}
