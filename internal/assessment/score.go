package assessment

import (
	"cmp"
	"context"
	"math"
	"slices"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/calendar"
	"onevisit/internal/cases"
	"onevisit/internal/escalation"
	"onevisit/internal/feedback"
)

// compute scores every department with activity in m and ranks them, with
// the trend against the month before (issued or computed).
func (s *Service) compute(ctx context.Context, m Month, at time.Time) (Notice, error) {
	cfg, err := s.config(ctx)
	if err != nil {
		return Notice{}, err
	}
	scores, err := s.scores(ctx, m, cfg)
	if err != nil {
		return Notice{}, err
	}
	prev, err := s.previous(ctx, m.Prev(), cfg)
	if err != nil {
		return Notice{}, err
	}
	for i := range scores {
		if p, ok := prev[scores[i].Department]; ok {
			scores[i].HasPrevious, scores[i].Previous = true, p
			scores[i].Delta = round1(scores[i].Score - p)
		}
	}
	return Notice{Month: m.String(), Title: Title(s.center, m), Center: s.center, GeneratedAt: at, Weights: cfg, Scores: scores}, nil
}

// previous is each department's score in m: from its issued notice, or
// computed with today's scorecards.
func (s *Service) previous(ctx context.Context, m Month, cfg Config) (map[string]float64, error) {
	out := map[string]float64{}
	n, err := s.d.Store.Notice(ctx, m.String())
	switch {
	case err == nil:
	case apperr.KindOf(err) == apperr.NotFound:
		if n.Scores, err = s.scores(ctx, m, cfg); err != nil {
			return nil, err
		}
	default:
		return nil, err
	}
	for _, sc := range n.Scores {
		out[sc.Department] = sc.Score
	}
	return out, nil
}

// scores scores and ranks the departments with cases or ratings in m.
func (s *Service) scores(ctx context.Context, m Month, cfg Config) ([]Score, error) {
	depts, err := s.d.Departments.Departments(ctx)
	if err != nil {
		return nil, err
	}
	escalated, err := s.escalated(ctx, m)
	if err != nil {
		return nil, err
	}
	var out []Score
	for _, d := range depts {
		f := feedback.MetricsFilter{Department: d.Code, From: m.Start(), To: m.End()}
		r, err := s.d.Reporter.SystemReport(ctx, f)
		if err != nil {
			return nil, err
		}
		if r.Completed == 0 && r.Ratings == 0 {
			continue
		}
		sc := score(cfg.For(d.Code), r, escalated[d.Code])
		sc.Department, sc.Name = d.Code, d.Name
		if sc.Drags, err = s.drags(ctx, f); err != nil {
			return nil, err
		}
		out = append(out, sc)
	}
	rank(out)
	return out, nil
}

// score weighs the metrics of r by w. A metric with nothing to measure
// (no cases, ratings or tasks) gives its weight to the others.
func score(w Weights, r feedback.Report, escalated int) Score {
	sc := Score{Completed: r.Completed, Ratings: r.Ratings, Poor: r.Poor, Escalated: escalated}
	values := map[Metric]struct {
		v  float64
		ok bool
	}{
		OnTime:        {r.OnTimePromisedR, r.Timed > 0},
		Realization:   {r.RealizationRate, r.Completed > 0},
		Satisfaction:  {r.SatisfactionRate, r.Ratings > 0},
		Rectification: {r.RectificationRate, r.Tasks > 0},
		Escalations:   {math.Max(0, 1-0.25*float64(escalated)), true},
	}
	total := 0.0
	for _, m := range Metrics {
		if values[m].ok {
			total += w[m]
		}
	}
	for _, m := range Metrics {
		p := Part{Metric: m, Weight: w[m], Value: values[m].v, HasData: values[m].ok}
		if p.HasData && total > 0 {
			p.Points = round1(w[m] * p.Value * 100 / total)
			sc.Score += w[m] * p.Value * 100 / total
		}
		sc.Parts = append(sc.Parts, p)
	}
	sc.Score = round1(sc.Score)
	return sc
}

// rank sorts by score, best first; equal scores share a rank (1, 1, 3).
func rank(list []Score) {
	slices.SortStableFunc(list, func(a, b Score) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.Department, b.Department))
	})
	for i := range list {
		list[i].Rank = i + 1
		if i > 0 && list[i].Score == list[i-1].Score {
			list[i].Rank = list[i-1].Rank
		}
	}
}

// escalated counts, per department, the reports filed in m that climbed
// past 办理区. A report is about the department of its case, if it names
// one, otherwise about the reporter's department.
func (s *Service) escalated(ctx context.Context, m Month) (map[string]int, error) {
	list, err := s.d.Reports.Reports(ctx, "", 1<<20)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, r := range list {
		if r.CreatedAt.Before(m.Start()) || !r.CreatedAt.Before(m.End()) || !climbed(r) {
			continue
		}
		dept := r.Department
		if r.CaseNo != "" {
			if c, err := s.d.Cases.Case(ctx, r.CaseNo); err == nil {
				dept = c.Department
			}
		}
		out[dept]++
	}
	return out, nil
}

// climbed reports whether r ever went above 办理区.
func climbed(r escalation.Report) bool {
	return r.Level > escalation.Zone || r.Overdue
}

// drags finds the items that pull a department down: the item with the
// lowest on-time rate (below 100 %) and the item with the most 差评.
func (s *Service) drags(ctx context.Context, f feedback.MetricsFilter) ([]Drag, error) {
	cs, err := s.d.Records.DecidedCases(ctx, f)
	if err != nil {
		return nil, err
	}
	rs, err := s.d.Records.Ratings(ctx, feedback.RatingFilter{Department: f.Department, From: f.From, To: f.To, PoorOnly: true, Limit: 1 << 20})
	if err != nil {
		return nil, err
	}
	var out []Drag
	if d, ok := slowest(cs); ok {
		out = append(out, d)
	}
	if d, ok := mostPoor(rs); ok {
		out = append(out, d)
	}
	return out, nil
}

func slowest(cs []cases.Case) (Drag, bool) {
	type tally struct {
		name          string
		timed, onTime int
	}
	byItem := map[string]*tally{}
	for _, c := range cs {
		if c.Clock.Start.IsZero() {
			continue
		}
		t := byItem[c.ItemCode]
		if t == nil {
			t = &tally{name: c.ItemName}
			byItem[c.ItemCode] = t
		}
		t.timed++
		if !calendar.DateOf(c.DecidedAt).After(c.DuePromised.Date) {
			t.onTime++
		}
	}
	var best Drag
	found := false
	for _, code := range sortedKeys(byItem) {
		t := byItem[code]
		rate := float64(t.onTime) / float64(t.timed)
		if rate < 1 && (!found || rate < best.OnTime) {
			best, found = Drag{ItemCode: code, ItemName: t.name, Why: "onTime", OnTime: rate, Timed: t.timed}, true
		}
	}
	return best, found
}

func mostPoor(rs []feedback.Rating) (Drag, bool) {
	count, names := map[string]int{}, map[string]string{}
	for _, r := range rs {
		if r.Valid {
			count[r.ItemCode]++
			names[r.ItemCode] = r.ItemName
		}
	}
	var best Drag
	for _, code := range sortedKeys(count) {
		if count[code] > best.Poor {
			best = Drag{ItemCode: code, ItemName: names[code], Why: "poor", Poor: count[code]}
		}
	}
	return best, best.Poor > 0
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }
