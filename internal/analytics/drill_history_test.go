package analytics_test

import (
	"context"
	"testing"
	"time"

	"onevisit/internal/analytics"
	"onevisit/internal/calendar"
	"onevisit/internal/demo"
	"onevisit/internal/sqlstore"
	"onevisit/internal/sqlstore/sqlstoretest"
)

// withHistory generates two months of history in db and returns the
// dashboards over it with the last 30 days.
func withHistory(t *testing.T, db *sqlstore.DB) (*analytics.Service, analytics.Filter) {
	t.Helper()
	ctx := context.Background()
	cal, err := calendar.NewService(ctx, db, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	today := calendar.DateOf(time.Now())
	if err := demo.GenerateHistory(ctx, db.Stats(), cal.Current(), today, demo.History{Cases: 4000, Days: 60, Seed: 3, Batch: 1000}, nil); err != nil {
		t.Fatal(err)
	}
	return analytics.NewService(db.Stats(), time.Now), analytics.Filter{From: today.AddDays(-29), To: today}
}

// exported runs a drill-down export and returns its rows.
func exported(t *testing.T, svc *analytics.Service, d analytics.Drill) [][]any {
	t.Helper()
	st, err := svc.DrillExport(context.Background(), leader, d, analytics.ExportMax, nil)
	if err != nil {
		t.Fatal(err)
	}
	var rows [][]any
	if _, err := st.Rows(func(rs [][]any) error { rows = append(rows, rs...); return nil }); err != nil {
		t.Fatal(err)
	}
	return rows
}

// The heat map counts the whole center (the hourly roll-ups have no
// department, item or channel), so the cases behind a cell are the whole
// center's too, whatever filter the dashboard has: they add up to the cell.
func TestAHeatMapCellListsTheCasesThatAddUpToIt(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		svc, f := withHistory(t, db)
		h, err := svc.Heatmap(ctx, leader, "received", f)
		if err != nil {
			t.Fatal(err)
		}
		var slot analytics.Slot
		for wd, hours := range h.Cells {
			for hour, v := range hours {
				if v > h.Cells[slot.Weekday][slot.Hour] {
					slot = analytics.Slot{Weekday: wd, Hour: hour}
				}
			}
		}
		cell := h.Cells[slot.Weekday][slot.Hour]
		if cell <= analytics.DrillPer {
			t.Fatalf("the busiest cell has %d cases: too few to span pages", cell)
		}
		filtered := f
		filtered.Department, filtered.Item, filtered.Channel = "D02", "HIST-002", "online"
		d := analytics.Drill{Kind: analytics.DrillReceived, Filter: filtered, Slot: &slot}
		pg, err := svc.DrillDown(ctx, leader, d)
		if err != nil {
			t.Fatal(err)
		}
		if got := pg.Drill.Filter; got.Department != "" || got.Item != "" || got.Channel != "" {
			t.Errorf("the cell's list keeps the filter %+v, want the whole center", got)
		}
		if n := len(exported(t, svc, d)); int64(n) != cell {
			t.Errorf("the cell counts %d cases, its list has %d", cell, n)
		}
	})
}

// A download holds every case behind the number, not the page on screen:
// as many rows as the dashboard counts, each once, newest first.
func TestDrillExportHoldsEveryCaseBehindTheNumber(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		svc, f := withHistory(t, db)
		dept := f
		dept.Department = "D01"
		for _, f := range []analytics.Filter{f, dept} {
			sum, err := svc.Summary(ctx, leader, f)
			if err != nil {
				t.Fatal(err)
			}
			c := sum.Current
			for kind, want := range map[string]int64{analytics.DrillReceived: c.Received, analytics.DrillAccepted: c.Accepted,
				analytics.DrillDecided: c.Decided, analytics.DrillLate: c.Timed - c.OnTimePromised,
				analytics.DrillVisits: c.Decided - c.WithinOneVisit, analytics.DrillRed: sum.OpenRed} {
				rows := exported(t, svc, analytics.Drill{Kind: kind, Filter: f, Page: 2})
				if int64(len(rows)) != want {
					t.Errorf("%s %s: %d rows, the dashboard counts %d", f.Department, kind, len(rows), want)
				}
				seen := map[string]bool{}
				for i, r := range rows {
					if no := r[0].(string); seen[no] {
						t.Fatalf("%s %s: %s listed twice", f.Department, kind, no)
					} else {
						seen[no] = true
					}
					if kind == analytics.DrillReceived && i > 0 && r[9].(string) > rows[i-1][9].(string) {
						t.Fatalf("%s received: row %d (%s) is newer than the one before it", f.Department, i, r[9])
					}
				}
			}
			if c.Received <= analytics.DrillPer || f.Department == "" && c.Received <= 1000 {
				t.Errorf("%q: %d cases received, too few to span pages (the centre: two download reads of 1,000)", f.Department, c.Received)
			}
		}
	})
}
