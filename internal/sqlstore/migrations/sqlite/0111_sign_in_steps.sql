-- Two-factor sign-in: the step between a right password and the code,
-- kept in the database so that any node can take the code (only a hash of
-- the cookie's random id is stored; short-lived, single use).
CREATE TABLE sign_in_steps (
	id_hash    TEXT    PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	pair       TEXT    NOT NULL,
	next       TEXT    NOT NULL,
	tries      INTEGER NOT NULL DEFAULT 0,
	expires_at TEXT    NOT NULL
);
CREATE INDEX sign_in_steps_expires ON sign_in_steps(expires_at);
