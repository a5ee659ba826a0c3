-- 0002_desk: desk sessions and staff invites.

CREATE TABLE sessions (
	id_hash    TEXT    PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	csrf_token TEXT    NOT NULL,
	created_at TEXT    NOT NULL,
	expires_at TEXT    NOT NULL,
	last_seen  TEXT    NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expires ON sessions(expires_at);

CREATE TABLE invites (
	id         INTEGER PRIMARY KEY,
	token_hash TEXT    NOT NULL UNIQUE,
	email      TEXT    NOT NULL,
	role       TEXT    NOT NULL,
	created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
	created_at TEXT    NOT NULL,
	expires_at TEXT    NOT NULL,
	used_at    TEXT
);

-- The scheduler looks for the next scheduled article.
CREATE INDEX articles_scheduled ON articles(status, scheduled_at);
