// Package escalation is the report-and-escalate path for matters that
// could not be done (办不成事 / 未办成及难办事项报备): any clerk files a
// report; it climbs 办理区 → 审管办 → 跑改办 → 管委会, one level each time a
// level's deadline (in working days) passes unanswered, until it is
// resolved with feedback to the applicant.
package escalation

import (
	"context"
	"slices"
	"strings"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/calendar"
	"onevisit/internal/identity"
)

// Level is the tier a report sits at.
type Level int

// The tiers, from the hall floor up.
const (
	Zone      Level = 0 // 办理区
	Office    Level = 1 // 审管办
	Reform    Level = 2 // 跑改办
	Committee Level = 3 // 管委会
)

// Top is the highest tier.
const Top = Committee

// Cause is why a matter could not be done.
type Cause string

// The cause classes.
const (
	Materials    Cause = "materials"    // 材料不全/诉求不清
	Policy       Cause = "policy"       // 法律政策原因
	Coordination Cause = "coordination" // 多部门协调/联办
	Conduct      Cause = "conduct"      // 人为"不给办"
)

// Causes lists the cause classes in the order forms offer them.
var Causes = []Cause{Materials, Policy, Coordination, Conduct}

// Status is where a report stands.
type Status string

// The statuses.
const (
	Open     Status = "open"
	Resolved Status = "resolved"
)

// Report is one unfinished-matter report (未办成事项报备).
type Report struct {
	ID          int64         `json:"id"`
	CaseNo      string        `json:"caseNo,omitempty"`
	ItemName    string        `json:"itemName,omitempty"`
	Visitor     string        `json:"visitor"` // who could not be served
	Phone       string        `json:"phone,omitempty"`
	Cause       Cause         `json:"cause"`
	Description string        `json:"description"`
	Reporter    string        `json:"reporter"`
	Department  string        `json:"department,omitempty"` // the reporter's department
	Level       Level         `json:"level"`
	DueOn       calendar.Date `json:"dueOn"`   // the current level's deadline
	Overdue     bool          `json:"overdue"` // the top level's deadline passed too
	Status      Status        `json:"status"`
	Resolution  string        `json:"resolution,omitempty"` // the answer fed back to the applicant
	Negative    bool          `json:"negative,omitempty"`   // 否定答复: the matter cannot be done
	Reason      string        `json:"reason,omitempty"`     // written reason of a negative answer
	History     []Step        `json:"history"`
	CreatedAt   time.Time     `json:"createdAt"`
	ResolvedAt  time.Time     `json:"resolvedAt,omitzero"`
}

// Step is one entry of a report's history.
type Step struct {
	At    time.Time `json:"at"`
	By    string    `json:"by"`
	What  string    `json:"what"` // filed, escalated, resolved
	Level Level     `json:"level"`
	Note  string    `json:"note,omitempty"`
}

// Store keeps reports; every write takes its audit entry.
type Store interface {
	CreateReport(ctx context.Context, r *Report, a audit.Entry) error
	// UpdateReport stores r if its stored level and status are still
	// those given (a Conflict otherwise).
	UpdateReport(ctx context.Context, r *Report, level Level, status Status, a audit.Entry) error
	Report(ctx context.Context, id int64) (Report, error)
	// Reports lists reports with the given status ("" for all), most
	// urgent first.
	Reports(ctx context.Context, status Status, limit int) ([]Report, error)
}

// Calendar gives the working-day calendar in force.
type Calendar interface{ Current() *calendar.Calendar }

// DefaultDeadlines are the working days each level has to answer: a day
// on the floor, three at 审管办, five at 跑改办, ten at 管委会.
var DefaultDeadlines = []int{1, 3, 5, 10}

// Service is the escalation domain service.
type Service struct {
	store     Store
	calendar  Calendar
	deadlines []int
	now       func() time.Time
}

// NewService returns a Service; deadlines gives each level's working days
// (DefaultDeadlines when it does not have one per level).
func NewService(store Store, cal Calendar, deadlines []int, now func() time.Time) *Service {
	if len(deadlines) != int(Top)+1 {
		deadlines = DefaultDeadlines
	}
	return &Service{store: store, calendar: cal, deadlines: slices.Clone(deadlines), now: now}
}

// Deadlines are the working days per level in force.
func (s *Service) Deadlines() []int { return slices.Clone(s.deadlines) }

// due is the deadline of a level entered on day.
func (s *Service) due(day calendar.Date, l Level) calendar.Date {
	return s.calendar.Current().Due(day, 2*s.deadlines[l]).Date
}

// Input is a new report.
type Input struct {
	CaseNo      string `json:"caseNo,omitempty"`
	ItemName    string `json:"itemName,omitempty"`
	Visitor     string `json:"visitor"`
	Phone       string `json:"phone,omitempty"`
	Cause       Cause  `json:"cause"`
	Description string `json:"description"`
}

// File records a report at the 办理区 level. Any staff member who serves
// applicants may file one.
func (s *Service) File(ctx context.Context, p *identity.Principal, in Input) (Report, error) {
	if err := p.Require(identity.PermEscalate); err != nil {
		return Report{}, err
	}
	in.Visitor, in.Description = strings.TrimSpace(in.Visitor), strings.TrimSpace(in.Description)
	switch {
	case in.Visitor == "" && in.CaseNo == "":
		return Report{}, apperr.Field("visitor", "err.required")
	case !slices.Contains(Causes, in.Cause):
		return Report{}, apperr.Field("cause", "err.escalation.cause")
	case in.Description == "":
		return Report{}, apperr.Field("description", "err.required")
	}
	now := s.now()
	r := Report{CaseNo: strings.TrimSpace(in.CaseNo), ItemName: strings.TrimSpace(in.ItemName), Visitor: in.Visitor,
		Phone: strings.TrimSpace(in.Phone), Cause: in.Cause, Description: in.Description, Reporter: p.Name,
		Department: p.DepartmentCode, Level: Zone, DueOn: s.due(calendar.DateOf(now), Zone), Status: Open, CreatedAt: now,
		History: []Step{{At: now, By: p.Username, What: "filed", Level: Zone}}}
	if err := s.store.CreateReport(ctx, &r, audit.New(p.Actor(), "escalation.file", "escalation", "").With(string(r.Cause))); err != nil {
		return Report{}, err
	}
	return r, nil
}
