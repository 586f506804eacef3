package cases

import (
	"context"

	"onevisit/internal/audit"
	"onevisit/internal/identity"
)

// system is the principal of the scheduled jobs.
var system = &identity.Principal{Username: "system", Name: "system", Kind: identity.Staff,
	Roles: []identity.Role{identity.Clerk, identity.Supervisor}}

// NoticeWindow is the working days within which a one-time notice must be
// given once materials are received (行政许可法 Art. 32).
const NoticeWindow = 5

// DeemAccepted accepts every case whose materials were received more than
// five working days ago without a notice or a refusal: by Art. 32 it
// counts as accepted from the day of receipt, so the clock starts then.
func (s *Service) DeemAccepted(ctx context.Context) (int, error) {
	cal, today := s.calendar.Current(), s.today()
	list, _, err := s.store.Cases(ctx, Filter{Statuses: []Status{Received}, Per: 10000, Page: 1})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, c := range list {
		if c.ReceivedOn.IsZero() || cal.WorkdaysBetween(c.ReceivedOn, today) <= NoticeWindow {
			continue
		}
		from := c.Status
		c.Status, c.Clock.Start, c.UpdatedAt = InReview, c.ReceivedOn, s.now()
		s.refresh(&c)
		note := "行政许可法第三十二条：逾期未告知补正，自收到申请材料之日起即为受理"
		ev := Event{Action: Accept, From: from, To: InReview, Actor: system.Username, Note: note}
		if err := s.store.UpdateCase(ctx, &c, from, ev, audit.New(system.Actor(), "case.deemed_accepted", "case", c.No).With(note)); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// RefreshWarnings recomputes the due dates and warnings of open cases and
// stores those that changed; it returns how many turned red.
func (s *Service) RefreshWarnings(ctx context.Context) (int, error) {
	list, _, err := s.store.Cases(ctx, Filter{Statuses: []Status{InReview, Suspended}, Per: 100000, Page: 1})
	if err != nil {
		return 0, err
	}
	red := 0
	for _, c := range list {
		before, due := c.Warning, c.DuePromised
		s.refresh(&c)
		if c.Warning == before && c.DuePromised == due {
			continue
		}
		if c.Warning == Red {
			red++
		}
		ev := Event{Action: "warning", From: c.Status, To: c.Status, Actor: system.Username, Note: string(c.Warning)}
		if err := s.store.UpdateCase(ctx, &c, c.Status, ev, audit.New(system.Actor(), "case.warning", "case", c.No).With(string(c.Warning))); err != nil {
			return red, err
		}
	}
	return red, nil
}
