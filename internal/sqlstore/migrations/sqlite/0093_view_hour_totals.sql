-- Views of all articles per hour (issue 15), kept beside the per-article
-- hours so the desk's front page reads 168 rows for a week, not every
-- article's. Trimmed with them.
CREATE TABLE view_hour_totals (
	hour  TEXT    PRIMARY KEY, -- UTC, fixed width, minutes zero
	count INTEGER NOT NULL DEFAULT 0
);
INSERT INTO view_hour_totals (hour, count) SELECT hour, sum(count) FROM article_views_hourly GROUP BY hour;
