-- API tokens expire and record when they were last used (issue 12).
-- A token made before this migration has no expiry of its own; the
-- server's --token-ttl (counted from created_at) still ends it.
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
ALTER TABLE api_tokens ADD COLUMN last_used_at TEXT;
