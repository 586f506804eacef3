package cases

import (
	"context"
	"fmt"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/calendar"
	"onevisit/internal/catalog"
	"onevisit/internal/identity"
)

// Catalog is what cases need from the service catalog.
type Catalog interface {
	Item(ctx context.Context, code string) (catalog.Item, error)
	ItemVersion(ctx context.Context, code string, version int) (catalog.Item, error)
	Bundle(ctx context.Context, code string) (catalog.BundleView, error)
}

// Calendar gives the working-day calendar in force.
type Calendar interface{ Current() *calendar.Calendar }

// Store keeps cases. Every write takes the timeline event and the audit
// entry that record it, written in the same transaction.
type Store interface {
	// CreateCase assigns c its ID and number and stores it with its
	// applicant (found by code or created) and its first events, all in one
	// transaction. With an idempotency key already used by the same
	// principal it returns the case created then instead, and created=false.
	CreateCase(ctx context.Context, c *Case, evs []Event, a audit.Entry, idemKey string) (created bool, err error)
	// CreateCases is CreateCase for a bundle: cs[0] is the parent, the
	// others its sub-cases (their ParentNo set to the parent's number), each
	// with its events, all in one transaction.
	CreateCases(ctx context.Context, cs []*Case, evs [][]Event, a audit.Entry, idemKey string) (created bool, err error)
	// UpdateCase stores c if its status in the store is still from;
	// otherwise it returns a Conflict error and changes nothing.
	UpdateCase(ctx context.Context, c *Case, from Status, ev Event, a audit.Entry) error
	Case(ctx context.Context, no string) (Case, error)
	Events(ctx context.Context, no string) ([]Event, error)
	Cases(ctx context.Context, f Filter) ([]Case, int, error)
	// CaseIDs lists the ids of every case matching f, in no particular
	// order (f's paging does not apply), for jobs that walk every match.
	CaseIDs(ctx context.Context, f Filter) ([]int64, error)
	// ApplicantForUser is an applicant account's identity as an applicant.
	ApplicantForUser(ctx context.Context, userID int64) (Applicant, error)
	// Audit records an entry that changes nothing else (a staff read).
	Audit(ctx context.Context, a audit.Entry) error
}

// Registry is the licence registry (证照库): whether an applicant already
// holds a valid licence of a type (a type code or name), and which.
type Registry interface {
	Holds(ctx context.Context, holderCode, licenceType string) (identifier string, ok bool, err error)
}

// Library says which licence type a library material stands for.
type Library interface {
	Materials(ctx context.Context) ([]catalog.Material, error)
}

// Service is the cases domain service.
type Service struct {
	store    Store
	catalog  Catalog
	calendar Calendar
	now      func() time.Time
	region   string   // 行政区划代码 in case numbers
	registry Registry // nil: no materials are taken from the licence registry
	library  Library
}

// SetRegistry lets new applications take materials whose source is the
// licence registry from the licences the applicant holds; nil turns it off.
func (s *Service) SetRegistry(r Registry, lib Library) { s.registry, s.library = r, lib }

// NewService returns a Service; region is the center's 6-digit region code.
func NewService(store Store, cat Catalog, cal Calendar, region string, now func() time.Time) *Service {
	return &Service{store: store, catalog: cat, calendar: cal, now: now, region: region}
}

// today is the current civil date in Shanghai.
func (s *Service) today() calendar.Date { return calendar.DateOf(s.now()) }

// NumberPrefix is the prefix of case numbers created on day: region code,
// date and a dash; the store appends a six-digit daily sequence, e.g.
// 330206-20261127-000042.
func NumberPrefix(region string, day calendar.Date) string {
	return fmt.Sprintf("%s-%04d%02d%02d-", region, day.Year, day.Month, day.Day)
}

// Case returns a case the principal may see. A case they may not see is
// NotFound, so its existence is not revealed.
func (s *Service) Case(ctx context.Context, p *identity.Principal, no string) (Case, error) {
	if p == nil {
		return Case{}, apperr.New(apperr.Unauthenticated, "err.unauthenticated")
	}
	c, err := s.store.Case(ctx, no)
	if err != nil {
		return Case{}, err
	}
	if !c.VisibleTo(p) {
		return Case{}, apperr.New(apperr.NotFound, "err.case_not_found")
	}
	return c, nil
}

// Open is Case for showing the case with its applicant's personal data
// (ID number, phone): when staff open someone else's case the read is
// audited ("personal.read", with what they opened it for) before anything
// is shown. The applicant's own reads are not.
func (s *Service) Open(ctx context.Context, p *identity.Principal, no, purpose string) (Case, error) {
	c, err := s.Case(ctx, p, no)
	if err != nil || c.OwnedBy(p) {
		return c, err
	}
	if err := s.store.Audit(ctx, audit.New(p.Actor(), "personal.read", "case", c.No).With(purpose)); err != nil {
		return Case{}, err
	}
	return c, nil
}

// Timeline returns the case's events, oldest first.
func (s *Service) Timeline(ctx context.Context, p *identity.Principal, no string) ([]Event, error) {
	if _, err := s.Case(ctx, p, no); err != nil {
		return nil, err
	}
	return s.store.Events(ctx, no)
}

// Filter selects cases for a worklist.
type Filter struct {
	ParentNo    string // a bundle's sub-cases
	Statuses    []Status
	Department  string // implementing or joint department code
	ApplicantID int64  // the applicant's user id
	DueBefore   calendar.Date
	Warnings    []Warning
	IDs         []int64 // only these cases, when not empty
	Page, Per   int
}

// Cases lists the cases p may see that match f, most urgent first. An
// applicant sees only their own; an approver only their department's.
func (s *Service) Cases(ctx context.Context, p *identity.Principal, f Filter) ([]Case, int, error) {
	switch {
	case p == nil:
		return nil, 0, apperr.New(apperr.Unauthenticated, "err.unauthenticated")
	case p.Can(identity.PermCasesAccept), p.Can(identity.PermSupervise), p.Can(identity.PermLicencesIssue):
	case p.Can(identity.PermCasesApprove):
		f.Department = p.DepartmentCode
	case p.Can(identity.PermCasesApply):
		f.ApplicantID = p.UserID
	default:
		return nil, 0, apperr.New(apperr.Forbidden, "err.forbidden")
	}
	if f.Per <= 0 || f.Per > 200 {
		f.Per = 50
	}
	if f.Page <= 0 {
		f.Page = 1
	}
	return s.store.Cases(ctx, f)
}

// refresh recomputes the due dates and warning of c as of today.
func (s *Service) refresh(c *Case) {
	if c.Clock.Start.IsZero() {
		c.DuePromised, c.DueStatutory, c.Warning = calendar.Deadline{}, calendar.Deadline{}, ""
		return
	}
	cal, today := s.calendar.Current(), s.today()
	c.DuePromised = c.Clock.Due(cal, true, today)
	c.DueStatutory = c.Clock.Due(cal, false, today)
	c.Warning = ""
	if c.Status.Open() {
		c.Warning = c.Clock.Warning(cal, today)
	}
}

// RecordVisit links an in-person visit (a called ticket) to a case, so the
// case's visit count is measured, not asserted.
func (s *Service) RecordVisit(ctx context.Context, caseNo, ticket string) error {
	c, err := s.store.Case(ctx, caseNo)
	if err != nil {
		return err
	}
	for _, v := range c.VisitLog {
		if v.Ticket == ticket {
			return nil // already linked
		}
	}
	c.VisitLog = append(c.VisitLog, Visit{Ticket: ticket, At: s.now()})
	c.Visits, c.UpdatedAt = len(c.VisitLog), s.now()
	if c.Channel == AtWindow && c.Visits < 1 {
		c.Visits = 1
	}
	ev := Event{Action: "visit", From: c.Status, To: c.Status, Actor: "hall", Note: ticket}
	return s.store.UpdateCase(ctx, &c, c.Status, ev, audit.New(audit.System, "case.visit", "case", c.No).With(ticket))
}
