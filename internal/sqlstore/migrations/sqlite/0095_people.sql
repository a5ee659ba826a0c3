-- People (issue 15): when each account last signed in, and password
-- reset links (only a hash of the token is kept; each is used once).
ALTER TABLE users ADD COLUMN last_sign_in_at TEXT;

CREATE TABLE password_resets (
	token_hash TEXT    PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at TEXT    NOT NULL,
	expires_at TEXT    NOT NULL,
	used_at    TEXT
);
CREATE INDEX password_resets_user ON password_resets(user_id);
