-- Ratings roll-ups (好差评) for the dashboards, so that no dashboard query
-- scans the ratings table: valid ratings per day (and per month) of rating
-- at three levels like stats_daily (department = '' and item_code = ''
-- the centre's totals, item_code = '' a department's). The feedback store
-- adds a rating in the same transaction that records it, and takes it
-- back in the one that excludes it after 申诉复核; the history generator
-- writes its rows directly.
CREATE TABLE stats_ratings_daily (
	department TEXT NOT NULL,
	item_code  TEXT NOT NULL,
	day        TEXT NOT NULL, -- YYYY-MM-DD, Asia/Shanghai
	ratings    BIGINT NOT NULL DEFAULT 0,
	satisfied  BIGINT NOT NULL DEFAULT 0, -- level >= 4
	poor       BIGINT NOT NULL DEFAULT 0, -- level <= 2
	PRIMARY KEY (department, item_code, day)
);

CREATE TABLE stats_ratings_monthly (
	department TEXT NOT NULL,
	item_code  TEXT NOT NULL,
	day        TEXT NOT NULL, -- YYYY-MM
	ratings    BIGINT NOT NULL DEFAULT 0,
	satisfied  BIGINT NOT NULL DEFAULT 0,
	poor       BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (department, item_code, day)
);

-- The ratings recorded before this migration.
INSERT INTO stats_ratings_daily (department, item_code, day, ratings, satisfied, poor)
SELECT department, item_code, day, COUNT(*), SUM(CASE WHEN level >= 4 THEN 1 ELSE 0 END), SUM(CASE WHEN level <= 2 THEN 1 ELSE 0 END)
FROM (SELECT department, item_code, to_char(to_timestamp(created_at / 1000000.0 + 28800) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, level FROM ratings WHERE valid = 1) r
GROUP BY department, item_code, day;
INSERT INTO stats_ratings_daily (department, item_code, day, ratings, satisfied, poor)
SELECT department, '', day, SUM(ratings), SUM(satisfied), SUM(poor) FROM stats_ratings_daily GROUP BY department, day;
INSERT INTO stats_ratings_daily (department, item_code, day, ratings, satisfied, poor)
SELECT '', '', day, SUM(ratings), SUM(satisfied), SUM(poor) FROM stats_ratings_daily WHERE item_code = '' GROUP BY day;
INSERT INTO stats_ratings_monthly (department, item_code, day, ratings, satisfied, poor)
SELECT department, item_code, substr(day, 1, 7), SUM(ratings), SUM(satisfied), SUM(poor)
FROM stats_ratings_daily GROUP BY department, item_code, substr(day, 1, 7);
