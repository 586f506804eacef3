// Package analytics gives leaders and the public the numbers of the
// service center: counters rolled up incrementally from the case timeline
// (and from the hall's tickets) into per-day and per-month rows, the
// dashboard queries over them (summary, series, top lists, heat map,
// drill-down to the cases), the big screen's live figures and exports.
//
// The roll-ups are derived from case_events by a job with a cursor, moved
// in the same transaction as the counters it adds (see Roller), so a
// counter is never added twice and nothing is skipped; no dashboard query
// reads the cases table except the drill-down, which pages through an index.
// The formulas are those of docs/metrics.md (feedback.Metrics), so the
// dashboard and the supervisors' metrics agree.
package analytics

import (
	"onevisit/internal/calendar"
)

// Counts are the counters of one roll-up row: one day or month, one
// department and item (or all), one channel.
type Counts struct {
	Received         int64 `json:"received"`        // cases created (申请)
	Accepted         int64 `json:"accepted"`        // cases accepted (受理), by acceptance day
	Refused          int64 `json:"refused"`         // not accepted (不予受理)
	Decided          int64 `json:"decided"`         // completed: approved or denied (办结)
	Approved         int64 `json:"approved"`        // … approved (准予许可)
	Timed            int64 `json:"timed"`           // … whose clock started
	OnTimePromised   int64 `json:"onTimePromised"`  // … decided by the promised due date
	OnTimeStatutory  int64 `json:"onTimeStatutory"` // … decided by the statutory due date
	WithinOneVisit   int64 `json:"withinOneVisit"`  // completed with ≤ 1 visit
	ZeroVisit        int64 `json:"zeroVisit"`       // completed with no visit
	DaysUsedSum      int64 `json:"daysUsedSum"`     // working days used by timed cases
	PromisedHalfSum  int64 `json:"promisedHalfSum"` // promised half-days (extensions included)
	StatutoryHalfSum int64 `json:"statutoryHalfSum"`
}

// Columns names the counters as stored, in the order of Fields.
var Columns = []string{"received", "accepted", "refused", "decided", "approved", "timed", "on_time_promised",
	"on_time_statutory", "within_one_visit", "zero_visit", "days_used_sum", "promised_half_sum", "statutory_half_sum"}

// Fields points at the counters in the order of Columns.
func (c *Counts) Fields() []*int64 {
	return []*int64{&c.Received, &c.Accepted, &c.Refused, &c.Decided, &c.Approved, &c.Timed, &c.OnTimePromised,
		&c.OnTimeStatutory, &c.WithinOneVisit, &c.ZeroVisit, &c.DaysUsedSum, &c.PromisedHalfSum, &c.StatutoryHalfSum}
}

// Add adds o to c.
func (c *Counts) Add(o Counts) {
	dst, src := c.Fields(), o.Fields()
	for i := range dst {
		*dst[i] += *src[i]
	}
}

// IsZero reports whether every counter is 0.
func (c Counts) IsZero() bool { return c == Counts{} }

// Key identifies a roll-up row. Department "", Item "" and Channel "" are
// totals: every row is kept at three levels (centre, department, item),
// each per channel and over all channels, so a query that neither filters
// nor groups by channel reads a quarter of the rows.
type Key struct {
	Day        calendar.Date
	Department string
	Item       string
	Channel    string
}

// monthOf is the "YYYY-MM" of a day, the key of a monthly row.
func monthOf(d calendar.Date) string { return d.String()[:7] }

// HourKey identifies an hourly row.
type HourKey struct {
	Day  calendar.Date
	Hour int
}

// HourCounts are the counters of one hour of one day.
type HourCounts struct {
	Received   int64 `json:"received"`   // cases created
	Arrivals   int64 `json:"arrivals"`   // hall tickets issued
	Called     int64 `json:"called"`     // … called to a window
	WaitSum    int64 `json:"waitSum"`    // seconds from issue to call, summed over called tickets
	Served     int64 `json:"served"`     // … completed at a window
	ServiceSum int64 `json:"serviceSum"` // seconds from call to completion, summed over served tickets
}

// HourColumns names the hourly counters as stored, in the order of Fields.
var HourColumns = []string{"received", "arrivals", "called", "wait_sum", "served", "service_sum"}

// Fields points at the counters in the order of HourColumns.
func (h *HourCounts) Fields() []*int64 {
	return []*int64{&h.Received, &h.Arrivals, &h.Called, &h.WaitSum, &h.Served, &h.ServiceSum}
}

// Rollup is what one batch adds to the roll-up tables.
type Rollup struct {
	Daily   map[Key]*Counts
	Hourly  map[HourKey]*HourCounts
	Ratings map[RatingKey]*Ratings // per day of rating; Key unused
}

// NewRollup returns an empty Rollup.
func NewRollup() *Rollup {
	return &Rollup{Daily: map[Key]*Counts{}, Hourly: map[HourKey]*HourCounts{}, Ratings: map[RatingKey]*Ratings{}}
}

// RatingKey identifies a ratings roll-up row. Department "" and Item ""
// are totals, as in Key.
type RatingKey struct {
	Day        calendar.Date
	Department string
	Item       string
}

// RatingColumns names the ratings counters as stored, in the order of Fields.
var RatingColumns = []string{"ratings", "satisfied", "poor"}

// Fields points at the counters in the order of RatingColumns.
func (r *Ratings) Fields() []*int64 { return []*int64{&r.Ratings, &r.Satisfied, &r.Poor} }

// AddRating counts n valid ratings of level (1–5) given on day, under the
// item, its department and the center; n = -1 takes one back (a rating
// excluded after 申诉复核).
func (r *Rollup) AddRating(day calendar.Date, department, item string, level int, n int64) {
	add := Ratings{Ratings: n}
	if level >= 4 {
		add.Satisfied = n
	}
	if level <= 2 {
		add.Poor = n
	}
	for _, k := range []RatingKey{{day, department, item}, {day, department, ""}, {day, "", ""}} {
		if r.Ratings[k] == nil {
			r.Ratings[k] = &Ratings{}
		}
		dst, src := r.Ratings[k].Fields(), add.Fields()
		for i := range dst {
			*dst[i] += *src[i]
		}
	}
}

// add adds c under k and under the department's and the center's totals,
// each for k's channel and for all channels.
func (r *Rollup) add(k Key, c Counts) {
	if k.Channel == "" { // never the all-channels row by accident
		k.Channel = "unknown"
	}
	for _, kk := range []Key{k, {k.Day, k.Department, "", k.Channel}, {k.Day, "", "", k.Channel},
		{k.Day, k.Department, k.Item, ""}, {k.Day, k.Department, "", ""}, {k.Day, "", "", ""}} {
		if r.Daily[kk] == nil {
			r.Daily[kk] = &Counts{}
		}
		r.Daily[kk].Add(c)
	}
}

// addHour adds h to the hour of a day.
func (r *Rollup) addHour(k HourKey, h HourCounts) {
	if r.Hourly[k] == nil {
		r.Hourly[k] = &HourCounts{}
	}
	dst, src := r.Hourly[k].Fields(), h.Fields()
	for i := range dst {
		*dst[i] += *src[i]
	}
}

// Empty reports whether the roll-up adds nothing.
func (r *Rollup) Empty() bool { return len(r.Daily) == 0 && len(r.Hourly) == 0 && len(r.Ratings) == 0 }
