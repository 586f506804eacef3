-- Open cases at yellow or red now, per department, item and channel, for
-- the dashboards' headline (analytics Summary: OpenWarnings). Counting them
-- in the cases table read ~11,000 index entries per call on ten million
-- cases (docs/performance.md); this table has at most one row per item,
-- channel and warning. Triggers keep it exact for every writer — the case
-- store, the warnings job, the history generator's COPY — in the writer's
-- own transaction. A case counts while its status is open (received,
-- in_review, suspended) and its warning is yellow or red.
CREATE TABLE stats_open (
	department TEXT NOT NULL,
	item_code  TEXT NOT NULL,
	channel    TEXT NOT NULL,
	warning    TEXT NOT NULL,
	cases      BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (department, item_code, channel, warning)
);

INSERT INTO stats_open (department, item_code, channel, warning, cases)
SELECT department, item_code, channel, warning, COUNT(*) FROM cases
WHERE status IN ('received', 'in_review', 'suspended') AND warning IN ('yellow', 'red')
GROUP BY department, item_code, channel, warning;

CREATE FUNCTION stats_open_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	-- An update leaves the old row's count when the case counted before,
	-- and enters the new one when it counts now; the triggers' WHEN
	-- clauses skip updates that change neither.
	IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status IN ('received', 'in_review', 'suspended') AND OLD.warning IN ('yellow', 'red') THEN
		UPDATE stats_open SET cases = cases - 1
		WHERE department = OLD.department AND item_code = OLD.item_code AND channel = OLD.channel AND warning = OLD.warning;
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status IN ('received', 'in_review', 'suspended') AND NEW.warning IN ('yellow', 'red') THEN
		INSERT INTO stats_open (department, item_code, channel, warning, cases)
		VALUES (NEW.department, NEW.item_code, NEW.channel, NEW.warning, 1)
		ON CONFLICT (department, item_code, channel, warning) DO UPDATE SET cases = stats_open.cases + 1;
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER stats_open_insert AFTER INSERT ON cases FOR EACH ROW
WHEN (NEW.status IN ('received', 'in_review', 'suspended') AND NEW.warning IN ('yellow', 'red'))
EXECUTE FUNCTION stats_open_count();

CREATE TRIGGER stats_open_update AFTER UPDATE OF status, warning, department, item_code, channel ON cases FOR EACH ROW
WHEN ((OLD.status IN ('received', 'in_review', 'suspended') AND OLD.warning IN ('yellow', 'red'))
	IS DISTINCT FROM (NEW.status IN ('received', 'in_review', 'suspended') AND NEW.warning IN ('yellow', 'red'))
	OR ((NEW.status IN ('received', 'in_review', 'suspended') AND NEW.warning IN ('yellow', 'red'))
		AND (OLD.warning, OLD.department, OLD.item_code, OLD.channel) IS DISTINCT FROM (NEW.warning, NEW.department, NEW.item_code, NEW.channel)))
EXECUTE FUNCTION stats_open_count();

CREATE TRIGGER stats_open_delete AFTER DELETE ON cases FOR EACH ROW
WHEN (OLD.status IN ('received', 'in_review', 'suspended') AND OLD.warning IN ('yellow', 'red'))
EXECUTE FUNCTION stats_open_count();
