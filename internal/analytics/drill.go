package analytics

import (
	"context"
	"time"

	"onevisit/internal/apperr"
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

// Drill asks for one page of the cases behind a number.
type Drill struct {
	Kind   string `json:"kind"`
	Filter Filter `json:"filter"`
	Page   int    `json:"page"`
}

// DrillCase is one line of a drill-down: no personal data beyond what
// staff lists show.
type DrillCase struct {
	No         string    `json:"no"`
	ItemCode   string    `json:"itemCode"`
	ItemName   string    `json:"itemName"`
	Department string    `json:"department"`
	Channel    string    `json:"channel"`
	Status     string    `json:"status"`
	Warning    string    `json:"warning,omitempty"`
	Visits     int       `json:"visits"`
	CreatedAt  time.Time `json:"createdAt"`
	StartOn    string    `json:"startOn,omitempty"`
	DueOn      string    `json:"duePromised,omitempty"`
	DecidedAt  time.Time `json:"decidedAt,omitzero"`
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
	cs, err := s.store.DrillCases(ctx, d)
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
