package cases

import (
	"slices"

	"onevisit/internal/apperr"
	"onevisit/internal/identity"
)

// Status is where a case stands.
type Status string

// The states of a case. The clock runs from acceptance; waiting for
// pre-review, corrections or a one-time notice does not count.
const (
	Draft       Status = "draft"       // online application being filled in
	Submitted   Status = "submitted"   // online, waiting for pre-review (预审)
	Corrections Status = "corrections" // pre-review asked for corrections
	Received    Status = "received"    // materials received, acceptance pending (≤ 5 working days)
	Noticed     Status = "noticed"     // one-time notice given (一次性告知), waiting for resubmission
	Refused     Status = "refused"     // not accepted (不予受理)
	InReview    Status = "in_review"   // accepted; the back office is deciding
	Suspended   Status = "suspended"   // clock paused for a special procedure
	Approved    Status = "approved"    // 准予许可
	Denied      Status = "denied"      // 不予许可
	Issued      Status = "issued"      // result issued (licence, paper)
	Delivered   Status = "delivered"   // result handed over or delivered by EMS
	Archived    Status = "archived"
	Withdrawn   Status = "withdrawn" // withdrawn by the applicant
)

// Statuses lists every status in the order of the spine.
var Statuses = []Status{Draft, Submitted, Corrections, Received, Noticed, Refused, InReview, Suspended,
	Approved, Denied, Issued, Delivered, Archived, Withdrawn, Waiting}

// Action is a transition of a case.
type Action string

// The transitions.
const (
	Submit          Action = "submit"
	PretrialPass    Action = "pretrial_pass"
	PretrialCorrect Action = "pretrial_correct"
	PretrialRefuse  Action = "pretrial_refuse"
	Resubmit        Action = "resubmit"
	Accept          Action = "accept"
	Notice          Action = "notice"
	Refuse          Action = "refuse"
	Suspend         Action = "suspend"
	Resume          Action = "resume"
	Extend          Action = "extend"
	CompleteStep    Action = "complete_step"
	Approve         Action = "approve"
	Deny            Action = "deny"
	Issue           Action = "issue"
	Deliver         Action = "deliver"
	Archive         Action = "archive"
	Withdraw        Action = "withdraw"
)

// who says which side of the counter may take an action.
type who int

const (
	applicantSide who = iota // the applicant (or their agent) on their own case
	staffSide                // staff holding the permission
)

// transition is one row of the transition table.
type transition struct {
	from []Status
	to   Status // "" means the status does not change (extend, complete_step)
	by   who
	perm identity.Permission
	dept bool // the actor must belong to a department that handles the case
}

// transitions is the one table of who may move a case from where to where.
var transitions = map[Action]transition{
	Submit:          {from: []Status{Draft}, to: Submitted, by: applicantSide, perm: identity.PermCasesApply},
	PretrialPass:    {from: []Status{Submitted}, to: Received, by: staffSide, perm: identity.PermCasesAccept},
	PretrialCorrect: {from: []Status{Submitted}, to: Corrections, by: staffSide, perm: identity.PermCasesAccept},
	PretrialRefuse:  {from: []Status{Submitted}, to: Refused, by: staffSide, perm: identity.PermCasesAccept},
	Resubmit:        {from: []Status{Corrections, Noticed}, to: Submitted, by: applicantSide, perm: identity.PermCasesApply},
	Accept:          {from: []Status{Received}, to: InReview, by: staffSide, perm: identity.PermCasesAccept},
	Notice:          {from: []Status{Received}, to: Noticed, by: staffSide, perm: identity.PermCasesAccept},
	Refuse:          {from: []Status{Received}, to: Refused, by: staffSide, perm: identity.PermCasesAccept},
	Suspend:         {from: []Status{InReview}, to: Suspended, by: staffSide, perm: identity.PermCasesApprove, dept: true},
	Resume:          {from: []Status{Suspended}, to: InReview, by: staffSide, perm: identity.PermCasesApprove, dept: true},
	Extend:          {from: []Status{InReview, Suspended}, by: staffSide, perm: identity.PermCasesApprove, dept: true},
	CompleteStep:    {from: []Status{InReview}, by: staffSide, perm: identity.PermCasesApprove, dept: true},
	Approve:         {from: []Status{InReview}, to: Approved, by: staffSide, perm: identity.PermCasesApprove, dept: true},
	Deny:            {from: []Status{InReview}, to: Denied, by: staffSide, perm: identity.PermCasesApprove, dept: true},
	Issue:           {from: []Status{Approved}, to: Issued, by: staffSide, perm: identity.PermLicencesIssue},
	Deliver:         {from: []Status{Issued}, to: Delivered, by: staffSide, perm: identity.PermLicencesIssue},
	Archive:         {from: []Status{Delivered, Denied, Refused, Withdrawn}, to: Archived, by: staffSide, perm: identity.PermSupervise},
	Withdraw:        {from: []Status{Draft, Submitted, Corrections, Received, Noticed, InReview, Suspended, Waiting}, to: Withdrawn, by: applicantSide, perm: identity.PermCasesApply},
}

// Actions lists every action, for the API and documentation.
func Actions() []Action {
	as := make([]Action, 0, len(transitions))
	for a := range transitions {
		as = append(as, a)
	}
	slices.Sort(as)
	return as
}

// Valid reports whether a is a known action.
func (a Action) Valid() bool { _, ok := transitions[a]; return ok }

// Next returns the status a case in status from moves to by action a, or
// an error: Conflict if the move is illegal from this status.
func Next(from Status, a Action) (Status, error) {
	t, ok := transitions[a]
	if !ok {
		return "", apperr.New(apperr.NotFound, "err.case_action_unknown", a)
	}
	if !slices.Contains(t.from, from) {
		return "", apperr.New(apperr.Conflict, "err.case_transition", a, from)
	}
	if t.to == "" {
		return from, nil
	}
	return t.to, nil
}

// Allowed says whether principal p may take action a on case c (the
// status is checked separately, by Next). Applicant-side actions are the
// applicant's own; staff-side actions need the permission, and back-office
// actions a department that handles the case. A case another applicant
// cannot see is reported as NotFound, not Forbidden.
func Allowed(p *identity.Principal, c *Case, a Action) error {
	t, ok := transitions[a]
	if !ok {
		return apperr.New(apperr.NotFound, "err.case_action_unknown", a)
	}
	if err := p.Require(t.perm); err != nil {
		return err
	}
	if t.by == applicantSide {
		if !c.OwnedBy(p) {
			return apperr.New(apperr.NotFound, "err.case_not_found")
		}
		return nil
	}
	if t.dept && !c.HandledBy(p) {
		return apperr.New(apperr.Forbidden, "err.case_other_department")
	}
	return nil
}

// Terminal reports whether no further action can change the status.
func (s Status) Terminal() bool { return s == Archived }

// ClockRunning reports whether time counts against the case's limits.
func (s Status) ClockRunning() bool { return s == InReview }

// Open reports whether the case still awaits a decision.
func (s Status) Open() bool {
	switch s {
	case Received, InReview, Suspended:
		return true
	}
	return false
}
