-- Open cases at yellow or red now, per department, item and channel, for
-- the dashboards' headline (analytics Summary: OpenWarnings). Counting them
-- in the cases table read ~11,000 index entries per call on ten million
-- cases (docs/performance.md); this table has at most one row per item,
-- channel and warning. Triggers keep it exact for every writer — the case
-- store, the warnings job, the history generator — in the writer's own
-- transaction. A case counts while its status is open (received,
-- in_review, suspended) and its warning is yellow or red.
CREATE TABLE stats_open (
	department TEXT NOT NULL,
	item_code  TEXT NOT NULL,
	channel    TEXT NOT NULL,
	warning    TEXT NOT NULL,
	cases      INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (department, item_code, channel, warning)
) WITHOUT ROWID;

INSERT INTO stats_open (department, item_code, channel, warning, cases)
SELECT department, item_code, channel, warning, COUNT(*) FROM cases
WHERE status IN ('received', 'in_review', 'suspended') AND warning IN ('yellow', 'red')
GROUP BY department, item_code, channel, warning;

CREATE TRIGGER stats_open_insert AFTER INSERT ON cases
WHEN NEW.status IN ('received', 'in_review', 'suspended') AND NEW.warning IN ('yellow', 'red')
BEGIN
	INSERT INTO stats_open (department, item_code, channel, warning, cases)
	VALUES (NEW.department, NEW.item_code, NEW.channel, NEW.warning, 1)
	ON CONFLICT (department, item_code, channel, warning) DO UPDATE SET cases = cases + 1;
END;

-- An update leaves the old row's count when the case counted before and
-- does not count now under the same key, and enters the new one the other
-- way round; an update that changes neither touches nothing.
CREATE TRIGGER stats_open_leave AFTER UPDATE OF status, warning, department, item_code, channel ON cases
WHEN OLD.status IN ('received', 'in_review', 'suspended') AND OLD.warning IN ('yellow', 'red')
	AND NOT (NEW.status IN ('received', 'in_review', 'suspended') AND NEW.warning = OLD.warning
		AND NEW.department = OLD.department AND NEW.item_code = OLD.item_code AND NEW.channel = OLD.channel)
BEGIN
	UPDATE stats_open SET cases = cases - 1
	WHERE department = OLD.department AND item_code = OLD.item_code AND channel = OLD.channel AND warning = OLD.warning;
END;

CREATE TRIGGER stats_open_enter AFTER UPDATE OF status, warning, department, item_code, channel ON cases
WHEN NEW.status IN ('received', 'in_review', 'suspended') AND NEW.warning IN ('yellow', 'red')
	AND NOT (OLD.status IN ('received', 'in_review', 'suspended') AND OLD.warning = NEW.warning
		AND OLD.department = NEW.department AND OLD.item_code = NEW.item_code AND OLD.channel = NEW.channel)
BEGIN
	INSERT INTO stats_open (department, item_code, channel, warning, cases)
	VALUES (NEW.department, NEW.item_code, NEW.channel, NEW.warning, 1)
	ON CONFLICT (department, item_code, channel, warning) DO UPDATE SET cases = cases + 1;
END;

CREATE TRIGGER stats_open_delete AFTER DELETE ON cases
WHEN OLD.status IN ('received', 'in_review', 'suspended') AND OLD.warning IN ('yellow', 'red')
BEGIN
	UPDATE stats_open SET cases = cases - 1
	WHERE department = OLD.department AND item_code = OLD.item_code AND channel = OLD.channel AND warning = OLD.warning;
END;
