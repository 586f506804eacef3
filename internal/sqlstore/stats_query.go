package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"onevisit/internal/analytics"
	"onevisit/internal/calendar"
	"onevisit/internal/cases"
)

// StatsRows sums roll-up rows of one table over a range of days (months),
// at one level, grouped by the dimensions asked for.
func (s *StatsStore) StatsRows(ctx context.Context, q analytics.RowQuery) ([]analytics.Row, error) {
	table := "stats_daily"
	if q.Monthly {
		table = "stats_monthly"
	}
	var w where
	levelWhere(&w, q.Level)
	w.eq("department", q.Filter.Department)
	w.eq("item_code", q.Filter.Item)
	switch {
	case q.Filter.Channel != "":
		w.add("channel = "+w.arg(), q.Filter.Channel)
	case contains(q.By, analytics.ByChannel):
		w.add("channel <> ''")
	default:
		w.add("channel = ''") // the all-channels rows
	}
	w.add("day >= "+w.arg(), q.From)
	w.add("day <= "+w.arg(), q.To)
	dims := make([]string, 4)
	for i, d := range []string{analytics.ByDay, analytics.ByDepartment, analytics.ByItem, analytics.ByChannel} {
		dims[i] = "''"
		if contains(q.By, d) {
			dims[i] = d
		}
	}
	sums := make([]string, len(analytics.Columns))
	for i, c := range analytics.Columns {
		sums[i] = "COALESCE(SUM(" + c + "), 0)"
	}
	query := "SELECT " + strings.Join(dims, ", ") + ", " + strings.Join(sums, ", ") + " FROM " + table + w.sql()
	if len(q.By) > 0 {
		query += " GROUP BY " + strings.Join(q.By, ", ") + " ORDER BY " + strings.Join(q.By, ", ")
	}
	return scanStatsRows(ctx, s.db, query, w.args)
}

// levelWhere selects the roll-up rows of a level.
func levelWhere(w *where, l analytics.Level) {
	switch l {
	case analytics.LevelTotal:
		w.add("department = '' AND item_code = ''")
	case analytics.LevelDepartment:
		w.add("department <> '' AND item_code = ''")
	case analytics.LevelItem:
		w.add("item_code <> ''")
	}
}

func scanStatsRows(ctx context.Context, db *DB, query string, args []any) ([]analytics.Row, error) {
	rows, err := db.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("stats rows: %w", err)
	}
	defer rows.Close()
	var list []analytics.Row
	for rows.Next() {
		var r analytics.Row
		dst := []any{&r.Day, &r.Department, &r.Item, &r.Channel}
		for _, f := range r.Counts.Fields() {
			dst = append(dst, f)
		}
		if err := rows.Scan(dst...); err != nil {
			return nil, err
		}
		list = append(list, r)
	}
	return list, rows.Err()
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// StatsHours lists the hourly rows of a range of days.
func (s *StatsStore) StatsHours(ctx context.Context, from, to calendar.Date) ([]analytics.HourRow, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT day, hour, `+strings.Join(analytics.HourColumns, ", ")+
		` FROM stats_hourly WHERE day >= $1 AND day <= $2`, from.String(), to.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []analytics.HourRow
	for rows.Next() {
		var r analytics.HourRow
		var day string
		dst := []any{&day, &r.Hour}
		for _, f := range r.HourCounts.Fields() {
			dst = append(dst, f)
		}
		if err := rows.Scan(dst...); err != nil {
			return nil, err
		}
		r.Day, _ = calendar.ParseDate(day)
		list = append(list, r)
	}
	return list, rows.Err()
}

var openStatuses = []cases.Status{cases.Received, cases.InReview, cases.Suspended}

// OpenWarnings counts the open cases at yellow and at red now, from
// stats_open, which triggers on cases keep exact (migration 0016): at most
// one row per item, channel and warning, whatever the number of cases.
func (s *StatsStore) OpenWarnings(ctx context.Context, f analytics.Filter) (yellow, red int64, err error) {
	var w where
	w.eq("department", f.Department)
	w.eq("item_code", f.Item)
	w.eq("channel", f.Channel)
	rows, err := s.db.read.QueryContext(ctx, `SELECT warning, COALESCE(SUM(cases), 0) FROM stats_open`+w.sql()+` GROUP BY warning`, w.args...)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var warning string
		var n int64
		if err := rows.Scan(&warning, &n); err != nil {
			return 0, 0, err
		}
		switch cases.Warning(warning) {
		case cases.Red:
			red = n
		case cases.Yellow:
			yellow = n
		}
	}
	return yellow, red, rows.Err()
}

// periodMicros is [start of from, start of the day after to) in Shanghai.
func periodMicros(f analytics.Filter) (int64, int64) {
	return micros(f.From.In(calendar.Shanghai)), micros(f.To.AddDays(1).In(calendar.Shanghai))
}

// RatingRows sums the ratings roll-up rows of q, in one group or grouped
// by department or item.
func (s *StatsStore) RatingRows(ctx context.Context, q analytics.RowQuery) ([]analytics.Ratings, error) {
	table := "stats_ratings_daily"
	if q.Monthly {
		table = "stats_ratings_monthly"
	}
	var w where
	levelWhere(&w, q.Level)
	w.eq("department", q.Filter.Department)
	w.eq("item_code", q.Filter.Item)
	w.add("day >= "+w.arg(), q.From)
	w.add("day <= "+w.arg(), q.To)
	key := "''"
	if len(q.By) == 1 && (q.By[0] == analytics.ByDepartment || q.By[0] == analytics.ByItem) {
		key = q.By[0]
	}
	query := `SELECT ` + key + `, COALESCE(SUM(ratings), 0), COALESCE(SUM(satisfied), 0), COALESCE(SUM(poor), 0) FROM ` + table + w.sql()
	if key != "''" {
		query += " GROUP BY " + key
	}
	rows, err := s.db.read.QueryContext(ctx, query, w.args...)
	if err != nil {
		return nil, fmt.Errorf("ratings rows: %w", err)
	}
	defer rows.Close()
	var list []analytics.Ratings
	for rows.Next() {
		var r analytics.Ratings
		if err := rows.Scan(&r.Key, &r.Ratings, &r.Satisfied, &r.Poor); err != nil {
			return nil, err
		}
		list = append(list, r)
	}
	return list, rows.Err()
}

// lateCond is the SQL of "decided after the promised due date": the
// Shanghai day of decided_at is after due_promised, i.e. decided_at is at
// or after 16:00 UTC of due_promised. It is the predicate of the partial
// indexes cases_late, cases_dept_late and cases_item_late (migration 0019)
// word for word, which is how the engines know they serve the query.
func (db *DB) lateCond() string {
	if db.Engine == Postgres {
		return `start_on <> '' AND CASE WHEN due_promised = '' THEN false ELSE decided_at >= ((make_date(substr(due_promised, 1, 4)::int,
		substr(due_promised, 6, 2)::int, substr(due_promised, 9, 2)::int) - DATE '1970-01-01')::bigint * 86400 + 57600) * 1000000 END`
	}
	return "start_on <> '' AND decided_at >= (unixepoch(due_promised) + 57600) * 1000000"
}

// DrillCases lists one page (plus one row) of the cases behind a number.
// It reads the cases' columns, never their JSON bodies, so a page costs the
// index walk and the rows it keeps (the transports name the items,
// Names.Page). Ties are broken by id, so pages neither skip nor repeat.
func (s *StatsStore) DrillCases(ctx context.Context, d analytics.Drill) ([]analytics.DrillCase, error) {
	w, order := s.drillWhere(d)
	return s.drillRows(ctx, &w, order, d)
}

// drillWhere is the condition and order of d's cases.
func (s *StatsStore) drillWhere(d analytics.Drill) (w where, order string) {
	from, to := periodMicros(d.Filter)
	order = "decided_at DESC, id DESC"
	a := d.After
	switch d.Kind {
	case analytics.DrillReceived:
		w.add("created_at >= "+w.arg(), from)
		w.add("created_at < "+w.arg(), to)
		order = "created_at DESC, id DESC"
		if a != nil {
			after(&w, "created_at", "<", micros(a.CreatedAt), a.ID)
		}
	case analytics.DrillAccepted:
		w.add("start_on >= "+w.arg(), d.Filter.From.String())
		w.add("start_on <= "+w.arg(), d.Filter.To.String())
		order = "start_on DESC, id DESC"
		if a != nil {
			after(&w, "start_on", "<", a.StartOn, a.ID)
		}
	case analytics.DrillYellow, analytics.DrillRed:
		in(&w, "status", openStatuses)
		w.add("warning = "+w.arg(), d.Kind)
		w.add("warning <> ''") // the term of cases_dept_warned and cases_item_warned (migration 0019)
		order = "due_promised, id"
		if a != nil {
			after(&w, "due_promised", ">", a.DueOn, a.ID)
		}
	default: // decided, late, visits: decided_at is set by approve and deny only, so
		// the range alone selects completed cases and walks the cases_decided index.
		w.add("decided_at >= "+w.arg(), from)
		w.add("decided_at < "+w.arg(), to)
		if a != nil {
			after(&w, "decided_at", "<", micros(a.DecidedAt), a.ID)
		}
	}
	switch d.Kind {
	case analytics.DrillLate:
		w.add(s.db.lateCond())
	case analytics.DrillVisits:
		w.add("visits > 1")
	}
	w.eq("department", d.Filter.Department)
	w.eq("item_code", d.Filter.Item)
	w.eq("channel", d.Filter.Channel)
	return w, order
}

// after continues a list ordered by (col, id), both descending (op "<")
// or both ascending (">"), after the row with col = v and id: written so
// that the index on col bounds the walk.
func after(w *where, col, op string, v any, id int64) {
	bound := w.arg()
	w.args = append(w.args, v)
	same := w.arg()
	w.args = append(w.args, v)
	w.add(fmt.Sprintf("%s %s= %s AND (%s %s %s OR id %s %s)", col, op, bound, col, op, same, op, w.arg()), id)
}

// drillRows reads one page (plus one row) of the cases matching w in
// order — d's page, or the page after d.After — their columns, never their
// JSON bodies.
func (s *StatsStore) drillRows(ctx context.Context, w *where, order string, d analytics.Drill) ([]analytics.DrillCase, error) {
	per, offset := d.PageSize(), 0
	if d.After == nil {
		offset = (max(d.Page, 1) - 1) * per
	}
	q := fmt.Sprintf(`SELECT id, no, item_code, department, channel, status, warning, visits, created_at, start_on, due_promised,
		COALESCE(decided_at, 0) FROM cases%s ORDER BY %s LIMIT %d OFFSET %d`, w.sql(), order, per+1, offset)
	rows, err := s.db.read.QueryContext(ctx, q, w.args...)
	if err != nil {
		return nil, fmt.Errorf("drill cases: %w", err)
	}
	defer rows.Close()
	var list []analytics.DrillCase
	for rows.Next() {
		var c analytics.DrillCase
		var created, decided int64
		if err := rows.Scan(&c.ID, &c.No, &c.ItemCode, &c.Department, &c.Channel, &c.Status, &c.Warning, &c.Visits,
			&created, &c.StartOn, &c.DueOn, &decided); err != nil {
			return nil, err
		}
		c.CreatedAt, c.DecidedAt = fromMicros(created), fromMicros(decided)
		list = append(list, c)
	}
	return list, rows.Err()
}
