package assessment

import (
	"fmt"
	"strings"

	"onevisit/internal/document"
)

// metricTitles are the notice's column titles.
var metricTitles = map[Metric]string{
	OnTime: "按时办结率", Realization: "实现率", Satisfaction: "满意率", Rectification: "整改率", Escalations: "报备升级",
}

// Document is the notice laid out for the PDF (document.Renderer.Monthly).
func (n Notice) Document() document.MonthlyData {
	m, _ := ParseMonth(n.Month)
	d := document.MonthlyData{Center: n.Center, Title: n.Title, Date: n.GeneratedAt,
		Number: fmt.Sprintf("%d年第%d期", m.Year, int(m.Month)),
		Summary: fmt.Sprintf("现将%s各部门“最多跑一次”改革工作考核情况通报如下。共%d个部门参加考核，得分由系统根据办件、评价、整改和报备数据自动计算。",
			m.CN(), len(n.Scores)),
		Notes: []string{"得分为各项指标权重 × 指标值之和；当月无数据的指标不计分，其权重按比例分给其他指标。报备升级指标每有一件未办成事项报备升级至审管办及以上扣减四分之一。计算公式见 docs/metrics.md。"}}
	for _, mt := range Metrics {
		d.Metrics = append(d.Metrics, fmt.Sprintf("%s（%g）", metricTitles[mt], n.Weights.Default[mt]))
	}
	for _, s := range n.Scores {
		d.Rows = append(d.Rows, s.row())
	}
	if !n.Issued {
		d.Summary += "本月尚未结束，以下为暂定结果。"
	}
	return d
}

func (s Score) row() document.MonthlyRow {
	r := document.MonthlyRow{Rank: s.Rank, Department: s.Name, Score: fmt.Sprintf("%.1f", s.Score), Previous: "—", Trend: "—",
		Drags: s.DragText()}
	if s.HasPrevious {
		r.Previous, r.Trend = fmt.Sprintf("%.1f", s.Previous), s.TrendText()
	}
	for _, p := range s.Parts {
		v := "无数据"
		if p.HasData {
			v = fmt.Sprintf("%.1f%%", p.Value*100)
		}
		r.Values = append(r.Values, v)
	}
	return r
}

// TrendText is the change since last month: "+2.1", "-0.4" or "持平".
func (s Score) TrendText() string {
	if !s.HasPrevious {
		return "—"
	}
	if s.Delta == 0 {
		return "持平"
	}
	return fmt.Sprintf("%+.1f", s.Delta)
}

// DragText describes the items dragging the department down.
func (s Score) DragText() string {
	var parts []string
	for _, d := range s.Drags {
		if d.Why == "poor" {
			parts = append(parts, fmt.Sprintf("%s：差评 %d 条", d.ItemName, d.Poor))
		} else {
			parts = append(parts, fmt.Sprintf("%s：按时办结率 %.1f%%（%d件）", d.ItemName, d.OnTime*100, d.Timed))
		}
	}
	return strings.Join(parts, "；")
}
