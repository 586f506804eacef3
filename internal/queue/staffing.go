package queue

import (
	"context"
	"math"
	"slices"
	"strconv"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/calendar"
	"onevisit/internal/identity"
)

// ErlangC is the probability that an arrival waits (M/M/n queue) with n
// windows and an offered load of a Erlangs (arrival rate × mean service
// time). It is 1 when n ≤ a: the queue grows without bound. It goes through
// the Erlang B recursion, which stays exact where factorials overflow.
func ErlangC(n int, a float64) float64 {
	if a <= 0 {
		return 0
	}
	if float64(n) <= a {
		return 1
	}
	b := 1.0
	for k := 1; k <= n; k++ {
		b = a * b / (float64(k) + a*b)
	}
	return float64(n) * b / (float64(n) - a*(1-b))
}

// ServiceLevel is the share of arrivals called within t when n windows face
// load a with mean service time aht: 1 − C(n, a)·e^(−(n−a)·t/aht).
func ServiceLevel(n int, a float64, aht, t time.Duration) float64 {
	if a <= 0 {
		return 1
	}
	if float64(n) <= a {
		return 0
	}
	return 1 - ErlangC(n, a)*math.Exp(-(float64(n)-a)*t.Seconds()/aht.Seconds())
}

// Target is the service level the advice aims at: Share of visitors called
// within Within (e.g. 80 % within 10 minutes).
type Target struct {
	Share  float64       `json:"share"`
	Within time.Duration `json:"within"`
}

// DefaultTarget is 80 % within 10 minutes.
var DefaultTarget = Target{Share: 0.8, Within: 10 * time.Minute}

// WindowsNeeded is the fewest windows that meet the target for arrivals per
// hour with mean service time aht; 0 when nobody arrives.
func WindowsNeeded(perHour float64, aht time.Duration, t Target) int {
	if perHour <= 0 || aht <= 0 {
		return 0
	}
	a := perHour * aht.Hours()
	for n := max(1, int(math.Floor(a))+1); n < 10000; n++ {
		if ServiceLevel(n, a, aht, t.Within) >= t.Share {
			return n
		}
	}
	return 10000
}

// ZoneNeed is one zone's load in one hour.
type ZoneNeed struct {
	Zone     string  `json:"zone"`
	Arrivals float64 `json:"arrivals"` // per hour, mean over the days
	Service  float64 `json:"service"`  // mean service time, minutes
	Load     float64 `json:"load"`     // Erlangs
	Needed   int     `json:"needed"`
}

// HourAdvice compares the windows needed in one hour with those that served.
type HourAdvice struct {
	Hour   string     `json:"hour"` // "09:00"
	Zones  []ZoneNeed `json:"zones"`
	Needed int        `json:"needed"` // each zone its own windows
	Pooled int        `json:"pooled"` // every zone at comprehensive windows
	Open   float64    `json:"open"`   // windows that called tickets, mean over the days
}

// Merge is a pair of zones whose combined load needs fewer windows.
type Merge struct {
	Zones    [2]string `json:"zones"`
	Separate int       `json:"separate"` // window-hours a day, each zone on its own
	Together int       `json:"together"` // window-hours a day, served together
}

// Staffing is the staffing advice for a hall.
type Staffing struct {
	Hall   string        `json:"hall"`
	From   calendar.Date `json:"from"`
	To     calendar.Date `json:"to"`
	Days   int           `json:"days"`
	Target Target        `json:"target"`
	Zones  []string      `json:"zones"`
	Hours  []HourAdvice  `json:"hours"`
	Merges []Merge       `json:"merges"`
}

// load is what the advice needs of one zone: arrivals per hour of day and
// its service times.
type load struct {
	name     string
	arrivals map[int]int
	service  []time.Duration
}

func (l load) aht() time.Duration {
	if len(l.service) == 0 {
		return 0
	}
	var sum time.Duration
	for _, d := range l.service {
		sum += d
	}
	return sum / time.Duration(len(l.service))
}

// Advise computes the staffing advice from visits to hall h: per zone and
// hour of the day, the mean arrivals over the days with tickets and the
// zone's mean service time give the windows needed (Erlang C).
func Advise(h Hall, from, to calendar.Date, visits []Visit, t Target) Staffing {
	st := Staffing{Hall: h.Code, From: from, To: to, Target: t, Hours: []HourAdvice{}, Merges: []Merge{}}
	loads, order := zoneLoads(h, visits)
	days, open := windowsOpen(visits)
	st.Days = len(days)
	if st.Days == 0 {
		return st
	}
	for _, id := range order {
		st.Zones = append(st.Zones, loads[id].name)
	}
	for hour := range 24 {
		ha := adviseHour(hour, order, loads, float64(st.Days), t)
		if ha.Needed == 0 {
			continue
		}
		ha.Open = math.Round(float64(open[hour])/float64(st.Days)*10) / 10
		st.Hours = append(st.Hours, ha)
	}
	st.Merges = merges(st.Hours, t)
	return st
}

func zoneLoads(h Hall, visits []Visit) (map[int64]*load, []int64) {
	loads := map[int64]*load{}
	var order []int64
	for _, z := range h.Zones {
		loads[z.ID] = &load{name: z.Prefix + " " + z.Name, arrivals: map[int]int{}}
		order = append(order, z.ID)
	}
	for _, v := range visits {
		l, ok := loads[v.ZoneID]
		if !ok {
			continue
		}
		l.arrivals[v.Issued.In(calendar.Shanghai).Hour()]++
		if d, ok := v.Service(); ok {
			l.service = append(l.service, d)
		}
	}
	return loads, order
}

// windowsOpen counts the days with tickets and, per hour of the day, the
// windows that called a ticket in it, summed over the days.
func windowsOpen(visits []Visit) (map[calendar.Date]bool, map[int]int) {
	days := map[calendar.Date]bool{}
	type key struct {
		day    calendar.Date
		hour   int
		window int
	}
	seen := map[key]bool{}
	open := map[int]int{}
	for _, v := range visits {
		days[v.Day] = true
		if v.WindowNo == 0 || v.Called.IsZero() {
			continue
		}
		k := key{v.Day, v.Called.In(calendar.Shanghai).Hour(), v.WindowNo}
		if !seen[k] {
			seen[k] = true
			open[k.hour]++
		}
	}
	return days, open
}

func adviseHour(hour int, order []int64, loads map[int64]*load, days float64, t Target) HourAdvice {
	ha := HourAdvice{Hour: hourKey(hour)}
	var total, work float64 // arrivals and their service minutes, all zones
	for _, id := range order {
		l := loads[id]
		lambda, aht := float64(l.arrivals[hour])/days, l.aht()
		zn := ZoneNeed{Zone: l.name, Arrivals: round1(lambda), Service: round1(aht.Minutes()),
			Load: math.Round(lambda*aht.Hours()*100) / 100, Needed: WindowsNeeded(lambda, aht, t)}
		ha.Zones = append(ha.Zones, zn)
		ha.Needed += zn.Needed
		total += lambda
		work += lambda * aht.Minutes()
	}
	if total > 0 {
		ha.Pooled = WindowsNeeded(total, time.Duration(work/total*float64(time.Minute)), t)
	}
	return ha
}

// merges lists zone pairs that need fewer window-hours together than
// apart, the biggest saving first, each zone in one pair at most.
func merges(hours []HourAdvice, t Target) []Merge {
	var all []Merge
	if len(hours) == 0 {
		return []Merge{}
	}
	n := len(hours[0].Zones)
	for i := range n {
		for j := i + 1; j < n; j++ {
			m := Merge{Zones: [2]string{hours[0].Zones[i].Zone, hours[0].Zones[j].Zone}}
			for _, h := range hours {
				m.Separate += h.Zones[i].Needed + h.Zones[j].Needed
				m.Together += pairNeed(h.Zones[i], h.Zones[j], t)
			}
			if m.Together < m.Separate {
				all = append(all, m)
			}
		}
	}
	slices.SortStableFunc(all, func(a, b Merge) int { return (b.Separate - b.Together) - (a.Separate - a.Together) })
	used := map[string]bool{}
	out := []Merge{}
	for _, m := range all {
		if !used[m.Zones[0]] && !used[m.Zones[1]] {
			used[m.Zones[0]], used[m.Zones[1]] = true, true
			out = append(out, m)
		}
	}
	return out
}

// pairNeed is the windows two zones need when one queue serves both.
func pairNeed(a, b ZoneNeed, t Target) int {
	lambda := a.Arrivals + b.Arrivals
	if lambda == 0 {
		return 0
	}
	aht := (a.Arrivals*a.Service + b.Arrivals*b.Service) / lambda
	return WindowsNeeded(lambda, time.Duration(aht*float64(time.Minute)), t)
}

// Staffing advises how many windows each hour needs, from the last weeks of
// tickets (before today) and the target.
func (s *Service) Staffing(ctx context.Context, p *identity.Principal, code string, weeks int, t Target) (Staffing, error) {
	if err := requireAnalyst(p); err != nil {
		return Staffing{}, err
	}
	if weeks < 1 || weeks > 26 || t.Share <= 0 || t.Share >= 1 || t.Within <= 0 {
		return Staffing{}, apperr.Field("target", "err.queue.target")
	}
	h, err := s.setUp(ctx, code)
	if err != nil {
		return Staffing{}, err
	}
	to := s.today().AddDays(-1)
	from := to.AddDays(-7*weeks + 1)
	visits, err := s.store.History(ctx, h.ID, from, to)
	if err != nil {
		return Staffing{}, err
	}
	return Advise(h, from, to, visits, t), nil
}

// ParseTarget reads weeks, share (0–1 or a percentage) and within
// (minutes) from query parameters, defaulting to 4 weeks and DefaultTarget.
func ParseTarget(get func(string) string) (int, Target) {
	weeks, t := 4, DefaultTarget
	if n, err := strconv.Atoi(get("weeks")); err == nil {
		weeks = n
	}
	if f, err := strconv.ParseFloat(get("share"), 64); err == nil {
		if f > 1 {
			f /= 100
		}
		t.Share = f
	}
	if m, err := strconv.Atoi(get("within")); err == nil {
		t.Within = time.Duration(m) * time.Minute
	}
	return weeks, t
}
