-- Roll-up reads that the primary keys (department, item_code, day, …)
-- cannot serve, measured on ten million cases (docs/performance.md):
-- one item's rows (no department given) and every department's or item's
-- rows of a range of days (top lists), which stats_daily_day answered by
-- looking each row up in the table — hundreds of milliseconds for the
-- partial months of a quarter. The day index now carries every column the
-- dashboards read, so those scans never leave it; so do the (small)
-- monthly tables' item indexes.
CREATE INDEX stats_daily_item ON stats_daily(item_code, day);
CREATE INDEX stats_monthly_item ON stats_monthly(item_code, day, department, channel, received, accepted, refused, decided, approved, timed, on_time_promised, on_time_statutory, within_one_visit, zero_visit, days_used_sum, promised_half_sum, statutory_half_sum);
DROP INDEX stats_daily_day;
CREATE INDEX stats_daily_day ON stats_daily(day, item_code, department, channel, received, accepted, refused, decided, approved, timed, on_time_promised, on_time_statutory, within_one_visit, zero_visit, days_used_sum, promised_half_sum, statutory_half_sum);
CREATE INDEX stats_ratings_daily_item ON stats_ratings_daily(item_code, day);
CREATE INDEX stats_ratings_monthly_item ON stats_ratings_monthly(item_code, day, department, ratings, satisfied, poor);
CREATE INDEX stats_ratings_daily_day ON stats_ratings_daily(day, item_code, department, ratings, satisfied, poor);
-- The open cases at yellow or red of one item (summary, drill-down): the
-- item's own entries in status and warning order, not every open case.
CREATE INDEX cases_item_open ON cases(item_code, status, warning);
