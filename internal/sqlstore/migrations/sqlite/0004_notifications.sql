-- Notifications: in-app messages to a department (an upstream catalog
-- change to its items, …), shown to its staff until read. department_code
-- has no foreign key: a joint department named by an upstream catalog may
-- not be set up here yet, and its messages wait for it.
CREATE TABLE notifications (
	id              INTEGER PRIMARY KEY,
	department_code TEXT NOT NULL,
	kind            TEXT NOT NULL,
	title           TEXT NOT NULL,
	body            TEXT NOT NULL DEFAULT '',
	link            TEXT NOT NULL DEFAULT '',
	created_at      BIGINT NOT NULL,
	read_at         BIGINT NOT NULL DEFAULT 0 -- 0 while unread
);
CREATE INDEX notifications_department ON notifications(department_code, created_at);
