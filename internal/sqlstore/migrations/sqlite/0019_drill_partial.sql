-- The drill-downs whose filter keeps few of the cases an index walks:
-- cases that took more than one visit (~2.5 %), late cases (~8 %), and
-- one department's or item's open cases at yellow or red. Walking
-- cases_decided (or a department's, an item's) and reading each case to
-- test it cost 50–250 ms a page on ten million cases (docs/performance.md);
-- these partial indexes hold only the cases the filter keeps, so a page
-- reads its own rows and no others. The predicates are the drill query's
-- terms word for word (sqlstore DrillCases), which is how SQLite and
-- PostgreSQL know an index serves a query. Late: the Shanghai day of
-- decided_at is after due_promised, i.e. decided_at is at or after
-- 16:00 UTC of due_promised (the next day's 00:00 in Shanghai).
-- IF NOT EXISTS: on a large database they may be built beforehand.
CREATE INDEX IF NOT EXISTS cases_visits ON cases(decided_at) WHERE visits > 1;
CREATE INDEX IF NOT EXISTS cases_dept_visits ON cases(department, decided_at) WHERE visits > 1;
CREATE INDEX IF NOT EXISTS cases_item_visits ON cases(item_code, decided_at) WHERE visits > 1;
CREATE INDEX IF NOT EXISTS cases_late ON cases(decided_at)
	WHERE start_on <> '' AND decided_at >= (unixepoch(due_promised) + 57600) * 1000000;
CREATE INDEX IF NOT EXISTS cases_dept_late ON cases(department, decided_at)
	WHERE start_on <> '' AND decided_at >= (unixepoch(due_promised) + 57600) * 1000000;
CREATE INDEX IF NOT EXISTS cases_item_late ON cases(item_code, decided_at)
	WHERE start_on <> '' AND decided_at >= (unixepoch(due_promised) + 57600) * 1000000;
CREATE INDEX IF NOT EXISTS cases_dept_warned ON cases(department, warning, due_promised) WHERE warning <> '';
CREATE INDEX IF NOT EXISTS cases_item_warned ON cases(item_code, warning, due_promised) WHERE warning <> '';
