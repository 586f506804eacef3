-- The service catalog: the proofs catalog, the materials library, items
-- (one row each) with their versions (the guide as JSON in body, plus the
-- columns that searches filter on), bundles, and a trigram full-text index
-- of the current published items. Timestamps are Unix microseconds (UTC).
CREATE TABLE catalog_proofs (
	id           INTEGER PRIMARY KEY,
	code         TEXT NOT NULL UNIQUE,
	name         TEXT NOT NULL,
	purpose      TEXT NOT NULL DEFAULT '',
	legal_basis  TEXT NOT NULL DEFAULT '',
	issuing_unit TEXT NOT NULL DEFAULT '',
	status       TEXT NOT NULL CHECK (status IN ('retained', 'cancelled')),
	replacement  TEXT NOT NULL DEFAULT '',
	cancelled_at BIGINT NOT NULL DEFAULT 0,
	updated_at   BIGINT NOT NULL
);

CREATE TABLE catalog_materials (
	id           INTEGER PRIMARY KEY,
	code         TEXT NOT NULL UNIQUE,
	name         TEXT NOT NULL,
	description  TEXT NOT NULL DEFAULT '',
	proof_code   TEXT REFERENCES catalog_proofs(code),
	licence_type TEXT NOT NULL DEFAULT '',
	updated_at   BIGINT NOT NULL
);

CREATE TABLE catalog_items (
	id              INTEGER PRIMARY KEY,
	code            TEXT NOT NULL UNIQUE,
	basic_code      TEXT NOT NULL DEFAULT '',
	parent_code     TEXT REFERENCES catalog_items(code),
	level           TEXT NOT NULL,
	department_code TEXT NOT NULL REFERENCES departments(code),
	status          TEXT NOT NULL CHECK (status IN ('draft', 'published', 'withdrawn')),
	current_version INTEGER NOT NULL DEFAULT 0,
	-- copied from the current published version, so that searches scan
	-- these small rows and read the guides of one page only
	name            TEXT NOT NULL DEFAULT '',
	objects         TEXT NOT NULL DEFAULT '', -- ',person,enterprise,' for LIKE filters
	search_text     TEXT NOT NULL DEFAULT '', -- name, conditions, materials, department
	created_at      BIGINT NOT NULL
);
CREATE INDEX catalog_items_department ON catalog_items(department_code);
CREATE INDEX catalog_items_basic ON catalog_items(basic_code);

-- version 0 is the item's draft (at most one); published versions count
-- from 1 and are never updated except to be marked withdrawn.
CREATE TABLE catalog_item_versions (
	id              INTEGER PRIMARY KEY,
	item_id         INTEGER NOT NULL REFERENCES catalog_items(id),
	version         INTEGER NOT NULL,
	status          TEXT NOT NULL CHECK (status IN ('draft', 'published', 'withdrawn')),
	name            TEXT NOT NULL,
	department_code TEXT NOT NULL,
	objects         TEXT NOT NULL,
	body            TEXT NOT NULL,
	updated_at      BIGINT NOT NULL,
	published_at    BIGINT NOT NULL DEFAULT 0,
	published_by    TEXT NOT NULL DEFAULT '',
	withdrawn_at    BIGINT NOT NULL DEFAULT 0,
	withdraw_reason TEXT NOT NULL DEFAULT '',
	UNIQUE (item_id, version)
);
CREATE INDEX catalog_item_versions_department ON catalog_item_versions(department_code);

CREATE TABLE catalog_bundles (
	id         INTEGER PRIMARY KEY,
	code       TEXT NOT NULL UNIQUE,
	name       TEXT NOT NULL,
	object     TEXT NOT NULL,
	theme      TEXT NOT NULL DEFAULT '',
	body       TEXT NOT NULL,
	updated_at BIGINT NOT NULL
);

CREATE TABLE catalog_bundle_items (
	bundle_id INTEGER NOT NULL REFERENCES catalog_bundles(id) ON DELETE CASCADE,
	item_code TEXT NOT NULL,
	PRIMARY KEY (bundle_id, item_code)
);
CREATE INDEX catalog_bundle_items_item ON catalog_bundle_items(item_code);

-- rowid = catalog_items.id; one row per current published item, kept in
-- step by the store when it publishes or withdraws.
CREATE VIRTUAL TABLE catalog_search USING fts5(text, tokenize = 'trigram');
