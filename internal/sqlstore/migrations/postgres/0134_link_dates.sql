-- 0134_link_dates (issue 19): a tag's or an author's page, newest first,
-- read in the order of an index of (tag or author, publication time)
-- instead of gathering every story of the tag or the author and sorting
-- them. The link rows carry their article's publication time, kept by the
-- triggers below on every write path: a link added takes its article's
-- time, and an article whose time changes moves its links. A load
-- (restore, bench/corpus) disables the triggers and fills the column
-- itself (Loader.Load).
ALTER TABLE article_tags ADD COLUMN published_at TIMESTAMPTZ;
ALTER TABLE article_authors ADD COLUMN published_at TIMESTAMPTZ;
UPDATE article_tags x SET published_at = a.published_at FROM articles a
WHERE a.id = x.article_id AND a.published_at IS NOT NULL;
UPDATE article_authors x SET published_at = a.published_at FROM articles a
WHERE a.id = x.article_id AND a.published_at IS NOT NULL;
CREATE INDEX article_tags_tag_published ON article_tags(tag_id, published_at, article_id);
CREATE INDEX article_authors_author_published ON article_authors(author_id, published_at, article_id);
DROP INDEX article_tags_tag;
DROP INDEX article_authors_author;

CREATE OR REPLACE FUNCTION article_link_published() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.published_at := (SELECT published_at FROM articles WHERE id = NEW.article_id);
	RETURN NEW;
END
$$;
CREATE TRIGGER article_tags_published BEFORE INSERT ON article_tags
FOR EACH ROW EXECUTE FUNCTION article_link_published();
CREATE TRIGGER article_authors_published BEFORE INSERT ON article_authors
FOR EACH ROW EXECUTE FUNCTION article_link_published();

CREATE OR REPLACE FUNCTION articles_links_published() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE article_tags SET published_at = NEW.published_at WHERE article_id = NEW.id;
	UPDATE article_authors SET published_at = NEW.published_at WHERE article_id = NEW.id;
	RETURN NULL;
END
$$;
CREATE TRIGGER articles_links_published AFTER UPDATE OF published_at ON articles
FOR EACH ROW WHEN (OLD.published_at IS DISTINCT FROM NEW.published_at)
EXECUTE FUNCTION articles_links_published();
