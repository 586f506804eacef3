package cases

import (
	"context"
	"slices"

	"onevisit/internal/audit"
	"onevisit/internal/identity"
)

// system is the principal of the scheduled jobs.
var system = &identity.Principal{Username: "system", Name: "system", Kind: identity.Staff,
	Roles: []identity.Role{identity.Clerk, identity.Supervisor}}

// NoticeWindow is the working days within which a one-time notice must be
// given once materials are received (行政许可法 Art. 32).
const NoticeWindow = 5

// walkPage is how many cases a job reads at a time.
const walkPage = 500

// walk calls fn with every case matching f, walkPage cases at a time, so
// a job's memory does not grow with the number of cases (only their ids
// are listed whole). A case that stops matching f before its page is read
// is skipped; fn may change and store the case it is given.
func (s *Service) walk(ctx context.Context, f Filter, fn func(c *Case) error) error {
	ids, err := s.store.CaseIDs(ctx, f)
	if err != nil {
		return err
	}
	slices.Sort(ids)
	for len(ids) > 0 {
		n := min(walkPage, len(ids))
		page := f
		page.IDs, page.Page, page.Per = ids[:n], 1, n
		ids = ids[n:]
		list, _, err := s.store.Cases(ctx, page)
		if err != nil {
			return err
		}
		for i := range list {
			if err := fn(&list[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

// DeemAccepted accepts every case whose materials were received more than
// five working days ago without a notice or a refusal: by Art. 32 it
// counts as accepted from the day of receipt, so the clock starts then.
func (s *Service) DeemAccepted(ctx context.Context) (int, error) {
	cal, today := s.calendar.Current(), s.today()
	n := 0
	err := s.walk(ctx, Filter{Statuses: []Status{Received}}, func(c *Case) error {
		if c.ReceivedOn.IsZero() || cal.WorkdaysBetween(c.ReceivedOn, today) <= NoticeWindow {
			return nil
		}
		from := c.Status
		c.Status, c.Clock.Start, c.UpdatedAt = InReview, c.ReceivedOn, s.now()
		s.refresh(c)
		note := "行政许可法第三十二条：逾期未告知补正，自收到申请材料之日起即为受理"
		ev := Event{Action: Accept, From: from, To: InReview, Actor: system.Username, Note: note}
		if err := s.store.UpdateCase(ctx, c, from, ev, audit.New(system.Actor(), "case.deemed_accepted", "case", c.No).With(note)); err != nil {
			return err
		}
		n++
		return nil
	})
	return n, err
}

// RefreshWarnings recomputes the due dates and warnings of open cases and
// stores those that changed; it returns how many turned red.
func (s *Service) RefreshWarnings(ctx context.Context) (int, error) {
	red := 0
	err := s.walk(ctx, Filter{Statuses: []Status{InReview, Suspended}}, func(c *Case) error {
		before, due := c.Warning, c.DuePromised
		s.refresh(c)
		if c.Warning == before && c.DuePromised == due {
			return nil
		}
		if c.Warning == Red {
			red++
		}
		ev := Event{Action: "warning", From: c.Status, To: c.Status, Actor: system.Username, Note: string(c.Warning)}
		return s.store.UpdateCase(ctx, c, c.Status, ev, audit.New(system.Actor(), "case.warning", "case", c.No).With(string(c.Warning)))
	})
	return red, err
}
