-- Feedback and supervision: ratings (好差评), rectification tasks for bad
-- ratings (差评整改), unfinished-matter reports (办不成事 / 未办成事项报备) and
-- the key that signs rating links sent by SMS. Full records are JSON bodies;
-- the columns beside them are what lists, jobs and metrics filter on.
CREATE TABLE ratings (
	id         INTEGER PRIMARY KEY,
	case_no    TEXT NOT NULL,
	mode       TEXT NOT NULL,             -- online (一事一评) or onsite (一次一评)
	ticket     TEXT NOT NULL DEFAULT '',  -- the visit rated on site; '' online
	department TEXT NOT NULL,
	item_code  TEXT NOT NULL,
	level      INTEGER NOT NULL,
	valid      INTEGER NOT NULL DEFAULT 1, -- 0 once excluded after 申诉复核
	created_at BIGINT NOT NULL,
	body       TEXT NOT NULL
);
CREATE UNIQUE INDEX ratings_once ON ratings(case_no, mode, ticket);
CREATE INDEX ratings_period ON ratings(created_at, department, item_code);

CREATE TABLE rectifications (
	id         INTEGER PRIMARY KEY,
	rating_id  BIGINT NOT NULL UNIQUE REFERENCES ratings(id),
	department TEXT NOT NULL,
	status     TEXT NOT NULL,
	due_on     TEXT NOT NULL,
	overdue    INTEGER NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	body       TEXT NOT NULL
);
CREATE INDEX rectifications_dept ON rectifications(department, status, due_on);
CREATE INDEX rectifications_due ON rectifications(status, due_on);

CREATE TABLE escalations (
	id         INTEGER PRIMARY KEY,
	status     TEXT NOT NULL,
	level      INTEGER NOT NULL,
	due_on     TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	body       TEXT NOT NULL
);
CREATE INDEX escalations_open ON escalations(status, due_on);

CREATE TABLE feedback_keys (
	id  INTEGER PRIMARY KEY,
	key TEXT NOT NULL
);
