-- 0007_discovery: full-text search and page-view counts.
--
-- Search: article_search holds the searchable text of every article (plain
-- text of the body, tag names joined); article_fts is an FTS5 index over it
-- as an external-content table. Triggers keep both in step with articles,
-- article_tags and tags, inside the writing transaction. Two functions are
-- registered by the Go program (internal/sqlstore/search.go):
-- newsdesk_plain(html) gives the text of stored HTML (the Markdown source
-- when an article has no rendered body), newsdesk_index(text)
-- replaces Russian words by their stems (FTS5 has no Russian stemmer). A
-- stem is one word, so positions in the index match the stored text and
-- highlight()/snippet() mark the original words. Drafts are indexed too
-- (the desk may search them); queries filter by status and time.

CREATE TABLE article_search (
	article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
	headline   TEXT    NOT NULL DEFAULT '',
	standfirst TEXT    NOT NULL DEFAULT '',
	body       TEXT    NOT NULL DEFAULT '',
	tags       TEXT    NOT NULL DEFAULT ''
);

CREATE VIRTUAL TABLE article_fts USING fts5(
	headline, standfirst, body, tags,
	content = 'article_search', content_rowid = 'article_id',
	tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER article_search_ai AFTER INSERT ON article_search BEGIN
	INSERT INTO article_fts (rowid, headline, standfirst, body, tags)
	VALUES (new.article_id, newsdesk_index(new.headline), newsdesk_index(new.standfirst),
		newsdesk_index(new.body), newsdesk_index(new.tags));
END;

CREATE TRIGGER article_search_ad AFTER DELETE ON article_search BEGIN
	INSERT INTO article_fts (article_fts, rowid, headline, standfirst, body, tags)
	VALUES ('delete', old.article_id, newsdesk_index(old.headline), newsdesk_index(old.standfirst),
		newsdesk_index(old.body), newsdesk_index(old.tags));
END;

CREATE TRIGGER article_search_au AFTER UPDATE ON article_search BEGIN
	INSERT INTO article_fts (article_fts, rowid, headline, standfirst, body, tags)
	VALUES ('delete', old.article_id, newsdesk_index(old.headline), newsdesk_index(old.standfirst),
		newsdesk_index(old.body), newsdesk_index(old.tags));
	INSERT INTO article_fts (rowid, headline, standfirst, body, tags)
	VALUES (new.article_id, newsdesk_index(new.headline), newsdesk_index(new.standfirst),
		newsdesk_index(new.body), newsdesk_index(new.tags));
END;

CREATE TRIGGER articles_search_ai AFTER INSERT ON articles BEGIN
	INSERT INTO article_search (article_id, headline, standfirst, body, tags)
	VALUES (new.id, new.headline, new.standfirst, newsdesk_plain(CASE WHEN new.body_html <> '' THEN new.body_html ELSE new.body END), '');
END;

CREATE TRIGGER articles_search_au AFTER UPDATE OF headline, standfirst, body, body_html ON articles
WHEN old.headline IS NOT new.headline OR old.standfirst IS NOT new.standfirst
	OR old.body IS NOT new.body OR old.body_html IS NOT new.body_html
BEGIN
	UPDATE article_search SET headline = new.headline, standfirst = new.standfirst,
		body = newsdesk_plain(CASE WHEN new.body_html <> '' THEN new.body_html ELSE new.body END)
	WHERE article_id = new.id;
END;

CREATE TRIGGER article_tags_search_ai AFTER INSERT ON article_tags BEGIN
	UPDATE article_search SET tags = (
		SELECT coalesce(group_concat(t.name, ' '), '') FROM article_tags x JOIN tags t ON t.id = x.tag_id
		WHERE x.article_id = new.article_id)
	WHERE article_id = new.article_id;
END;

CREATE TRIGGER article_tags_search_ad AFTER DELETE ON article_tags BEGIN
	UPDATE article_search SET tags = (
		SELECT coalesce(group_concat(t.name, ' '), '') FROM article_tags x JOIN tags t ON t.id = x.tag_id
		WHERE x.article_id = old.article_id)
	WHERE article_id = old.article_id;
END;

CREATE TRIGGER tags_search_au AFTER UPDATE OF name ON tags WHEN old.name IS NOT new.name BEGIN
	UPDATE article_search SET tags = (
		SELECT coalesce(group_concat(t.name, ' '), '') FROM article_tags x JOIN tags t ON t.id = x.tag_id
		WHERE x.article_id = article_search.article_id)
	WHERE article_id IN (SELECT article_id FROM article_tags WHERE tag_id = new.id);
END;

INSERT INTO article_search (article_id, headline, standfirst, body, tags)
SELECT a.id, a.headline, a.standfirst, newsdesk_plain(CASE WHEN a.body_html <> '' THEN a.body_html ELSE a.body END),
	coalesce((SELECT group_concat(t.name, ' ') FROM article_tags x JOIN tags t ON t.id = x.tag_id
		WHERE x.article_id = a.id), '')
FROM articles a;

-- Views: one row per article and day (the site's calendar date), written in
-- batches by the in-memory counter. No cookies, no addresses.
CREATE TABLE article_views (
	article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	day        TEXT    NOT NULL, -- YYYY-MM-DD
	count      INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (article_id, day)
);
CREATE INDEX article_views_day ON article_views(day, article_id);
