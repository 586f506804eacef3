package analytics

import (
	"context"
	"strconv"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/calendar"
	"onevisit/internal/identity"
)

// The drill-downs: which cases stand behind a number.
const (
	DrillReceived = "received" // created in the period
	DrillAccepted = "accepted" // accepted in the period
	DrillDecided  = "decided"  // completed in the period
	DrillLate     = "late"     // completed in the period after the promised due date
	DrillVisits   = "visits"   // completed in the period with more than one visit
	DrillYellow   = "yellow"   // open and yellow now
	DrillRed      = "red"      // open and red now
)

// DrillPer is the page size of a drill-down.
const DrillPer = 50

// Drill asks for one page of the cases behind a number. Slot narrows
// the received cases to one cell of the heat map.
type Drill struct {
	Kind   string `json:"kind"`
	Filter Filter `json:"filter"`
	Slot   *Slot  `json:"slot,omitempty"`
	Page   int    `json:"page"`
}

// Slot is a cell of the heat map: a weekday (0 = Monday) and an hour of
// the day, Shanghai time.
type Slot struct {
	Weekday int `json:"weekday"`
	Hour    int `json:"hour"`
}

// ParseSlot reads weekday and hour through get; nil when neither is given.
func ParseSlot(get func(string) string) (*Slot, error) {
	wd, h := get("weekday"), get("hour")
	if wd == "" && h == "" {
		return nil, nil
	}
	d, err1 := strconv.Atoi(wd)
	hour, err2 := strconv.Atoi(h)
	switch {
	case err1 != nil || d < 0 || d > 6:
		return nil, apperr.Field("weekday", "err.stats.slot")
	case err2 != nil || hour < 0 || hour > 23:
		return nil, apperr.Field("hour", "err.stats.slot")
	}
	return &Slot{Weekday: d, Hour: hour}, nil
}

// Span is a half-open interval of time.
type Span struct{ From, To time.Time }

// Spans are the hours of the slot on the days of f's period, oldest first.
func (sl Slot) Spans(f Filter) []Span {
	var out []Span
	for d := f.From; !d.After(f.To); d = d.AddDays(1) {
		if (int(d.Weekday())+6)%7 != sl.Weekday {
			continue
		}
		start := d.In(calendar.Shanghai).Add(time.Duration(sl.Hour) * time.Hour)
		out = append(out, Span{From: start, To: start.Add(time.Hour)})
	}
	return out
}

// SlotStore lists the cases created within spans (one page plus one row,
// newest first, with d's department, item and channel filters). The store
// implements it optionally; without it a slot cannot be drilled into.
type SlotStore interface {
	DrillCreatedIn(ctx context.Context, d Drill, spans []Span) ([]DrillCase, error)
}

// DrillCase is one line of a drill-down: no personal data beyond what
// staff lists show.
type DrillCase struct {
	No         string `json:"no"`
	ItemCode   string `json:"itemCode"`
	ItemName   string `json:"itemName"`
	Department string `json:"department"`
	// DepartmentName is filled in by the transports (Names.Page).
	DepartmentName string    `json:"departmentName,omitempty"`
	Channel        string    `json:"channel"`
	Status         string    `json:"status"`
	Warning        string    `json:"warning,omitempty"`
	Visits         int       `json:"visits"`
	CreatedAt      time.Time `json:"createdAt"`
	StartOn        string    `json:"startOn,omitempty"`
	DueOn          string    `json:"duePromised,omitempty"`
	DecidedAt      time.Time `json:"decidedAt,omitzero"`
}

// DrillPage is a page of a drill-down; More reports a next page.
type DrillPage struct {
	Drill Drill       `json:"drill"`
	Cases []DrillCase `json:"cases"`
	More  bool        `json:"more"`
}

var drillKinds = map[string]bool{DrillReceived: true, DrillAccepted: true, DrillDecided: true, DrillLate: true,
	DrillVisits: true, DrillYellow: true, DrillRed: true}

// DrillDown lists a page of the cases behind a number, newest first. It
// reads one more row than the page to know whether another page follows,
// so it never counts the whole set (the number itself is the count).
func (s *Service) DrillDown(ctx context.Context, p *identity.Principal, d Drill) (DrillPage, error) {
	if err := allow(p); err != nil {
		return DrillPage{}, err
	}
	if !drillKinds[d.Kind] {
		return DrillPage{}, apperr.Field("kind", "err.stats.drill")
	}
	if err := d.Filter.Check(); err != nil {
		return DrillPage{}, err
	}
	d.Page = max(d.Page, 1)
	cs, err := s.drillCases(ctx, d)
	if err != nil {
		return DrillPage{}, err
	}
	pg := DrillPage{Drill: d, Cases: cs}
	if len(cs) > DrillPer {
		pg.Cases, pg.More = cs[:DrillPer], true
	}
	if pg.Cases == nil {
		pg.Cases = []DrillCase{}
	}
	return pg, nil
}

// drillCases reads the page, from the slot's hours when there is one.
func (s *Service) drillCases(ctx context.Context, d Drill) ([]DrillCase, error) {
	if d.Slot == nil {
		return s.store.DrillCases(ctx, d)
	}
	ss, ok := s.store.(SlotStore)
	if d.Kind != DrillReceived || !ok {
		return nil, apperr.Field("kind", "err.stats.drill")
	}
	spans := d.Slot.Spans(d.Filter)
	if len(spans) == 0 {
		return nil, nil
	}
	return ss.DrillCreatedIn(ctx, d, spans)
}
