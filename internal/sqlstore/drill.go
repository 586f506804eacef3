package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"onevisit/internal/analytics"
)

// Drill-downs beyond the roll-ups' own (stats_query.go): the cases of one
// heat-map cell.

var _ analytics.SlotStore = (*StatsStore)(nil)

// DrillCreatedIn lists one page (plus one row) of the cases created within
// the spans, newest first; each span is a range scan of cases_created.
func (s *StatsStore) DrillCreatedIn(ctx context.Context, d analytics.Drill, spans []analytics.Span) ([]analytics.DrillCase, error) {
	var w where
	ors := make([]string, len(spans))
	for i, sp := range spans {
		lo := w.arg()
		w.args = append(w.args, micros(sp.From))
		ors[i] = fmt.Sprintf("(created_at >= %s AND created_at < %s)", lo, w.arg())
		w.args = append(w.args, micros(sp.To))
	}
	w.conds = append(w.conds, "("+strings.Join(ors, " OR ")+")")
	w.eq("department", d.Filter.Department)
	w.eq("item_code", d.Filter.Item)
	w.eq("channel", d.Filter.Channel)
	if a := d.After; a != nil {
		after(&w, "created_at", "<", micros(a.CreatedAt), a.ID)
	}
	return s.drillRows(ctx, &w, "created_at DESC, id DESC", d)
}
