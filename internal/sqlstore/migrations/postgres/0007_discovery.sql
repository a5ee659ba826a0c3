-- 0007_discovery: full-text search and page-view counts.
--
-- Search: article_search holds the searchable text of every article (plain
-- text of the body, tag names joined) and a weighted tsvector in the
-- article's language (english or russian configuration; headline A, tags
-- and standfirst B, body C) with a GIN index. Triggers keep it in step with
-- articles, article_tags and tags inside the writing transaction. ё is
-- folded to е before indexing, as the Go side does for queries. Drafts are
-- indexed too (the desk may search them); queries filter by status and time.

CREATE FUNCTION newsdesk_search_config(lang text) RETURNS regconfig
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE lang WHEN 'ru' THEN 'pg_catalog.russian'::regconfig ELSE 'pg_catalog.english'::regconfig END
$$;

CREATE FUNCTION newsdesk_plain(html text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT btrim(regexp_replace(
		replace(replace(replace(replace(replace(replace(
			regexp_replace(html, '<[^>]*>', ' ', 'g'),
			'&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', ''''), '&nbsp;', ' '), '&amp;', '&'),
		'\s+', ' ', 'g'))
$$;

CREATE TABLE article_search (
	article_id BIGINT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
	language   TEXT     NOT NULL DEFAULT 'en',
	headline   TEXT     NOT NULL DEFAULT '',
	standfirst TEXT     NOT NULL DEFAULT '',
	body       TEXT     NOT NULL DEFAULT '',
	tags       TEXT     NOT NULL DEFAULT '',
	tsv        tsvector NOT NULL DEFAULT ''::tsvector
);
CREATE INDEX article_search_tsv ON article_search USING GIN (tsv);

CREATE FUNCTION article_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	cfg regconfig := newsdesk_search_config(NEW.language);
BEGIN
	NEW.tsv :=
		setweight(to_tsvector(cfg, translate(NEW.headline, 'ёЁ', 'еЕ')), 'A') ||
		setweight(to_tsvector(cfg, translate(NEW.tags, 'ёЁ', 'еЕ')), 'B') ||
		setweight(to_tsvector(cfg, translate(NEW.standfirst, 'ёЁ', 'еЕ')), 'B') ||
		setweight(to_tsvector(cfg, translate(NEW.body, 'ёЁ', 'еЕ')), 'C');
	RETURN NEW;
END
$$;
CREATE TRIGGER article_search_vector BEFORE INSERT OR UPDATE ON article_search
FOR EACH ROW EXECUTE FUNCTION article_search_vector();

CREATE FUNCTION articles_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO article_search (article_id, language, headline, standfirst, body)
		VALUES (NEW.id, NEW.language, NEW.headline, NEW.standfirst, newsdesk_plain(CASE WHEN NEW.body_html <> '' THEN NEW.body_html ELSE NEW.body END));
	ELSIF NEW.headline IS DISTINCT FROM OLD.headline OR NEW.standfirst IS DISTINCT FROM OLD.standfirst
		OR NEW.body_html IS DISTINCT FROM OLD.body_html OR NEW.body IS DISTINCT FROM OLD.body
		OR NEW.language IS DISTINCT FROM OLD.language THEN
		UPDATE article_search SET language = NEW.language, headline = NEW.headline,
			standfirst = NEW.standfirst, body = newsdesk_plain(CASE WHEN NEW.body_html <> '' THEN NEW.body_html ELSE NEW.body END)
		WHERE article_id = NEW.id;
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER articles_search_sync AFTER INSERT OR UPDATE ON articles
FOR EACH ROW EXECUTE FUNCTION articles_search_sync();

CREATE FUNCTION newsdesk_article_tags(aid bigint) RETURNS text LANGUAGE sql STABLE AS $$
	SELECT coalesce(string_agg(t.name, ' ' ORDER BY t.name), '')
	FROM article_tags x JOIN tags t ON t.id = x.tag_id WHERE x.article_id = aid
$$;

CREATE FUNCTION article_tags_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	aid bigint;
BEGIN
	IF TG_OP = 'DELETE' THEN aid := OLD.article_id; ELSE aid := NEW.article_id; END IF;
	UPDATE article_search SET tags = newsdesk_article_tags(aid)
	WHERE article_id = aid AND tags IS DISTINCT FROM newsdesk_article_tags(aid);
	RETURN NULL;
END
$$;
CREATE TRIGGER article_tags_search_sync AFTER INSERT OR DELETE ON article_tags
FOR EACH ROW EXECUTE FUNCTION article_tags_search_sync();

CREATE FUNCTION tags_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.name IS DISTINCT FROM OLD.name THEN
		UPDATE article_search SET tags = newsdesk_article_tags(article_id)
		WHERE article_id IN (SELECT article_id FROM article_tags WHERE tag_id = NEW.id);
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER tags_search_sync AFTER UPDATE ON tags
FOR EACH ROW EXECUTE FUNCTION tags_search_sync();

INSERT INTO article_search (article_id, language, headline, standfirst, body, tags)
SELECT a.id, a.language, a.headline, a.standfirst, newsdesk_plain(CASE WHEN a.body_html <> '' THEN a.body_html ELSE a.body END), newsdesk_article_tags(a.id)
FROM articles a;

-- Views: one row per article and day (the site's calendar date), written in
-- batches by the in-memory counter. No cookies, no addresses.
CREATE TABLE article_views (
	article_id BIGINT  NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	day        DATE    NOT NULL,
	count      BIGINT  NOT NULL DEFAULT 0,
	PRIMARY KEY (article_id, day)
);
CREATE INDEX article_views_day ON article_views(day, article_id);
