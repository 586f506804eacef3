package feedback

import (
	"context"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/identity"
)

// MetricsFilter selects the period (decided or rated in [From, To)) and,
// optionally, one department or item. The formulas are in docs/metrics.md.
type MetricsFilter struct {
	Department string    `json:"department,omitempty"`
	ItemCode   string    `json:"itemCode,omitempty"`
	From       time.Time `json:"from,omitzero"`
	To         time.Time `json:"to,omitzero"`
}

// Metrics are the "最多跑一次" indicators of a period. Every rate comes with
// its numerator and denominator; a rate over nothing is 0.
type Metrics struct {
	Filter MetricsFilter `json:"filter"`

	Completed        int     `json:"completed"`       // cases decided in the period
	AtMostOneVisit   int     `json:"atMostOneVisit"`  // … of which needed ≤ 1 visit
	ZeroVisit        int     `json:"zeroVisit"`       // … of which needed no visit
	RealizationRate  float64 `json:"realizationRate"` // 实现率 = AtMostOneVisit / Completed
	ZeroVisitShare   float64 `json:"zeroVisitShare"`  // 零次跑 = ZeroVisit / Completed
	Timed            int     `json:"timed"`           // completed cases with a running clock
	OnTimePromised   int     `json:"onTimePromised"`  // decided by the promised deadline
	OnTimeStatutory  int     `json:"onTimeStatutory"` // decided by the statutory deadline
	OnTimePromisedR  float64 `json:"onTimePromisedRate"`
	OnTimeStatutoryR float64 `json:"onTimeStatutoryRate"`
	AvgDaysUsed      float64 `json:"avgDaysUsed"`     // working days from acceptance to decision
	AvgDaysPromised  float64 `json:"avgDaysPromised"` // promised working days of the same cases
	AvgDaysStatutory float64 `json:"avgDaysStatutory"`
	Speedup          float64 `json:"speedup"` // 1 − AvgDaysUsed / AvgDaysStatutory (提速)

	Ratings          int     `json:"ratings"`   // valid ratings given in the period
	Satisfied        int     `json:"satisfied"` // … at SatisfiedFrom or better
	SatisfiedFrom    Level   `json:"satisfiedFrom"`
	SatisfactionRate float64 `json:"satisfactionRate"` // 满意率 = Satisfied / Ratings
	Poor             int     `json:"poor"`             // … of level 1–2 (差评)
	PoorRate         float64 `json:"poorRate"`         // 差评率 = Poor / Ratings

	Tasks             int     `json:"tasks"`             // rectification tasks opened in the period, less excluded appeals
	Rectified         int     `json:"rectified"`         // … closed with an outcome
	Overdue           int     `json:"overdue"`           // … flagged overdue
	RectificationRate float64 `json:"rectificationRate"` // 整改率 = Rectified / Tasks
}

// TaskCounts are the rectification tasks of a period: opened, closed with
// an outcome, and flagged overdue.
type TaskCounts struct {
	Tasks, Rectified, Overdue int
}

// Metrics computes the indicators for f. Supervisors and leaders see every
// department, a department its own.
//
// With the roll-ups wired (SetRollups), the case and rating counters of
// the whole days of the period in Shanghai come from the analytics
// roll-ups, a few rows per day or month whatever the number of cases, and
// only the part-days at its ends are read case by case; otherwise every
// case and rating of the period is read. The roll-ups lag: ratings are
// rolled up in the transaction that records them, but cases from their
// timeline by the stats.rollup job, every second in `onevisit serve` (an
// event after a gap in PostgreSQL's ids waits up to a minute), so a
// decision is counted once the job has taken it, with the case as it
// stood then: a visit linked after that, or a later calendar revision,
// does not change its counters. The dashboards read the same rows, so the
// two agree.
func (s *Service) Metrics(ctx context.Context, p *identity.Principal, f MetricsFilter) (Metrics, error) {
	switch {
	case p == nil:
		return Metrics{}, apperr.New(apperr.Unauthenticated, "err.unauthenticated")
	case p.Can(identity.PermSupervise), p.Can(identity.PermDashboards):
	case p.Can(identity.PermRectify):
		f.Department = p.DepartmentCode
	default:
		return Metrics{}, apperr.New(apperr.Forbidden, "err.forbidden")
	}
	return s.compute(ctx, f)
}

func (s *Service) compute(ctx context.Context, f MetricsFilter) (Metrics, error) {
	m := Metrics{Filter: f, SatisfiedFrom: s.cfg.SatisfiedFrom}
	t, err := s.totals(ctx, f)
	if err != nil {
		return m, err
	}
	m.setCases(t)
	m.setRatings(t)
	tc, err := s.store.TaskCounts(ctx, f)
	if err != nil {
		return m, err
	}
	m.setTasks(tc)
	return m, nil
}

func (m *Metrics) setCases(t Totals) {
	m.Completed, m.AtMostOneVisit, m.ZeroVisit = t.Completed, t.AtMostOneVisit, t.ZeroVisit
	m.Timed, m.OnTimePromised, m.OnTimeStatutory = t.Timed, t.OnTimePromised, t.OnTimeStatutory
	m.RealizationRate = ratio(m.AtMostOneVisit, m.Completed)
	m.ZeroVisitShare = ratio(m.ZeroVisit, m.Completed)
	m.OnTimePromisedR = ratio(m.OnTimePromised, m.Timed)
	m.OnTimeStatutoryR = ratio(m.OnTimeStatutory, m.Timed)
	if m.Timed > 0 {
		m.AvgDaysUsed = float64(t.DaysUsed) / float64(m.Timed)
		m.AvgDaysPromised = float64(t.PromisedHalf) / 2 / float64(m.Timed) // HalfDays → days
		m.AvgDaysStatutory = float64(t.StatutoryHalf) / 2 / float64(m.Timed)
	}
	if m.AvgDaysStatutory > 0 {
		m.Speedup = 1 - m.AvgDaysUsed/m.AvgDaysStatutory
	}
}

func (m *Metrics) setRatings(t Totals) {
	m.Ratings, m.Satisfied, m.Poor = t.Ratings, t.Satisfied, t.Poor
	m.SatisfactionRate = ratio(m.Satisfied, m.Ratings)
	m.PoorRate = ratio(m.Poor, m.Ratings)
}

func (m *Metrics) setTasks(c TaskCounts) {
	m.Tasks, m.Rectified, m.Overdue = c.Tasks, c.Rectified, c.Overdue
	m.RectificationRate = ratio(m.Rectified, m.Tasks)
}

func inPeriod(t time.Time, f MetricsFilter) bool {
	return (f.From.IsZero() || !t.Before(f.From)) && (f.To.IsZero() || t.Before(f.To))
}

func ratio(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) / float64(d)
}
