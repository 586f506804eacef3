package feedback

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/cases"
	"onevisit/internal/identity"
)

// Input is what an evaluator submits.
type Input struct {
	Level      Level          `json:"level"`
	Indicators map[string]int `json:"indicators,omitempty"`
	Labels     []string       `json:"labels,omitempty"`
	Text       string         `json:"text,omitempty"`
	RealName   bool           `json:"realName"`
	Ticket     string         `json:"ticket,omitempty"` // on-site ratings: the visit rated
}

// Rate records a rating by p. The applicant rates their own case online
// (一事一评); a window's evaluation pad (an API token with the ratings.pad
// scope) rates a visit on site (一次一评). Staff signed in as themselves
// cannot rate: nobody may rate on an applicant's behalf.
func (s *Service) Rate(ctx context.Context, p *identity.Principal, caseNo string, in Input) (Rating, error) {
	if p == nil {
		return Rating{}, apperr.New(apperr.Unauthenticated, "err.unauthenticated")
	}
	c, err := s.cases.Case(ctx, caseNo)
	if err != nil {
		return Rating{}, err
	}
	switch {
	case p.Token != nil && p.Can(identity.PermRatePad):
		return s.rate(ctx, &c, OnSite, Pad, in, p.Actor())
	case p.Token == nil && c.OwnedBy(p):
		return s.rate(ctx, &c, Online, CasePage, in, p.Actor())
	case p.Kind == identity.Staff || p.Token != nil:
		return Rating{}, apperr.New(apperr.Forbidden, "err.rating.staff")
	}
	return Rating{}, apperr.New(apperr.NotFound, "err.case_not_found")
}

// RateByLink records a rating given through a signed link from an SMS; the
// link is the evaluator's authority, so no login is needed.
func (s *Service) RateByLink(ctx context.Context, token string, in Input) (Rating, error) {
	c, err := s.LinkCase(ctx, token)
	if err != nil {
		return Rating{}, err
	}
	in.Ticket = ""
	return s.rate(ctx, &c, Online, SMS, in, audit.Actor{Name: "sms-link"})
}

// Rateable reports whether the applicant may rate c online now: once it has
// been decided, refused or withdrawn.
func Rateable(c *cases.Case) bool {
	switch c.Status {
	case cases.Approved, cases.Denied, cases.Issued, cases.Delivered, cases.Archived, cases.Refused, cases.Withdrawn:
		return true
	}
	return false
}

func (s *Service) rate(ctx context.Context, c *cases.Case, m Mode, src Source, in Input, actor audit.Actor) (Rating, error) {
	if err := s.check(c, m, in); err != nil {
		return Rating{}, err
	}
	r := Rating{CaseNo: c.No, ItemCode: c.ItemCode, ItemName: c.ItemName, Department: c.Department,
		Mode: m, Source: src, Window: c.Window, Level: in.Level, Indicators: in.Indicators, Labels: in.Labels,
		Text: strings.TrimSpace(in.Text), RealName: in.RealName, Valid: true, CreatedAt: s.now()}
	if m == OnSite {
		r.Ticket = in.Ticket
	}
	if r.RealName { // anonymous ratings keep no trace of the rater
		r.RaterID, r.RaterName = c.Applicant.UserID, c.Applicant.Name
	}
	var t *Task
	if r.Level.Poor() {
		t = s.newTask(&r)
	}
	if !r.RealName {
		actor = audit.Actor{Name: "anonymous"}
	}
	a := audit.New(actor, "rating.create", "case", c.No).With(string(m) + " " + string(src))
	if err := s.store.CreateRating(ctx, &r, t, a); err != nil {
		return Rating{}, err
	}
	return r, nil
}

// check validates a rating against the case and the rules of its mode.
func (s *Service) check(c *cases.Case, m Mode, in Input) error {
	if m == Online && !Rateable(c) {
		return apperr.New(apperr.Conflict, "err.rating.not_yet")
	}
	if m == OnSite && !slices.ContainsFunc(c.VisitLog, func(v cases.Visit) bool { return v.Ticket == in.Ticket && v.Ticket != "" }) {
		return apperr.Field("ticket", "err.rating.ticket")
	}
	if !in.Level.Valid() {
		return apperr.Field("level", "err.rating.level")
	}
	if !validIndicators(m, in.Indicators) {
		return apperr.Field("indicators", "err.rating.indicators")
	}
	for _, l := range in.Labels {
		if !slices.Contains(Labels, l) {
			return apperr.Field("labels", "err.rating.labels")
		}
	}
	if utf8.RuneCountInString(in.Text) > 500 {
		return apperr.Field("text", "err.rating.text_long")
	}
	if in.Level.Poor() && len(in.Labels) == 0 && strings.TrimSpace(in.Text) == "" {
		return apperr.Field("reason", "err.rating.reason_required")
	}
	return nil
}

// Ratings lists ratings: supervisors see all, a department its own.
func (s *Service) Ratings(ctx context.Context, p *identity.Principal, f RatingFilter) ([]Rating, error) {
	switch {
	case p == nil:
		return nil, apperr.New(apperr.Unauthenticated, "err.unauthenticated")
	case p.Can(identity.PermSupervise), p.Can(identity.PermDashboards):
	case p.Can(identity.PermRectify):
		f.Department = p.DepartmentCode
	default:
		return nil, apperr.New(apperr.Forbidden, "err.forbidden")
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 200
	}
	return s.store.Ratings(ctx, f)
}

// CaseRatings lists the ratings of a case its applicant can see.
func (s *Service) CaseRatings(ctx context.Context, c *cases.Case) ([]Rating, error) {
	return s.store.Ratings(ctx, RatingFilter{CaseNo: c.No, Limit: 100})
}
