package calendar

import (
	"slices"
	"testing"
	"time"
)

func date(t *testing.T, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestBuiltinWorkdaysPerYear(t *testing.T) {
	published := map[int]int{2018: 250, 2024: 251, 2025: 248, 2026: 248} // DOMAIN.md §3.4
	c := Builtin()
	for y := 2018; y <= 2026; y++ {
		got := c.WorkdaysBetween(Date{y - 1, 12, 31}, Date{y, 12, 31})
		if want := countWorkdays(c, y); got != want {
			t.Errorf("%d: WorkdaysBetween = %d, independent count = %d", y, got, want)
		}
		if want, ok := published[y]; ok && got != want {
			t.Errorf("%d: %d working days, DOMAIN.md says %d", y, got, want)
		}
	}
}

// countWorkdays is a second implementation of the rule: Mon–Fri, minus
// holidays on weekdays, plus make-up days on weekends.
func countWorkdays(c *Calendar, year int) int {
	n := 0
	for t := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC); t.Year() == year; t = t.AddDate(0, 0, 1) {
		if wd := t.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n++
		}
	}
	for _, d := range c.Year(year) {
		weekend := d.Date.Weekday() == time.Saturday || d.Date.Weekday() == time.Sunday
		switch {
		case d.Kind == Holiday && !weekend:
			n--
		case d.Kind == MakeupWorkday && weekend:
			n++
		}
	}
	return n
}

func TestBuiltinIsKeyedByDateNotNoticeYear(t *testing.T) {
	c := Builtin()
	tests := []struct {
		date    string
		workday bool
		why     string
	}{
		{"2018-12-29", true, "Saturday made a working day by the 2019 notice"},
		{"2018-12-30", false, "Sunday inside the 2019 New Year holiday"},
		{"2018-12-31", false, "Monday made a holiday by the 2019 notice"},
		{"2019-01-01", false, "New Year's Day"},
		{"2019-01-02", true, "ordinary Wednesday"},
		{"2022-12-31", false, "Saturday listed by the 2023 notice"},
		{"2019-05-03", false, "Friday added to Labour Day by the 2019-03-22 amendment"},
		{"2019-05-05", true, "Sunday made a working day by the 2019-03-22 amendment"},
		{"2018-10-08", true, "ordinary Monday after National Day"},
		{"2018-10-13", false, "ordinary Saturday"},
	}
	for _, tt := range tests {
		t.Run(tt.date+" "+tt.why, func(t *testing.T) {
			if got := c.IsWorkday(date(t, tt.date)); got != tt.workday {
				t.Errorf("IsWorkday(%s) = %v, want %v", tt.date, got, tt.workday)
			}
		})
	}
}

func TestBuiltinMakeupDaysAreWeekendWorkdays(t *testing.T) {
	c := Builtin()
	for _, y := range c.Years() {
		for _, d := range c.Year(y) {
			if d.Kind != MakeupWorkday {
				continue
			}
			if !c.IsWorkday(d.Date) {
				t.Errorf("make-up day %s is not a workday", d.Date)
			}
			wd := d.Date.Weekday()
			// holiday-cn lists Monday 2020-02-03 as a working day after the
			// extended Spring Festival; it is a weekday, not a make-up day.
			if wd != time.Saturday && wd != time.Sunday && d.Date != (Date{2020, 2, 3}) {
				t.Errorf("make-up day %s is a %v", d.Date, wd)
			}
		}
	}
}

func TestBuiltinHolidaysAreNotWorkdays(t *testing.T) {
	c := Builtin()
	n := 0
	for _, y := range c.Years() {
		for _, d := range c.Year(y) {
			if d.Kind == Holiday {
				n++
				if c.IsWorkday(d.Date) {
					t.Errorf("holiday %s (%s) is a workday", d.Date, d.Name)
				}
			}
		}
	}
	if n != 255 {
		t.Errorf("%d holidays, want the 255 of holidays_2018_2026.json", n)
	}
}

func TestBuiltinDOMAINTableMakeupDays(t *testing.T) {
	// The make-up column of DOMAIN.md §4, verbatim.
	makeup := []string{
		"2018-02-11", "2018-02-24", "2018-04-08", "2018-04-28", "2018-09-29", "2018-09-30", "2018-12-29",
		"2019-02-02", "2019-02-03", "2019-04-28", "2019-05-05", "2019-09-29", "2019-10-12",
		"2020-01-19", "2020-02-03", "2020-04-26", "2020-05-09", "2020-06-28", "2020-09-27", "2020-10-10",
		"2021-02-07", "2021-02-20", "2021-04-25", "2021-05-08", "2021-09-18", "2021-09-26", "2021-10-09",
		"2022-01-29", "2022-01-30", "2022-04-02", "2022-04-24", "2022-05-07", "2022-10-08", "2022-10-09",
		"2023-01-28", "2023-01-29", "2023-04-23", "2023-05-06", "2023-06-25", "2023-10-07", "2023-10-08",
		"2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14", "2024-09-29", "2024-10-12",
		"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
		"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
	}
	c := Builtin()
	for _, s := range makeup {
		d, ok := c.Lookup(date(t, s))
		if !ok || d.Kind != MakeupWorkday || !c.IsWorkday(d.Date) {
			t.Errorf("%s: Lookup = %+v, %v; want a make-up workday", s, d, ok)
		}
	}
	var all []Date
	for _, d := range c.Days() {
		if d.Kind == MakeupWorkday {
			all = append(all, d.Date)
		}
	}
	if len(all) != len(makeup) {
		t.Errorf("calendar has %d make-up days, DOMAIN.md lists %d", len(all), len(makeup))
	}
}

func TestYearsAndYear(t *testing.T) {
	c := Builtin()
	if got, want := c.Years(), []int{2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026}; !slices.Equal(got, want) {
		t.Errorf("Years() = %v, want %v", got, want)
	}
	days := c.Year(2018)
	if !slices.IsSortedFunc(days, func(a, b Day) int { return a.Date.Compare(b.Date) }) {
		t.Error("Year(2018) is not sorted by date")
	}
	if last := days[len(days)-1]; last.Date != (Date{2018, 12, 31}) || last.Name != "元旦" {
		t.Errorf("Year(2018) ends with %+v, want the 2019 notice's 2018-12-31 元旦", last)
	}
	if got := c.Year(2027); len(got) != 0 {
		t.Errorf("Year(2027) = %v, want nothing (not published)", got)
	}
	if !c.Covers(Date{2026, 12, 31}) || c.Covers(Date{2027, 1, 1}) || c.Covers(Date{2017, 12, 31}) {
		t.Error("Covers should be true for 2018–2026 only")
	}
}

func TestNewLaterEntriesOverrideEarlierOnes(t *testing.T) {
	original := []Day{
		{Date{2019, 5, 1}, Holiday, "劳动节"},
		{Date{2019, 5, 4}, MakeupWorkday, "劳动节"}, // a Saturday
	}
	amendment := []Day{
		{Date{2019, 5, 4}, Holiday, "劳动节"},
		{Date{2019, 5, 5}, MakeupWorkday, "劳动节"},
	}
	c := New(append(original, amendment...))
	if c.IsWorkday(Date{2019, 5, 4}) {
		t.Error("the amendment's holiday on 2019-05-04 should override the original make-up day")
	}
	if !c.IsWorkday(Date{2019, 5, 5}) {
		t.Error("the amendment's make-up day 2019-05-05 should be a workday")
	}
	if n := len(c.Year(2019)); n != 3 {
		t.Errorf("Year(2019) has %d days, want 3 (one per date)", n)
	}
	reversed := New(append(amendment, original...))
	if !reversed.IsWorkday(Date{2019, 5, 4}) {
		t.Error("with the order reversed the original make-up day should win")
	}
}

func TestFromRevisionsAppliesRevisionsInPublicationOrder(t *testing.T) {
	t0 := time.Date(2018, 12, 6, 0, 0, 0, 0, Shanghai)
	first := Revision{ID: 1, PublishedAt: t0, Days: []Day{{Date{2019, 5, 1}, Holiday, "劳动节"}, {Date{2019, 5, 2}, MakeupWorkday, "x"}}}
	amended := Revision{ID: 2, PublishedAt: t0.AddDate(0, 3, 16), Days: []Day{{Date{2019, 5, 2}, Holiday, "劳动节"}}}
	for name, revs := range map[string][]Revision{
		"given in order":     {first, amended},
		"given out of order": {amended, first},
	} {
		t.Run(name, func(t *testing.T) {
			c := FromRevisions(revs)
			if c.IsWorkday(Date{2019, 5, 2}) {
				t.Error("the later revision should make 2019-05-02 a holiday")
			}
		})
	}
}

func TestCalendarOutsideDataFallsBackToWeekdays(t *testing.T) {
	c := New(nil)
	if !c.IsWorkday(Date{2027, 1, 1}) {
		t.Error("with no data a Friday is a workday")
	}
	if c.IsWorkday(Date{2027, 1, 2}) {
		t.Error("with no data a Saturday is not a workday")
	}
	if got := c.Years(); len(got) != 0 {
		t.Errorf("Years() = %v, want none", got)
	}
}
