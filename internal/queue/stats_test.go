package queue

import (
	"testing"
	"time"

	"onevisit/internal/calendar"
)

func TestSummarizeWaitServiceAndNoShows(t *testing.T) {
	h := Hall{Code: "main", Zones: []Zone{{ID: 1, Prefix: "A", Name: "人力社保"}, {ID: 2, Prefix: "B", Name: "市场监管"}}}
	day := calendar.Date{Year: 2026, Month: 3, Day: 10}
	at := func(hour, min int) time.Time { return time.Date(2026, 3, 10, hour, min, 0, 0, calendar.Shanghai) }
	visits := []Visit{
		{ZoneID: 1, WindowNo: 2, Day: day, Status: Done, Issued: at(9, 0), Called: at(9, 4), Done: at(9, 10)},
		{ZoneID: 1, WindowNo: 2, Day: day, Status: Done, Issued: at(9, 10), Called: at(9, 22), Done: at(9, 30)},
		{ZoneID: 1, WindowNo: 10, Day: day, Status: NoShow, Issued: at(9, 20), Called: at(9, 45), Done: at(9, 50)},
		{ZoneID: 2, Day: day, Status: Waiting, Issued: at(10, 5)},
	}
	st := Summarize(h, day, day, visits)
	if st.Days != 1 || st.Total.Tickets != 4 || st.Total.Served != 2 || st.Total.NoShows != 1 {
		t.Fatalf("total = %+v", st.Total)
	}
	if w := st.Total.Wait; w.N != 3 || w.P50 != 12 || w.Max != 25 || w.Mean != 13.7 {
		t.Errorf("wait = %+v, want 3 waits of 4, 12 and 25 minutes", w)
	}
	if sv := st.Total.Service; sv.N != 2 || sv.Mean != 7 || sv.Buckets[1] != 2 {
		t.Errorf("service = %+v, want 6 and 8 minutes", sv)
	}
	if st.Total.Abandoned != 0.333 {
		t.Errorf("abandonment = %v, want 1 of 3 called", st.Total.Abandoned)
	}
	if len(st.Zones) != 2 || st.Zones[0].Key != "A 人力社保" || st.Zones[0].Tickets != 3 {
		t.Errorf("zones = %+v", st.Zones)
	}
	if len(st.Windows) != 2 || st.Windows[0].Key != "2" || st.Windows[1].Key != "10" {
		t.Errorf("windows in number order = %+v", st.Windows)
	}
	if len(st.Hours) != 2 || st.Hours[0].Key != "09:00" || st.Hours[1].Tickets != 1 {
		t.Errorf("hours = %+v", st.Hours)
	}
}
