-- Cases: applicants, cases with their timeline, daily case-number counters
-- and idempotency keys. A case's full record is the JSON body; the columns
-- beside it are what worklists filter and sort on.
CREATE TABLE applicants (
	id         INTEGER PRIMARY KEY,
	kind       TEXT NOT NULL,
	name       TEXT NOT NULL,
	id_number  TEXT NOT NULL DEFAULT '',
	uscc       TEXT NOT NULL DEFAULT '',
	legal_rep  TEXT NOT NULL DEFAULT '',
	phone      TEXT NOT NULL DEFAULT '',
	user_id    BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX applicants_code ON applicants(kind, id_number, uscc);
CREATE INDEX applicants_user ON applicants(user_id);

CREATE TABLE case_counters (
	prefix TEXT PRIMARY KEY,
	seq    BIGINT NOT NULL
);

CREATE TABLE cases (
	id                INTEGER PRIMARY KEY,
	no                TEXT NOT NULL UNIQUE,
	parent_no         TEXT NOT NULL DEFAULT '',
	item_code         TEXT NOT NULL,
	item_version      INTEGER NOT NULL,
	department        TEXT NOT NULL,
	joint             TEXT NOT NULL DEFAULT '', -- ",A,B," so LIKE '%,A,%' finds joint departments
	channel           TEXT NOT NULL,
	status            TEXT NOT NULL,
	applicant_id      BIGINT NOT NULL REFERENCES applicants(id),
	applicant_user_id BIGINT NOT NULL DEFAULT 0,
	received_on       TEXT NOT NULL DEFAULT '',
	start_on          TEXT NOT NULL DEFAULT '',
	due_promised      TEXT NOT NULL DEFAULT '',
	due_statutory     TEXT NOT NULL DEFAULT '',
	warning           TEXT NOT NULL DEFAULT '',
	visits            INTEGER NOT NULL DEFAULT 0,
	created_at        BIGINT NOT NULL,
	updated_at        BIGINT NOT NULL,
	decided_at        BIGINT NOT NULL DEFAULT 0,
	body              TEXT NOT NULL
);
CREATE INDEX cases_department ON cases(department, status, due_promised);
CREATE INDEX cases_applicant ON cases(applicant_user_id, created_at);
CREATE INDEX cases_status ON cases(status, warning, due_promised);
CREATE INDEX cases_parent ON cases(parent_no) WHERE parent_no <> '';

CREATE TABLE case_events (
	id          INTEGER PRIMARY KEY,
	case_no     TEXT NOT NULL,
	at          BIGINT NOT NULL,
	action      TEXT NOT NULL,
	from_status TEXT NOT NULL DEFAULT '',
	to_status   TEXT NOT NULL,
	actor       TEXT NOT NULL,
	note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_events_case ON case_events(case_no, id);

CREATE TABLE idempotency_keys (
	principal  TEXT NOT NULL,
	key        TEXT NOT NULL,
	case_no    TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (principal, key)
);
