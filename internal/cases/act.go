package cases

import (
	"context"
	"fmt"
	"strings"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/catalog"
	"onevisit/internal/identity"
)

// ActInput is a transition request.
type ActInput struct {
	Action    Action  `json:"action"`
	Reason    string  `json:"reason,omitempty"`    // required for notice, refuse, suspend, extend, deny
	Days      float64 `json:"days,omitempty"`      // extend: working days, in half-day steps
	Materials []Tick  `json:"materials,omitempty"` // notice: the problems found
	Window    string  `json:"window,omitempty"`
	actor     string
}

// needsReason lists the actions that must say why: the applicant is owed a
// reason for every refusal, pause or delay.
var needsReason = map[Action]bool{Notice: true, Refuse: true, PretrialRefuse: true, PretrialCorrect: true,
	Suspend: true, Extend: true, Deny: true}

// Act moves case no by in.Action on behalf of p. An illegal move is a
// Conflict and changes nothing; so is a move that raced another one.
func (s *Service) Act(ctx context.Context, p *identity.Principal, no string, in ActInput) (Case, error) {
	c, err := s.store.Case(ctx, no)
	if err != nil {
		return Case{}, err
	}
	// Applicants learn nothing of others' cases; staff of another
	// department are told they may not act (Allowed says Forbidden).
	if !c.VisibleTo(p) && (p == nil || p.Kind != identity.Staff) {
		return Case{}, apperr.New(apperr.NotFound, "err.case_not_found")
	}
	if err := Allowed(p, &c, in.Action); err != nil {
		return Case{}, err
	}
	from := c.Status
	ev, err := s.decide(p, &c, in)
	if err != nil {
		return Case{}, err
	}
	a := audit.New(p.Actor(), "case."+string(in.Action), "case", c.No).With(ev.Note)
	if err := s.store.UpdateCase(ctx, &c, from, ev, a); err != nil {
		return Case{}, err
	}
	if c.ParentNo != "" && (c.Status == Approved || c.Status == Denied || c.Status == Withdrawn) {
		if err := s.advanceBundle(ctx, c.ParentNo); err != nil {
			return c, err
		}
	}
	return c, nil
}

// decide applies action in.Action to c in memory — status, effects, due
// dates — and returns the timeline event; the caller stores both.
func (s *Service) decide(p *identity.Principal, c *Case, in ActInput) (Event, error) {
	from := c.Status
	to, err := Next(from, in.Action)
	if err != nil {
		return Event{}, err
	}
	in.Reason = strings.TrimSpace(in.Reason)
	if needsReason[in.Action] && in.Reason == "" {
		return Event{}, apperr.Field("reason", "err.reason_required")
	}
	in.actor = p.Name
	note, err := s.effect(c, in)
	if err != nil {
		return Event{}, err
	}
	c.Status, c.UpdatedAt = to, s.now()
	s.refresh(c)
	return Event{Action: in.Action, From: from, To: to, Actor: p.Actor().Name, Note: note}, nil
}

// effect applies what an action does besides changing the status, and
// returns the note for the timeline.
func (s *Service) effect(c *Case, in ActInput) (string, error) {
	today := s.today()
	switch in.Action {
	case PretrialPass, Resubmit:
		if in.Action == PretrialPass {
			c.ReceivedOn = today
		}
		return in.Reason, nil
	case Accept:
		if missing := c.Missing(); len(missing) > 0 {
			return "", apperr.New(apperr.Conflict, "err.case_materials_missing", names(missing))
		}
		c.Clock.Start, c.AcceptedBy, c.Window = today, in.Window, firstNonEmpty(in.Window, c.Window)
		return "", nil
	case Notice:
		return s.notice(c, in)
	case Suspend:
		c.Clock.Suspend(today)
	case Resume:
		c.Clock.Resume(s.calendar.Current(), today)
	case Extend:
		half := catalog.HalfDays(in.Days * 2)
		if in.Days <= 0 || float64(half) != in.Days*2 || in.Days > 30 {
			return "", apperr.Field("days", "err.extend_days")
		}
		c.Clock.Extension += half
		return fmt.Sprintf("+%g: %s", in.Days, in.Reason), nil
	case Approve, Deny:
		c.Decision, c.DecidedAt = in.Reason, s.now()
	case Refuse, PretrialRefuse:
		c.Decision = in.Reason // the written refusal states it
	}
	return in.Reason, nil
}

// notice records a one-time notice: every problem found now plus every
// required material still missing, so nothing can be demanded later.
func (s *Service) notice(c *Case, in ActInput) (string, error) {
	if err := s.tickMaterials(c, in.Materials); err != nil {
		return "", err
	}
	missing := c.Missing()
	if len(missing) == 0 {
		return "", apperr.New(apperr.Conflict, "err.case_nothing_missing")
	}
	if len(c.Notices) > 0 {
		told := map[string]bool{}
		for _, n := range c.Notices {
			for _, m := range n.Items {
				told[m.Code] = true
			}
		}
		for _, m := range missing {
			if !told[m.Code] {
				return "", apperr.New(apperr.Conflict, "err.case_notice_new_demand", m.Name)
			}
		}
	}
	c.Notices = append(c.Notices, NoticeRecord{Number: fmt.Sprintf("G%d", len(c.Notices)+1), At: s.now(),
		By: in.actor, Reason: in.Reason, Items: missing})
	return in.Reason + " — " + names(missing), nil
}

func names(ms []Material) string {
	s := make([]string, len(ms))
	for i, m := range ms {
		s[i] = m.Name
		if m.Problem != "" {
			s[i] += "（" + m.Problem + "）"
		}
	}
	return strings.Join(s, "、")
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
