-- 0086_pending_edits: a live story's edits that readers do not see yet
-- (issue 14): "Save" on a live story keeps a pending draft until "Update
-- live story"; a scheduled update waits for its time while the live
-- version stays up. At most one of each kind per story.

CREATE TABLE pending_edits (
	article_id    BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	kind          TEXT NOT NULL,
	base_revision INTEGER NOT NULL,
	form          TEXT NOT NULL,
	saved_by      BIGINT REFERENCES users(id) ON DELETE SET NULL,
	saved_at      TIMESTAMPTZ NOT NULL,
	scheduled_at  TIMESTAMPTZ,
	PRIMARY KEY (article_id, kind)
);
CREATE INDEX pending_edits_due ON pending_edits(kind, scheduled_at);
