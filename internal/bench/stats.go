package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"time"
)

// leader is the demo account whose dashboards the stats scenarios read.
const leader = "leader"

// Stats drives the leaders' dashboards as the dashboard page does: the
// summary (with the previous period beside it), series, top lists, the
// heat map and drill-downs, over the last 30 days, a quarter or a year,
// for the whole centre, one department or one item.
type Stats struct {
	password string
	today    time.Time // the server's day, Asia/Shanghai
	depts    []string
	items    []string
}

// NewStats returns the dashboard scenarios' driver with the demo leader's
// password.
func NewStats(password string) *Stats {
	return &Stats{password: password}
}

// prepare signs the leader in and learns the departments and items with
// cases in the last year, most received first, for the filters.
func (s *Stats) prepare(ctx context.Context, c *Client) error {
	if c.Tokens[leader] != "" {
		return nil
	}
	if err := c.Login(ctx, leader, s.password); err != nil {
		return err
	}
	s.today = time.Now().In(time.FixedZone("CST", 8*3600))
	for _, by := range []string{"department", "item_code"} {
		var top struct {
			Rows []struct{ Department, Item string }
		}
		q := s.period(365) + "&by=" + by + "&metric=received&limit=50"
		if err := c.Do(ctx, leader, "GET", "/api/v1/stats/top?"+q, nil, http.StatusOK, &top); err != nil {
			return err
		}
		for _, r := range top.Rows {
			if by == "department" {
				s.depts = append(s.depts, r.Department)
			} else {
				s.items = append(s.items, r.Item)
			}
		}
	}
	if len(s.depts) == 0 || len(s.items) == 0 {
		return fmt.Errorf("no cases in the last year: run against a demo with --history-cases")
	}
	return nil
}

// period is the query of the days up to today.
func (s *Stats) period(days int) string {
	return "from=" + s.today.AddDate(0, 0, 1-days).Format(time.DateOnly) + "&to=" + s.today.Format(time.DateOnly)
}

// filter picks a period of 30 days, a quarter or a year, and for a third
// of the calls each a department or an item (Zipf-ish: the busiest most often).
func (s *Stats) filter(rng *rand.Rand) (days int, q string) {
	days = []int{30, 91, 365}[rng.IntN(3)]
	q = s.period(days)
	switch rng.IntN(3) {
	case 1:
		q += "&dept=" + url.QueryEscape(s.depts[min(rng.IntN(len(s.depts)), rng.IntN(len(s.depts)))])
	case 2:
		q += "&item=" + url.QueryEscape(s.items[min(rng.IntN(len(s.items)), rng.IntN(len(s.items)))])
	}
	return days, q
}

func (s *Stats) get(ctx context.Context, c *Client, path, q string) error {
	return c.Do(ctx, leader, "GET", "/api/v1/stats/"+path+"?"+q, nil, http.StatusOK, nil)
}

// Scenarios are the dashboard calls, one scenario each: the five
// statistics endpoints and the supervisors' indicators (/api/v1/metrics,
// which the leader may read too).
func (s *Stats) Scenarios() []Scenario {
	setup := s.prepare
	return []Scenario{
		{Name: "stats: summary", Setup: setup, Op: func(ctx context.Context, c *Client, rng *rand.Rand) error {
			_, q := s.filter(rng)
			return s.get(ctx, c, "summary", q)
		}},
		{Name: "stats: series", Setup: setup, Op: func(ctx context.Context, c *Client, rng *rand.Rand) error {
			days, q := s.filter(rng)
			interval := map[int]string{30: "day", 91: "week", 365: "month"}[days]
			metric := []string{"received", "decided", "on_time_promised_rate", "realization_rate"}[rng.IntN(4)]
			return s.get(ctx, c, "series", q+"&interval="+interval+"&metric="+metric)
		}},
		{Name: "stats: top", Setup: setup, Op: func(ctx context.Context, c *Client, rng *rand.Rand) error {
			_, q := s.filter(rng)
			by := []string{"department", "item_code"}[rng.IntN(2)]
			metric := []string{"received", "decided", "on_time_promised_rate"}[rng.IntN(3)]
			return s.get(ctx, c, "top", q+"&by="+by+"&metric="+metric+"&limit=10")
		}},
		{Name: "stats: heatmap", Setup: setup, Op: func(ctx context.Context, c *Client, rng *rand.Rand) error {
			return s.get(ctx, c, "heatmap", s.period([]int{30, 91, 365}[rng.IntN(3)]))
		}},
		{Name: "stats: drill", Setup: setup, Op: func(ctx context.Context, c *Client, rng *rand.Rand) error {
			_, q := s.filter(rng)
			kind := []string{"received", "accepted", "decided", "late", "visits", "yellow"}[rng.IntN(6)]
			return s.get(ctx, c, "drill", q+"&kind="+kind+"&page="+fmt.Sprint(1+rng.IntN(3)))
		}},
		{Name: "stats: metrics", Setup: setup, Op: func(ctx context.Context, c *Client, rng *rand.Rand) error {
			_, q := s.filter(rng)
			return c.Do(ctx, leader, "GET", "/api/v1/metrics?"+q, nil, http.StatusOK, nil)
		}},
	}
}
