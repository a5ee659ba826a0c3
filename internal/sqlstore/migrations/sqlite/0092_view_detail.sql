-- The desk's front page (issue 15): views per article and hour (kept
-- eight days, for today's and this week's sparklines) and where readers
-- came from per day, as a class of the Referer's host only (search,
-- social, other sites, direct); nothing about a reader is stored.
CREATE TABLE article_views_hourly (
	article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	hour       TEXT    NOT NULL, -- UTC, fixed width, minutes zero
	count      INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (article_id, hour)
);
CREATE INDEX article_views_hourly_hour ON article_views_hourly(hour);
CREATE TABLE view_sources (
	day    TEXT    NOT NULL, -- YYYY-MM-DD, the site's calendar
	source TEXT    NOT NULL,
	count  INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (day, source)
);
CREATE INDEX error_reports_created ON error_reports(created_at);
CREATE INDEX error_reports_resolved ON error_reports(resolved_at) WHERE resolved_at IS NOT NULL;
