package cases

import (
	"onevisit/internal/calendar"
	"onevisit/internal/catalog"
)

// Clock is a case's time budget (DOMAIN.md §3.4): the statutory and
// promised limits counted in working days from the acceptance day (which
// does not count), plus extensions, minus the working days the clock was
// paused. It stores what happened, not the due dates, so a calendar
// revision or a pause recomputes the due dates cleanly.
type Clock struct {
	Start       calendar.Date    `json:"start"`       // the acceptance day
	Statutory   catalog.HalfDays `json:"statutory"`   // 法定时限
	Promised    catalog.HalfDays `json:"promised"`    // 承诺时限
	Extension   catalog.HalfDays `json:"extension"`   // granted extensions (延期)
	Paused      int              `json:"paused"`      // working days of finished suspensions
	SuspendedOn calendar.Date    `json:"suspendedOn"` // set while suspended
}

// Warning is a case's colour on the supervisors' board.
type Warning string

// The warning levels: yellow at 80 % of the promised budget, red when overdue.
const (
	Green  Warning = "green"
	Yellow Warning = "yellow"
	Red    Warning = "red"
)

// Suspended reports whether the clock is paused now.
func (c Clock) Suspended() bool { return !c.SuspendedOn.IsZero() }

// pausedAt is the working days paused as of today, counting a running
// suspension: the suspension day itself is consumed, each working day after
// it up to today is not.
func (c Clock) pausedAt(cal *calendar.Calendar, today calendar.Date) int {
	p := c.Paused
	if c.Suspended() && today.After(c.SuspendedOn) {
		p += cal.WorkdaysBetween(c.SuspendedOn, today)
	}
	return p
}

// Due is the deadline of the promised (or statutory) limit as of today.
func (c Clock) Due(cal *calendar.Calendar, promised bool, today calendar.Date) calendar.Deadline {
	limit := c.Statutory
	if promised {
		limit = c.Promised
	}
	n := int(limit+c.Extension) + 2*c.pausedAt(cal, today)
	return cal.Due(c.Start, n)
}

// Used is the half working days of the budget consumed by today.
func (c Clock) Used(cal *calendar.Calendar, today calendar.Date) catalog.HalfDays {
	if today.Before(c.Start) {
		return 0
	}
	return catalog.HalfDays(2 * (cal.WorkdaysBetween(c.Start, today) - c.pausedAt(cal, today)))
}

// Warning is the case's colour today: red once the promised deadline has
// passed, yellow from 80 % of the promised budget (extensions included),
// green before. A suspended case keeps its colour but does not age.
func (c Clock) Warning(cal *calendar.Calendar, today calendar.Date) Warning {
	if today.After(c.Due(cal, true, today).Date) {
		return Red
	}
	budget := c.Promised + c.Extension
	if budget > 0 && 10*c.Used(cal, today) >= 8*budget {
		return Yellow
	}
	return Green
}

// Suspend pauses the clock on day.
func (c *Clock) Suspend(day calendar.Date) { c.SuspendedOn = day }

// Resume restarts the clock on day, adding the paused working days.
func (c *Clock) Resume(cal *calendar.Calendar, day calendar.Date) {
	c.Paused = c.pausedAt(cal, day)
	c.SuspendedOn = calendar.Date{}
}
