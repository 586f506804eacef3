package analytics

import (
	"context"

	"onevisit/internal/calendar"
	"onevisit/internal/feedback"
)

var _ feedback.Rollups = (*Service)(nil)

// MetricsTotals sums the roll-ups of the days from … to (both included)
// for one department and/or item ("" for all) into the counters of
// feedback.Metrics, which calls it after its own permission check; it
// implements feedback.Rollups. A period longer than a query allows is
// summed in parts.
func (s *Service) MetricsTotals(ctx context.Context, department, item string, from, to calendar.Date) (feedback.Totals, error) {
	var c Counts
	var r Ratings
	for start := from; !start.After(to); start = start.AddDays(maxDays) {
		f := Filter{From: start, To: start.AddDays(maxDays - 1), Department: department, Item: item}
		if f.To.After(to) {
			f.To = to
		}
		part, err := s.total(ctx, f)
		if err != nil {
			return feedback.Totals{}, err
		}
		c.Add(part)
		x, err := s.ratingsOf(ctx, f)
		if err != nil {
			return feedback.Totals{}, err
		}
		r.Ratings, r.Satisfied, r.Poor = r.Ratings+x.Ratings, r.Satisfied+x.Satisfied, r.Poor+x.Poor
	}
	return feedback.Totals{Completed: int(c.Decided), AtMostOneVisit: int(c.WithinOneVisit), ZeroVisit: int(c.ZeroVisit),
		Timed: int(c.Timed), OnTimePromised: int(c.OnTimePromised), OnTimeStatutory: int(c.OnTimeStatutory),
		DaysUsed: int(c.DaysUsedSum), PromisedHalf: int(c.PromisedHalfSum), StatutoryHalf: int(c.StatutoryHalfSum),
		Ratings: int(r.Ratings), Satisfied: int(r.Satisfied), Poor: int(r.Poor)}, nil
}
