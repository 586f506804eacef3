package escalation

import (
	"context"
	"strconv"
	"strings"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/calendar"
	"onevisit/internal/identity"
)

// Resolution closes a report.
type Resolution struct {
	Resolution string `json:"resolution"` // the answer fed back to the applicant
	Negative   bool   `json:"negative"`   // the matter cannot be done (否定答复)
	Reason     string `json:"reason"`     // required with a negative answer
}

// Resolve closes a report with its resolution. Supervisors resolve at any
// level; front-desk staff only while it is still on the floor (办理区).
func (s *Service) Resolve(ctx context.Context, p *identity.Principal, id int64, in Resolution) (Report, error) {
	r, err := s.store.Report(ctx, id)
	if err != nil {
		return Report{}, err
	}
	if err := mayResolve(p, &r); err != nil {
		return Report{}, err
	}
	if r.Status != Open {
		return Report{}, apperr.New(apperr.Conflict, "err.escalation.closed")
	}
	in.Resolution, in.Reason = strings.TrimSpace(in.Resolution), strings.TrimSpace(in.Reason)
	if in.Resolution == "" {
		return Report{}, apperr.Field("resolution", "err.required")
	}
	if in.Negative && in.Reason == "" {
		return Report{}, apperr.Field("reason", "err.escalation.negative_reason")
	}
	now := s.now()
	r.Status, r.Resolution, r.Negative, r.Reason, r.ResolvedAt = Resolved, in.Resolution, in.Negative, in.Reason, now
	r.History = append(r.History, Step{At: now, By: p.Username, What: "resolved", Level: r.Level, Note: in.Resolution})
	a := audit.New(p.Actor(), "escalation.resolve", "escalation", strconv.FormatInt(r.ID, 10))
	if err := s.store.UpdateReport(ctx, &r, r.Level, Open, a); err != nil {
		return Report{}, err
	}
	return r, nil
}

func mayResolve(p *identity.Principal, r *Report) error {
	switch {
	case p == nil:
		return apperr.New(apperr.Unauthenticated, "err.unauthenticated")
	case p.Can(identity.PermSupervise):
		return nil
	case r.Level == Zone && p.Can(identity.PermEscalate):
		return nil
	}
	return apperr.New(apperr.Forbidden, "err.escalation.level")
}

// Reports lists reports for the board: open ones by default.
func (s *Service) Reports(ctx context.Context, p *identity.Principal, status Status) ([]Report, error) {
	if err := mayRead(p); err != nil {
		return nil, err
	}
	return s.store.Reports(ctx, status, 500)
}

// Report returns one report.
func (s *Service) Report(ctx context.Context, p *identity.Principal, id int64) (Report, error) {
	if err := mayRead(p); err != nil {
		return Report{}, err
	}
	return s.store.Report(ctx, id)
}

// mayRead lets staff who file reports, and leaders, see them.
func mayRead(p *identity.Principal) error {
	if p == nil {
		return apperr.New(apperr.Unauthenticated, "err.unauthenticated")
	}
	if !p.Can(identity.PermEscalate) && !p.Can(identity.PermDashboards) {
		return apperr.New(apperr.Forbidden, "err.forbidden")
	}
	return nil
}

// Escalate raises every open report whose deadline passed before the day
// of at by one level per missed deadline, each new level's deadline
// counted from the previous one, so a run after a long gap catches up and
// a second run at the same time changes nothing. A report past the top
// level's deadline is flagged overdue. It returns how many levels it
// raised in all.
func (s *Service) Escalate(ctx context.Context, at time.Time) (int, error) {
	today := calendar.DateOf(at)
	list, err := s.store.Reports(ctx, Open, 100000)
	if err != nil {
		return 0, err
	}
	raised := 0
	for _, r := range list {
		from, overdue := r.Level, r.Overdue
		for r.DueOn.Before(today) && r.Level < Top {
			r.Level++
			r.DueOn = s.due(r.DueOn, r.Level)
			r.History = append(r.History, Step{At: at, By: "system", What: "escalated", Level: r.Level})
		}
		r.Overdue = r.Level == Top && r.DueOn.Before(today)
		if r.Level == from && r.Overdue == overdue {
			continue
		}
		a := audit.New(audit.System, "escalation.escalate", "escalation", strconv.FormatInt(r.ID, 10)).
			With(strconv.Itoa(int(from)) + "→" + strconv.Itoa(int(r.Level)))
		if err := s.store.UpdateReport(ctx, &r, from, Open, a); err != nil {
			return raised, err
		}
		raised += int(r.Level - from)
	}
	return raised, nil
}
