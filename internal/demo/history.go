package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"onevisit/internal/analytics"
	"onevisit/internal/calendar"
	"onevisit/internal/catalog"
)

// HistoryWriter stores generated history in bulk: cases, their timelines
// and the roll-ups they count, in one transaction per batch.
type HistoryWriter interface {
	HistoryApplicants(ctx context.Context, n int) ([]int64, error)
	WriteHistory(ctx context.Context, hs []analytics.HistoryCase, roll *analytics.Rollup) error
}

// HistoryItem is an item as the generator needs it.
type HistoryItem struct {
	Code, Name, Department string
	Promised, Statutory    catalog.HalfDays
}

// History says what past to generate: Cases cases over the Days calendar
// days before today (today itself is left to live cases).
type History struct {
	Cases int
	Days  int
	Seed  uint64
	Items []HistoryItem // none: a center of the summary's size (259 hall items)
	Batch int           // cases per transaction; 0: 10,000
}

// SyntheticItems is a catalog of n items over the 31 departments of
// HistoryDepartments (item i in department i mod 31), with promised limits
// well inside the statutory ones. The codes (HIST-001 …, D01–D31) are
// fixed: generated databases rely on them.
func SyntheticItems(n int) []HistoryItem {
	items := make([]HistoryItem, n)
	for i := range items {
		st := catalog.HalfDays(2 * (5 + (i*7)%26))
		items[i] = HistoryItem{Code: fmt.Sprintf("HIST-%03d", i+1), Name: historyItemName(i%31, i/31, i+1),
			Department: historyDepartmentCode(i % 31), Statutory: st, Promised: max(2, st/3)}
	}
	return items
}

// HistoryItems turns catalog items into generator items.
func HistoryItems(list []catalog.Item) []HistoryItem {
	out := make([]HistoryItem, len(list))
	for i, it := range list {
		out[i] = HistoryItem{Code: it.Code, Name: it.Name, Department: it.DepartmentCode, Promised: it.PromisedLimit, Statutory: it.StatutoryLimit}
	}
	return out
}

// GenerateHistory writes h's cases with their events, ratings and
// roll-ups: Monday peaks, a Spring Festival trough, busy mornings,
// holidays and make-up days from the calendar, suspensions, late and
// denied cases, visits and ratings by channel. One goroutine generates the
// next batch while the writer stores the last. progress, if set, is told
// how many cases are written so far.
func GenerateHistory(ctx context.Context, w HistoryWriter, cal *calendar.Calendar, today calendar.Date, h History, progress func(int)) error {
	if h.Items == nil {
		h.Items = SyntheticItems(259)
	}
	h.Batch = cmpOr(h.Batch, 10000)
	apps, err := w.HistoryApplicants(ctx, 1000)
	if err != nil {
		return err
	}
	g := &generator{cal: cal, today: today, rng: rand.New(rand.NewPCG(h.Seed, 2018)), items: h.Items, apps: apps,
		itemW: zipf(len(h.Items))}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan historyBatch, 1)
	go func() {
		defer close(batches)
		g.batches(ctx, h, batches)
	}()
	done := 0
	for b := range batches {
		if err := w.WriteHistory(ctx, b.cases, b.roll); err != nil {
			cancel()
			for range batches { // let the generator see the cancellation and stop
			}
			return err
		}
		done += len(b.cases)
		if progress != nil {
			progress(done)
		}
	}
	return ctx.Err()
}

// historyBatch is one transaction's worth of generated cases with what
// they add to the roll-ups.
type historyBatch struct {
	cases []analytics.HistoryCase
	roll  *analytics.Rollup
}

// batches generates h's cases day by day and sends them in batches of
// h.Batch until done or ctx ends.
func (g *generator) batches(ctx context.Context, h History, out chan<- historyBatch) {
	days, weights := historyDays(g.cal, g.today, h.Days)
	sent := 0
	b := historyBatch{roll: analytics.NewRollup()}
	send := func() bool {
		select {
		case out <- b:
		case <-ctx.Done():
			return false
		}
		sent += len(b.cases)
		b = historyBatch{cases: make([]analytics.HistoryCase, 0, h.Batch), roll: analytics.NewRollup()}
		return true
	}
	for i, d := range days {
		n := int(math.Round(float64(h.Cases) * weights[i]))
		if i == len(days)-1 {
			n = h.Cases - sent - len(b.cases)
		}
		for seq := range n {
			hc := g.gen(d, seq+1)
			b.roll.FoldHistory(g.cal, &hc)
			b.cases = append(b.cases, hc)
			if len(b.cases) >= h.Batch && !send() {
				return
			}
		}
	}
	if len(b.cases) > 0 {
		send()
	}
}

func cmpOr(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

// historyDays lists the working days of the period with each one's share
// of the cases: Mondays ×1.35, Fridays ×0.9, February ×0.7, March ×1.15.
func historyDays(cal *calendar.Calendar, today calendar.Date, n int) ([]calendar.Date, []float64) {
	wd := map[time.Weekday]float64{time.Monday: 1.35, time.Tuesday: 1.1, time.Friday: 0.9}
	month := map[time.Month]float64{time.February: 0.7, time.March: 1.15, time.December: 1.1}
	var days []calendar.Date
	var ws []float64
	sum := 0.0
	for d := today.AddDays(-n); d.Before(today); d = d.AddDays(1) {
		if !cal.IsWorkday(d) {
			continue
		}
		w := cmpF(wd[d.Weekday()]) * cmpF(month[d.Month])
		days, ws, sum = append(days, d), append(ws, w), sum+w
	}
	for i := range ws {
		ws[i] /= sum
	}
	return days, ws
}

func cmpF(v float64) float64 {
	if v == 0 {
		return 1
	}
	return v
}

// zipf is the cumulative popularity of n items: a few items take most cases.
func zipf(n int) []float64 {
	cum, sum := make([]float64, n), 0.0
	for i := range cum {
		sum += 1 / math.Pow(float64(i+1), 0.8)
		cum[i] = sum
	}
	for i := range cum {
		cum[i] /= sum
	}
	return cum
}

// hourWeights: morning peak, lunch dip, afternoon second peak.
var hourWeights = []struct {
	hour int
	cum  float64
}{{8, .04}, {9, .22}, {10, .44}, {11, .56}, {12, .60}, {13, .68}, {14, .82}, {15, .95}, {16, 1}}
