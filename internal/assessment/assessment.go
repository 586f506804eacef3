// Package assessment scores departments each month against configurable
// scorecards (考核) built from the "最多跑一次" metrics, and issues the
// monthly notice (通报): a league table with each department's trend and
// the items dragging it down, so nobody fills in report forms by hand.
package assessment

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/calendar"
)

// Metric is one scored indicator.
type Metric string

// The scored metrics; each is a rate from 0 to 1 (docs/metrics.md).
const (
	OnTime        Metric = "onTime"        // on-time rate against the promised limit
	Realization   Metric = "realization"   // "最多跑一次" realization rate, callbacks included
	Satisfaction  Metric = "satisfaction"  // 满意率
	Rectification Metric = "rectification" // 整改率
	Escalations   Metric = "escalations"   // 1 − ¼ per unfinished-matter report that climbed past 办理区
)

// Metrics lists the metrics in the order scorecards show them.
var Metrics = []Metric{OnTime, Realization, Satisfaction, Rectification, Escalations}

// Weights are a scorecard: the points each metric is worth, 100 in all.
type Weights map[Metric]float64

// DefaultWeights is the scorecard used where none is configured.
var DefaultWeights = Weights{OnTime: 30, Realization: 25, Satisfaction: 25, Rectification: 10, Escalations: 10}

// Config is the scorecards: a default, and one per department code where
// a department is assessed differently (by its type of work).
type Config struct {
	Default     Weights            `json:"default"`
	Departments map[string]Weights `json:"departments,omitempty"`
}

// DefaultConfig is the configuration before a supervisor edits it.
func DefaultConfig() Config { return Config{Default: maps.Clone(DefaultWeights)} }

// For is the scorecard of a department.
func (c Config) For(dept string) Weights {
	if w, ok := c.Departments[dept]; ok {
		return w
	}
	return c.Default
}

// Validate checks every scorecard: known metrics, no negative weight, 100
// points in all.
func (c Config) Validate() error {
	if err := c.Default.validate(); err != nil {
		return err
	}
	for _, code := range slices.Sorted(maps.Keys(c.Departments)) {
		if err := c.Departments[code].validate(); err != nil {
			return err
		}
	}
	return nil
}

func (w Weights) validate() error {
	sum := 0.0
	for m, v := range w {
		if !slices.Contains(Metrics, m) {
			return apperr.Field("config", "err.assessment.metric")
		}
		if v < 0 || math.IsNaN(v) {
			return apperr.Field("config", "err.assessment.negative")
		}
		sum += v
	}
	if math.Abs(sum-100) > 0.001 {
		return apperr.Field("config", "err.assessment.sum")
	}
	return nil
}

// Month is a calendar month in Asia/Shanghai.
type Month struct {
	Year  int
	Month time.Month
}

// MonthOf is the month t falls in, in Asia/Shanghai.
func MonthOf(t time.Time) Month {
	t = t.In(calendar.Shanghai)
	return Month{t.Year(), t.Month()}
}

// ParseMonth reads "2026-11".
func ParseMonth(s string) (Month, error) {
	t, err := time.ParseInLocation("2006-01", s, calendar.Shanghai)
	if err != nil {
		return Month{}, apperr.Field("month", "err.assessment.month")
	}
	return MonthOf(t), nil
}

// String is "2026-11".
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, int(m.Month)) }

// CN is "2026年11月".
func (m Month) CN() string { return fmt.Sprintf("%d年%d月", m.Year, int(m.Month)) }

// Start is the first moment of the month.
func (m Month) Start() time.Time { return time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, calendar.Shanghai) }

// End is the first moment of the next month.
func (m Month) End() time.Time { return m.Start().AddDate(0, 1, 0) }

// Prev is the month before.
func (m Month) Prev() Month { return MonthOf(m.Start().AddDate(0, 0, -1)) }

// Part is what one metric contributed to a department's score.
type Part struct {
	Metric  Metric  `json:"metric"`
	Weight  float64 `json:"weight"`
	Value   float64 `json:"value"`   // the rate, 0–1
	HasData bool    `json:"hasData"` // false: nothing to measure; its weight goes to the others
	Points  float64 `json:"points"`  // share of the score, weights rescaled over the metrics with data
}

// Drag is an item pulling a department's score down: its lowest on-time
// rate, or its most 差评.
type Drag struct {
	ItemCode string  `json:"itemCode"`
	ItemName string  `json:"itemName"`
	Why      string  `json:"why"` // "onTime" or "poor"
	OnTime   float64 `json:"onTime,omitempty"`
	Timed    int     `json:"timed,omitempty"`
	Poor     int     `json:"poor,omitempty"`
}

// Score is a department's result for a month.
type Score struct {
	Department  string  `json:"department"`
	Name        string  `json:"name"`
	Score       float64 `json:"score"` // 0–100, one decimal
	Rank        int     `json:"rank"`
	HasPrevious bool    `json:"hasPrevious"`
	Previous    float64 `json:"previous,omitempty"`
	Delta       float64 `json:"delta,omitempty"` // Score − Previous
	Completed   int     `json:"completed"`
	Ratings     int     `json:"ratings"`
	Poor        int     `json:"poor"`
	Escalated   int     `json:"escalated"`
	Parts       []Part  `json:"parts"`
	Drags       []Drag  `json:"drags,omitempty"`
}

// Notice is the monthly notice (通报): every assessed department, ranked.
// An issued notice is stored and never changes; one for a month still
// running (or not yet issued) is provisional.
type Notice struct {
	Month       string    `json:"month"`
	Title       string    `json:"title"`
	Center      string    `json:"center"`
	Issued      bool      `json:"issued"`
	GeneratedAt time.Time `json:"generatedAt"`
	Weights     Config    `json:"weights"`
	Scores      []Score   `json:"scores"`
}

// Title is the notice's title for a center and month.
func Title(center string, m Month) string {
	return center + " " + m.CN() + " “最多跑一次”改革工作通报"
}
