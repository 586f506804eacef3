package web

import (
	"testing"

	"onevisit/internal/i18n"
)

func TestReasonTextNamesTheLabels(t *testing.T) {
	v := &view{msgs: i18n.MustLoad(), Lang: i18n.ZH}
	tests := map[string]string{
		"repeat_trips; 窗口人员解释不清楚": "多次跑腿：窗口人员解释不清楚",
		"slow,policy": "办理慢、政策不合理",
		"等候时间太长":      "等候时间太长",
	}
	for in, want := range tests {
		if got := v.ReasonText(in); got != want {
			t.Errorf("ReasonText(%q) = %q, want %q", in, got, want)
		}
	}
}
