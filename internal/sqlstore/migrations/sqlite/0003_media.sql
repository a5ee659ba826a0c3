-- 0003_media: the media library, and slugs retired by tag merges and renames.

CREATE TABLE media (
	id            INTEGER PRIMARY KEY,
	hash          TEXT    NOT NULL UNIQUE, -- hex SHA-256 of the uploaded bytes
	original_name TEXT    NOT NULL DEFAULT '',
	type          TEXT    NOT NULL,        -- detected type of the original
	ext           TEXT    NOT NULL,        -- format of the renditions: jpg or png
	width         INTEGER NOT NULL,
	height        INTEGER NOT NULL,
	sizes         TEXT    NOT NULL,        -- rendition widths, ascending: "480,960,1600"
	caption       TEXT    NOT NULL DEFAULT '',
	credit        TEXT    NOT NULL DEFAULT '',
	source_name   TEXT    NOT NULL DEFAULT '',
	source_url    TEXT    NOT NULL DEFAULT '',
	licence       TEXT    NOT NULL DEFAULT '',
	alt           TEXT    NOT NULL DEFAULT '',
	uploaded_by   INTEGER REFERENCES users(id) ON DELETE SET NULL,
	uploaded_at   TEXT    NOT NULL
);
CREATE INDEX media_uploaded ON media(uploaded_at, id);

CREATE TABLE tag_aliases (
	slug       TEXT    PRIMARY KEY,
	tag_id     INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
	created_at TEXT    NOT NULL
);
CREATE INDEX tag_aliases_tag ON tag_aliases(tag_id);
