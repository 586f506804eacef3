-- Drill-downs filtered by department or item (internal/analytics drill,
-- sqlstore.DrillCases) page through that department's or item's cases in
-- time order: without these the database either walks the whole time
-- index testing each case's department, or takes every case of the
-- department and sorts them — seconds on a few million cases.
-- IF NOT EXISTS: on a large database the operator may build them first
-- with CREATE INDEX CONCURRENTLY, so that this migration does not hold
-- writes to cases for minutes.
CREATE INDEX IF NOT EXISTS cases_dept_created ON cases(department, created_at);
CREATE INDEX IF NOT EXISTS cases_item_created ON cases(item_code, created_at);
CREATE INDEX IF NOT EXISTS cases_dept_decided ON cases(department, decided_at);
CREATE INDEX IF NOT EXISTS cases_item_decided ON cases(item_code, decided_at);
-- The accepted drill-down orders by start_on DESC, id DESC.
CREATE INDEX IF NOT EXISTS cases_dept_started ON cases(department, start_on, id);
CREATE INDEX IF NOT EXISTS cases_item_started ON cases(item_code, start_on, id);
