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

// Visit is one ticket's times, the raw material of hall statistics.
type Visit struct {
	No       string // the ticket number, e.g. A012
	ZoneID   int64
	WindowNo int // 0 when never called
	Day      calendar.Date
	Status   Status
	Issued   time.Time
	Called   time.Time // zero when never called
	Done     time.Time // zero while not finished
}

// Wait is the time from taking the ticket to its (first) call.
func (v Visit) Wait() (time.Duration, bool) {
	if v.Called.IsZero() {
		return 0, false
	}
	return v.Called.Sub(v.Issued), true
}

// Service is the time from the call to completion, for served tickets.
func (v Visit) Service() (time.Duration, bool) {
	if v.Status != Done || v.Called.IsZero() || v.Done.IsZero() {
		return 0, false
	}
	return v.Done.Sub(v.Called), true
}

// Dist summarises durations in minutes.
type Dist struct {
	N       int     `json:"n"`
	Mean    float64 `json:"mean"`
	P50     float64 `json:"p50"`
	P90     float64 `json:"p90"`
	Max     float64 `json:"max"`
	Buckets []int   `json:"buckets"` // counts per DistBuckets range
}

// DistBuckets are the upper bounds (minutes) of a Dist's buckets; the last
// bucket is everything above the last bound.
var DistBuckets = []float64{5, 10, 20, 30, 60}

// NewDist summarises the durations.
func NewDist(ds []time.Duration) Dist {
	d := Dist{N: len(ds), Buckets: make([]int, len(DistBuckets)+1)}
	if len(ds) == 0 {
		return d
	}
	ms := make([]float64, len(ds))
	sum := 0.0
	for i, x := range ds {
		ms[i] = x.Minutes()
		sum += ms[i]
		j, _ := slices.BinarySearch(DistBuckets, ms[i])
		d.Buckets[j]++
	}
	slices.Sort(ms)
	d.Mean, d.Max = round1(sum/float64(len(ms))), round1(ms[len(ms)-1])
	d.P50, d.P90 = round1(quantile(ms, 0.5)), round1(quantile(ms, 0.9))
	return d
}

// quantile is the nearest-rank quantile q of sorted values.
func quantile(sorted []float64, q float64) float64 {
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(i, 0)]
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

// Group is the statistics of one zone, window or hour.
type Group struct {
	Key       string  `json:"key"`
	Tickets   int     `json:"tickets"`
	Served    int     `json:"served"`
	NoShows   int     `json:"noShows"`
	Abandoned float64 `json:"abandonment"` // no-shows per called ticket
	Wait      Dist    `json:"wait"`
	Service   Dist    `json:"service"`
}

// Stats is a hall's statistics over some days.
type Stats struct {
	Hall    string        `json:"hall"`
	From    calendar.Date `json:"from"`
	To      calendar.Date `json:"to"`
	Days    int           `json:"days"` // days with tickets
	Total   Group         `json:"total"`
	Zones   []Group       `json:"zones"`
	Windows []Group       `json:"windows"`
	Hours   []Group       `json:"hours"` // by hour of taking the ticket, Shanghai
}

// groupAcc collects one group's visits.
type groupAcc struct {
	g              Group
	waits, service []time.Duration
}

func (a *groupAcc) add(v Visit) {
	a.g.Tickets++
	if w, ok := v.Wait(); ok {
		a.waits = append(a.waits, w)
	}
	if d, ok := v.Service(); ok {
		a.g.Served++
		a.service = append(a.service, d)
	}
	if v.Status == NoShow {
		a.g.NoShows++
	}
}

func (a *groupAcc) done() Group {
	a.g.Wait, a.g.Service = NewDist(a.waits), NewDist(a.service)
	if len(a.waits) > 0 {
		a.g.Abandoned = math.Round(float64(a.g.NoShows)/float64(len(a.waits))*1000) / 1000
	}
	return a.g
}

// Summarize computes the statistics of visits to hall h.
func Summarize(h Hall, from, to calendar.Date, visits []Visit) Stats {
	st := Stats{Hall: h.Code, From: from, To: to}
	total := &groupAcc{g: Group{Key: "total"}}
	zones, windows, hours := map[string]*groupAcc{}, map[string]*groupAcc{}, map[string]*groupAcc{}
	names := map[int64]string{}
	for _, z := range h.Zones {
		names[z.ID] = z.Prefix + " " + z.Name
	}
	days := map[calendar.Date]bool{}
	for _, v := range visits {
		days[v.Day] = true
		total.add(v)
		accOf(zones, names[v.ZoneID]).add(v)
		if v.WindowNo > 0 {
			accOf(windows, strconv.Itoa(v.WindowNo)).add(v)
		}
		accOf(hours, hourKey(v.Issued.In(calendar.Shanghai).Hour())).add(v)
	}
	st.Days, st.Total = len(days), total.done()
	st.Zones, st.Windows, st.Hours = sorted(zones, nil), sorted(windows, windowOrder), sorted(hours, nil)
	return st
}

func accOf(m map[string]*groupAcc, key string) *groupAcc {
	a, ok := m[key]
	if !ok {
		a = &groupAcc{g: Group{Key: key}}
		m[key] = a
	}
	return a
}

func hourKey(h int) string { return strconv.Itoa(100 + h)[1:] + ":00" }

func windowOrder(a, b string) int {
	x, _ := strconv.Atoi(a)
	y, _ := strconv.Atoi(b)
	return x - y
}

func sorted(m map[string]*groupAcc, cmp func(a, b string) int) []Group {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	if cmp == nil {
		slices.Sort(keys)
	} else {
		slices.SortFunc(keys, cmp)
	}
	gs := make([]Group, 0, len(keys))
	for _, k := range keys {
		gs = append(gs, m[k].done())
	}
	return gs
}

// MaxStatsDays is the longest period statistics are computed over.
const MaxStatsDays = 366

// Stats returns the hall's statistics from … to (zero dates: today), for
// staff who read dashboards or manage the hall.
func (s *Service) Stats(ctx context.Context, p *identity.Principal, code string, from, to calendar.Date) (Stats, error) {
	h, from, to, visits, err := s.history(ctx, p, code, from, to)
	if err != nil {
		return Stats{}, err
	}
	return Summarize(h, from, to, visits), nil
}

// period fills in and checks a statistics period.
func (s *Service) period(from, to calendar.Date) (calendar.Date, calendar.Date, error) {
	if to.IsZero() {
		to = s.today()
	}
	if from.IsZero() {
		from = to
	}
	if to.Before(from) || from.AddDays(MaxStatsDays).Before(to) {
		return from, to, apperr.Field("from", "err.queue.period")
	}
	return from, to, nil
}

// requireAnalyst admits leaders and supervisors (dashboards) and hall
// managers.
func requireAnalyst(p *identity.Principal) error {
	if p.Can(identity.PermHallManage) {
		return nil
	}
	return p.Require(identity.PermDashboards)
}
