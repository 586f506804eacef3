-- Appointments (预约办理). appointment_slots holds one counter row per item
-- and slot: a booking increments it with "WHERE booked < capacity" and
-- checks that one row changed, so concurrent bookers can never over-book.
-- An applicant holds at most one live booking per item and day (the partial
-- unique index). No-shows are bookings still 'booked' after their slot.
CREATE TABLE appointment_slots (
	item_code TEXT NOT NULL,
	day       TEXT NOT NULL, -- YYYY-MM-DD, Asia/Shanghai
	starts    TEXT NOT NULL, -- HH:MM
	capacity  INTEGER NOT NULL,
	booked    INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (item_code, day, starts)
);

CREATE TABLE appointments (
	id           INTEGER PRIMARY KEY,
	code         TEXT NOT NULL UNIQUE, -- the confirmation code
	hall_id      BIGINT NOT NULL REFERENCES halls(id),
	item_code    TEXT NOT NULL,
	item_name    TEXT NOT NULL,
	department   TEXT NOT NULL DEFAULT '',
	day          TEXT NOT NULL,
	starts       TEXT NOT NULL,
	ends         TEXT NOT NULL,
	applicant_id BIGINT NOT NULL,
	name         TEXT NOT NULL DEFAULT '',
	status       TEXT NOT NULL, -- booked, checked_in, cancelled
	ticket       TEXT NOT NULL DEFAULT '', -- the ticket token issued at check-in
	created_at   BIGINT NOT NULL,
	updated_at   BIGINT NOT NULL
);
CREATE UNIQUE INDEX appointments_one_per_day ON appointments(applicant_id, item_code, day) WHERE status = 'booked';
CREATE INDEX appointments_applicant ON appointments(applicant_id, day);
