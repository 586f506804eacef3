package feedback

import (
	"strings"
	"testing"
	"time"

	"onevisit/internal/calendar"
)

// split gives the roll-ups the whole days of a period and leaves the
// part-days at its ends (at most a day each), and anything after today
// when it has no end, to be read case by case.
func TestAPeriodSplitsIntoWholeDaysAndTheRest(t *testing.T) {
	day := time.Date(2026, 11, 1, 0, 0, 0, 0, calendar.Shanghai)
	today := calendar.Date{Year: 2026, Month: 11, Day: 27}
	tests := []struct {
		name     string
		from, to time.Time
		want     string // whole days, then the rest; "" when no whole day
	}{
		{"a month, as the supervisors' page asks", day, day.AddDate(0, 1, 0), "2026-11-01…2026-11-30"},
		{"one day, as the API's from=to asks", day, day.AddDate(0, 0, 1), "2026-11-01…2026-11-01"},
		{"the same midnights given in UTC", day.UTC(), day.AddDate(0, 0, 2).UTC(), "2026-11-01…2026-11-02"},
		{"from an hour into a day", day.Add(time.Hour), day.AddDate(0, 0, 3), "2026-11-02…2026-11-03 + 11-01 01:00…11-02 00:00"},
		{"to a UTC midnight", day, time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC), "2026-11-01…2026-11-02 + 11-03 00:00…11-03 08:00"},
		{"both ends inside days", day.Add(-time.Minute), day.AddDate(0, 0, 1).Add(time.Minute),
			"2026-11-01…2026-11-01 + 10-31 23:59…11-01 00:00 + 11-02 00:00…11-02 00:01"},
		{"no start: since 1970", time.Time{}, day, "1970-01-01…2026-10-31"},
		{"no end: through today, and what is dated later", day, time.Time{}, "2026-11-01…2026-11-27 + 11-28 00:00…"},
		{"no bounds", time.Time{}, time.Time{}, "1970-01-01…2026-11-27 + 11-28 00:00…"},
		{"less than a day", day.Add(time.Hour), day.AddDate(0, 0, 1), ""},
		{"across one midnight, no whole day", day.Add(time.Hour), day.AddDate(0, 0, 1).Add(time.Hour), ""},
		{"a microsecond short of a day", day, day.AddDate(0, 0, 1).Add(-time.Microsecond), ""},
		{"an empty period", day, day, ""},
		{"backwards", day.AddDate(0, 0, 1), day, ""},
		{"no end, starting after today", day.AddDate(0, 0, 27), time.Time{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from, to, rest, ok := split(MetricsFilter{Department: "D", ItemCode: "I", From: tt.from, To: tt.to}, today)
			got := ""
			if ok {
				parts := []string{from.String() + "…" + to.String()}
				for _, r := range rest {
					if r.Department != "D" || r.ItemCode != "I" {
						t.Errorf("the rest %+v lost the department or item", r)
					}
					parts = append(parts, clock(r.From)+"…"+clock(r.To))
				}
				got = strings.Join(parts, " + ")
			}
			if got != tt.want {
				t.Errorf("split = %q, want %q", got, tt.want)
			}
		})
	}
}

func clock(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(calendar.Shanghai).Format("01-02 15:04")
}
