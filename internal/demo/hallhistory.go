package demo

import (
	"context"
	"crypto/rand"
	"fmt"
	"math"
	mrand "math/rand/v2"
	"slices"
	"strings"
	"time"

	"onevisit/internal/calendar"
	"onevisit/internal/queue"
)

// HistoryStore stores simulated past tickets (sqlstore.QueueStore).
type HistoryStore interface {
	InsertHistory(ctx context.Context, hallID int64, ts []queue.Ticket) (bool, error)
}

// Calendar gives the working days.
type Calendar interface{ Current() *calendar.Calendar }

// HistoryWeeks is how many weeks of tickets the demo hall gets.
const HistoryWeeks = 6

// zoneProfile is a zone's simulated demand: arrivals per hour on an
// ordinary day and the mean service time.
type zoneProfile struct {
	perHour float64
	service time.Duration
}

var zoneProfiles = map[string]zoneProfile{
	"A": {18, 7 * time.Minute}, "B": {14, 10 * time.Minute}, "C": {5, 18 * time.Minute},
	"D": {10, 3 * time.Minute}, "E": {8, 4 * time.Minute},
}

// hourShape is the share of an ordinary hour's arrivals in each hour the
// hall is busy: a morning peak, the lunch dip, a smaller afternoon peak.
var hourShape = map[int]float64{8: 0.6, 9: 1.35, 10: 1.45, 11: 1.1, 12: 0.3, 13: 0.55, 14: 1.15, 15: 1.0, 16: 0.6}

// weekdayShape: Mondays are the busiest, Thursdays the quietest.
var weekdayShape = map[time.Weekday]float64{time.Monday: 1.5, time.Tuesday: 1.1, time.Wednesday: 1.0, time.Thursday: 0.9, time.Friday: 1.05}

// SeedHallHistory fills the demo hall with HistoryWeeks of simulated
// tickets on the working days before today, so that the hall statistics
// and the staffing advice show real shapes. It does nothing when the
// history is already there.
func SeedHallHistory(ctx context.Context, store HistoryStore, svc *queue.Service, cal Calendar) error {
	h, err := svc.Hall(ctx, HallCode)
	if err != nil {
		return fmt.Errorf("demo hall history: %w", err)
	}
	today := calendar.DateOf(time.Now())
	rng := mrand.New(mrand.NewPCG(2026, 5))
	var ts []queue.Ticket
	for d := today.AddDays(-7 * HistoryWeeks); d.Before(today); d = d.AddDays(1) {
		if cal.Current().IsWorkday(d) {
			ts = append(ts, simulateDay(h, d, rng)...)
		}
	}
	if _, err := store.InsertHistory(ctx, h.ID, ts); err != nil {
		return fmt.Errorf("demo hall history: %w", err)
	}
	return nil
}

// simulateDay draws a day's arrivals (Poisson per zone and hour) and
// serves them first come, first served at the earliest free window that
// serves the zone.
func simulateDay(h queue.Hall, day calendar.Date, rng *mrand.Rand) []queue.Ticket {
	type arrival struct {
		zone queue.Zone
		at   time.Time
	}
	var as []arrival
	open := day.In(calendar.Shanghai)
	for _, z := range h.Zones {
		p := zoneProfiles[z.Prefix]
		for hour, shape := range hourShape {
			n := poisson(rng, p.perHour*shape*weekdayShape[day.Weekday()])
			for range n {
				start := open.Add(time.Duration(hour) * time.Hour)
				if hour == 8 {
					start = start.Add(30 * time.Minute) // the hall opens at 08:30
				}
				span := open.Add(time.Duration(hour+1) * time.Hour).Sub(start)
				as = append(as, arrival{z, start.Add(time.Duration(rng.Int64N(int64(span))))})
			}
		}
	}
	slices.SortFunc(as, func(a, b arrival) int { return a.at.Compare(b.at) })
	free := map[int64]time.Time{}
	seq := map[string]int{}
	ts := make([]queue.Ticket, 0, len(as))
	for _, a := range as {
		seq[a.zone.Prefix]++
		ts = append(ts, serve(h, day, a.zone, a.at, seq[a.zone.Prefix], free, rng))
	}
	return ts
}

// serve calls the ticket at the window serving its zone that is free
// first, and completes it (or marks 4 % of them no-shows).
func serve(h queue.Hall, day calendar.Date, z queue.Zone, at time.Time, no int, free map[int64]time.Time, rng *mrand.Rand) queue.Ticket {
	var w queue.Window
	for _, c := range h.Windows {
		if c.Serves(z.ID) && (w.ID == 0 || free[c.ID].Before(free[w.ID])) {
			w = c
		}
	}
	t := queue.Ticket{Token: strings.ToLower(rand.Text()[:16]), ZoneID: z.ID, Day: day, No: fmt.Sprintf("%s%03d", z.Prefix, no),
		Channel: queue.Kiosk, Status: queue.Done, QueuedAt: at, IssuedAt: at, WindowID: w.ID}
	if no%23 == 0 {
		t.Reason, t.Priority = queue.Elderly, queue.Elderly.Level()
	}
	t.CalledAt = at
	if free[w.ID].After(at) {
		t.CalledAt = free[w.ID]
	}
	mean := zoneProfiles[z.Prefix].service
	service := time.Duration(float64(mean) * math.Exp(rng.NormFloat64()*0.5-0.125)) // log-normal, mean ≈ mean
	if rng.Float64() < 0.04 {
		t.Status, service = queue.NoShow, 2*time.Minute // three recalls, then 过号
	}
	t.DoneAt = t.CalledAt.Add(service)
	free[w.ID] = t.DoneAt.Add(30 * time.Second)
	return t
}

// poisson draws a Poisson number with mean lambda (Knuth; lambda is small).
func poisson(rng *mrand.Rand, lambda float64) int {
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}
