package calendar

import "time"

// Deadline is the end of a time limit: the end of business on Date, or, when
// Noon is set, the end of that day's morning session.
type Deadline struct {
	Date Date `json:"date"`
	Noon bool `json:"noon,omitempty"`
}

// String formats the deadline as "2018-10-10", or "2018-10-10 noon" when it
// ends with the morning session.
func (d Deadline) String() string {
	if d.Noon {
		return d.Date.String() + " noon"
	}
	return d.Date.String()
}

// Clock is a time of day in Shanghai.
type Clock struct {
	Hour, Min int
}

// EndOfDay is 24:00, when a day-counted period ends if there are no business
// hours (民法典 Art. 203).
var EndOfDay = Clock{24, 0}

// Time returns the instant the deadline passes: noonClose on Date if Noon is
// set, otherwise dayClose.
func (d Deadline) Time(noonClose, dayClose Clock) time.Time {
	c := dayClose
	if d.Noon {
		c = noonClose
	}
	return time.Date(d.Date.Year, d.Date.Month, d.Date.Day, c.Hour, c.Min, 0, 0, Shanghai)
}

// Due returns the deadline of a time limit of halfDays half working days
// (5 days = 10, half a day = 1) starting on from. The start day does not
// count (民法典 Art. 201); each whole day steps to the next working day, so
// a period ending in a holiday rolls forward (Art. 203). A trailing half day
// is the morning session of the next working day after the whole days.
// Zero (or negative) means the same day, end of business (即办件).
func (c *Calendar) Due(from Date, halfDays int) Deadline {
	d := from
	for range halfDays / 2 {
		d = c.nextWorkday(d)
	}
	if halfDays > 0 && halfDays%2 == 1 {
		return Deadline{Date: c.nextWorkday(d), Noon: true}
	}
	return Deadline{Date: d}
}

func (c *Calendar) nextWorkday(d Date) Date {
	for {
		d = d.AddDays(1)
		if c.IsWorkday(d) {
			return d
		}
	}
}

// WorkdaysBetween counts the working days after from up to and including to,
// the interval (from, to]; so WorkdaysBetween(from, c.Due(from, 2*n).Date) is
// n. If to is before from it returns minus the count of (to, from].
func (c *Calendar) WorkdaysBetween(from, to Date) int {
	if to.Before(from) {
		return -c.WorkdaysBetween(to, from)
	}
	n := 0
	for d := from.AddDays(1); !d.After(to); d = d.AddDays(1) {
		if c.IsWorkday(d) {
			n++
		}
	}
	return n
}
