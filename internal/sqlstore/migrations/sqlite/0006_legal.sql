-- 0006_legal: the registry of entities the law says must be marked, the
-- per-article switches editors set, and a version number other nodes poll.

CREATE TABLE legal_entities (
	id          INTEGER PRIMARY KEY,
	name        TEXT    NOT NULL UNIQUE,
	forms       TEXT    NOT NULL DEFAULT '{}', -- JSON {language: [form]}
	marker      TEXT    NOT NULL DEFAULT '*',
	notes       TEXT    NOT NULL DEFAULT '{}', -- JSON {language: note}
	listings    TEXT    NOT NULL DEFAULT '[]', -- JSON [newsroom.LegalListing]
	ignore_case INTEGER NOT NULL DEFAULT 0,
	created_at  TEXT    NOT NULL,
	updated_at  TEXT    NOT NULL
);

CREATE TABLE article_legal_exclusions (
	article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	entity_id   INTEGER NOT NULL REFERENCES legal_entities(id) ON DELETE CASCADE,
	entity_name TEXT    NOT NULL,
	reason      TEXT    NOT NULL,
	by_user     INTEGER REFERENCES users(id) ON DELETE SET NULL,
	at          TEXT    NOT NULL,
	PRIMARY KEY (article_id, entity_id)
);
CREATE INDEX article_legal_exclusions_entity ON article_legal_exclusions(entity_id);

CREATE TABLE legal_registry (
	id      INTEGER PRIMARY KEY CHECK (id = 1),
	version INTEGER NOT NULL
);
INSERT INTO legal_registry (id, version) VALUES (1, 0);
