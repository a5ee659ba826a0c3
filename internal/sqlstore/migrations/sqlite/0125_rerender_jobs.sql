-- 0125_rerender_jobs: re-renders of the articles after a legal registry
-- change, kept so that they survive the node running them (issue 18). The
-- node holding the job lease runs the oldest unfinished job and writes its
-- progress: last_id is the last article done (articles are walked by
-- ascending id), the counts are what was done up to it. entities is JSON
-- [newsroom.LegalEntity], the changed entities before and after.

CREATE TABLE rerender_jobs (
	id           INTEGER PRIMARY KEY,
	reason       TEXT    NOT NULL,
	entities     TEXT    NOT NULL DEFAULT '[]',
	all_articles INTEGER NOT NULL DEFAULT 0,
	status       TEXT    NOT NULL DEFAULT 'pending',
	last_id      INTEGER NOT NULL DEFAULT 0,
	total        INTEGER NOT NULL DEFAULT 0,
	scanned      INTEGER NOT NULL DEFAULT 0,
	affected     INTEGER NOT NULL DEFAULT 0,
	updated      INTEGER NOT NULL DEFAULT 0,
	skipped      INTEGER NOT NULL DEFAULT 0,
	error        TEXT    NOT NULL DEFAULT '',
	created_at   TEXT    NOT NULL,
	started_at   TEXT,
	finished_at  TEXT
);
CREATE INDEX rerender_jobs_unfinished ON rerender_jobs(id) WHERE status IN ('pending', 'running');
