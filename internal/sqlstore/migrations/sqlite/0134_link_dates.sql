-- 0134_link_dates (issue 19): a tag's or an author's page, newest first,
-- read in the order of an index of (tag or author, publication time)
-- instead of gathering every story of the tag or the author and sorting
-- them (a tag of 900 stories at a million articles read 900 rows for
-- 20). The link rows carry their article's publication time, kept by the
-- triggers below on every write path: a link added takes its article's
-- time, and an article whose time changes moves its links. A load
-- (restore, bench/corpus) drops the triggers and fills the column itself
-- (Loader.Load).
ALTER TABLE article_tags ADD COLUMN published_at TEXT;
ALTER TABLE article_authors ADD COLUMN published_at TEXT;
UPDATE article_tags SET published_at = (SELECT a.published_at FROM articles a WHERE a.id = article_tags.article_id);
UPDATE article_authors SET published_at = (SELECT a.published_at FROM articles a WHERE a.id = article_authors.article_id);
-- The new indexes serve every lookup by tag or author the old ones did.
CREATE INDEX article_tags_tag_published ON article_tags(tag_id, published_at, article_id);
CREATE INDEX article_authors_author_published ON article_authors(author_id, published_at, article_id);
DROP INDEX article_tags_tag;
DROP INDEX article_authors_author;

CREATE TRIGGER article_tags_published_ai AFTER INSERT ON article_tags
WHEN NEW.published_at IS NOT (SELECT published_at FROM articles WHERE id = NEW.article_id) BEGIN
	UPDATE article_tags SET published_at = (SELECT published_at FROM articles WHERE id = NEW.article_id)
	WHERE article_id = NEW.article_id AND tag_id = NEW.tag_id;
END;
CREATE TRIGGER article_authors_published_ai AFTER INSERT ON article_authors
WHEN NEW.published_at IS NOT (SELECT published_at FROM articles WHERE id = NEW.article_id) BEGIN
	UPDATE article_authors SET published_at = (SELECT published_at FROM articles WHERE id = NEW.article_id)
	WHERE article_id = NEW.article_id AND author_id = NEW.author_id;
END;
CREATE TRIGGER articles_links_published_au AFTER UPDATE OF published_at ON articles
WHEN OLD.published_at IS NOT NEW.published_at BEGIN
	UPDATE article_tags SET published_at = NEW.published_at WHERE article_id = NEW.id;
	UPDATE article_authors SET published_at = NEW.published_at WHERE article_id = NEW.id;
END;
