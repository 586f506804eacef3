-- Callbacks (回访) and the monthly assessment of departments (考核, 通报).
-- A callback is unique per case, reason and rating, so the daily job can
-- run any number of times. The scorecards are one JSON document edited by
-- supervisors; a notice is stored once per month, when it is issued.
CREATE TABLE callbacks (
	id         INTEGER PRIMARY KEY,
	day        TEXT NOT NULL,              -- YYYY-MM-DD the call is due
	reason     TEXT NOT NULL,              -- sample or poor
	case_no    TEXT NOT NULL,
	rating_id  BIGINT NOT NULL DEFAULT 0,  -- the 差评 called back; 0 for a sample
	department TEXT NOT NULL,
	status     TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	body       TEXT NOT NULL
);
CREATE UNIQUE INDEX callbacks_once ON callbacks(case_no, reason, rating_id);
CREATE INDEX callbacks_day ON callbacks(day, department);

CREATE TABLE assessment_config (
	id         INTEGER PRIMARY KEY,
	updated_at BIGINT NOT NULL,
	body       TEXT NOT NULL
);

CREATE TABLE assessment_notices (
	month      TEXT PRIMARY KEY,           -- YYYY-MM
	created_at BIGINT NOT NULL,
	body       TEXT NOT NULL
);
