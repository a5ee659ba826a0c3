-- 0131_search_headlines (issue 19): an FTS5 index of headlines alone, so
-- that the stories whose headline matches a query, which join its
-- candidates even when they are older than the newest matches, are found
-- in the headlines' short doclists instead of by checking the column of
-- every match in the full index. Russian words are stemmed as in
-- article_fts (0007); triggers keep it in step with article_search.
CREATE VIRTUAL TABLE article_headline_fts USING fts5(
	headline,
	content = 'article_search', content_rowid = 'article_id',
	tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER article_headline_ai AFTER INSERT ON article_search BEGIN
	INSERT INTO article_headline_fts (rowid, headline) VALUES (new.article_id, newsdesk_index(new.headline));
END;

CREATE TRIGGER article_headline_ad AFTER DELETE ON article_search BEGIN
	INSERT INTO article_headline_fts (article_headline_fts, rowid, headline)
	VALUES ('delete', old.article_id, newsdesk_index(old.headline));
END;

CREATE TRIGGER article_headline_au AFTER UPDATE OF headline ON article_search
WHEN old.headline IS NOT new.headline BEGIN
	INSERT INTO article_headline_fts (article_headline_fts, rowid, headline)
	VALUES ('delete', old.article_id, newsdesk_index(old.headline));
	INSERT INTO article_headline_fts (rowid, headline) VALUES (new.article_id, newsdesk_index(new.headline));
END;

INSERT INTO article_headline_fts (rowid, headline)
SELECT article_id, newsdesk_index(headline) FROM article_search;
