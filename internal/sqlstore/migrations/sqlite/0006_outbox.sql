-- Outbox: SMS and email messages to applicants, made from the case
-- timeline by the relay and sent by the dispatcher (internal/outbox).
-- outbox_cursors holds how far the relay has read case_events; it starts
-- after the events already there, so an existing database does not
-- message applicants about its past.
CREATE TABLE outbox_cursors (
	name     TEXT PRIMARY KEY,
	position BIGINT NOT NULL
);
INSERT INTO outbox_cursors (name, position) SELECT 'case_events', COALESCE(MAX(id), 0) FROM case_events;

CREATE TABLE outbox (
	id              INTEGER PRIMARY KEY,
	channel         TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
	recipient       TEXT NOT NULL,
	case_no         TEXT NOT NULL,
	event_id        BIGINT NOT NULL, -- case_events.id
	template        TEXT NOT NULL,
	subject         TEXT NOT NULL DEFAULT '',
	text            TEXT NOT NULL,
	status          TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
	attempts        INTEGER NOT NULL DEFAULT 0,
	last_error      TEXT NOT NULL DEFAULT '',
	via             TEXT NOT NULL DEFAULT '', -- the sender that delivered it
	created_at      BIGINT NOT NULL,
	sent_at         BIGINT NOT NULL DEFAULT 0,
	next_attempt_at BIGINT NOT NULL
);
-- One message per event and channel: relaying an event twice adds nothing.
CREATE UNIQUE INDEX outbox_event_channel ON outbox(event_id, channel);
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_status ON outbox(status, id);
CREATE INDEX outbox_case ON outbox(case_no);
