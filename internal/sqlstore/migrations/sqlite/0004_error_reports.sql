-- 0004_error_reports: readers' error reports, merged by place, with every
-- reader's suggestion, and the addresses blocked for sending spam.

CREATE TABLE error_reports (
	id          INTEGER PRIMARY KEY,
	article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	revision    INTEGER NOT NULL,          -- the revision place refers to
	part        TEXT    NOT NULL,          -- headline, standfirst, caption, body
	place       TEXT    NOT NULL,          -- occurrence key within that revision
	exact       TEXT    NOT NULL,
	prefix      TEXT    NOT NULL DEFAULT '',
	suffix      TEXT    NOT NULL DEFAULT '',
	before_text TEXT    NOT NULL DEFAULT '', -- the rest of the sentence, for display
	after_text  TEXT    NOT NULL DEFAULT '',
	status      TEXT    NOT NULL DEFAULT 'open',
	reporters   INTEGER NOT NULL DEFAULT 1,  -- distinct addresses that reported it
	created_at  TEXT    NOT NULL,
	updated_at  TEXT    NOT NULL,
	resolved_at TEXT,
	resolved_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);
-- One open report per place: reports of the same place merge.
CREATE UNIQUE INDEX error_reports_open_place ON error_reports(article_id, place) WHERE status = 'open';
CREATE INDEX error_reports_status ON error_reports(status, updated_at);
CREATE INDEX error_reports_article ON error_reports(article_id, status);

CREATE TABLE error_report_entries (
	id         INTEGER PRIMARY KEY,
	report_id  INTEGER NOT NULL REFERENCES error_reports(id) ON DELETE CASCADE,
	suggestion TEXT    NOT NULL DEFAULT '',
	comment    TEXT    NOT NULL DEFAULT '',
	email      TEXT,                        -- NULL once the reader was told, or not wanted
	ip         TEXT,                        -- NULL once the report is resolved
	created_at TEXT    NOT NULL,
	digested   INTEGER NOT NULL DEFAULT 0   -- sent to the editors in a digest
);
CREATE INDEX error_report_entries_report ON error_report_entries(report_id, id);
CREATE INDEX error_report_entries_digest ON error_report_entries(id) WHERE digested = 0;
CREATE INDEX error_report_entries_email ON error_report_entries(report_id) WHERE email IS NOT NULL;

CREATE TABLE error_report_blocks (
	ip         TEXT PRIMARY KEY,
	created_at TEXT NOT NULL
);
