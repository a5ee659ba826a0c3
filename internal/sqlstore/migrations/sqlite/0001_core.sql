-- 0001_core: users, tokens, taxonomy, articles and what hangs off them.
-- Times are UTC text in the fixed-width form 2006-01-02T15:04:05.000000Z,
-- so that text order is time order.

CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	email         TEXT    NOT NULL UNIQUE,
	name          TEXT    NOT NULL,
	role          TEXT    NOT NULL,
	password_hash TEXT    NOT NULL DEFAULT '',
	created_at    TEXT    NOT NULL,
	disabled      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE api_tokens (
	id         INTEGER PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	token_hash TEXT    NOT NULL UNIQUE,
	created_at TEXT    NOT NULL
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE authors (
	id        INTEGER PRIMARY KEY,
	slug      TEXT    NOT NULL UNIQUE,
	name      TEXT    NOT NULL,
	label     TEXT    NOT NULL DEFAULT 'staff',
	bio       TEXT    NOT NULL DEFAULT '',
	photo_url TEXT    NOT NULL DEFAULT '',
	user_id   INTEGER REFERENCES users(id) ON DELETE SET NULL
);

CREATE TABLE categories (
	id          INTEGER PRIMARY KEY,
	slug        TEXT    NOT NULL UNIQUE,
	name        TEXT    NOT NULL,
	parent_id   INTEGER REFERENCES categories(id) ON DELETE SET NULL,
	position    INTEGER NOT NULL DEFAULT 0,
	description TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX categories_parent ON categories(parent_id);

CREATE TABLE tags (
	id   INTEGER PRIMARY KEY,
	slug TEXT    NOT NULL UNIQUE,
	name TEXT    NOT NULL
);

CREATE TABLE articles (
	id              INTEGER PRIMARY KEY,
	slug            TEXT    NOT NULL UNIQUE,
	status          TEXT    NOT NULL,
	headline        TEXT    NOT NULL,
	standfirst      TEXT    NOT NULL DEFAULT '',
	body            TEXT    NOT NULL DEFAULT '',
	body_html       TEXT    NOT NULL DEFAULT '',
	headline_html   TEXT    NOT NULL DEFAULT '',
	standfirst_html TEXT    NOT NULL DEFAULT '',
	language        TEXT    NOT NULL DEFAULT 'en',
	published_at    TEXT,
	scheduled_at    TEXT,
	created_at      TEXT    NOT NULL,
	updated_at      TEXT    NOT NULL,
	edited_at       TEXT,
	revision        INTEGER NOT NULL DEFAULT 1,
	comments_open   INTEGER NOT NULL DEFAULT 1,
	comment_count   INTEGER NOT NULL DEFAULT 0,
	lead_image      TEXT,                        -- JSON newsroom.Image, NULL if none
	sources         TEXT    NOT NULL DEFAULT '[]', -- JSON []newsroom.Source
	legal_marks     TEXT    NOT NULL DEFAULT '[]', -- JSON []newsroom.LegalMark
	created_by      INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX articles_status_published ON articles(status, published_at);
CREATE INDEX articles_published ON articles(published_at);
CREATE INDEX articles_updated ON articles(updated_at);

CREATE TABLE article_authors (
	article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	author_id  INTEGER NOT NULL REFERENCES authors(id),
	position   INTEGER NOT NULL,
	label      TEXT    NOT NULL DEFAULT '',
	PRIMARY KEY (article_id, author_id)
);
CREATE INDEX article_authors_author ON article_authors(author_id, article_id);

CREATE TABLE article_categories (
	article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	category_id INTEGER NOT NULL REFERENCES categories(id),
	position    INTEGER NOT NULL,
	PRIMARY KEY (article_id, category_id)
);
CREATE INDEX article_categories_category ON article_categories(category_id, article_id);

CREATE TABLE article_tags (
	article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	tag_id     INTEGER NOT NULL REFERENCES tags(id),
	position   INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tags_tag ON article_tags(tag_id, article_id);

CREATE TABLE revisions (
	id          INTEGER PRIMARY KEY,
	article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	number      INTEGER NOT NULL,
	headline    TEXT    NOT NULL,
	standfirst  TEXT    NOT NULL DEFAULT '',
	body        TEXT    NOT NULL DEFAULT '',
	body_html   TEXT    NOT NULL DEFAULT '',
	saved_at    TEXT    NOT NULL,
	saved_by    INTEGER REFERENCES users(id) ON DELETE SET NULL,
	note        TEXT    NOT NULL DEFAULT '',
	UNIQUE (article_id, number)
);

CREATE TABLE corrections (
	id         INTEGER PRIMARY KEY,
	article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	at         TEXT    NOT NULL,
	kind       TEXT    NOT NULL,
	text       TEXT    NOT NULL
);
CREATE INDEX corrections_article ON corrections(article_id, at);

CREATE TABLE article_shares (
	article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	network    TEXT    NOT NULL,
	count      INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (article_id, network)
);

CREATE TABLE old_paths (
	path       TEXT    PRIMARY KEY,
	article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	created_at TEXT    NOT NULL
);
CREATE INDEX old_paths_article ON old_paths(article_id);

CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
