-- E-licences (电子证照): licence types with their face items, per-issuer
-- serial counters, and the registry of issued licences with the signed PDF
-- and its SM2 seal signature. A licence row is never deleted: revocation,
-- expiry and replacement by a new version change its status.
CREATE TABLE licence_types (
	code        TEXT PRIMARY KEY,       -- 证照类型代码
	name        TEXT NOT NULL UNIQUE,   -- 证照名称, matched by catalog materials' licence type
	name_en     TEXT NOT NULL DEFAULT '',
	fields      TEXT NOT NULL,          -- JSON [{label, source}]
	valid_years INTEGER NOT NULL DEFAULT 0, -- 0: indefinitely
	items       TEXT NOT NULL DEFAULT '[]', -- JSON item codes that issue this type
	updated_at  BIGINT NOT NULL
);

CREATE TABLE licence_serials (
	type_code   TEXT NOT NULL,
	issuer_code TEXT NOT NULL,
	year        INTEGER NOT NULL,
	last        BIGINT NOT NULL,
	PRIMARY KEY (type_code, issuer_code, year)
);

CREATE TABLE licences (
	id              INTEGER PRIMARY KEY,
	identifier      TEXT NOT NULL UNIQUE,
	type_code       TEXT NOT NULL REFERENCES licence_types(code),
	type_name       TEXT NOT NULL,
	serial          TEXT NOT NULL,
	version         INTEGER NOT NULL,
	issuer_name     TEXT NOT NULL,
	issuer_code     TEXT NOT NULL,
	holder_name     TEXT NOT NULL,
	holder_code     TEXT NOT NULL,
	holder_kind     TEXT NOT NULL,
	case_no         TEXT NOT NULL DEFAULT '',
	face            TEXT NOT NULL,          -- JSON [{name, value}]
	issue_date      TEXT NOT NULL,          -- YYYY-MM-DD
	valid_from      TEXT NOT NULL,
	valid_to        TEXT NOT NULL DEFAULT '', -- '' indefinitely
	status          TEXT NOT NULL CHECK (status IN ('valid', 'revoked', 'expired', 'superseded')),
	status_reason   TEXT NOT NULL DEFAULT '',
	status_at       BIGINT NOT NULL DEFAULT 0,
	prev_identifier TEXT NOT NULL DEFAULT '',
	next_identifier TEXT NOT NULL DEFAULT '',
	pdf             BLOB NOT NULL,
	pdf_sm3         TEXT NOT NULL UNIQUE,
	pdf_sha256      TEXT NOT NULL,
	seal            BLOB NOT NULL,           -- DER SM2 seal signature
	seal_cert       TEXT NOT NULL,          -- SM3 fingerprint of the seal certificate
	created_at      BIGINT NOT NULL
);
-- The registry is searched by holder (证照库 reuse) and by case.
CREATE INDEX licences_holder ON licences(holder_code, type_code);
CREATE INDEX licences_case ON licences(case_no);
CREATE INDEX licences_valid_to ON licences(valid_to) WHERE status = 'valid';
