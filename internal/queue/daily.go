package queue

import (
	"cmp"
	"context"
	"slices"

	"onevisit/internal/calendar"
	"onevisit/internal/identity"
)

// Daily statistics and the tickets behind them, for the leaders' dashboard.

// Daily is a hall's waiting and service times per day of a period (days
// without tickets included, empty) and over the whole period.
type Daily struct {
	Hall  string        `json:"hall"`
	From  calendar.Date `json:"from"`
	To    calendar.Date `json:"to"`
	Total Group         `json:"total"`
	Days  []Group       `json:"days"` // Key is the day, YYYY-MM-DD
}

// Daily returns the hall's per-day statistics from … to.
func (s *Service) Daily(ctx context.Context, p *identity.Principal, code string, from, to calendar.Date) (Daily, error) {
	h, from, to, visits, err := s.history(ctx, p, code, from, to)
	if err != nil {
		return Daily{}, err
	}
	return SummarizeDays(h, from, to, visits), nil
}

// SummarizeDays groups visits by day.
func SummarizeDays(h Hall, from, to calendar.Date, visits []Visit) Daily {
	d := Daily{Hall: h.Code, From: from, To: to}
	total, days := &groupAcc{g: Group{Key: "total"}}, map[string]*groupAcc{}
	for _, v := range visits {
		total.add(v)
		accOf(days, v.Day.String()).add(v)
	}
	for day := from; !day.After(to); day = day.AddDays(1) {
		d.Days = append(d.Days, accOf(days, day.String()).done())
	}
	d.Total = total.done()
	return d
}

// TicketsPer is the page size of a ticket list.
const TicketsPer = 50

// TicketPage is one page of a hall's tickets, newest first.
type TicketPage struct {
	Hall    Hall    `json:"-"`
	Tickets []Visit `json:"tickets"`
	Page    int     `json:"page"`
	More    bool    `json:"more"`
}

// Tickets lists a page of the hall's tickets taken from … to, newest
// first: the tickets behind the daily statistics.
func (s *Service) Tickets(ctx context.Context, p *identity.Principal, code string, from, to calendar.Date, page int) (TicketPage, error) {
	h, _, _, visits, err := s.history(ctx, p, code, from, to)
	if err != nil {
		return TicketPage{}, err
	}
	slices.SortFunc(visits, func(a, b Visit) int { return cmp.Compare(b.Issued.UnixMicro(), a.Issued.UnixMicro()) })
	pg := TicketPage{Hall: h, Page: max(page, 1), Tickets: []Visit{}}
	start := (pg.Page - 1) * TicketsPer
	if start < len(visits) {
		end := min(start+TicketsPer, len(visits))
		pg.Tickets, pg.More = visits[start:end], end < len(visits)
	}
	return pg, nil
}

// history checks and fills in the period (period) and reads the hall's
// tickets of it.
func (s *Service) history(ctx context.Context, p *identity.Principal, code string, from, to calendar.Date) (h Hall, _, _ calendar.Date, _ []Visit, err error) {
	if err = requireAnalyst(p); err != nil {
		return h, from, to, nil, err
	}
	if from, to, err = s.period(from, to); err != nil {
		return h, from, to, nil, err
	}
	if h, err = s.setUp(ctx, code); err != nil {
		return h, from, to, nil, err
	}
	visits, err := s.store.History(ctx, h.ID, from, to)
	return h, from, to, visits, err
}
