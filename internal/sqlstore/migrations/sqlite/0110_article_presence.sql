-- 0110_article_presence: who has a story open in the desk's editor
-- (issue 14, "editing together"). Each open editor upserts its row with a
-- heartbeat; rows older than newsroom.PresenceTTL are ignored and removed
-- a few at a time by later heartbeats. seen_at is in Unix milliseconds.

CREATE TABLE article_presence (
	article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	seen_at    BIGINT NOT NULL,
	PRIMARY KEY (article_id, user_id)
);
CREATE INDEX article_presence_seen_at ON article_presence(seen_at);
