// Package cases is the heart of "最多跑一次": applications made online or at
// any window (无差别全科受理), the one-time notice of everything missing
// (一次性告知), acceptance, back-office review by the departments that
// implement the item, decisions, and the working-day clock that runs
// between acceptance and decision.
package cases

import (
	"slices"
	"time"

	"onevisit/internal/calendar"
	"onevisit/internal/identity"
)

// Channel is how an application came in.
type Channel string

// The channels.
const (
	AtWindow Channel = "window"
	Online   Channel = "online"
)

// Applicant is a natural or legal person a case is for; staff may register
// one at the window, an account may be linked to it.
type Applicant struct {
	ID       int64         `json:"id"`
	Kind     identity.Kind `json:"kind"` // person or legal
	Name     string        `json:"name"`
	IDNumber string        `json:"idNumber,omitempty"` // persons: GB 11643, validated
	USCC     string        `json:"uscc,omitempty"`     // legal persons: GB 32100, validated
	LegalRep string        `json:"legalRep,omitempty"`
	Phone    string        `json:"phone,omitempty"`
	UserID   int64         `json:"userId,omitempty"` // the applicant's own account, if any
}

// Code is the applicant's identifying code: ID number or USCC.
func (a Applicant) Code() string {
	if a.Kind == identity.Legal {
		return a.USCC
	}
	return a.IDNumber
}

// Agent is someone acting for the applicant (代办人).
type Agent struct {
	Name     string `json:"name,omitempty"`
	IDNumber string `json:"idNumber,omitempty"`
	Phone    string `json:"phone,omitempty"`
}

// Material is one line of a case's checklist, from the item version.
type Material struct {
	Code      string        `json:"code"`
	Name      string        `json:"name"`
	Required  bool          `json:"required"`
	Tolerant  bool          `json:"tolerant"` // may be promised later (容缺)
	Received  bool          `json:"received"`
	Promised  calendar.Date `json:"promisedBy,omitzero"` // a tolerant material promised by this day
	Problem   string        `json:"problem,omitempty"`   // what is wrong or missing (one-time notice)
	UploadSHA string        `json:"upload,omitempty"`    // an uploaded file, by SHA-256
	Licence   string        `json:"licence,omitempty"`   // provided by the licence registry: the licence identifier
}

// Case is one application (办件).
type Case struct {
	ID          int64             `json:"id"`
	No          string            `json:"no"` // case number, see NewNumber
	ParentNo    string            `json:"parentNo,omitempty"`
	BundleCode  string            `json:"bundleCode,omitempty"`
	Stage       int               `json:"stage,omitempty"` // a bundle sub-case's stage, from 0
	ItemCode    string            `json:"itemCode"`
	ItemVersion int               `json:"itemVersion"` // the guide version the case was accepted under
	ItemName    string            `json:"itemName"`
	Department  string            `json:"department"` // implementing department code
	Joint       []string          `json:"jointDepartments,omitempty"`
	Channel     Channel           `json:"channel"`
	Status      Status            `json:"status"`
	Applicant   Applicant         `json:"applicant"`
	Agent       Agent             `json:"agent,omitzero"`
	Materials   []Material        `json:"materials"`
	Form        map[string]string `json:"form,omitempty"`

	ReceivedOn   calendar.Date     `json:"receivedOn,omitzero"` // materials received (Art. 32 clock)
	Clock        Clock             `json:"clock"`
	DuePromised  calendar.Deadline `json:"duePromised,omitzero"`
	DueStatutory calendar.Deadline `json:"dueStatutory,omitzero"`
	Warning      Warning           `json:"warning,omitempty"`
	Visits       int               `json:"visits"`
	AcceptedBy   string            `json:"acceptedBy,omitempty"`
	Window       string            `json:"window,omitempty"`
	Decision     string            `json:"decision,omitempty"` // reason or opinion of the decision
	Notices      []NoticeRecord    `json:"notices,omitempty"`  // one-time notices given, oldest first
	VisitLog     []Visit           `json:"visitLog,omitempty"`
	CreatedAt    time.Time         `json:"createdAt"`
	UpdatedAt    time.Time         `json:"updatedAt"`
	DecidedAt    time.Time         `json:"decidedAt,omitzero"`
}

// OwnedBy reports whether p is the applicant of the case.
func (c *Case) OwnedBy(p *identity.Principal) bool {
	return p != nil && p.Token == nil && p.UserID != 0 && p.UserID == c.Applicant.UserID
}

// HandledBy reports whether p's department implements the case's item,
// alone or jointly.
func (c *Case) HandledBy(p *identity.Principal) bool {
	if p == nil || p.DepartmentCode == "" {
		return false
	}
	return p.DepartmentCode == c.Department || slices.Contains(c.Joint, p.DepartmentCode)
}

// VisibleTo reports whether p may see the case: its applicant, front-desk
// and supervising staff, and the departments that handle it.
func (c *Case) VisibleTo(p *identity.Principal) bool {
	switch {
	case p == nil:
		return false
	case c.OwnedBy(p):
		return true
	case p.Can(identity.PermCasesAccept), p.Can(identity.PermSupervise), p.Can(identity.PermLicencesIssue):
		return true
	case p.Can(identity.PermCasesApprove):
		return c.HandledBy(p)
	}
	return false
}

// Missing lists the required materials that were not received and were
// not promised under tolerant acceptance: what a one-time notice must name.
func (c *Case) Missing() []Material {
	var ms []Material
	for _, m := range c.Materials {
		if m.Problem != "" || (m.Required && !m.Received && !(m.Tolerant && !m.Promised.IsZero())) {
			ms = append(ms, m)
		}
	}
	return ms
}

// Waived counts the materials the licence registry provided, so the
// applicant did not have to bring them.
func (c Case) Waived() int {
	n := 0
	for _, m := range c.Materials {
		if m.Licence != "" {
			n++
		}
	}
	return n
}

// Event is one entry of a case's timeline.
type Event struct {
	Seq    int64     `json:"seq"`
	CaseNo string    `json:"caseNo"`
	At     time.Time `json:"at"`
	Action Action    `json:"action"`
	From   Status    `json:"from,omitempty"`
	To     Status    `json:"to"`
	Actor  string    `json:"actor"`
	Note   string    `json:"note,omitempty"`
}

// NoticeRecord is a one-time notice (一次性告知) as given: what was missing
// or wrong. A later notice may only name materials an earlier one named, so
// nothing new is demanded after the applicant was told "everything".
type NoticeRecord struct {
	Number string     `json:"number"`
	At     time.Time  `json:"at"`
	By     string     `json:"by"`
	Reason string     `json:"reason"`
	Items  []Material `json:"items"`
}

// Visit is one in-person visit that served the case (a called ticket).
type Visit struct {
	Ticket string    `json:"ticket"`
	At     time.Time `json:"at"`
}
