package demo

import (
	"time"

	"onevisit/internal/analytics"
	"onevisit/internal/calendar"
	"onevisit/internal/cases"
	"onevisit/internal/feedback"
)

// historyRaters is how applicants rate by channel: the share of decided
// cases rated and of those the share of 差评; at the window the pad asks
// on site (一次一评), otherwise the SMS link or the case page (一事一评).
var historyRaters = map[cases.Channel]struct {
	rated, poor float64
	mode        feedback.Mode
	source      feedback.Source
}{
	cases.AtWindow: {.50, .012, feedback.OnSite, feedback.Pad},
	cases.Online:   {.35, .020, feedback.Online, feedback.CasePage},
	"self_service": {.35, .015, feedback.Online, feedback.SMS},
	"phone":        {.20, .015, feedback.Online, feedback.SMS},
}

var historyPoorTexts = []string{"材料要求和指南不一致，多跑了一趟", "等候时间太长", "窗口人员解释不清楚", "网上申报系统老是卡住", "办理时间比承诺的长"}

// rate gives a decided case its rating, a day or two after the decision
// and before today; one in twenty 差评 was excluded after 申诉复核.
func (g *generator) rate(h *analytics.HistoryCase, c *cases.Case, itemName string) {
	p, ok := historyRaters[c.Channel]
	if !ok || g.rng.Float64() >= p.rated {
		return
	}
	at := c.DecidedAt.Add(time.Duration(1+g.rng.IntN(47)) * time.Hour)
	if !at.Before(g.today.In(calendar.Shanghai)) {
		return
	}
	r := &feedback.Rating{CaseNo: c.No, ItemCode: c.ItemCode, ItemName: itemName, Department: c.Department,
		Mode: p.mode, Source: p.source, Level: g.level(p.poor), Valid: true, CreatedAt: at}
	r.Indicators = map[string]int{}
	for _, ind := range feedback.Indicators[p.mode] {
		r.Indicators[ind] = max(1, min(5, int(r.Level)+g.rng.IntN(3)-1))
	}
	if r.Level.Poor() {
		r.Labels = []string{feedback.Labels[g.rng.IntN(len(feedback.Labels))]}
		r.Text = historyPoorTexts[g.rng.IntN(len(historyPoorTexts))]
		r.Valid = g.rng.IntN(20) != 0
	}
	if g.rng.IntN(10) < 3 {
		r.RealName, r.RaterID, r.RaterName = true, c.Applicant.ID, c.Applicant.Name
	}
	h.Rating = r
}

// level draws a level: poor (1 or 2) with probability poor, otherwise
// mostly 非常满意.
func (g *generator) level(poor float64) feedback.Level {
	x := g.rng.Float64()
	switch {
	case x < poor/3:
		return feedback.VeryBad
	case x < poor:
		return feedback.Bad
	case x < poor+.06:
		return feedback.Fair
	case x < poor+.27:
		return feedback.Good
	}
	return feedback.VeryGood
}
