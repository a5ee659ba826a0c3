-- 0086_pending_edits: a live story's edits that readers do not see yet
-- (issue 14): "Save" on a live story keeps a pending draft until "Update
-- live story"; a scheduled update waits for its time while the live
-- version stays up. At most one of each kind per story.

CREATE TABLE pending_edits (
	article_id    INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	kind          TEXT NOT NULL,
	base_revision INTEGER NOT NULL,
	form          TEXT NOT NULL,
	saved_by      INTEGER REFERENCES users(id) ON DELETE SET NULL,
	saved_at      TEXT NOT NULL,
	scheduled_at  TEXT,
	PRIMARY KEY (article_id, kind)
);
CREATE INDEX pending_edits_due ON pending_edits(kind, scheduled_at);
