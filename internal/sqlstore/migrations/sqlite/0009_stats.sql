-- Analytics roll-ups (internal/analytics): counters per day and per month
-- by department, item and channel, and per day and hour for the heat map,
-- kept up to date from case_events by the roll-up job so that no dashboard
-- query scans the cases table. department = '' and item_code = '' rows are
-- the totals over every department (item); a department's rows with
-- item_code = '' are its totals; so every filter reads few rows.
-- stats_cursors holds how far each roll-up has read its source, moved in
-- the same transaction as the counters it produced.
CREATE TABLE stats_daily (
	department         TEXT NOT NULL,
	item_code          TEXT NOT NULL,
	day                TEXT NOT NULL, -- YYYY-MM-DD, Asia/Shanghai
	channel            TEXT NOT NULL,
	received           INTEGER NOT NULL DEFAULT 0,
	accepted           INTEGER NOT NULL DEFAULT 0,
	refused            INTEGER NOT NULL DEFAULT 0,
	decided            INTEGER NOT NULL DEFAULT 0,
	approved           INTEGER NOT NULL DEFAULT 0,
	timed              INTEGER NOT NULL DEFAULT 0,
	on_time_promised   INTEGER NOT NULL DEFAULT 0,
	on_time_statutory  INTEGER NOT NULL DEFAULT 0,
	within_one_visit   INTEGER NOT NULL DEFAULT 0,
	zero_visit         INTEGER NOT NULL DEFAULT 0,
	days_used_sum      INTEGER NOT NULL DEFAULT 0,
	promised_half_sum  INTEGER NOT NULL DEFAULT 0,
	statutory_half_sum INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (department, item_code, day, channel)
) WITHOUT ROWID;
CREATE INDEX stats_daily_day ON stats_daily(day);

-- The same counters per month (day holds YYYY-MM), for long periods.
CREATE TABLE stats_monthly (
	department         TEXT NOT NULL,
	item_code          TEXT NOT NULL,
	day                TEXT NOT NULL,
	channel            TEXT NOT NULL,
	received           INTEGER NOT NULL DEFAULT 0,
	accepted           INTEGER NOT NULL DEFAULT 0,
	refused            INTEGER NOT NULL DEFAULT 0,
	decided            INTEGER NOT NULL DEFAULT 0,
	approved           INTEGER NOT NULL DEFAULT 0,
	timed              INTEGER NOT NULL DEFAULT 0,
	on_time_promised   INTEGER NOT NULL DEFAULT 0,
	on_time_statutory  INTEGER NOT NULL DEFAULT 0,
	within_one_visit   INTEGER NOT NULL DEFAULT 0,
	zero_visit         INTEGER NOT NULL DEFAULT 0,
	days_used_sum      INTEGER NOT NULL DEFAULT 0,
	promised_half_sum  INTEGER NOT NULL DEFAULT 0,
	statutory_half_sum INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (department, item_code, day, channel)
) WITHOUT ROWID;

-- Arrivals per day and hour: cases received and hall tickets issued, with
-- the hall's waiting and service times (seconds).
CREATE TABLE stats_hourly (
	day         TEXT NOT NULL,
	hour        INTEGER NOT NULL,
	received    INTEGER NOT NULL DEFAULT 0,
	arrivals    INTEGER NOT NULL DEFAULT 0,
	called      INTEGER NOT NULL DEFAULT 0,
	wait_sum    INTEGER NOT NULL DEFAULT 0,
	served      INTEGER NOT NULL DEFAULT 0,
	service_sum INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (day, hour)
) WITHOUT ROWID;

CREATE TABLE stats_cursors (
	name     TEXT PRIMARY KEY,
	position BIGINT NOT NULL
);
INSERT INTO stats_cursors (name, position) VALUES ('case_events', 0);
INSERT INTO stats_cursors (name, position) VALUES ('tickets', 0); -- the last hall day rolled up, as YYYYMMDD

-- The drill-down lists cases by the time that put them behind a number.
CREATE INDEX cases_created ON cases(created_at);
CREATE INDEX cases_started ON cases(start_on);
CREATE INDEX cases_decided ON cases(decided_at);
