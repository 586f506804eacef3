package appointments

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"

	"onevisit/internal/apperr"
	"onevisit/internal/calendar"
	"onevisit/internal/catalog"
	"onevisit/internal/queue"
)

// minutes parses "HH:MM" into minutes after midnight; -1 when malformed.
func minutes(hhmm string) int {
	if len(hhmm) != 5 || hhmm[2] != ':' {
		return -1
	}
	h, err1 := strconv.Atoi(hhmm[:2])
	m, err2 := strconv.Atoi(hhmm[3:])
	if err1 != nil || err2 != nil || h < 0 || h > 24 || m < 0 || m > 59 {
		return -1
	}
	return h*60 + m
}

func hhmm(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }

// Periods lists the start and end ("HH:MM") of a day's slots: slotMinutes
// long, from the later of the two openings to the earlier of the two
// closings, the last slot ending by closing time.
func Periods(hallOpens, hallCloses, opens, closes string, slotMinutes int) [][2]string {
	from := max(minutes(hallOpens), minutes(opens))
	to := min(minutes(hallCloses), minutes(closes))
	var ps [][2]string
	for t := from; slotMinutes > 0 && t+slotMinutes <= to; t += slotMinutes {
		ps = append(ps, [2]string{hhmm(t), hhmm(t + slotMinutes)})
	}
	return ps
}

// SlotCapacity is the places per slot: the configured capacity, or the
// daily quota spread over the slots (rounded up, at least one).
func SlotCapacity(configured, dailyQuota, slots int) int {
	if configured > 0 {
		return configured
	}
	if slots == 0 || dailyQuota <= 0 {
		return 1
	}
	return (dailyQuota + slots - 1) / slots
}

// bookable loads a bookable item and the hall it is booked at.
func (s *Service) bookable(ctx context.Context, itemCode, hallCode string) (catalog.Item, queue.Hall, error) {
	it, err := s.catalog.Item(ctx, itemCode)
	if err != nil {
		return catalog.Item{}, queue.Hall{}, err
	}
	if !it.Bookable {
		return catalog.Item{}, queue.Hall{}, apperr.Field("item", "err.appt.not_bookable")
	}
	h, err := s.hallOf(ctx, hallCode)
	return it, h, err
}

// hallOf is the hall with code, or the first hall when code is empty.
func (s *Service) hallOf(ctx context.Context, code string) (queue.Hall, error) {
	if code != "" {
		return s.hall.Hall(ctx, code)
	}
	hs, err := s.hall.Halls(ctx)
	if err != nil {
		return queue.Hall{}, err
	}
	if len(hs) == 0 {
		return queue.Hall{}, apperr.New(apperr.NotFound, "err.queue.not_found")
	}
	return s.hall.Hall(ctx, hs[0].Code)
}

// Slots lists an item's slots on day at the hall (the first hall when
// hallCode is empty), with their free places. Days that are not working
// days, or beyond the booking horizon, have none.
func (s *Service) Slots(ctx context.Context, itemCode, hallCode string, day calendar.Date) ([]Slot, error) {
	it, h, err := s.bookable(ctx, itemCode, hallCode)
	if err != nil {
		return nil, err
	}
	return s.slotsOf(ctx, it, h, day)
}

func (s *Service) slotsOf(ctx context.Context, it catalog.Item, h queue.Hall, day calendar.Date) ([]Slot, error) {
	if !s.Bookable(day) {
		return []Slot{}, nil
	}
	booked, err := s.store.Booked(ctx, it.Code, day)
	if err != nil {
		return nil, err
	}
	ps := Periods(h.Opens, h.Closes, s.cfg.Opens, s.cfg.Closes, s.cfg.SlotMinutes)
	capacity := SlotCapacity(s.cfg.SlotCapacity, it.DailyQuota, len(ps))
	now := s.now()
	slots := make([]Slot, 0, len(ps))
	for _, p := range ps {
		sl := Slot{Day: day, Starts: p[0], Ends: p[1], Capacity: capacity, Booked: booked[p[0]]}
		sl.Available = max(capacity-sl.Booked, 0)
		sl.Past = !now.Before(at(day, p[0]))
		slots = append(slots, sl)
	}
	return slots, nil
}

// Bookable reports whether day takes bookings: a working day from today to
// the horizon.
func (s *Service) Bookable(day calendar.Date) bool {
	today := s.today()
	return !day.Before(today) && !day.After(today.AddDays(s.cfg.HorizonDays)) && s.calendar.Current().IsWorkday(day)
}

// Days lists the days that take bookings, soonest first.
func (s *Service) Days() []calendar.Date {
	var ds []calendar.Date
	for d := s.today(); !d.After(s.today().AddDays(s.cfg.HorizonDays)); d = d.AddDays(1) {
		if s.Bookable(d) {
			ds = append(ds, d)
		}
	}
	return ds
}

// FirstOpen is the first bookable day with a slot still open, and its
// slots: after office hours, or when today is fully booked, an applicant
// is shown the next day they can actually choose. With none, it is the
// first day (or the zero date when no day is bookable).
func (s *Service) FirstOpen(ctx context.Context, itemCode string) (calendar.Date, []Slot, error) {
	it, h, err := s.bookable(ctx, itemCode, "")
	if err != nil {
		return calendar.Date{}, nil, err
	}
	days := s.Days()
	var first []Slot
	for i, day := range days {
		slots, err := s.slotsOf(ctx, it, h, day)
		if err != nil {
			return day, nil, err
		}
		if slices.ContainsFunc(slots, Slot.Open) {
			return day, slots, nil
		}
		if i == 0 {
			first = slots
		}
	}
	if len(days) == 0 {
		return calendar.Date{}, []Slot{}, nil
	}
	return days[0], first, nil
}

// Items lists the bookable published items, by name.
func (s *Service) Items(ctx context.Context) ([]catalog.Item, error) {
	var out []catalog.Item
	for page := 1; ; page++ {
		res, err := s.catalog.Search(ctx, catalog.Query{Page: page, PerPage: catalog.MaxPerPage})
		if err != nil {
			return nil, err
		}
		for _, it := range res.Items {
			if it.Bookable {
				out = append(out, it)
			}
		}
		if page*res.PerPage >= res.Total || len(res.Items) == 0 {
			break
		}
	}
	slices.SortFunc(out, func(a, b catalog.Item) int { return cmp.Compare(a.Name, b.Name) })
	return out, nil
}

// BlockedUntil is the day booking is allowed again for someone whose
// no-shows fell on the given days, or the zero Date when it is allowed
// today: n no-shows within window days block booking for block days after
// the n-th of them.
func BlockedUntil(noShows []calendar.Date, n, window, block int, today calendar.Date) calendar.Date {
	ds := slices.Clone(noShows)
	slices.SortFunc(ds, func(a, b calendar.Date) int { return a.Compare(b) })
	var until calendar.Date
	for i := n - 1; i < len(ds); i++ {
		if ds[i-n+1].AddDays(window).After(ds[i]) {
			if end := ds[i].AddDays(block + 1); end.After(until) {
				until = end
			}
		}
	}
	if !until.After(today) {
		return calendar.Date{}
	}
	return until
}

// slotAt finds the slot starting at starts among slots.
func slotAt(slots []Slot, starts string) (Slot, bool) {
	i := slices.IndexFunc(slots, func(s Slot) bool { return s.Starts == starts })
	if i < 0 {
		return Slot{}, false
	}
	return slots[i], true
}
