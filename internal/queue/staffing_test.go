package queue

import (
	"math"
	"testing"
	"time"

	"onevisit/internal/calendar"
)

// erlangCDirect is the textbook Erlang C formula, computed independently of
// ErlangC's Erlang B recursion:
//
//	C(N, A) = (A^N/N! · N/(N−A)) / (Σ_{k<N} A^k/k! + A^N/N! · N/(N−A))
func erlangCDirect(n int, a float64) float64 {
	sum, term := 0.0, 1.0 // term = A^k/k!
	for k := 0; k < n; k++ {
		sum += term
		term *= a / float64(k+1)
	}
	top := term * float64(n) / (float64(n) - a)
	return top / (sum + top)
}

// neededDirect is the smallest N whose share served within t meets share.
func neededDirect(perHour float64, aht, t time.Duration, share float64) int {
	a := perHour * aht.Hours()
	for n := 1; ; n++ {
		if float64(n) <= a {
			continue
		}
		if 1-erlangCDirect(n, a)*math.Exp(-(float64(n)-a)*t.Minutes()/aht.Minutes()) >= share {
			return n
		}
	}
}

func TestErlangCMatchesTheFormula(t *testing.T) {
	cases := []struct {
		name    string
		perHour float64
		aht     time.Duration
		target  Target
	}{
		{"30 an hour at 6 minutes is 3 Erlangs", 30, 6 * time.Minute, DefaultTarget},
		{"the same load, 90 % within 2 minutes", 30, 6 * time.Minute, Target{0.9, 2 * time.Minute}},
		{"a quiet zone: 4 an hour at 12 minutes", 4, 12 * time.Minute, DefaultTarget},
		{"a busy zone: 120 an hour at 9 minutes", 120, 9 * time.Minute, DefaultTarget},
		{"a very busy hall: 400 an hour at 8 minutes", 400, 8 * time.Minute, Target{0.95, 5 * time.Minute}},
	}
	for _, c := range cases {
		a := c.perHour * c.aht.Hours()
		for n := int(a) + 1; n < int(a)+6; n++ {
			if got, want := ErlangC(n, a), erlangCDirect(n, a); math.Abs(got-want) > 1e-9 {
				t.Errorf("%s: C(%d, %.2f) = %.12f, want %.12f", c.name, n, a, got, want)
			}
		}
		if got, want := WindowsNeeded(c.perHour, c.aht, c.target), neededDirect(c.perHour, c.aht, c.target.Within, c.target.Share); got != want {
			t.Errorf("%s: %d windows needed, want %d", c.name, got, want)
		}
	}
	if a := 30 * (6 * time.Minute).Hours(); a != 3 {
		t.Errorf("λ=30/h, 6 min: A = %v Erlangs, want 3", a)
	}
	if ErlangC(3, 3) != 1 || WindowsNeeded(0, 6*time.Minute, DefaultTarget) != 0 {
		t.Error("an overloaded queue always waits; no arrivals need no window")
	}
}

// TestAdviceForASimulatedDay builds a day of tickets with known arrivals
// and service times and checks the advice against the formula.
func TestAdviceForASimulatedDay(t *testing.T) {
	h := Hall{Code: "main", Zones: []Zone{{ID: 1, Prefix: "A", Name: "人力社保"}, {ID: 2, Prefix: "B", Name: "市场监管"}}}
	day := calendar.Date{Year: 2026, Month: 3, Day: 10}
	at := func(hour, min int) time.Time { return time.Date(2026, 3, 10, hour, min, 0, 0, calendar.Shanghai) }
	var visits []Visit
	add := func(zone int64, hour, n int, service time.Duration, window int) {
		for i := range n {
			issued := at(hour, i*60/n)
			called := issued.Add(2 * time.Minute)
			visits = append(visits, Visit{ZoneID: zone, WindowNo: window + i%2, Day: day, Status: Done,
				Issued: issued, Called: called, Done: called.Add(service)})
		}
	}
	add(1, 9, 30, 6*time.Minute, 1)  // zone A at 9: 30 visitors, 6 minutes each
	add(1, 10, 12, 6*time.Minute, 1) // zone A at 10: 12 visitors
	add(2, 9, 5, 15*time.Minute, 3)  // zone B at 9: 5 visitors, 15 minutes each
	st := Advise(h, day, day, visits, DefaultTarget)
	if len(st.Hours) != 2 || st.Hours[0].Hour != "09:00" || st.Hours[1].Hour != "10:00" {
		t.Fatalf("hours = %+v", st.Hours)
	}
	nine := st.Hours[0]
	wantA := neededDirect(30, 6*time.Minute, 10*time.Minute, 0.8)
	wantB := neededDirect(5, 15*time.Minute, 10*time.Minute, 0.8)
	if nine.Zones[0].Needed != wantA || nine.Zones[1].Needed != wantB || nine.Needed != wantA+wantB {
		t.Errorf("09:00 needs %+v, want A %d and B %d", nine, wantA, wantB)
	}
	if nine.Zones[0].Load != 3 {
		t.Errorf("zone A's load at 09:00 = %v Erlangs, want 3", nine.Zones[0].Load)
	}
	// Pooled: 35 an hour at (30·6 + 5·15)/35 minutes.
	minutes := (30.0*6 + 5*15) / 35
	pooledAHT := time.Duration(minutes * float64(time.Minute))
	if want := neededDirect(35, pooledAHT, 10*time.Minute, 0.8); nine.Pooled != want {
		t.Errorf("09:00 pooled = %d, want %d", nine.Pooled, want)
	}
	if nine.Open != 4 {
		t.Errorf("09:00 open windows = %v, want 4", nine.Open)
	}
}
