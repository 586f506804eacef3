package analytics

import (
	"context"

	"onevisit/internal/calendar"
)

// Queue is the hall right now, over every hall.
type Queue struct {
	Waiting int64 `json:"waiting"`
	Called  int64 `json:"called"`  // tickets being served at a window
	Done    int64 `json:"done"`    // served today
	Issued  int64 `json:"issued"`  // tickets issued today
	AvgWait int64 `json:"avgWait"` // seconds from issue to call, today's called tickets
}

// Live is what the big screen shows: today's numbers, the queue, the last
// 30 days and the month so far.
type Live struct {
	Day        string  `json:"day"`
	Today      Figures `json:"today"`
	Month      Figures `json:"month"`
	OpenYellow int64   `json:"openYellow"`
	OpenRed    int64   `json:"openRed"`
	Queue      Queue   `json:"queue"`
	Trend      []Point `json:"trend"` // received per day, last 30 days
}

// Live reads today's figures from today's roll-up rows (a few rows),
// cheap enough to push every second. The figures are public aggregates
// with no personal data, so no permission is needed.
func (s *Service) Live(ctx context.Context) (Live, error) {
	today := s.Today()
	l := Live{Day: today.String()}
	c, err := s.total(ctx, Filter{From: today, To: today})
	if err != nil {
		return l, err
	}
	l.Today = FiguresOf(c)
	month := Filter{From: calendar.Date{Year: today.Year, Month: today.Month, Day: 1}, To: today}
	if c, err = s.total(ctx, month); err != nil {
		return l, err
	}
	l.Month = FiguresOf(c)
	if l.OpenYellow, l.OpenRed, err = s.store.OpenWarnings(ctx, Filter{}); err != nil {
		return l, err
	}
	if l.Queue, err = s.store.Queue(ctx, today); err != nil {
		return l, err
	}
	m, _ := MetricNamed("received")
	f := Filter{From: today.AddDays(-29), To: today}
	rs, err := s.rows(ctx, f, []string{ByDay, ByChannel}, false)
	l.Trend = bucket(rs, m, Day, f)
	return l, err
}

// Indicator is one published line of the transparency page.
type Indicator struct {
	Key     string  `json:"key"` // department or item code
	Figures Figures `json:"figures"`
	Ratings Ratings `json:"ratings"`
}

// SatisfactionRate is satisfied ÷ ratings (0 without ratings).
func (r Ratings) SatisfactionRate() float64 { return ratio(r.Satisfied, r.Ratings) }

// Published lists the public indicators per department or item over f:
// aggregates only, no personal data, no permission needed.
func (s *Service) Published(ctx context.Context, by string, f Filter) ([]Indicator, error) {
	rs, err := s.top(ctx, by, "decided", 0, f)
	if err != nil {
		return nil, err
	}
	rt, err := s.ratings(ctx, f, by)
	if err != nil {
		return nil, err
	}
	rated := map[string]Ratings{}
	for _, r := range rt {
		rated[r.Key] = r
	}
	out := make([]Indicator, len(rs))
	for i, r := range rs {
		key := r.Department
		if by == ByItem {
			key = r.Item
		}
		out[i] = Indicator{Key: key, Figures: FiguresOf(r.Counts), Ratings: rated[key]}
	}
	return out, nil
}
