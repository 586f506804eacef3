package cases_test

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/calendar"
	"onevisit/internal/cases"
)

// pagedStore keeps cases in memory and records the largest page a job
// read, so a test can check that a job's memory stays bounded.
type pagedStore struct {
	cases.Store // methods the jobs do not use panic
	byID        map[int64]*cases.Case
	largest     int // most cases returned by one Cases call
	updates     int
}

func (s *pagedStore) matches(c *cases.Case, f cases.Filter) bool {
	return (len(f.Statuses) == 0 || slices.Contains(f.Statuses, c.Status)) && (len(f.IDs) == 0 || slices.Contains(f.IDs, c.ID))
}

func (s *pagedStore) CaseIDs(_ context.Context, f cases.Filter) ([]int64, error) {
	var ids []int64
	for id, c := range s.byID { // map order: the store promises none
		if s.matches(c, f) {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

func (s *pagedStore) Cases(_ context.Context, f cases.Filter) ([]cases.Case, int, error) {
	var all []cases.Case
	for _, c := range s.byID {
		if s.matches(c, f) {
			all = append(all, *c)
		}
	}
	slices.SortFunc(all, func(a, b cases.Case) int { return int(a.ID - b.ID) })
	page := all[min(len(all), (f.Page-1)*f.Per):min(len(all), f.Page*f.Per)]
	s.largest = max(s.largest, len(page))
	return page, len(all), nil
}

func (s *pagedStore) UpdateCase(_ context.Context, c *cases.Case, from cases.Status, _ cases.Event, _ audit.Entry) error {
	stored := s.byID[c.ID]
	if stored == nil || stored.Status != from {
		return apperr.New(apperr.Conflict, "err.case_changed")
	}
	*stored = *c
	s.updates++
	return nil
}

type fixedCalendar struct{}

func (fixedCalendar) Current() *calendar.Calendar { return calendar.Builtin() }

// The jobs that visit every open case read them a page at a time, so their
// memory does not grow with the hall's backlog, and visit them all however
// many there are.
func TestTheCaseJobsVisitEveryCaseAPageAtATime(t *testing.T) {
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, calendar.Shanghai)
	longAgo := calendar.DateOf(now).AddDays(-60)
	const n = 1234 // more than two pages
	tests := []struct {
		name   string
		status cases.Status
		run    func(*cases.Service) (int, error)
		check  func(c *cases.Case) bool
	}{
		{"refresh_warnings turns every late case red", cases.InReview,
			func(s *cases.Service) (int, error) { return s.RefreshWarnings(context.Background()) },
			func(c *cases.Case) bool { return c.Warning == cases.Red }},
		{"deem_accepted accepts every case received long ago", cases.Received,
			func(s *cases.Service) (int, error) { return s.DeemAccepted(context.Background()) },
			func(c *cases.Case) bool { return c.Status == cases.InReview && c.Clock.Start == longAgo }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := &pagedStore{byID: map[int64]*cases.Case{}}
			for id := int64(1); id <= n; id++ {
				c := &cases.Case{ID: id, No: "C" + strconv.FormatInt(id, 10), Status: tt.status, ReceivedOn: longAgo,
					Clock: cases.Clock{Promised: 10, Statutory: 40}}
				if tt.status == cases.InReview {
					c.Clock.Start = longAgo
				}
				store.byID[id] = c
			}
			svc := cases.NewService(store, nil, fixedCalendar{}, "330206", func() time.Time { return now })
			got, err := tt.run(svc)
			if err != nil || got != n || store.updates != n {
				t.Fatalf("job: %d (%v), %d cases stored; want %d", got, err, store.updates, n)
			}
			for _, c := range store.byID {
				if !tt.check(c) {
					t.Fatalf("case %d not visited: %+v", c.ID, c)
				}
			}
			if store.largest > 500 {
				t.Errorf("one read returned %d cases, want at most a page of 500", store.largest)
			}
		})
	}
}
