package analytics

import (
	"context"

	"onevisit/internal/apperr"
	"onevisit/internal/calendar"
	"onevisit/internal/identity"
)

// Summary is the headline of a period beside the period just before it.
type Summary struct {
	Filter       Filter  `json:"filter"`
	Current      Figures `json:"current"`
	PreviousFrom string  `json:"previousFrom"`
	PreviousTo   string  `json:"previousTo"`
	Previous     Figures `json:"previous"`
	OpenYellow   int64   `json:"openYellow"` // open cases at yellow now (80 % of the promised time used)
	OpenRed      int64   `json:"openRed"`    // open cases past the promised due date now
	Ratings      Ratings `json:"ratings"`    // ratings given in the period
	// PreviousRatings are the ratings given in the previous period.
	PreviousRatings Ratings `json:"previousRatings"`
}

// Summary computes the headline numbers of f and of the previous period.
func (s *Service) Summary(ctx context.Context, p *identity.Principal, f Filter) (Summary, error) {
	if err := allow(p); err != nil {
		return Summary{}, err
	}
	cur, err := s.total(ctx, f)
	if err != nil {
		return Summary{}, err
	}
	pf := f.Previous()
	prev, err := s.total(ctx, pf)
	if err != nil {
		return Summary{}, err
	}
	sum := Summary{Filter: f, Current: FiguresOf(cur), Previous: FiguresOf(prev), PreviousFrom: pf.From.String(), PreviousTo: pf.To.String()}
	if sum.OpenYellow, sum.OpenRed, err = s.store.OpenWarnings(ctx, f); err != nil {
		return sum, err
	}
	if sum.Ratings, err = s.ratingsOf(ctx, f); err != nil {
		return sum, err
	}
	sum.PreviousRatings, err = s.ratingsOf(ctx, pf)
	return sum, err
}

// Point is one bucket of a series: the metric overall and per channel.
type Point struct {
	Period    string             `json:"period"` // the day, the week's Monday or the month
	Value     float64            `json:"value"`
	ByChannel map[string]float64 `json:"byChannel"`
}

// Intervals a series may be bucketed by.
const (
	Day   = "day"
	Week  = "week"
	Month = "month"
)

// Series buckets a metric over f's period by day, week or month.
func (s *Service) Series(ctx context.Context, p *identity.Principal, metric, interval string, f Filter) ([]Point, error) {
	if err := allow(p); err != nil {
		return nil, err
	}
	m, ok := MetricNamed(metric)
	if !ok {
		return nil, apperr.Field("metric", "err.stats.metric")
	}
	if interval != Day && interval != Week && interval != Month {
		return nil, apperr.Field("interval", "err.stats.interval")
	}
	rs, err := s.rows(ctx, f, []string{ByDay, ByChannel}, interval == Month)
	if err != nil {
		return nil, err
	}
	return bucket(rs, m, interval, f), nil
}

// bucket folds per-day (or per-month) channel rows into points, one for
// every bucket of the period, empty ones included.
func bucket(rs []Row, m Metric, interval string, f Filter) []Point {
	total, chans := map[string]*Counts{}, map[string]map[string]*Counts{}
	for _, r := range rs {
		b := bucketOf(r.Day, interval)
		if total[b] == nil {
			total[b], chans[b] = &Counts{}, map[string]*Counts{}
		}
		total[b].Add(r.Counts)
		if chans[b][r.Channel] == nil {
			chans[b][r.Channel] = &Counts{}
		}
		chans[b][r.Channel].Add(r.Counts)
	}
	var out []Point
	for _, b := range buckets(f, interval) {
		pt := Point{Period: b, ByChannel: map[string]float64{}}
		if c := total[b]; c != nil {
			pt.Value = m.Value(FiguresOf(*c))
			for ch, cc := range chans[b] {
				pt.ByChannel[ch] = m.Value(FiguresOf(*cc))
			}
		}
		out = append(out, pt)
	}
	return out
}

// bucketOf is the bucket of a day ("YYYY-MM-DD") or month ("YYYY-MM").
func bucketOf(day, interval string) string {
	switch interval {
	case Month:
		return day[:7]
	case Week:
		d, err := calendar.ParseDate(day)
		if err != nil {
			return day
		}
		return monday(d).String()
	}
	return day
}

func monday(d calendar.Date) calendar.Date {
	return d.AddDays(-((int(d.Weekday()) + 6) % 7))
}

// buckets lists every bucket of the period in order.
func buckets(f Filter, interval string) []string {
	var out []string
	for d := f.From; !d.After(f.To); d = d.AddDays(1) {
		b := bucketOf(d.String(), interval)
		if len(out) == 0 || out[len(out)-1] != b {
			out = append(out, b)
		}
	}
	return out
}

// Top lists departments (by = ByDepartment) or items (ByItem) of the
// period with their figures, ordered by metric, at most limit.
func (s *Service) Top(ctx context.Context, p *identity.Principal, by, metric string, limit int, f Filter) ([]Row, error) {
	if err := allow(p); err != nil {
		return nil, err
	}
	return s.top(ctx, by, metric, limit, f)
}

func (s *Service) top(ctx context.Context, by, metric string, limit int, f Filter) ([]Row, error) {
	m, ok := MetricNamed(metric)
	if !ok {
		return nil, apperr.Field("metric", "err.stats.metric")
	}
	if by != ByDepartment && by != ByItem {
		return nil, apperr.Field("by", "err.stats.by")
	}
	rs, err := s.rows(ctx, f, []string{by}, false)
	if err != nil {
		return nil, err
	}
	sortBy(rs, m)
	if limit > 0 && len(rs) > limit {
		rs = rs[:limit]
	}
	return rs, nil
}

// Heatmap is a metric per weekday (0 = Monday) and hour of day.
type Heatmap struct {
	Metric string       `json:"metric"`
	Cells  [7][24]int64 `json:"cells"`
	Max    int64        `json:"max"`
}

// Heatmap sums arrivals per weekday and hour over f's period: metric
// "received" (cases created) or "arrivals" (hall tickets issued).
// Department, item and channel filters do not apply.
func (s *Service) Heatmap(ctx context.Context, p *identity.Principal, metric string, f Filter) (Heatmap, error) {
	if err := allow(p); err != nil {
		return Heatmap{}, err
	}
	if metric != "received" && metric != "arrivals" {
		return Heatmap{}, apperr.Field("metric", "err.stats.metric")
	}
	if err := f.Check(); err != nil {
		return Heatmap{}, err
	}
	hs, err := s.store.StatsHours(ctx, f.From, f.To)
	h := Heatmap{Metric: metric}
	for _, r := range hs {
		wd, v := (int(r.Day.Weekday())+6)%7, r.Received
		if metric == "arrivals" {
			v = r.Arrivals
		}
		if r.Hour >= 0 && r.Hour < 24 {
			h.Cells[wd][r.Hour] += v
			h.Max = max(h.Max, h.Cells[wd][r.Hour])
		}
	}
	return h, err
}

// DefaultPeriod is the last 30 days up to today.
func (s *Service) DefaultPeriod() Filter {
	today := s.Today()
	return Filter{From: today.AddDays(-29), To: today}
}
