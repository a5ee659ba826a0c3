-- Two-factor sign-in for staff (issue 15): the account's TOTP secret
-- (empty: none), the last time step a code was accepted (a code works
-- once), and one-time recovery codes, stored as hashes.
ALTER TABLE users ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN totp_step INTEGER NOT NULL DEFAULT 0;

CREATE TABLE recovery_codes (
	user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	code_hash TEXT   NOT NULL,
	used_at   TEXT,
	PRIMARY KEY (user_id, code_hash)
);
