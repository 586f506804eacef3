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
	// After, when set, continues the list after this case instead of
	// skipping Page-1 pages, so a page reads its own rows only (downloads
	// page this way). Per is the page size; 0 is DrillPer.
	After *DrillCase `json:"-"`
	Per   int        `json:"-"`
}

// PageSize is d's page size.
func (d Drill) PageSize() int {
	if d.Per > 0 {
		return d.Per
	}
	return DrillPer
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
	ID         int64  `json:"-"` // the store's key, for paging by key
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

// check validates d and returns it as it is listed: from page 1, and a
// heat-map cell for the whole center. The hourly roll-ups behind the heat
// map have no department, item or channel, so a cell's cases are listed
// without those filters too, and add up to the cell.
func (d Drill) check() (Drill, error) {
	if !drillKinds[d.Kind] {
		return d, apperr.Field("kind", "err.stats.drill")
	}
	if err := d.Filter.Check(); err != nil {
		return d, err
	}
	if d.Slot != nil {
		d.Filter.Department, d.Filter.Item, d.Filter.Channel = "", "", ""
	}
	d.Page = max(d.Page, 1)
	return d, nil
}

// DrillDown lists a page of the cases behind a number, newest first. It
// reads one more row than the page to know whether another page follows,
// so it never counts the whole set (the number itself is the count).
func (s *Service) DrillDown(ctx context.Context, p *identity.Principal, d Drill) (DrillPage, error) {
	if err := allow(p); err != nil {
		return DrillPage{}, err
	}
	d, err := d.check()
	if err != nil {
		return DrillPage{}, err
	}
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

// DrillExport is the download of every case behind d's number (d.Page is
// ignored), newest first, at most limit (ExportMax), read a page at a time
// while it is written. name, if set, names each page's departments and
// items (Names.Page). The caller sets the Stream's Cut and Broken texts.
// d is checked here, so a bad request fails before anything is written.
func (s *Service) DrillExport(ctx context.Context, p *identity.Principal, d Drill, limit int, name func(DrillPage) DrillPage) (Stream, error) {
	if err := allow(p); err != nil {
		return Stream{}, err
	}
	d, err := d.check()
	if err != nil {
		return Stream{}, err
	}
	st := Stream{Name: "drill-" + d.Kind, Header: drillHeader}
	st.Rows = func(emit func([][]any) error) (bool, error) {
		return s.drillEach(ctx, d, limit, func(cs []DrillCase) error {
			if name != nil {
				cs = name(DrillPage{Drill: d, Cases: cs}).Cases
			}
			return emit(drillRows(cs))
		})
	}
	return st, nil
}

// exportPer is how many cases a download reads at a time.
const exportPer = 1000

// drillEach hands the cases behind d's number to each, exportPer at a
// time in the list's order, up to limit cases; more reports cases beyond
// the limit. Each read continues after the last case handed (Drill.After),
// so none rescans the rows before it as an offset would.
func (s *Service) drillEach(ctx context.Context, d Drill, limit int, each func([]DrillCase) error) (more bool, err error) {
	d.Page, d.Per, d.After = 1, exportPer, nil
	for sent := 0; ; {
		cs, err := s.drillCases(ctx, d) // up to Per+1: the last says whether more follow
		if err != nil {
			return false, err
		}
		n := min(len(cs), d.Per, limit-sent)
		if n > 0 {
			if err := each(cs[:n]); err != nil {
				return false, err
			}
		}
		sent += n
		switch {
		case len(cs) <= n:
			return false, nil
		case sent == limit:
			return true, nil
		}
		last := cs[n-1]
		d.After = &last
	}
}
