package calendar

import (
	"strings"
	"testing"
)

func TestParseNotice(t *testing.T) {
	in := `{"source": "test", "dates": {
		"2027-01-02": {"type": "makeup_workday", "name": "元旦", "notice_year": 2027},
		"2027-01-01": {"type": "holiday", "name": "元旦", "notice_year": 2027}
	}}`
	days, err := ParseNotice(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Day{
		{Date{2027, 1, 1}, Holiday, "元旦"},
		{Date{2027, 1, 2}, MakeupWorkday, "元旦"},
	}
	if len(days) != len(want) || days[0] != want[0] || days[1] != want[1] {
		t.Errorf("ParseNotice = %+v, want %+v sorted by date", days, want)
	}
}

func TestParseNoticeRejects(t *testing.T) {
	tests := []struct {
		name, in, mention string
	}{
		{"an impossible date, naming it",
			`{"dates": {"2027-02-30": {"type": "holiday", "name": "x"}}}`, "2027-02-30"},
		{"a short date, naming it",
			`{"dates": {"2027-2-3": {"type": "holiday", "name": "x"}}}`, "2027-2-3"},
		{"an unknown kind, naming the date",
			`{"dates": {"2027-01-01": {"type": "day_off", "name": "x"}}}`, "2027-01-01"},
		{"a missing kind, naming the date",
			`{"dates": {"2027-01-01": {"name": "x"}}}`, "2027-01-01"},
		{"a notice without dates", `{"source": "x", "dates": {}}`, "no dates"},
		{"malformed JSON", `{"dates": `, "notice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseNotice(strings.NewReader(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("ParseNotice error = %v, want one mentioning %q", err, tt.mention)
			}
		})
	}
}

func TestBuiltinMatchesEmbeddedFile(t *testing.T) {
	days, err := ParseNotice(strings.NewReader(string(builtinJSON)))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(Builtin().Days()); got != len(days) || got != 315 {
		t.Errorf("Builtin has %d days, the file %d, want 315", got, len(days))
	}
	if a, b := Builtin(), Builtin(); a != b {
		t.Error("Builtin should parse the file once and share the result")
	}
}
