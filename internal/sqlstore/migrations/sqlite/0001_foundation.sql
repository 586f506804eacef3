-- Foundation: departments, users and roles, sessions, API tokens, the audit
-- chain and calendar revisions. Timestamps are Unix microseconds (UTC).
CREATE TABLE departments (
	id          INTEGER PRIMARY KEY,
	parent_id   INTEGER REFERENCES departments(id),
	code        TEXT NOT NULL UNIQUE,
	name        TEXT NOT NULL,
	name_en     TEXT NOT NULL DEFAULT '',
	uscc        TEXT NOT NULL DEFAULT '',
	region_code TEXT NOT NULL DEFAULT '',
	created_at  BIGINT NOT NULL
);

CREATE TABLE users (
	id                  INTEGER PRIMARY KEY,
	username            TEXT NOT NULL UNIQUE,
	display_name        TEXT NOT NULL,
	kind                TEXT NOT NULL CHECK (kind IN ('staff', 'person', 'legal')),
	password_hash       TEXT NOT NULL,
	department_id       INTEGER REFERENCES departments(id),
	id_number           TEXT NOT NULL DEFAULT '',
	uscc                TEXT NOT NULL DEFAULT '',
	legal_rep           TEXT NOT NULL DEFAULT '',
	phone               TEXT NOT NULL DEFAULT '',
	failed_logins       INTEGER NOT NULL DEFAULT 0,
	locked_until        BIGINT NOT NULL DEFAULT 0,
	disabled            INTEGER NOT NULL DEFAULT 0,
	created_at          BIGINT NOT NULL,
	password_changed_at BIGINT NOT NULL
);

CREATE TABLE user_roles (
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	role    TEXT NOT NULL,
	PRIMARY KEY (user_id, role)
);

CREATE TABLE sessions (
	token_hash   TEXT PRIMARY KEY,
	user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	kind         TEXT NOT NULL CHECK (kind IN ('web', 'api')),
	csrf_token   TEXT NOT NULL,
	created_at   BIGINT NOT NULL,
	last_seen_at BIGINT NOT NULL,
	expires_at   BIGINT NOT NULL,
	ip           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
	id            INTEGER PRIMARY KEY,
	name          TEXT NOT NULL,
	prefix        TEXT NOT NULL,
	token_hash    TEXT NOT NULL UNIQUE,
	department_id INTEGER NOT NULL REFERENCES departments(id),
	permissions   TEXT NOT NULL,
	created_by    INTEGER NOT NULL REFERENCES users(id),
	created_at    BIGINT NOT NULL,
	expires_at    BIGINT NOT NULL DEFAULT 0,
	revoked_at    BIGINT NOT NULL DEFAULT 0,
	last_used_at  BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE audit_head (
	id   INTEGER PRIMARY KEY CHECK (id = 1),
	seq  BIGINT NOT NULL,
	hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

CREATE TABLE audit_log (
	seq         BIGINT PRIMARY KEY,
	at          BIGINT NOT NULL,
	actor_id    BIGINT NOT NULL DEFAULT 0,
	actor       TEXT NOT NULL,
	action      TEXT NOT NULL,
	object_type TEXT NOT NULL DEFAULT '',
	object_id   TEXT NOT NULL DEFAULT '',
	ip          TEXT NOT NULL DEFAULT '',
	detail      TEXT NOT NULL DEFAULT '',
	prev_hash   TEXT NOT NULL,
	hash        TEXT NOT NULL
);
CREATE INDEX audit_log_object ON audit_log(object_type, object_id);
CREATE INDEX audit_log_actor ON audit_log(actor_id, at);

CREATE TABLE calendar_revisions (
	id           INTEGER PRIMARY KEY,
	published_at BIGINT NOT NULL,
	loaded_at    BIGINT NOT NULL,
	loaded_by    BIGINT NOT NULL DEFAULT 0,
	note         TEXT NOT NULL DEFAULT ''
);

CREATE TABLE calendar_days (
	revision_id INTEGER NOT NULL REFERENCES calendar_revisions(id),
	day         TEXT NOT NULL,
	kind        TEXT NOT NULL CHECK (kind IN ('holiday', 'makeup_workday', 'workday')),
	name        TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (revision_id, day)
);
