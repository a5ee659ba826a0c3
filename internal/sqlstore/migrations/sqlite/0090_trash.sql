-- Stories in the trash (issue 14): status 'trash' with the time they were
-- moved there; the purge job deletes them TrashDays later.
ALTER TABLE articles ADD COLUMN trashed_at TEXT;
CREATE INDEX articles_trashed ON articles(trashed_at) WHERE trashed_at IS NOT NULL;
