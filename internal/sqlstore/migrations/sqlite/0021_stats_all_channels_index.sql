-- The all-channels rows (channel = '', 0018) of a range of days, every
-- department's or item's: the top lists and the transparency page read
-- them for a year or a quarter. Without an index that starts with the
-- channel, PostgreSQL walked the whole primary key of stats_monthly for a
-- year of every item (40 ms, 1,400 pages on ten million cases; 2 ms, 65
-- pages with this one), and SQLite skip-scanned the item index day range
-- by day range.
CREATE INDEX stats_daily_channel ON stats_daily(channel, day, item_code, department, received, accepted, refused, decided, approved, timed, on_time_promised, on_time_statutory, within_one_visit, zero_visit, days_used_sum, promised_half_sum, statutory_half_sum);
CREATE INDEX stats_monthly_channel ON stats_monthly(channel, day, item_code, department, received, accepted, refused, decided, approved, timed, on_time_promised, on_time_statutory, within_one_visit, zero_visit, days_used_sum, promised_half_sum, statutory_half_sum);
ANALYZE stats_daily;
ANALYZE stats_monthly;
