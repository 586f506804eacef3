-- One covering index per way the dashboards read the roll-ups, so that no
-- query reads a row it then throws away (plans checked on ten million
-- cases, docs/performance.md):
--   centre totals            primary key ('', '', day…)
--   one department's totals  primary key (department, '', day…)
--   every department         _item  (item_code = '', day…)
--   one item                 _item  (item_code, day…)
--   every item               _day   (day…, item_code <> '')
--   every item of a department  _dept (department, day…)
-- Before, the department list looked each row up in the table through a
-- two-column index, the items of one department walked every day of the
-- department's items through the primary key, and the monthly item list
-- scanned the whole monthly table.
DROP INDEX stats_daily_item;
CREATE INDEX stats_daily_item ON stats_daily(item_code, day, department, channel, received, accepted, refused, decided, approved, timed, on_time_promised, on_time_statutory, within_one_visit, zero_visit, days_used_sum, promised_half_sum, statutory_half_sum);
CREATE INDEX stats_daily_dept ON stats_daily(department, day, item_code, channel, received, accepted, refused, decided, approved, timed, on_time_promised, on_time_statutory, within_one_visit, zero_visit, days_used_sum, promised_half_sum, statutory_half_sum);
CREATE INDEX stats_monthly_day ON stats_monthly(day, item_code, department, channel, received, accepted, refused, decided, approved, timed, on_time_promised, on_time_statutory, within_one_visit, zero_visit, days_used_sum, promised_half_sum, statutory_half_sum);
CREATE INDEX stats_monthly_dept ON stats_monthly(department, day, item_code, channel, received, accepted, refused, decided, approved, timed, on_time_promised, on_time_statutory, within_one_visit, zero_visit, days_used_sum, promised_half_sum, statutory_half_sum);
DROP INDEX stats_ratings_daily_item;
CREATE INDEX stats_ratings_daily_item ON stats_ratings_daily(item_code, day, department, ratings, satisfied, poor);
CREATE INDEX stats_ratings_daily_dept ON stats_ratings_daily(department, day, item_code, ratings, satisfied, poor);
CREATE INDEX stats_ratings_monthly_day ON stats_ratings_monthly(day, item_code, department, ratings, satisfied, poor);
CREATE INDEX stats_ratings_monthly_dept ON stats_ratings_monthly(department, day, item_code, ratings, satisfied, poor);
ANALYZE stats_daily;
ANALYZE stats_monthly;
ANALYZE stats_ratings_daily;
ANALYZE stats_ratings_monthly;
