-- Every roll-up row also over all channels (channel = ''), at each level:
-- the top lists, the summary and the transparency page neither filter nor
-- group by channel, and read a quarter of the rows (a year of every item:
-- ~3,600 rows instead of ~14,500 on ten million cases). The roll-up job and
-- the history generator write these rows from now on; this adds them for
-- the rows already there.
INSERT INTO stats_daily (department, item_code, day, channel, received, accepted, refused, decided, approved, timed,
	on_time_promised, on_time_statutory, within_one_visit, zero_visit, days_used_sum, promised_half_sum, statutory_half_sum)
SELECT department, item_code, day, '', SUM(received), SUM(accepted), SUM(refused), SUM(decided), SUM(approved), SUM(timed),
	SUM(on_time_promised), SUM(on_time_statutory), SUM(within_one_visit), SUM(zero_visit), SUM(days_used_sum),
	SUM(promised_half_sum), SUM(statutory_half_sum)
FROM stats_daily WHERE channel <> '' GROUP BY department, item_code, day;
INSERT INTO stats_monthly (department, item_code, day, channel, received, accepted, refused, decided, approved, timed,
	on_time_promised, on_time_statutory, within_one_visit, zero_visit, days_used_sum, promised_half_sum, statutory_half_sum)
SELECT department, item_code, day, '', SUM(received), SUM(accepted), SUM(refused), SUM(decided), SUM(approved), SUM(timed),
	SUM(on_time_promised), SUM(on_time_statutory), SUM(within_one_visit), SUM(zero_visit), SUM(days_used_sum),
	SUM(promised_half_sum), SUM(statutory_half_sum)
FROM stats_monthly WHERE channel <> '' GROUP BY department, item_code, day;
ANALYZE stats_daily;
ANALYZE stats_monthly;
