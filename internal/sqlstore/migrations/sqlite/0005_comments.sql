-- 0005_comments: readers' comments, threaded by parent_id, with their
-- moderation status. articles.comment_count (from 0001) is kept equal to the
-- number of approved comments by the store, in the same transaction.

CREATE TABLE comments (
	id         INTEGER PRIMARY KEY,
	article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	parent_id  INTEGER REFERENCES comments(id) ON DELETE SET NULL,
	depth      INTEGER NOT NULL DEFAULT 0,
	status     TEXT    NOT NULL,
	name       TEXT    NOT NULL,
	email      TEXT    NOT NULL DEFAULT '',
	website    TEXT    NOT NULL DEFAULT '',
	body       TEXT    NOT NULL,
	body_html  TEXT    NOT NULL,
	ip         TEXT    NOT NULL DEFAULT '',
	user_agent TEXT    NOT NULL DEFAULT '',
	user_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
	staff      INTEGER NOT NULL DEFAULT 0,
	author_key TEXT    NOT NULL DEFAULT '',
	created_at TEXT    NOT NULL,
	updated_at TEXT    NOT NULL,
	status_at  TEXT    NOT NULL
);
CREATE INDEX comments_article ON comments(article_id, status, created_at);
CREATE INDEX comments_status ON comments(status, created_at);
CREATE INDEX comments_created ON comments(created_at);
CREATE INDEX comments_ip ON comments(ip, created_at);
CREATE INDEX comments_email ON comments(email, status);
CREATE INDEX comments_parent ON comments(parent_id);
