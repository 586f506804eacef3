package analytics_test

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"onevisit/internal/analytics"
	"onevisit/internal/calendar"
	"onevisit/internal/identity"
)

var leader = &identity.Principal{UserID: 9, Username: "leader", Kind: identity.Staff, Roles: []identity.Role{identity.Leader}}

// pagedStore serves received cases as sqlstore does — a page by
// LIMIT/OFFSET, or the page after a case (Drill.After) — and notes the
// deepest offset and the largest read asked for.
type pagedStore struct {
	analytics.QueryStore                       // nil: only DrillCases is called
	cases                []analytics.DrillCase // newest first
	deepest, queries     int
	largest              int
}

func (s *pagedStore) DrillCases(_ context.Context, d analytics.Drill) ([]analytics.DrillCase, error) {
	from, to := d.Filter.From.In(calendar.Shanghai), d.Filter.To.AddDays(1).In(calendar.Shanghai)
	before := func(t time.Time) int { // the first case created before t
		return sort.Search(len(s.cases), func(i int) bool { return s.cases[i].CreatedAt.Before(t) })
	}
	in := s.cases[before(to):before(from)]
	off := (d.Page - 1) * d.PageSize()
	if d.After != nil {
		off = 0
		for i, c := range in {
			if c.No == d.After.No {
				in = in[i+1:]
				break
			}
		}
	}
	s.deepest, s.queries = max(s.deepest, off), s.queries+1
	if off >= len(in) {
		return nil, nil
	}
	page := in[off:min(len(in), off+d.PageSize()+1)]
	s.largest = max(s.largest, len(page))
	return page, nil
}

// denseStore has perDay cases on each of the days up to last, newest first.
func denseStore(last calendar.Date, days, perDay int) *pagedStore {
	s := &pagedStore{}
	for d := range days {
		start := last.AddDays(-d).In(calendar.Shanghai).Add(17 * time.Hour)
		for i := range perDay {
			s.cases = append(s.cases, analytics.DrillCase{No: fmt.Sprintf("C%03d-%05d", d, i), CreatedAt: start.Add(-time.Duration(i) * time.Second)})
		}
	}
	return s
}

// collect runs the export's rows and returns the case numbers in order.
func collect(t *testing.T, st analytics.Stream) (nos []string, cut bool) {
	t.Helper()
	cut, err := st.Rows(func(rows [][]any) error {
		for _, r := range rows {
			nos = append(nos, r[0].(string))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return nos, cut
}

func TestDrillExportPagesThroughEveryCaseByKey(t *testing.T) {
	last := calendar.Date{Year: 2026, Month: 11, Day: 30}
	tests := []struct {
		name               string
		days, perDay, from int // from: the period's first day, days before last
		limit, want        int
		cut                bool
	}{
		{"a dense period", 10, 3000, 9, analytics.ExportMax, 30000, false},
		{"a sparse year", 365, 3, 364, analytics.ExportMax, 1095, false},
		{"the limit cuts the list and says so", 10, 300, 9, 1000, 1000, true},
		{"a limit equal to the cases cuts nothing", 4, 30, 3, 120, 120, false},
		{"a limit of whole pages with more behind", 10, 300, 9, 2000, 2000, true},
		{"an empty period is an empty list", 3, 0, 2, analytics.ExportMax, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := denseStore(last, tt.days, tt.perDay)
			svc := analytics.NewService(store, time.Now)
			d := analytics.Drill{Kind: analytics.DrillReceived, Filter: analytics.Filter{From: last.AddDays(-tt.from), To: last}, Page: 7}
			st, err := svc.DrillExport(context.Background(), leader, d, tt.limit, nil)
			if err != nil {
				t.Fatal(err)
			}
			nos, cut := collect(t, st)
			if len(nos) != tt.want || cut != tt.cut {
				t.Fatalf("%d rows, cut %v; want %d, cut %v", len(nos), cut, tt.want, tt.cut)
			}
			for i, no := range nos {
				if no != store.cases[i].No {
					t.Fatalf("row %d is %s, want %s: every case once, newest first", i, no, store.cases[i].No)
				}
			}
			if store.deepest > 0 {
				t.Errorf("read at offset %d: a download pages by key, never by offset", store.deepest)
			}
			if store.largest > 1001 {
				t.Errorf("one read returned %d cases, want at most a page of 1,000 and one more", store.largest)
			}
		})
	}
}

func TestDrillExportRefusesWhatTheListRefuses(t *testing.T) {
	svc := analytics.NewService(&pagedStore{}, time.Now)
	day := calendar.Date{Year: 2026, Month: 11, Day: 30}
	f := analytics.Filter{From: day, To: day}
	if _, err := svc.DrillExport(context.Background(), leader, analytics.Drill{Kind: "everything", Filter: f}, 10, nil); err == nil {
		t.Error("an unknown kind exports")
	}
	clerk := &identity.Principal{UserID: 2, Username: "clerk", Kind: identity.Staff, Roles: []identity.Role{identity.Clerk}}
	if _, err := svc.DrillExport(context.Background(), clerk, analytics.Drill{Kind: analytics.DrillReceived, Filter: f}, 10, nil); err == nil {
		t.Error("a clerk exports the leaders' drill-down")
	}
}
