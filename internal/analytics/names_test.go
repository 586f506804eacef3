package analytics

import (
	"context"
	"testing"
	"time"

	"onevisit/internal/calendar"
)

func TestSlotSpansAreTheCellsHourOnEachMatchingDay(t *testing.T) {
	// 2026-11-02 and 2026-11-09 are Mondays.
	f := Filter{From: calendar.Date{Year: 2026, Month: 11, Day: 1}, To: calendar.Date{Year: 2026, Month: 11, Day: 10}}
	spans := Slot{Weekday: 0, Hour: 9}.Spans(f)
	if len(spans) != 2 {
		t.Fatalf("got %d spans, want the two Mondays", len(spans))
	}
	want := time.Date(2026, 11, 2, 9, 0, 0, 0, calendar.Shanghai)
	if !spans[0].From.Equal(want) || !spans[0].To.Equal(want.Add(time.Hour)) {
		t.Errorf("first span %v–%v, want %v for an hour", spans[0].From, spans[0].To, want)
	}
}

func TestParseSlot(t *testing.T) {
	tests := []struct {
		name, weekday, hour string
		want                *Slot
		err                 bool
	}{
		{"neither given is no slot", "", "", nil, false},
		{"a cell", "6", "23", &Slot{Weekday: 6, Hour: 23}, false},
		{"weekday out of range", "7", "9", nil, true},
		{"hour out of range", "0", "24", nil, true},
		{"hour missing", "0", "", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSlot(func(k string) string { return map[string]string{"weekday": tt.weekday, "hour": tt.hour}[k] })
			if (err != nil) != tt.err {
				t.Fatalf("err = %v, want error %v", err, tt.err)
			}
			if (got == nil) != (tt.want == nil) || (got != nil && *got != *tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestNamesShowNamesAndFallBackToCodes(t *testing.T) {
	n := Names{Items: map[string]string{"I1": "食品经营许可"}, Departments: map[string]string{"MARKET": "市场监管局"},
		DepartmentsEn: map[string]string{"MARKET": "Market Supervision Bureau"}}
	rows := n.Rows([]Row{{Department: "MARKET", Item: "I1"}, {Department: "D03", Item: "HIST-001"}})
	if rows[0].ItemName != "食品经营许可" || rows[0].DepartmentName != "市场监管局" {
		t.Errorf("known codes: %+v", rows[0])
	}
	if rows[1].ItemName != "HIST-001" || rows[1].DepartmentName != "D03" {
		t.Errorf("unknown codes should show as themselves: %+v", rows[1])
	}
	if got := n.In("en").Department("MARKET"); got != "Market Supervision Bureau" {
		t.Errorf("English department name %q", got)
	}
	if got := n.Department("MARKET"); got != "市场监管局" {
		t.Errorf("In(en) changed the Chinese names: %q", got)
	}
}

type fakeNamer struct{ asked [][]string }

func (f *fakeNamer) ItemNames(_ context.Context, codes []string) (map[string]string, error) {
	f.asked = append(f.asked, codes)
	return map[string]string{"HIST-001": "历史事项 001"}, nil
}

func TestNameCacheAsksTheCasesOnceForCodesTheCatalogLacks(t *testing.T) {
	store := &fakeNamer{}
	loads := 0
	c := &NameCache{store: store, ttl: time.Hour, now: time.Now, load: func(context.Context) (Names, error) {
		loads++
		return Names{Items: map[string]string{"I1": "食品经营许可"}, Departments: map[string]string{}}, nil
	}}
	ctx := context.Background()
	if got := c.Names(ctx, "I1", "HIST-001").Item("HIST-001"); got != "历史事项 001" {
		t.Errorf("fallback name %q", got)
	}
	c.Names(ctx, "HIST-001", "HIST-002")
	c.Names(ctx, "HIST-002")
	if loads != 1 || len(store.asked) != 2 || len(store.asked[1]) != 1 || store.asked[1][0] != "HIST-002" {
		t.Errorf("loads %d, asked %v: want one load and each unknown code asked once", loads, store.asked)
	}
}
