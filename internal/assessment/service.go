package assessment

import (
	"context"
	"fmt"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/cases"
	"onevisit/internal/escalation"
	"onevisit/internal/feedback"
	"onevisit/internal/identity"
)

// Store keeps the scorecards and the issued notices; writes take their
// audit entry.
type Store interface {
	// AssessmentConfig is the stored configuration; ok is false when
	// none was saved yet.
	AssessmentConfig(ctx context.Context) (c Config, ok bool, err error)
	SaveAssessmentConfig(ctx context.Context, c Config, a audit.Entry) error
	// Notice is the issued notice of a month (NotFound if none).
	Notice(ctx context.Context, month string) (Notice, error)
	// CreateNotice stores n unless its month has one; created says which.
	CreateNotice(ctx context.Context, n *Notice, a audit.Entry) (created bool, err error)
}

// Reporter computes a department's metrics, callbacks included.
type Reporter interface {
	SystemReport(ctx context.Context, f feedback.MetricsFilter) (feedback.Report, error)
}

// Records are the raw cases and ratings, for the items behind a score.
type Records interface {
	DecidedCases(ctx context.Context, f feedback.MetricsFilter) ([]cases.Case, error)
	Ratings(ctx context.Context, f feedback.RatingFilter) ([]feedback.Rating, error)
}

// Reports lists unfinished-matter reports (escalation.Store).
type Reports interface {
	Reports(ctx context.Context, status escalation.Status, limit int) ([]escalation.Report, error)
}

// CaseReader reads a case, to find the department a report is about.
type CaseReader interface {
	Case(ctx context.Context, no string) (cases.Case, error)
}

// Departments lists the departments.
type Departments interface {
	Departments(ctx context.Context) ([]identity.Department, error)
}

// Notifier tells a department about its result (notify.Service).
type Notifier interface {
	Notify(ctx context.Context, deptCode, kind, title, body, link string) error
}

// Deps are what the Service reads and writes.
type Deps struct {
	Store       Store
	Reporter    Reporter
	Records     Records
	Reports     Reports
	Cases       CaseReader
	Departments Departments
	Notifier    Notifier // may be nil: nobody is told
}

// Service scores departments and issues the monthly notices.
type Service struct {
	d      Deps
	center string
	now    func() time.Time
}

// NewService returns a Service for the service center named center.
func NewService(d Deps, center string, now func() time.Time) *Service {
	return &Service{d: d, center: center, now: now}
}

// Config is the scorecards in force.
func (s *Service) Config(ctx context.Context, p *identity.Principal) (Config, error) {
	if err := mayRead(p); err != nil {
		return Config{}, err
	}
	return s.config(ctx)
}

func (s *Service) config(ctx context.Context) (Config, error) {
	c, ok, err := s.d.Store.AssessmentConfig(ctx)
	if err != nil || !ok {
		return DefaultConfig(), err
	}
	return c, nil
}

// SaveConfig replaces the scorecards; only supervisors may.
func (s *Service) SaveConfig(ctx context.Context, p *identity.Principal, c Config) (Config, error) {
	if p == nil {
		return Config{}, apperr.New(apperr.Unauthenticated, "err.unauthenticated")
	}
	if err := p.Require(identity.PermSupervise); err != nil {
		return Config{}, err
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	a := audit.New(p.Actor(), "assessment.config", "assessment", "config")
	return c, s.d.Store.SaveAssessmentConfig(ctx, c, a)
}

// Notice is the notice of month m: the issued one if there is one,
// otherwise a provisional one computed now. Supervisors, leaders and the
// departments' staff may read it: it is sent to all of them.
func (s *Service) Notice(ctx context.Context, p *identity.Principal, m Month) (Notice, error) {
	if err := mayRead(p); err != nil {
		return Notice{}, err
	}
	n, err := s.d.Store.Notice(ctx, m.String())
	if apperr.KindOf(err) != apperr.NotFound {
		return n, err
	}
	return s.compute(ctx, m, s.now())
}

func mayRead(p *identity.Principal) error {
	switch {
	case p == nil:
		return apperr.New(apperr.Unauthenticated, "err.unauthenticated")
	case p.Can(identity.PermSupervise), p.Can(identity.PermDashboards), p.Can(identity.PermRectify):
		return nil
	}
	return apperr.New(apperr.Forbidden, "err.forbidden")
}

// IssueDue issues the notice of the month before at, unless it was issued
// already, and tells each assessed department its score and rank. It
// returns how many notices it issued (0 or 1), so it can run every day.
func (s *Service) IssueDue(ctx context.Context, at time.Time) (int, error) {
	m := MonthOf(at).Prev()
	if _, err := s.d.Store.Notice(ctx, m.String()); apperr.KindOf(err) != apperr.NotFound {
		return 0, err
	}
	n, err := s.compute(ctx, m, at)
	if err != nil || len(n.Scores) == 0 {
		return 0, err // nothing to assess yet: a later run issues it
	}
	n.Issued = true
	created, err := s.d.Store.CreateNotice(ctx, &n, audit.New(audit.System, "assessment.issue", "assessment", n.Month))
	if err != nil || !created {
		return 0, err
	}
	return 1, s.tell(ctx, n)
}

// tell notifies every assessed department of its result.
func (s *Service) tell(ctx context.Context, n Notice) error {
	if s.d.Notifier == nil {
		return nil
	}
	m, _ := ParseMonth(n.Month)
	for _, sc := range n.Scores {
		title := fmt.Sprintf("%s“最多跑一次”工作通报：得分 %.1f，排名第 %d / %d", m.CN(), sc.Score, sc.Rank, len(n.Scores))
		body := "通报已发布，请查看本部门的得分、趋势和需改进事项。"
		if err := s.d.Notifier.Notify(ctx, sc.Department, "assessment.notice", title, body, "/assessment/"+n.Month); err != nil {
			return err
		}
	}
	return nil
}
