package analytics

import (
	"context"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/calendar"
	"onevisit/internal/identity"
)

// Level says which roll-up rows a query reads: the center's totals, the
// departments' totals or the items.
type Level int

// The levels of the roll-up rows.
const (
	LevelTotal Level = iota
	LevelDepartment
	LevelItem
)

// Dimensions a query may group by.
const (
	ByDay        = "day"
	ByDepartment = "department"
	ByItem       = "item_code"
	ByChannel    = "channel"
)

// RowQuery asks for summed roll-up rows of one table.
type RowQuery struct {
	Monthly  bool
	From, To string // days, or months when Monthly
	Level    Level
	Filter   Filter   // Department, Item and Channel, when set
	By       []string // dimensions to group by; none: one row
}

// Row is one group of summed counters; the dimensions not grouped by are "".
type Row struct {
	Day        string `json:"day,omitempty"`
	Department string `json:"department,omitempty"`
	Item       string `json:"item,omitempty"`
	Channel    string `json:"channel,omitempty"`
	Counts
}

// HourRow is one hour of one day.
type HourRow struct {
	Day  calendar.Date
	Hour int
	HourCounts
}

// Ratings are the valid ratings (好差评) of a group.
type Ratings struct {
	Key       string `json:"key,omitempty"`
	Ratings   int64  `json:"ratings"`
	Satisfied int64  `json:"satisfied"` // level ≥ 4 (非常满意, 满意)
	Poor      int64  `json:"poor"`      // level ≤ 2 (差评)
}

// QueryStore is what the dashboard queries need from the database.
type QueryStore interface {
	StatsRows(ctx context.Context, q RowQuery) ([]Row, error)
	StatsHours(ctx context.Context, from, to calendar.Date) ([]HourRow, error)
	OpenWarnings(ctx context.Context, f Filter) (yellow, red int64, err error)
	// RatingRows sums the ratings roll-up rows of q (Filter's channel does
	// not apply), grouped by at most one of ByDepartment and ByItem.
	RatingRows(ctx context.Context, q RowQuery) ([]Ratings, error)
	DrillCases(ctx context.Context, d Drill) ([]DrillCase, error)
	Queue(ctx context.Context, day calendar.Date) (Queue, error)
}

// Store is the whole of what the package needs.
type Store interface {
	RollStore
	QueryStore
}

// Service answers the dashboard queries.
type Service struct {
	store QueryStore
	now   func() time.Time
}

// NewService returns a Service.
func NewService(store QueryStore, now func() time.Time) *Service {
	return &Service{store: store, now: now}
}

// Today is the current day in Shanghai.
func (s *Service) Today() calendar.Date { return calendar.DateOf(s.now()) }

// allow checks that p may see the dashboards.
func allow(p *identity.Principal) error {
	if p == nil {
		return apperr.New(apperr.Unauthenticated, "err.unauthenticated")
	}
	return p.Require(identity.PermDashboards)
}

// levelFor is the level of rows that answer f grouped by by.
func levelFor(f Filter, by []string) Level {
	for _, b := range by {
		if b == ByItem {
			return LevelItem
		}
	}
	if f.Item != "" {
		return LevelItem
	}
	for _, b := range by {
		if b == ByDepartment {
			return LevelDepartment
		}
	}
	if f.Department != "" {
		return LevelDepartment
	}
	return LevelTotal
}

// rows sums the roll-ups of f's period grouped by by, reading whole
// months from the monthly rows. Grouped by day, it reads daily rows only
// (monthly=false) or folds days into months (monthly=true).
func (s *Service) rows(ctx context.Context, f Filter, by []string, monthly bool) ([]Row, error) {
	if err := f.Check(); err != nil {
		return nil, err
	}
	segs := []segment{{From: f.From.String(), To: f.To.String()}}
	byDay := contains(by, ByDay)
	if !byDay || monthly {
		segs = split(f.From, f.To)
	}
	merged := map[Row]*Counts{}
	var order []Row
	minus := false
	for _, seg := range segs {
		q := RowQuery{Monthly: seg.Monthly, From: seg.From, To: seg.To, Level: levelFor(f, by), Filter: f, By: by}
		rs, err := s.store.StatsRows(ctx, q)
		if err != nil {
			return nil, err
		}
		minus = minus || seg.Minus
		for _, r := range rs {
			k := Row{Day: r.Day, Department: r.Department, Item: r.Item, Channel: r.Channel}
			if len(k.Day) > 7 && (monthly || seg.Minus) {
				k.Day = k.Day[:7] // a subtracted day comes off its month's row
			}
			if merged[k] == nil {
				merged[k], order = &Counts{}, append(order, k)
			}
			if seg.Minus {
				r.Counts = r.Counts.negated()
			}
			merged[k].Add(r.Counts)
		}
	}
	out := make([]Row, 0, len(order))
	for _, k := range order {
		if k.Counts = *merged[k]; minus && k.Counts.IsZero() {
			continue // a group whose rows were all subtracted away
		}
		out = append(out, k)
	}
	return out, nil
}

// negated is -c.
func (c Counts) negated() Counts {
	var n Counts
	dst, src := n.Fields(), c.Fields()
	for i := range dst {
		*dst[i] = -*src[i]
	}
	return n
}

// ratings sums the valid ratings of f's period, in one group or grouped by
// department or item (by), reading whole months from the monthly rows.
func (s *Service) ratings(ctx context.Context, f Filter, by string) ([]Ratings, error) {
	if err := f.Check(); err != nil {
		return nil, err
	}
	var dims []string
	if by == ByDepartment || by == ByItem {
		dims = []string{by}
	}
	merged := map[string]*Ratings{}
	var order []string
	for _, seg := range split(f.From, f.To) {
		q := RowQuery{Monthly: seg.Monthly, From: seg.From, To: seg.To, Level: levelFor(f, dims), Filter: f, By: dims}
		rs, err := s.store.RatingRows(ctx, q)
		if err != nil {
			return nil, err
		}
		sign := int64(1)
		if seg.Minus {
			sign = -1
		}
		for _, r := range rs {
			m := merged[r.Key]
			if m == nil {
				m, order = &Ratings{Key: r.Key}, append(order, r.Key)
				merged[r.Key] = m
			}
			m.Ratings, m.Satisfied, m.Poor = m.Ratings+sign*r.Ratings, m.Satisfied+sign*r.Satisfied, m.Poor+sign*r.Poor
		}
	}
	out := make([]Ratings, 0, len(order))
	for _, k := range order {
		if r := *merged[k]; r.Ratings != 0 || len(order) == 1 {
			out = append(out, r)
		}
	}
	return out, nil
}

// total sums the whole period.
func (s *Service) total(ctx context.Context, f Filter) (Counts, error) {
	rs, err := s.rows(ctx, f, nil, false)
	var c Counts
	for _, r := range rs {
		c.Add(r.Counts)
	}
	return c, err
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
