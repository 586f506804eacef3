-- Drill-downs filtered by department or item (internal/analytics drill,
-- sqlstore.DrillCases) page through that department's or item's cases in
-- time order: without these the database either walks the whole time
-- index testing each case's department, or takes every case of the
-- department and sorts them — seconds on a few million cases.
CREATE INDEX cases_dept_created ON cases(department, created_at);
CREATE INDEX cases_item_created ON cases(item_code, created_at);
CREATE INDEX cases_dept_decided ON cases(department, decided_at);
CREATE INDEX cases_item_decided ON cases(item_code, decided_at);
CREATE INDEX cases_dept_started ON cases(department, start_on); -- ties in rowid (id) order
CREATE INDEX cases_item_started ON cases(item_code, start_on);
