package analytics

import (
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/calendar"
)

// Filter selects roll-up rows: a period of days (both ends included) and
// optionally one department, item or channel.
type Filter struct {
	From       calendar.Date `json:"from"`
	To         calendar.Date `json:"to"`
	Department string        `json:"department,omitempty"`
	Item       string        `json:"item,omitempty"`
	Channel    string        `json:"channel,omitempty"`
}

// maxDays bounds a period: ten years.
const maxDays = 3660

// Check validates the period.
func (f Filter) Check() error {
	switch {
	case f.From.IsZero() || f.To.IsZero():
		return apperr.Field("from", "err.stats.period")
	case f.To.Before(f.From):
		return apperr.Field("to", "err.stats.period")
	case f.Days() > maxDays:
		return apperr.Field("from", "err.stats.period")
	}
	return nil
}

// Days is the length of the period in days.
func (f Filter) Days() int {
	return int(f.To.In(time.UTC).Sub(f.From.In(time.UTC))/(24*time.Hour)) + 1
}

// Previous is the period of the same length just before f.
func (f Filter) Previous() Filter {
	p := f
	p.To = f.From.AddDays(-1)
	p.From = p.To.AddDays(1 - f.Days())
	return p
}

// segment is part of a period read from one table: whole months from the
// monthly rows, the days of partial months from the daily rows.
type segment struct {
	Monthly  bool
	From, To string // days (YYYY-MM-DD) or months (YYYY-MM)
}

func firstOfMonth(d calendar.Date) calendar.Date {
	return calendar.Date{Year: d.Year, Month: d.Month, Day: 1}
}

// split cuts [from, to] into daily head and tail segments and a monthly
// middle, so a year reads twelve monthly rows per key instead of 365.
func split(from, to calendar.Date) []segment {
	var segs []segment
	start := from
	if start.Day != 1 {
		end := endOfMonth(start)
		if !end.Before(to) {
			return []segment{{From: from.String(), To: to.String()}}
		}
		segs = append(segs, segment{From: start.String(), To: end.String()})
		start = end.AddDays(1)
	}
	last := endOfMonth(to)
	if last != to {
		head := firstOfMonth(to)
		if head.After(start) {
			segs = append(segs, segment{Monthly: true, From: monthOf(start), To: monthOf(head.AddDays(-1))})
		}
		return append(segs, segment{From: head.String(), To: to.String()})
	}
	return append(segs, segment{Monthly: true, From: monthOf(start), To: monthOf(to)})
}

// endOfMonth is the last day of d's month.
func endOfMonth(d calendar.Date) calendar.Date {
	next := firstOfMonth(firstOfMonth(d).AddDays(32))
	return next.AddDays(-1)
}

// ParseFilter reads from, to, dept, item and channel through get (a query
// string's Get); a missing period is def's.
func ParseFilter(get func(string) string, def Filter) (Filter, error) {
	f := def
	f.Department, f.Item, f.Channel = get("dept"), get("item"), get("channel")
	for name, dst := range map[string]*calendar.Date{"from": &f.From, "to": &f.To} {
		if v := get(name); v != "" {
			d, err := calendar.ParseDate(v)
			if err != nil {
				return f, apperr.Field(name, "err.stats.period")
			}
			*dst = d
		}
	}
	return f, f.Check()
}
