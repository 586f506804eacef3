package queue

import (
	"testing"
	"time"

	"onevisit/internal/calendar"
)

func TestSummarizeDaysListsEveryDayOfThePeriod(t *testing.T) {
	d1 := calendar.Date{Year: 2026, Month: 11, Day: 2}
	at := d1.In(calendar.Shanghai).Add(9 * time.Hour)
	visits := []Visit{
		{No: "A001", Day: d1, Status: Done, Issued: at, Called: at.Add(10 * time.Minute), Done: at.Add(25 * time.Minute)},
		{No: "A002", Day: d1, Status: NoShow, Issued: at, Called: at.Add(20 * time.Minute)},
	}
	got := SummarizeDays(Hall{Code: "main"}, d1, d1.AddDays(2), visits)
	if len(got.Days) != 3 {
		t.Fatalf("%d days, want 3 (empty days included)", len(got.Days))
	}
	first := got.Days[0]
	if first.Key != "2026-11-02" || first.Tickets != 2 || first.Wait.Mean != 15 || first.Service.Mean != 15 {
		t.Errorf("first day %+v", first)
	}
	if got.Days[1].Tickets != 0 || got.Total.Tickets != 2 {
		t.Errorf("second day %+v, total %+v", got.Days[1], got.Total)
	}
}
