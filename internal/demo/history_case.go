package demo

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"onevisit/internal/analytics"
	"onevisit/internal/calendar"
	"onevisit/internal/cases"
	"onevisit/internal/identity"
)

// generator makes one past case at a time.
type generator struct {
	cal   *calendar.Calendar
	today calendar.Date
	rng   *rand.Rand
	items []HistoryItem
	itemW []float64
	apps  []int64
}

func (g *generator) pick(cum []float64) int {
	return sort.SearchFloat64s(cum, g.rng.Float64())
}

// at is a time on day d in Shanghai, in office hours by the hour weights.
func (g *generator) at(d calendar.Date) time.Time {
	x, hour := g.rng.Float64(), 16
	for _, w := range hourWeights {
		if x <= w.cum {
			hour = w.hour
			break
		}
	}
	return d.In(calendar.Shanghai).Add(time.Duration(hour)*time.Hour + time.Duration(g.rng.IntN(3600))*time.Second)
}

var historyChannels = []struct {
	ch  cases.Channel
	cum float64
}{{cases.AtWindow, .45}, {cases.Online, .87}, {"self_service", .95}, {"phone", 1}}

func (g *generator) channel() cases.Channel {
	x := g.rng.Float64()
	for _, c := range historyChannels {
		if x <= c.cum {
			return c.ch
		}
	}
	return cases.Online
}

// gen makes the seq-th case received on day d, taken as far as its age allows.
func (g *generator) gen(d calendar.Date, seq int) analytics.HistoryCase {
	it := g.items[min(g.pick(g.itemW), len(g.items)-1)]
	t := g.at(d)
	c := cases.Case{No: fmt.Sprintf("%s9%06d", cases.NumberPrefix(Region, d), seq), ItemCode: it.Code, ItemVersion: 1,
		ItemName: it.Name, Department: it.Department, Channel: g.channel(), Status: cases.Received, ReceivedOn: d,
		CreatedAt: t, UpdatedAt: t, Materials: []cases.Material{},
		Applicant: cases.Applicant{ID: g.apps[g.rng.IntN(len(g.apps))], Kind: identity.Person, Name: "历史申请人"},
		Clock:     cases.Clock{Statutory: it.Statutory, Promised: it.Promised}}
	c.Visits = g.visits(c.Channel)
	h := analytics.HistoryCase{Events: []cases.Event{{Action: cases.Submit, To: cases.Received, At: t, Actor: "history"}}}
	roll := g.rng.IntN(100)
	switch {
	case roll < 3:
		g.move(&h, &c, cases.Refuse, t.Add(20*time.Minute))
	case roll < 6:
		g.move(&h, &c, cases.Notice, t.Add(20*time.Minute))
	default:
		g.review(&h, &c, t, roll)
	}
	if !c.DecidedAt.IsZero() {
		g.rate(&h, &c, it.Name)
	}
	h.Case = c
	return h
}

// visits: a window case is one visit, sometimes two; online cases mostly none.
func (g *generator) visits(ch cases.Channel) int {
	x := g.rng.IntN(100)
	switch {
	case ch == cases.AtWindow && x < 6:
		return 2
	case ch == cases.AtWindow:
		return 1
	case x < 8:
		return 1
	}
	return 0
}

// move applies an action at time t, recording its event.
func (g *generator) move(h *analytics.HistoryCase, c *cases.Case, a cases.Action, t time.Time) {
	to, _ := cases.Next(c.Status, a)
	h.Events = append(h.Events, cases.Event{Action: a, From: c.Status, To: to, At: t, Actor: "history"})
	c.Status, c.UpdatedAt = to, t
}

// review accepts the case and decides it after some working days, with a
// suspension now and then; a case whose decision day is not yet past stays
// in review.
func (g *generator) review(h *analytics.HistoryCase, c *cases.Case, t time.Time, roll int) {
	start := calendar.DateOf(t)
	c.Clock.Start = start
	g.move(h, c, cases.Accept, t.Add(15*time.Minute))
	promised := int(c.Clock.Promised+1) / 2
	used := g.rng.IntN(promised + 1)
	if roll >= 92 { // late: beyond the promised limit
		used = promised + 1 + g.rng.IntN(promised+2)
	}
	if roll < 10 { // a special procedure pauses the clock
		c.Clock.Paused = 1 + g.rng.IntN(5)
		sus := g.dayAfter(start, used/2)
		g.move(h, c, cases.Suspend, g.at(sus))
		g.move(h, c, cases.Resume, g.at(g.dayAfter(sus, c.Clock.Paused)))
	}
	cal := g.cal
	c.DuePromised = c.Clock.Due(cal, true, g.today)
	c.DueStatutory = c.Clock.Due(cal, false, g.today)
	decided := g.dayAfter(start, used+c.Clock.Paused)
	if !decided.Before(g.today) {
		c.Warning = c.Clock.Warning(cal, g.today)
		return
	}
	at := g.at(decided)
	if !at.After(h.Events[len(h.Events)-1].At) {
		at = h.Events[len(h.Events)-1].At.Add(time.Hour)
	}
	action := cases.Approve
	if roll%19 == 0 {
		action = cases.Deny
	}
	g.move(h, c, action, at)
	c.DecidedAt, c.Warning = at, ""
}

// dayAfter is the n-th working day after d (d itself when n is 0).
func (g *generator) dayAfter(d calendar.Date, n int) calendar.Date {
	if n <= 0 {
		return d
	}
	return g.cal.Due(d, 2*n).Date
}
