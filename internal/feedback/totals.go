package feedback

import (
	"context"
	"time"

	"onevisit/internal/calendar"
	"onevisit/internal/cases"
)

// Totals are the counters behind Metrics: the completed cases and the
// valid ratings of a period. Rates and averages are derived from them.
type Totals struct {
	Completed       int // cases decided in the period
	AtMostOneVisit  int // … with ≤ 1 visit
	ZeroVisit       int // … with no visit
	Timed           int // … whose clock started
	OnTimePromised  int // timed cases decided by the promised due date
	OnTimeStatutory int // … by the statutory due date
	DaysUsed        int // working days used, summed over timed cases
	PromisedHalf    int // promised half-days (extensions included), summed over timed cases
	StatutoryHalf   int // statutory half-days, likewise

	Ratings   int // valid ratings given in the period
	Satisfied int // … at level 4 or better (from Rollups), or at SatisfiedFrom (scanned)
	Poor      int // … at level 1–2
}

// Rollups reads the analytics roll-ups, which keep Totals per day and
// month, department and item (analytics.Service implements it; analytics
// imports this package, so cmd wires it in).
type Rollups interface {
	// MetricsTotals sums the roll-ups of the days from … to, both
	// included, for one department and/or item ("" for all). Satisfied
	// counts levels 4 and 5.
	MetricsTotals(ctx context.Context, department, item string, from, to calendar.Date) (Totals, error)
}

// SetRollups makes Metrics read the counters of the whole days of a
// period from r instead of loading every case and rating of the period;
// nil turns it off. Call it before the service is used.
func (s *Service) SetRollups(r Rollups) { s.rollups = r }

// totals counts f's cases and ratings. With the roll-ups wired, the whole
// days in Shanghai of f's period come from them and only the rest (see
// split) is read case by case and rating by rating, so the counters equal
// a read of the whole period. The roll-ups count 基本满意 as not
// satisfied, so with another SatisfiedFrom every rating is read.
func (s *Service) totals(ctx context.Context, f MetricsFilter) (Totals, error) {
	from, to, rest, ok := split(f, calendar.DateOf(s.now()))
	if s.rollups == nil || !ok {
		return s.scan(ctx, f)
	}
	t, err := s.rollups.MetricsTotals(ctx, f.Department, f.ItemCode, from, to)
	if err != nil {
		return t, err
	}
	for _, r := range rest {
		part, err := s.scan(ctx, r)
		if err != nil {
			return t, err
		}
		t.add(part)
	}
	if s.cfg.SatisfiedFrom != Good {
		t.Ratings, t.Satisfied, t.Poor = 0, 0, 0
		err = s.scanRatings(ctx, f, &t)
	}
	return t, err
}

// split cuts f's period into the whole days in Shanghai it covers, from
// … to (both included), and the rest, at most two periods: the part-days
// at its ends and, when it has no end, what is dated after today. A
// period without a start starts in 1970, before which no time is stored.
// ok is false when the period covers no whole day.
func split(f MetricsFilter, today calendar.Date) (from, to calendar.Date, rest []MetricsFilter, ok bool) {
	part := func(a, b time.Time) MetricsFilter {
		return MetricsFilter{Department: f.Department, ItemCode: f.ItemCode, From: a, To: b}
	}
	from, to = calendar.Date{Year: 1970, Month: 1, Day: 1}, today
	if !f.From.IsZero() {
		if from = calendar.DateOf(f.From); from.In(calendar.Shanghai).Before(f.From) {
			from = from.AddDays(1)
			rest = append(rest, part(f.From, from.In(calendar.Shanghai)))
		}
	}
	if f.To.IsZero() {
		rest = append(rest, part(today.AddDays(1).In(calendar.Shanghai), time.Time{}))
	} else {
		to = calendar.DateOf(f.To).AddDays(-1)
		if midnight := to.AddDays(1).In(calendar.Shanghai); midnight.Before(f.To) {
			rest = append(rest, part(midnight, f.To))
		}
	}
	return from, to, rest, !to.Before(from)
}

// scan counts the cases and ratings of f one by one.
func (s *Service) scan(ctx context.Context, f MetricsFilter) (Totals, error) {
	t, err := s.scanCases(ctx, f)
	if err != nil {
		return t, err
	}
	return t, s.scanRatings(ctx, f, &t)
}

// add adds o to t.
func (t *Totals) add(o Totals) {
	t.Completed, t.AtMostOneVisit, t.ZeroVisit = t.Completed+o.Completed, t.AtMostOneVisit+o.AtMostOneVisit, t.ZeroVisit+o.ZeroVisit
	t.Timed, t.OnTimePromised, t.OnTimeStatutory = t.Timed+o.Timed, t.OnTimePromised+o.OnTimePromised, t.OnTimeStatutory+o.OnTimeStatutory
	t.DaysUsed, t.PromisedHalf, t.StatutoryHalf = t.DaysUsed+o.DaysUsed, t.PromisedHalf+o.PromisedHalf, t.StatutoryHalf+o.StatutoryHalf
	t.Ratings, t.Satisfied, t.Poor = t.Ratings+o.Ratings, t.Satisfied+o.Satisfied, t.Poor+o.Poor
}

// scanCases counts the cases decided in f's period one by one, with the
// formulas of docs/metrics.md (the roll-ups' analytics.Completed).
func (s *Service) scanCases(ctx context.Context, f MetricsFilter) (Totals, error) {
	var t Totals
	cs, err := s.store.DecidedCases(ctx, f)
	if err != nil {
		return t, err
	}
	cal := s.calendar.Current()
	for _, c := range cs {
		t.addCase(cal, &c)
	}
	return t, nil
}

func (t *Totals) addCase(cal *calendar.Calendar, c *cases.Case) {
	t.Completed++
	if c.Visits <= 1 {
		t.AtMostOneVisit++
	}
	if c.Visits == 0 {
		t.ZeroVisit++
	}
	if c.Clock.Start.IsZero() {
		return
	}
	decided := calendar.DateOf(c.DecidedAt)
	t.Timed++
	if !decided.After(c.DuePromised.Date) {
		t.OnTimePromised++
	}
	if !decided.After(c.DueStatutory.Date) {
		t.OnTimeStatutory++
	}
	t.DaysUsed += cal.WorkdaysBetween(c.Clock.Start, decided) - c.Clock.Paused
	t.PromisedHalf += int(c.Clock.Promised) + int(c.Clock.Extension)
	t.StatutoryHalf += int(c.Clock.Statutory) + int(c.Clock.Extension)
}

// scanRatings counts the valid ratings given in f's period one by one
// into t, satisfied from s's SatisfiedFrom.
func (s *Service) scanRatings(ctx context.Context, f MetricsFilter, t *Totals) error {
	rs, err := s.store.Ratings(ctx, RatingFilter{Department: f.Department, ItemCode: f.ItemCode, From: f.From, To: f.To, Limit: 1 << 30})
	if err != nil {
		return err
	}
	for _, r := range rs {
		if !r.Valid {
			continue
		}
		t.Ratings++
		if r.Level >= s.cfg.SatisfiedFrom {
			t.Satisfied++
		}
		if r.Level.Poor() {
			t.Poor++
		}
	}
	return nil
}
