package feedback

import (
	"context"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/calendar"
	"onevisit/internal/cases"
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

// Metrics computes the indicators for f from the stored cases, ratings and
// tasks. Supervisors and leaders see every department, a department its own.
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
	cs, err := s.store.DecidedCases(ctx, f)
	if err != nil {
		return m, err
	}
	s.addCases(&m, cs)
	rs, err := s.store.Ratings(ctx, RatingFilter{Department: f.Department, ItemCode: f.ItemCode, From: f.From, To: f.To, Limit: 1 << 30})
	if err != nil {
		return m, err
	}
	m.addRatings(rs)
	ts, err := s.store.Tasks(ctx, TaskFilter{Department: f.Department, Limit: 1 << 30})
	if err != nil {
		return m, err
	}
	m.addTasks(ts, f)
	return m, nil
}

func (s *Service) addCases(m *Metrics, cs []cases.Case) {
	cal := s.calendar.Current()
	var used, promised, statutory int
	for _, c := range cs {
		m.Completed++
		if c.Visits <= 1 {
			m.AtMostOneVisit++
		}
		if c.Visits == 0 {
			m.ZeroVisit++
		}
		if c.Clock.Start.IsZero() {
			continue
		}
		decided := calendar.DateOf(c.DecidedAt)
		m.Timed++
		if !decided.After(c.DuePromised.Date) {
			m.OnTimePromised++
		}
		if !decided.After(c.DueStatutory.Date) {
			m.OnTimeStatutory++
		}
		used += cal.WorkdaysBetween(c.Clock.Start, decided) - c.Clock.Paused
		promised += int(c.Clock.Promised) + int(c.Clock.Extension)
		statutory += int(c.Clock.Statutory) + int(c.Clock.Extension)
	}
	m.RealizationRate = ratio(m.AtMostOneVisit, m.Completed)
	m.ZeroVisitShare = ratio(m.ZeroVisit, m.Completed)
	m.OnTimePromisedR = ratio(m.OnTimePromised, m.Timed)
	m.OnTimeStatutoryR = ratio(m.OnTimeStatutory, m.Timed)
	if m.Timed > 0 {
		m.AvgDaysUsed = float64(used) / float64(m.Timed)
		m.AvgDaysPromised = float64(promised) / 2 / float64(m.Timed) // HalfDays → days
		m.AvgDaysStatutory = float64(statutory) / 2 / float64(m.Timed)
	}
	if m.AvgDaysStatutory > 0 {
		m.Speedup = 1 - m.AvgDaysUsed/m.AvgDaysStatutory
	}
}

func (m *Metrics) addRatings(rs []Rating) {
	for _, r := range rs {
		if !r.Valid {
			continue
		}
		m.Ratings++
		if r.Level >= m.SatisfiedFrom {
			m.Satisfied++
		}
		if r.Level.Poor() {
			m.Poor++
		}
	}
	m.SatisfactionRate = ratio(m.Satisfied, m.Ratings)
	m.PoorRate = ratio(m.Poor, m.Ratings)
}

func (m *Metrics) addTasks(ts []Task, f MetricsFilter) {
	for _, t := range ts {
		if !inPeriod(t.CreatedAt, f) || (f.ItemCode != "" && t.ItemCode != f.ItemCode) || t.Status == TaskExcluded {
			continue
		}
		m.Tasks++
		if t.Status == TaskClosed {
			m.Rectified++
		}
		if t.Overdue {
			m.Overdue++
		}
	}
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
