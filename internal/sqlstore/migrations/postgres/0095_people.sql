-- People (issue 15): when each account last signed in, and password
-- reset links (only a hash of the token is kept; each is used once).
ALTER TABLE users ADD COLUMN last_sign_in_at TIMESTAMPTZ;

CREATE TABLE password_resets (
	token_hash TEXT    PRIMARY KEY,
	user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at TIMESTAMPTZ    NOT NULL,
	expires_at TIMESTAMPTZ    NOT NULL,
	used_at    TIMESTAMPTZ
);
CREATE INDEX password_resets_user ON password_resets(user_id);
