-- The service hall: halls, zones (办理区) with ticket prefixes and daily
-- caps, windows and the zones they serve, tickets with their daily
-- counters, and the live event feed that screens in every server process
-- follow (polled by seq).
CREATE TABLE halls (
	id               INTEGER PRIMARY KEY,
	code             TEXT NOT NULL UNIQUE,
	name             TEXT NOT NULL,
	name_en          TEXT NOT NULL DEFAULT '',
	opens            TEXT NOT NULL DEFAULT '08:30', -- HH:MM Asia/Shanghai
	closes           TEXT NOT NULL DEFAULT '17:00',
	workdays_only    INTEGER NOT NULL DEFAULT 1,
	max_priority_run INTEGER NOT NULL DEFAULT 3,
	voice            INTEGER NOT NULL DEFAULT 1,
	voice_repeat     INTEGER NOT NULL DEFAULT 2,
	notice           TEXT NOT NULL DEFAULT '',
	updated_at       BIGINT NOT NULL
);

CREATE TABLE hall_zones (
	id         INTEGER PRIMARY KEY,
	hall_id    BIGINT NOT NULL REFERENCES halls(id),
	code       TEXT NOT NULL,
	name       TEXT NOT NULL,
	name_en    TEXT NOT NULL DEFAULT '',
	prefix     TEXT NOT NULL,
	daily_cap  INTEGER NOT NULL DEFAULT 0,
	department TEXT NOT NULL DEFAULT '',
	sort       INTEGER NOT NULL DEFAULT 0,
	UNIQUE (hall_id, code),
	UNIQUE (hall_id, prefix)
);

CREATE TABLE hall_windows (
	id           INTEGER PRIMARY KEY,
	hall_id      BIGINT NOT NULL REFERENCES halls(id),
	number       INTEGER NOT NULL,
	name         TEXT NOT NULL,
	kind         TEXT NOT NULL,
	state        TEXT NOT NULL DEFAULT 'closed',
	clerk_id     BIGINT NOT NULL DEFAULT 0,
	clerk_name   TEXT NOT NULL DEFAULT '',
	ticket_id    BIGINT NOT NULL DEFAULT 0,
	priority_run INTEGER NOT NULL DEFAULT 0,
	updated_at   BIGINT NOT NULL,
	UNIQUE (hall_id, number)
);

CREATE TABLE hall_window_zones (
	window_id BIGINT NOT NULL REFERENCES hall_windows(id),
	zone_id   BIGINT NOT NULL REFERENCES hall_zones(id),
	PRIMARY KEY (window_id, zone_id)
);

CREATE TABLE ticket_counters (
	hall_id BIGINT NOT NULL,
	prefix  TEXT NOT NULL,
	day     TEXT NOT NULL,
	seq     INTEGER NOT NULL,
	PRIMARY KEY (hall_id, prefix, day)
);

CREATE TABLE tickets (
	id               INTEGER PRIMARY KEY,
	token            TEXT NOT NULL UNIQUE,
	hall_id          BIGINT NOT NULL REFERENCES halls(id),
	zone_id          BIGINT NOT NULL REFERENCES hall_zones(id),
	day              TEXT NOT NULL,
	no               TEXT NOT NULL,
	reason           TEXT NOT NULL DEFAULT '',
	priority         INTEGER NOT NULL DEFAULT 0,
	channel          TEXT NOT NULL,
	status           TEXT NOT NULL,
	id_number        TEXT NOT NULL DEFAULT '',
	applicant_id     BIGINT NOT NULL DEFAULT 0,
	appointment      TEXT NOT NULL DEFAULT '',
	queued_at        BIGINT NOT NULL,
	issued_at        BIGINT NOT NULL,
	called_at        BIGINT NOT NULL DEFAULT 0,
	done_at          BIGINT NOT NULL DEFAULT 0,
	window_id        BIGINT NOT NULL DEFAULT 0,
	target_window_id BIGINT NOT NULL DEFAULT 0,
	recalls          INTEGER NOT NULL DEFAULT 0,
	transfers        INTEGER NOT NULL DEFAULT 0,
	clerk_id         BIGINT NOT NULL DEFAULT 0,
	cases            TEXT NOT NULL DEFAULT '',
	UNIQUE (hall_id, day, no)
);
-- The calling query: today's waiting tickets of a hall by priority and age.
CREATE INDEX tickets_queue ON tickets(hall_id, day, status, priority, queued_at);
CREATE INDEX tickets_called ON tickets(hall_id, day, called_at);
CREATE INDEX tickets_person ON tickets(id_number) WHERE id_number <> '';

CREATE TABLE hall_events (
	seq     INTEGER PRIMARY KEY,
	hall_id BIGINT NOT NULL,
	at      BIGINT NOT NULL,
	kind    TEXT NOT NULL,
	body    TEXT NOT NULL
);
