package appointments

import (
	"testing"

	"onevisit/internal/calendar"
)

func TestPeriodsFitTheHallAndTheBookingHours(t *testing.T) {
	cases := []struct {
		name                  string
		hallOpens, hallCloses string
		opens, closes         string
		slot                  int
		wantFirst, wantLast   string
		wantCount             int
	}{
		{"a normal day of half hours", "08:30", "17:00", "08:30", "17:00", 30, "08:30", "16:30", 17},
		{"a round-the-clock hall books office hours", "00:00", "24:00", "08:30", "17:00", 30, "08:30", "16:30", 17},
		{"a hall opening late", "10:00", "17:00", "08:30", "17:00", 60, "10:00", "16:00", 7},
		{"a slot that would overrun closing is left out", "08:30", "17:00", "08:30", "17:00", 45, "08:30", "16:00", 11},
	}
	for _, c := range cases {
		ps := Periods(c.hallOpens, c.hallCloses, c.opens, c.closes, c.slot)
		if len(ps) != c.wantCount || ps[0][0] != c.wantFirst || ps[len(ps)-1][0] != c.wantLast {
			t.Errorf("%s: %d slots %v … %v", c.name, len(ps), ps[0], ps[len(ps)-1])
		}
	}
}

func TestSlotCapacity(t *testing.T) {
	cases := []struct {
		name                           string
		configured, quota, slots, want int
	}{
		{"configured wins", 5, 85, 17, 5},
		{"the daily quota spread over the slots", 0, 85, 17, 5},
		{"rounded up", 0, 20, 17, 2},
		{"at least one", 0, 0, 17, 1},
	}
	for _, c := range cases {
		if got := SlotCapacity(c.configured, c.quota, c.slots); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
}

func TestBlockedUntil(t *testing.T) {
	d := func(s string) calendar.Date { x, _ := calendar.ParseDate(s); return x }
	today := d("2026-03-20")
	cases := []struct {
		name    string
		noShows []string
		want    string
	}{
		{"two no-shows do not block", []string{"2026-03-02", "2026-03-10"}, ""},
		{"three within 30 days block for 30 days after the third", []string{"2026-03-02", "2026-03-10", "2026-03-16"}, "2026-04-16"},
		{"three spread over more than 30 days do not", []string{"2026-01-05", "2026-02-10", "2026-03-16"}, ""},
		{"a block that has run out", []string{"2026-01-05", "2026-01-06", "2026-01-07"}, ""},
	}
	for _, c := range cases {
		var ds []calendar.Date
		for _, s := range c.noShows {
			ds = append(ds, d(s))
		}
		got := BlockedUntil(ds, 3, 30, 30, today)
		if want := c.want; (want == "" && !got.IsZero()) || (want != "" && got != d(want)) {
			t.Errorf("%s: blocked until %v, want %q", c.name, got, want)
		}
	}
}
