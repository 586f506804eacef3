package calendar

import (
	"testing"
	"time"
)

func TestDueWorkedExamples(t *testing.T) {
	// DOMAIN.md §3.4: acceptance date, n working days, due date.
	tests := []struct {
		name     string
		accepted string
		days     int
		want     string
	}{
		{"National Day: make-up weekend counts, 10-1…10-7 skipped", "2018-09-28", 5, "2018-10-10"},
		{"New Year 2019: Saturday 12-29 counts, 12-30…1-1 skipped", "2018-12-28", 2, "2019-01-02"},
		{"Spring Festival 2026: Saturday 2-14 counts, 2-15…2-23 skipped", "2026-02-13", 3, "2026-02-25"},
		{"Labour Day 2024: 5-1…5-5 skipped", "2024-04-30", 1, "2024-05-06"},
		{"zero days is due the same day (即办件)", "2018-09-28", 0, "2018-09-28"},
		{"zero days on a holiday is still the same day", "2018-10-01", 0, "2018-10-01"},
		{"the acceptance day does not count", "2018-10-08", 1, "2018-10-09"},
		{"a Friday plus one day is the next Monday", "2018-10-12", 1, "2018-10-15"},
		{"accepted on a holiday, counting starts after it", "2018-10-03", 1, "2018-10-08"},
		{"20 days (行政许可法 Art. 42) across National Day", "2018-09-20", 20, "2018-10-24"},
	}
	c := Builtin()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Due(date(t, tt.accepted), 2*tt.days)
			want := Deadline{Date: date(t, tt.want)}
			if got != want {
				t.Errorf("Due(%s, %d days) = %v, want %v", tt.accepted, tt.days, got, want)
			}
		})
	}
}

func TestDueHalfDays(t *testing.T) {
	tests := []struct {
		name     string
		accepted string
		halfDays int
		want     Deadline
	}{
		{"half a day is the next workday's morning", "2018-10-08", 1, Deadline{Date{2018, 10, 9}, true}},
		{"half a day from Friday is Monday morning", "2018-10-12", 1, Deadline{Date{2018, 10, 15}, true}},
		{"half a day before a holiday is the morning after it", "2018-09-30", 1, Deadline{Date{2018, 10, 8}, true}},
		{"1.5 days is the second workday's morning", "2018-10-08", 3, Deadline{Date{2018, 10, 10}, true}},
		{"1.5 days over the 2019 New Year", "2018-12-28", 3, Deadline{Date{2019, 1, 2}, true}},
		{"2.5 days over the 2019 New Year", "2018-12-28", 5, Deadline{Date{2019, 1, 3}, true}},
		{"negative counts as zero", "2018-10-08", -3, Deadline{Date{2018, 10, 8}, false}},
	}
	c := Builtin()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.Due(date(t, tt.accepted), tt.halfDays); got != tt.want {
				t.Errorf("Due(%s, %d half days) = %+v, want %+v", tt.accepted, tt.halfDays, got, tt.want)
			}
		})
	}
}

func TestDueAndWorkdaysBetweenRoundTrip(t *testing.T) {
	c := Builtin()
	last := Date{2026, 12, 20}
	for from := (Date{2018, 1, 1}); !from.After(last); from = from.AddDays(1) {
		for n := 0; n <= 25; n++ {
			due := c.Due(from, 2*n)
			if got := c.WorkdaysBetween(from, due.Date); got != n || due.Noon {
				t.Fatalf("Due(%s, %d days) = %v but WorkdaysBetween = %d", from, n, due, got)
			}
			if n > 0 && !c.IsWorkday(due.Date) {
				t.Fatalf("Due(%s, %d days) = %v is not a workday", from, n, due)
			}
			if back := c.WorkdaysBetween(due.Date, from); back != -n {
				t.Fatalf("WorkdaysBetween(%s, %s) = %d, want %d", due.Date, from, back, -n)
			}
			half := c.Due(from, 2*n+1)
			if got := c.WorkdaysBetween(from, half.Date); got != n+1 || !half.Noon {
				t.Fatalf("Due(%s, %d half days) = %v, %d workdays", from, 2*n+1, half, got)
			}
		}
	}
}

func TestWorkdaysBetween(t *testing.T) {
	c := Builtin()
	tests := []struct {
		name     string
		from, to string
		want     int
	}{
		{"same day is zero", "2018-10-08", "2018-10-08", 0},
		{"from is excluded, to is included", "2018-10-08", "2018-10-09", 1},
		{"a holiday week has no workdays", "2018-09-30", "2018-10-07", 0},
		{"make-up weekend counts", "2018-09-28", "2018-09-30", 2},
		{"backwards is negative", "2018-10-09", "2018-10-08", -1},
		{"backwards excludes the earlier day", "2018-10-10", "2018-09-28", -5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.WorkdaysBetween(date(t, tt.from), date(t, tt.to)); got != tt.want {
				t.Errorf("WorkdaysBetween(%s, %s) = %d, want %d", tt.from, tt.to, got, tt.want)
			}
		})
	}
}

func TestDeadlineTime(t *testing.T) {
	noon, dayClose := Clock{12, 0}, Clock{17, 30}
	tests := []struct {
		name string
		d    Deadline
		want time.Time
	}{
		{"end of day closes at the hall's closing time", Deadline{Date{2018, 10, 10}, false},
			time.Date(2018, 10, 10, 17, 30, 0, 0, Shanghai)},
		{"noon closes at the end of the morning session", Deadline{Date{2018, 10, 10}, true},
			time.Date(2018, 10, 10, 12, 0, 0, 0, Shanghai)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.d.Time(noon, dayClose); !got.Equal(tt.want) {
				t.Errorf("Time = %v, want %v", got, tt.want)
			}
		})
	}
	midnight := Deadline{Date: Date{2018, 12, 31}}.Time(noon, EndOfDay)
	if !midnight.Equal(time.Date(2019, 1, 1, 0, 0, 0, 0, Shanghai)) {
		t.Errorf("EndOfDay = %v, want 24:00 (Civil Code Art. 203)", midnight)
	}
}

func TestDeadlineString(t *testing.T) {
	if s := (Deadline{Date: Date{2018, 10, 10}}).String(); s != "2018-10-10" {
		t.Errorf("end-of-day deadline = %q", s)
	}
	if s := (Deadline{Date{2018, 10, 10}, true}).String(); s != "2018-10-10 noon" {
		t.Errorf("noon deadline = %q", s)
	}
}
