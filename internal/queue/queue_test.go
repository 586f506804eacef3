package queue

import (
	"slices"
	"testing"
	"time"

	"onevisit/internal/calendar"
)

type builtinCal struct{}

func (builtinCal) Current() *calendar.Calendar { return calendar.Builtin() }

func TestHallOpenOnWorkingDaysWithinHours(t *testing.T) {
	s := &Service{calendar: builtinCal{}}
	hall := Hall{Opens: "08:30", Closes: "17:00", WorkdaysOnly: true}
	always := Hall{Opens: "00:00", Closes: "24:00"}
	at := func(y int, m time.Month, d, hh, mm int) time.Time {
		return time.Date(y, m, d, hh, mm, 0, 0, calendar.Shanghai)
	}
	cases := []struct {
		name string
		h    Hall
		t    time.Time
		want bool
	}{
		{"a Tuesday morning", hall, at(2026, 3, 10, 10, 0), true},
		{"at opening time", hall, at(2026, 3, 10, 8, 30), true},
		{"a minute before opening", hall, at(2026, 3, 10, 8, 29), false},
		{"at closing time", hall, at(2026, 3, 10, 17, 0), false},
		{"a Saturday", hall, at(2026, 3, 14, 10, 0), false},
		{"National Day", hall, at(2026, 10, 1, 10, 0), false},
		{"a make-up working Saturday", hall, at(2026, 2, 28, 10, 0), true},
		{"UTC midnight is 08:00 in Shanghai", hall, time.Date(2026, 3, 10, 0, 45, 0, 0, time.UTC), true},
		{"a round-the-clock hall at night on Sunday", always, at(2026, 3, 15, 23, 59), true},
	}
	for _, c := range cases {
		if got := s.isOpen(c.h, c.t); got != c.want {
			t.Errorf("%s: open = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestPriorityLevelsOrderTheQueue(t *testing.T) {
	order := []Reason{Ordinary, Elderly, Appointment, GreenLane}
	for i := 1; i < len(order); i++ {
		if order[i].Level() <= order[i-1].Level() {
			t.Errorf("%q (level %d) should come before %q (level %d)", order[i], order[i].Level(), order[i-1], order[i-1].Level())
		}
	}
	if Disabled.Level() != Elderly.Level() || Reason("vip").Valid() {
		t.Error("disabled ranks with elderly; unknown reasons are invalid")
	}
}

func TestSpeechAndVisitRef(t *testing.T) {
	if got := Speech("A023", 5); got != "请 A023 号到 5 号窗口办理" {
		t.Errorf("speech = %q", got)
	}
	tk := Ticket{HallCode: "main", No: "B007", Day: calendar.Date{Year: 2026, Month: 3, Day: 10}}
	if got := tk.VisitRef(); got != "main-20260310-B007" {
		t.Errorf("visit ref = %q", got)
	}
}

func TestCaseNumbersAreSplitAndDeduplicated(t *testing.T) {
	got := cleanCaseNos([]string{"X-1, X-2，X-1\nX-3", " "})
	if want := []string{"X-1", "X-2", "X-3"}; !slices.Equal(got, want) {
		t.Errorf("case numbers = %q, want %q", got, want)
	}
}

func TestTransferTarget(t *testing.T) {
	h := Hall{Zones: []Zone{{ID: 1, Code: "HRSS", Prefix: "A", Name: "人力社保"}, {ID: 2, Code: "MARKET", Prefix: "B", Name: "市场监管"}},
		Windows: []Window{{ID: 10, Number: 7, Zones: []int64{1}}, {ID: 11, Number: 8, Zones: []int64{2}}}}
	cases := []struct {
		name       string
		in         TransferInput
		zone, win  int64
		wantsError bool
	}{
		{"to a zone", TransferInput{Zone: "B"}, 2, 0, false},
		{"to a window: the zone follows it", TransferInput{Window: 8}, 2, 11, false},
		{"to a zone and a window serving it", TransferInput{Zone: "MARKET", Window: 8}, 2, 11, false},
		{"to a window that does not serve the zone", TransferInput{Zone: "A", Window: 8}, 0, 0, true},
		{"nowhere", TransferInput{}, 0, 0, true},
		{"an unknown window", TransferInput{Window: 99}, 0, 0, true},
	}
	for _, c := range cases {
		tk := Ticket{ZoneID: 1}
		err := transferTarget(h, &tk, c.in)
		if (err != nil) != c.wantsError || (err == nil && (tk.ZoneID != c.zone || tk.TargetWindowID != c.win)) {
			t.Errorf("%s: zone %d window %d err %v; want zone %d window %d error %v", c.name, tk.ZoneID, tk.TargetWindowID, err, c.zone, c.win, c.wantsError)
		}
	}
}
