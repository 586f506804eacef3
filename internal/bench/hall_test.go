package bench

import (
	"encoding/json"
	"slices"
	"testing"
)

// The demo hall: windows 1–6 serve A–C, 7–9 one of A, B, C each, 10 all
// five zones, 11 D and 12 E.
const demoHallJSON = `{"zones":[{"id":1,"prefix":"A"},{"id":2,"prefix":"B"},{"id":3,"prefix":"C"},{"id":4,"prefix":"D"},{"id":5,"prefix":"E"}],
"windows":[{"id":101,"number":1,"zones":[1,2,3]},{"id":102,"number":2,"zones":[1,2,3]},{"id":103,"number":3,"zones":[1,2,3]},
{"id":104,"number":4,"zones":[1,2,3]},{"id":105,"number":5,"zones":[1,2,3]},{"id":106,"number":6,"zones":[3,2,1]},
{"id":107,"number":7,"zones":[1]},{"id":108,"number":8,"zones":[2]},{"id":109,"number":9,"zones":[3]},
{"id":110,"number":10,"zones":[1,2,3,4,5]},{"id":111,"number":11,"zones":[4]},{"id":112,"number":12,"zones":[5]}]}`

func TestDisjointWindows(t *testing.T) {
	var s hallSetUp
	if err := json.Unmarshal([]byte(demoHallJSON), &s); err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, w := range disjointWindows(s) {
		got = append(got, w.number)
	}
	if want := []int{1, 2, 3, 4, 5, 6, 11, 12}; !slices.Equal(got, want) {
		t.Fatalf("windows %v, want %v", got, want)
	}
}

func TestHallCallKey(t *testing.T) {
	for data, want := range map[string]string{
		`{"seq":7,"kind":"call","ticket":"E012","window":12,"windowName":"12号窗口","speech":"请 E012 号到 12 号窗口办理"}`: "E012@12",
		`{"seq":8,"kind":"complete","ticket":"E012","window":12}`:                                                "",
		`{"seq":9,"kind":"ticket","zone":"咨询导办"}`:                                                                "",
		`not json`: "",
	} {
		if got := hallCallKey([]byte(data)); got != want {
			t.Errorf("%s: %q, want %q", data, got, want)
		}
	}
}
