-- Planner statistics of the partial indexes of 0019. A database whose
-- other indexes have statistics (after ANALYZE, or `demo --history-cases`)
-- but these have none is planned with defaults for them, and SQLite then
-- prefers the department's or item's whole index of decisions (measured
-- on ten million cases). Each ANALYZE reads just that index.
ANALYZE cases_visits;
ANALYZE cases_dept_visits;
ANALYZE cases_item_visits;
ANALYZE cases_late;
ANALYZE cases_dept_late;
ANALYZE cases_item_late;
ANALYZE cases_dept_warned;
ANALYZE cases_item_warned;
