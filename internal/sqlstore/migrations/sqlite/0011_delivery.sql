-- Delivery of results (送达, internal/delivery): the applicant's choice of
-- window pickup, locker or EMS per case, the shipment's status history, and
-- the handover record of a pickup. The pickup code is stored only as
-- salt$sha256; the SMS that carries it is queued in the outbox with the
-- negated id of its delivery_updates row as event_id, so it never collides
-- with a message made from case_events.
CREATE TABLE deliveries (
	case_no    TEXT PRIMARY KEY,
	method     TEXT NOT NULL CHECK (method IN ('window', 'locker', 'ems')),
	free       INTEGER NOT NULL DEFAULT 0,  -- EMS at the center's cost
	recipient  TEXT NOT NULL DEFAULT '',
	phone      TEXT NOT NULL DEFAULT '',
	province   TEXT NOT NULL DEFAULT '',
	city       TEXT NOT NULL DEFAULT '',
	district   TEXT NOT NULL DEFAULT '',
	street     TEXT NOT NULL DEFAULT '',
	tracking   TEXT NOT NULL DEFAULT '',   -- EMS waybill number
	status     TEXT NOT NULL DEFAULT '',   -- EMS: pending, accepted, in_transit, delivered, returned
	place      TEXT NOT NULL DEFAULT '',   -- pickup window or locker
	code_hash  TEXT NOT NULL DEFAULT '',
	attempts   INTEGER NOT NULL DEFAULT 0, -- wrong pickup codes entered
	chosen_by  TEXT NOT NULL,
	chosen_at  BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX deliveries_tracking ON deliveries(tracking) WHERE tracking <> '';

CREATE TABLE delivery_updates (
	id      INTEGER PRIMARY KEY,
	case_no TEXT NOT NULL,
	status  TEXT NOT NULL, -- a shipment status, or code_sent
	note    TEXT NOT NULL DEFAULT '',
	source  TEXT NOT NULL,
	at      BIGINT NOT NULL
);
CREATE INDEX delivery_updates_case ON delivery_updates(case_no, id);

CREATE TABLE handovers (
	case_no TEXT PRIMARY KEY,
	by_name TEXT NOT NULL,
	place   TEXT NOT NULL DEFAULT '', -- window or locker
	to_name TEXT NOT NULL,
	to_id   TEXT NOT NULL, -- ID number checked; shown masked
	to_role TEXT NOT NULL CHECK (to_role IN ('applicant', 'agent')),
	at      BIGINT NOT NULL
);
