package document

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func monthlyData() MonthlyData {
	return MonthlyData{Center: "宁波保税区行政服务中心", Title: "宁波保税区行政服务中心 2026年11月 “最多跑一次”改革工作通报",
		Number: "2026年第11期", Date: time.Date(2026, 12, 1, 9, 0, 0, 0, cst),
		Summary: "现将2026年11月各部门“最多跑一次”改革工作考核情况通报如下。",
		Metrics: []string{"按时办结率（30）", "实现率（25）", "满意率（25）", "整改率（10）", "报备升级（10）"},
		Rows: []MonthlyRow{
			{Rank: 1, Department: "市场监督管理局", Score: "96.5", Previous: "94.0", Trend: "+2.5",
				Values: []string{"100.0%", "98.0%", "95.0%", "100.0%", "100.0%"}},
			{Rank: 2, Department: "生态环境分局", Score: "81.2", Previous: "—", Trend: "—",
				Values: []string{"80.0%", "90.0%", "70.0%", "50.0%", "75.0%"}, Drags: "建设项目环境影响评价审批：按时办结率 60.0%（5件）；排污许可：差评 2 条"},
		},
		Notes: []string{"得分为各项指标权重 × 指标值之和；无数据的指标不计分，其权重按比例分给其他指标。"}}
}

func TestMonthlyShowsEachDepartmentWithItsScore(t *testing.T) {
	d := monthlyData()
	pdf, err := newRenderer(t).Monthly(d)
	if err != nil {
		t.Fatal(err)
	}
	got := text(t, pdf)
	for _, want := range []string{"2026年11月", "改革工作通报", "综合排名", "市场监督管理局96.5", "生态环境分局81.2", "排污许可", "需改进事项"} {
		if !strings.Contains(got, strings.Join(strings.Fields(want), "")) {
			t.Errorf("notice text lacks %q:\n%s", want, got)
		}
	}
	if dir := os.Getenv("ONEVISIT_KEEP_PDF"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "monthly.pdf"), pdf, 0o644)
	}
}

func TestMonthlyNeedsADepartment(t *testing.T) {
	if _, err := newRenderer(t).Monthly(MonthlyData{Title: "通报"}); err == nil {
		t.Fatal("a notice without departments rendered")
	}
}
