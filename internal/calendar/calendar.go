// Package calendar is the PRC working-day calendar: civil dates, the State
// Council's holidays and make-up working days (调休), and time limits counted
// in working days (行政许可法 Art. 82, 民法典 Arts. 201–203).
//
// The holiday table is keyed by date, not by notice year: the 2019 notice made
// 2018-12-29 a working day. Dates in years the data does not cover fall back to
// Monday–Friday; use Covers to flag them.
package calendar

import (
	"cmp"
	"slices"
	"time"
)

// Kind says whether a listed day is a day off or a working day.
type Kind string

// The kinds of listed days.
const (
	Holiday       Kind = "holiday"        // 放假: no work, whatever the weekday
	MakeupWorkday Kind = "makeup_workday" // 调休上班: work, usually on a weekend
)

// Valid reports whether k is one of the known kinds.
func (k Kind) Valid() bool { return k == Holiday || k == MakeupWorkday }

// Day is one date listed by a holiday notice.
type Day struct {
	Date Date   `json:"date"`
	Kind Kind   `json:"kind"`
	Name string `json:"name"` // the festival, e.g. 春节
}

// Revision is one published notice (or amendment) and the days it lists.
// Storing revisions lets a due date record which one it was computed with.
type Revision struct {
	ID          int64     `json:"id"`
	PublishedAt time.Time `json:"published_at"`
	Note        string    `json:"note"`
	Days        []Day     `json:"days"`
}

// Calendar answers working-day questions. It is immutable and safe for
// concurrent use.
type Calendar struct {
	days  map[Date]Day
	years []int
}

// New builds a calendar from listed days. When a date is listed more than
// once the later entry wins, so pass amendments after the notices they amend.
// A Day whose Kind is not valid counts as an ordinary day.
func New(days []Day) *Calendar {
	c := &Calendar{days: make(map[Date]Day, len(days))}
	for _, d := range days {
		c.days[d.Date] = d
	}
	for d := range c.days {
		if !slices.Contains(c.years, d.Year) {
			c.years = append(c.years, d.Year)
		}
	}
	slices.Sort(c.years)
	return c
}

// FromRevisions builds a calendar from revisions applied in order of
// publication (then ID), so an amendment overrides the notice it amends.
func FromRevisions(revs []Revision) *Calendar {
	sorted := slices.Clone(revs)
	slices.SortStableFunc(sorted, func(a, b Revision) int {
		return cmp.Or(a.PublishedAt.Compare(b.PublishedAt), cmp.Compare(a.ID, b.ID))
	})
	var days []Day
	for _, r := range sorted {
		days = append(days, r.Days...)
	}
	return New(days)
}

// IsWorkday reports whether d is a working day: a make-up working day, or a
// Monday to Friday that is not a holiday.
func (c *Calendar) IsWorkday(d Date) bool {
	switch c.days[d].Kind {
	case MakeupWorkday:
		return true
	case Holiday:
		return false
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// Lookup returns the listed day for d, if the calendar lists it.
func (c *Calendar) Lookup(d Date) (Day, bool) {
	day, ok := c.days[d]
	return day, ok
}

// Covers reports whether the calendar has data for d's year. Outside those
// years IsWorkday only knows weekends.
func (c *Calendar) Covers(d Date) bool {
	_, ok := slices.BinarySearch(c.years, d.Year)
	return ok
}

// Years returns the years with listed days, ascending.
func (c *Calendar) Years() []int { return slices.Clone(c.years) }

// Year returns the holidays and make-up days dated in year y, sorted by date.
func (c *Calendar) Year(y int) []Day {
	return c.sorted(func(d Day) bool { return d.Date.Year == y })
}

// Days returns every listed day, sorted by date.
func (c *Calendar) Days() []Day {
	return c.sorted(func(Day) bool { return true })
}

func (c *Calendar) sorted(keep func(Day) bool) []Day {
	var out []Day
	for _, d := range c.days {
		if keep(d) {
			out = append(out, d)
		}
	}
	slices.SortFunc(out, func(a, b Day) int { return a.Date.Compare(b.Date) })
	return out
}
