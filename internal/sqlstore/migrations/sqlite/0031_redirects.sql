-- 0031_redirects: old addresses and where they lead now (WordPress
-- permalinks, moved pages, editors' links). from_key is canonical (see
-- newsroom.Redirect): a path without its trailing slash, or a path with one
-- query parameter ("/?p=123"); to_key is the same form of the target, for
-- finding loops.

CREATE TABLE redirects (
	id         INTEGER PRIMARY KEY,
	from_key   TEXT    NOT NULL UNIQUE,
	to_path    TEXT    NOT NULL,
	to_key     TEXT    NOT NULL,
	status     INTEGER NOT NULL DEFAULT 301,
	source     TEXT    NOT NULL,
	created_at TEXT    NOT NULL
);
CREATE INDEX redirects_created ON redirects(created_at, id);
