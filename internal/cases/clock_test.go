package cases

import (
	"testing"

	"onevisit/internal/calendar"
	"onevisit/internal/catalog"
)

func d(t *testing.T, s string) calendar.Date {
	t.Helper()
	x, err := calendar.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func TestClockDueDatesFollowTheCalendar(t *testing.T) {
	cal := calendar.Builtin()
	tests := []struct {
		name                string
		start               string
		promised, statutory int // half days
		wantPromised        string
		wantStatutory       string
	}{
		{"5 promised and 20 statutory days across National Day 2018", "2018-09-28", 10, 40, "2018-10-10", "2018-10-31"},
		{"a 即办件 is due the same day", "2026-11-27", 0, 0, "2026-11-27", "2026-11-27"},
		{"across Spring Festival 2026 with its make-up Saturday", "2026-02-13", 6, 40, "2026-02-25", "2026-03-19"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Clock{Start: d(t, tt.start), Promised: halfDays(tt.promised), Statutory: halfDays(tt.statutory)}
			today := d(t, tt.start)
			if got := c.Due(cal, true, today).Date.String(); got != tt.wantPromised {
				t.Errorf("promised due %s, want %s", got, tt.wantPromised)
			}
			if got := c.Due(cal, false, today).Date.String(); got != tt.wantStatutory {
				t.Errorf("statutory due %s, want %s", got, tt.wantStatutory)
			}
		})
	}
}

func TestASuspensionOfThreeWorkingDaysMovesTheDueDateByThreeWorkingDays(t *testing.T) {
	cal := calendar.Builtin()
	c := Clock{Start: d(t, "2026-09-28"), Promised: 10, Statutory: 40}
	before := c.Due(cal, true, d(t, "2026-09-28")).Date
	if before.String() != "2026-10-10" {
		t.Fatalf("due before suspension %s, want 2026-10-10 (the make-up Saturday)", before)
	}
	c.Suspend(d(t, "2026-09-29"))
	// Suspended over National Day: 9-30, 10-8 and 10-9 are the paused working days.
	if got := c.Due(cal, true, d(t, "2026-10-05")).Date; !got.After(before) {
		t.Errorf("a running suspension must push the due date out, got %s", got)
	}
	c.Resume(cal, d(t, "2026-10-09"))
	if c.Paused != 3 {
		t.Fatalf("paused %d working days, want 3", c.Paused)
	}
	after := c.Due(cal, true, d(t, "2026-10-09")).Date
	if n := cal.WorkdaysBetween(before, after); n != 3 || after.String() != "2026-10-14" {
		t.Fatalf("due after resuming %s: moved %d working days, want 3 (2026-10-14)", after, n)
	}
}

func TestWarningTurnsYellowAtEightyPercentAndRedWhenOverdue(t *testing.T) {
	cal := calendar.Builtin()
	c := Clock{Start: d(t, "2026-11-02"), Promised: 10, Statutory: 40} // Mon; due Mon 11-09
	tests := []struct {
		today string
		want  Warning
	}{
		{"2026-11-02", Green}, {"2026-11-05", Green}, {"2026-11-06", Yellow}, // 3 of 5 used → 60 %; 4 of 5 → 80 %
		{"2026-11-09", Yellow}, {"2026-11-10", Red},
	}
	for _, tt := range tests {
		if got := c.Warning(cal, d(t, tt.today)); got != tt.want {
			t.Errorf("on %s: %s, want %s (used %v of 5 days)", tt.today, got, tt.want, c.Used(cal, d(t, tt.today)).Days())
		}
	}
	c.Extension = 10
	if got := c.Warning(cal, d(t, "2026-11-10")); got != Green {
		t.Errorf("after a 5-day extension on 11-10: %s, want green", got)
	}
}

func halfDays(n int) catalog.HalfDays { return catalog.HalfDays(n) }

func mustDate(s string) calendar.Date {
	x, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return x
}
