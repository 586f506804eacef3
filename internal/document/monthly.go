package document

import (
	"errors"
	"strconv"
	"time"
)

// MonthlyData is the content of a monthly notice (月度工作通报) on the
// "最多跑一次" reform: the league table of departments, each metric's rate
// and the items dragging each department down. Every figure comes
// formatted; the document only lays it out.
type MonthlyData struct {
	Center  string    // issuing center, printed in red
	Title   string    // e.g. "宁波保税区行政服务中心 2026年11月 “最多跑一次”改革工作通报"
	Number  string    // 期号, e.g. "2026年第11期"
	Date    time.Time // date of issue; also the PDF creation date
	Summary string    // the opening paragraph
	Metrics []string  // titles of the metric columns, e.g. "按时办结率（30分）"
	Rows    []MonthlyRow
	Notes   []string // closing paragraphs: how scores are computed
}

// MonthlyRow is one department's line.
type MonthlyRow struct {
	Rank       int
	Department string
	Score      string   // "92.3"
	Previous   string   // last month's score, "—" when none
	Trend      string   // "+2.1", "-0.4", "持平" or "—" (the font has no arrows)
	Values     []string // one per MonthlyData.Metrics
	Drags      string   // items dragging the department down; "" for none
}

// Monthly renders the monthly notice.
func (r *Renderer) Monthly(d MonthlyData) ([]byte, error) {
	if len(d.Rows) == 0 {
		return nil, errors.New("document: a monthly notice needs at least one department")
	}
	h := header{center: d.Center, title: d.Title, number: d.Number, date: d.Date}
	return r.render(h, func(p *page) error {
		p.para(d.Summary)
		p.heading("一、综合排名")
		p.table(leagueColumns, leagueRows(d.Rows), true)
		p.heading("二、分项指标")
		p.table(metricColumns(d.Metrics), metricRows(d.Rows), true)
		p.heading("三、需改进事项")
		p.table(dragColumns, dragRows(d.Rows), true)
		for _, n := range d.Notes {
			p.para(n)
		}
		p.seal(d.Center, "（“最多跑一次”改革办公室）", d.Date)
		return nil
	})
}

var leagueColumns = []column{
	{"排名", 0.1, "C"}, {"部门", 0.42, "L"}, {"本月得分", 0.16, "C"}, {"上月得分", 0.16, "C"}, {"变化", 0.16, "C"},
}

func leagueRows(rows []MonthlyRow) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = []string{strconv.Itoa(r.Rank), r.Department, r.Score, r.Previous, r.Trend}
	}
	return out
}

// metricColumns gives the department a quarter of the width and shares
// the rest among the metrics.
func metricColumns(titles []string) []column {
	cols := []column{{"部门", 0.25, "L"}}
	for _, t := range titles {
		cols = append(cols, column{t, 0.75 / float64(len(titles)), "C"})
	}
	return cols
}

func metricRows(rows []MonthlyRow) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = append([]string{r.Department}, r.Values...)
	}
	return out
}

var dragColumns = []column{{"部门", 0.25, "L"}, {"拉低得分的事项", 0.75, "L"}}

func dragRows(rows []MonthlyRow) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		drags := r.Drags
		if drags == "" {
			drags = "无"
		}
		out[i] = []string{r.Department, drags}
	}
	return out
}
