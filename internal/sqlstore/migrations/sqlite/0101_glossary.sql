-- The glossary of names (issue 17): each entry's forms by language as a
-- JSON object ({"ru": "…", "en": "…"}).
CREATE TABLE glossary (
	id         INTEGER PRIMARY KEY,
	forms      TEXT NOT NULL,
	note       TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
