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
// monthly rows, the days of partial months from the daily rows. A Minus
// segment is subtracted: a month that is mostly in the period is read as
// its monthly row less the few days outside the period.
type segment struct {
	Monthly  bool
	Minus    bool
	From, To string // days (YYYY-MM-DD) or months (YYYY-MM)
}

func firstOfMonth(d calendar.Date) calendar.Date {
	return calendar.Date{Year: d.Year, Month: d.Month, Day: 1}
}

// split cuts [from, to] into whole months, read from the monthly rows, and
// the days of partial months. A partial month with more than half its
// days in the period is read as the whole month less its other days, so
// no segment reads more than half a month of daily rows: the last 30
// days, or a quarter ending today, read at most about 15 days per key
// (the days after today, subtracted, have no rows yet).
func split(from, to calendar.Date) []segment {
	var segs []segment
	for start := from; !start.After(to); {
		end := endOfMonth(start)
		if end.After(to) {
			end = to
		}
		segs = append(segs, monthPart(start, end)...)
		start = end.AddDays(1)
	}
	return mergeMonths(segs)
}

// monthPart reads [from, to] within one month.
func monthPart(from, to calendar.Date) []segment {
	first, last := firstOfMonth(from), endOfMonth(from)
	month := segment{Monthly: true, From: monthOf(from), To: monthOf(from)}
	if from == first && to == last {
		return []segment{month}
	}
	inside, all := days(from, to), days(first, last)
	if 2*inside <= all {
		return []segment{{From: from.String(), To: to.String()}}
	}
	segs := []segment{month}
	if from.After(first) {
		segs = append(segs, segment{Minus: true, From: first.String(), To: from.AddDays(-1).String()})
	}
	if to.Before(last) {
		segs = append(segs, segment{Minus: true, From: to.AddDays(1).String(), To: last.String()})
	}
	return segs
}

func days(from, to calendar.Date) int { return Filter{From: from, To: to}.Days() }

// mergeMonths joins consecutive monthly segments into one range.
func mergeMonths(segs []segment) []segment {
	var out []segment
	for _, s := range segs {
		if n := len(out); n > 0 && s.Monthly && out[n-1].Monthly && !s.Minus && !out[n-1].Minus && nextMonth(out[n-1].To) == s.From {
			out[n-1].To = s.To
			continue
		}
		out = append(out, s)
	}
	return out
}

// nextMonth is the month ("YYYY-MM") after m.
func nextMonth(m string) string {
	d, err := calendar.ParseDate(m + "-01")
	if err != nil {
		return ""
	}
	return monthOf(firstOfMonth(d.AddDays(31)))
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
