package analytics

import "sort"

// Figures are counters with the rates and averages derived from them.
// Every rate is over its own denominator and 0 when that is 0.
type Figures struct {
	Counts
	OnTimePromisedRate  float64 `json:"onTimePromisedRate"`  // onTimePromised ÷ timed
	OnTimeStatutoryRate float64 `json:"onTimeStatutoryRate"` // onTimeStatutory ÷ timed
	RealizationRate     float64 `json:"realizationRate"`     // withinOneVisit ÷ decided (最多跑一次实现率)
	ZeroVisitShare      float64 `json:"zeroVisitShare"`      // zeroVisit ÷ decided (零次跑)
	ApprovalRate        float64 `json:"approvalRate"`        // approved ÷ decided
	AvgDaysUsed         float64 `json:"avgDaysUsed"`         // daysUsedSum ÷ timed (working days)
	AvgDaysPromised     float64 `json:"avgDaysPromised"`     // promisedHalfSum ÷ 2 ÷ timed
	AvgDaysStatutory    float64 `json:"avgDaysStatutory"`    // statutoryHalfSum ÷ 2 ÷ timed
}

// FiguresOf derives the rates and averages of c.
func FiguresOf(c Counts) Figures {
	return Figures{Counts: c,
		OnTimePromisedRate:  ratio(c.OnTimePromised, c.Timed),
		OnTimeStatutoryRate: ratio(c.OnTimeStatutory, c.Timed),
		RealizationRate:     ratio(c.WithinOneVisit, c.Decided),
		ZeroVisitShare:      ratio(c.ZeroVisit, c.Decided),
		ApprovalRate:        ratio(c.Approved, c.Decided),
		AvgDaysUsed:         ratio(c.DaysUsedSum, c.Timed),
		AvgDaysPromised:     ratio(c.PromisedHalfSum, 2*c.Timed),
		AvgDaysStatutory:    ratio(c.StatutoryHalfSum, 2*c.Timed),
	}
}

func ratio(n, d int64) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) / float64(d)
}

// Metric is one number a chart can plot, with its formula.
type Metric struct {
	Name    string
	Formula string
	Value   func(Figures) float64
	Drill   string // the drill-down that lists the cases behind it
}

// Metrics lists the plottable metrics, in the order the API documents them.
var Metrics = []Metric{
	{"received", "cases created in the period (by creation day)", func(f Figures) float64 { return float64(f.Received) }, DrillReceived},
	{"accepted", "cases accepted (受理), by acceptance day", func(f Figures) float64 { return float64(f.Accepted) }, DrillAccepted},
	{"decided", "cases completed (approved or denied), by decision day", func(f Figures) float64 { return float64(f.Decided) }, DrillDecided},
	{"approved", "completed cases approved", func(f Figures) float64 { return float64(f.Approved) }, DrillDecided},
	{"refused", "applications not accepted (不予受理)", func(f Figures) float64 { return float64(f.Refused) }, ""},
	{"on_time_promised_rate", "timed completed cases decided by the promised due date ÷ timed completed cases", func(f Figures) float64 { return f.OnTimePromisedRate }, DrillLate},
	{"on_time_statutory_rate", "timed completed cases decided by the statutory due date ÷ timed completed cases", func(f Figures) float64 { return f.OnTimeStatutoryRate }, DrillLate},
	{"realization_rate", "completed cases with ≤ 1 visit ÷ completed cases (最多跑一次实现率)", func(f Figures) float64 { return f.RealizationRate }, DrillVisits},
	{"zero_visit_share", "completed cases with no visit ÷ completed cases (零次跑)", func(f Figures) float64 { return f.ZeroVisitShare }, DrillDecided},
	{"avg_days_used", "working days from acceptance to decision, less suspensions, averaged over timed completed cases", func(f Figures) float64 { return f.AvgDaysUsed }, DrillDecided},
	{"avg_days_promised", "promised limit in working days (extensions included), averaged over the same cases", func(f Figures) float64 { return f.AvgDaysPromised }, DrillDecided},
	{"avg_days_statutory", "statutory limit in working days (extensions included), averaged over the same cases", func(f Figures) float64 { return f.AvgDaysStatutory }, DrillDecided},
}

// MetricNamed finds a metric by name.
func MetricNamed(name string) (Metric, bool) {
	for _, m := range Metrics {
		if m.Name == name {
			return m, true
		}
	}
	return Metric{}, false
}

// sortBy orders rows by a metric, largest first, then by key.
func sortBy(rs []Row, m Metric) {
	sort.SliceStable(rs, func(i, j int) bool {
		a, b := m.Value(FiguresOf(rs[i].Counts)), m.Value(FiguresOf(rs[j].Counts))
		if a != b {
			return a > b
		}
		return rs[i].Department+rs[i].Item < rs[j].Department+rs[j].Item
	})
}
