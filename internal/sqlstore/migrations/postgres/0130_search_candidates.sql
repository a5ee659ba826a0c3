-- 0130_search_candidates (issue 19): search ranks only a bounded set of
-- the newest matches, so article_search carries what that needs without a
-- join to articles: the article's status and publication time (kept in
-- step by articles_search_sync) with an index to walk matches newest
-- first, and lead_tsv, a small vector of headline (A), standfirst (B) and
-- tag names (C), so that where a candidate matched is read from a few
-- dozen words instead of the whole body's vector (its GIN index is 0131).
-- The body's vector is recomputed only when text changes.

ALTER TABLE article_search
	ADD COLUMN status       TEXT     NOT NULL DEFAULT '',
	ADD COLUMN published_at TIMESTAMPTZ,
	ADD COLUMN lead_tsv     tsvector NOT NULL DEFAULT ''::tsvector;

CREATE OR REPLACE FUNCTION article_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	cfg regconfig := newsdesk_search_config(NEW.language);
	h tsvector := setweight(to_tsvector(cfg, translate(NEW.headline, 'ёЁ', 'еЕ')), 'A');
	t tsvector := setweight(to_tsvector(cfg, translate(NEW.tags, 'ёЁ', 'еЕ')), 'B');
	sf tsvector := setweight(to_tsvector(cfg, translate(NEW.standfirst, 'ёЁ', 'еЕ')), 'B');
BEGIN
	NEW.tsv := h || t || sf || setweight(to_tsvector(cfg, translate(NEW.body, 'ёЁ', 'еЕ')), 'C');
	NEW.lead_tsv := h || sf || setweight(t, 'C');
	RETURN NEW;
END
$$;
DROP TRIGGER article_search_vector ON article_search;
CREATE TRIGGER article_search_vector BEFORE INSERT OR UPDATE OF language, headline, standfirst, body, tags
ON article_search FOR EACH ROW EXECUTE FUNCTION article_search_vector();

CREATE OR REPLACE FUNCTION articles_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO article_search (article_id, language, headline, standfirst, body, status, published_at)
		VALUES (NEW.id, NEW.language, NEW.headline, NEW.standfirst,
			newsdesk_plain(CASE WHEN NEW.body_html <> '' THEN NEW.body_html ELSE NEW.body END),
			NEW.status, NEW.published_at);
	ELSIF NEW.headline IS DISTINCT FROM OLD.headline OR NEW.standfirst IS DISTINCT FROM OLD.standfirst
		OR NEW.body_html IS DISTINCT FROM OLD.body_html OR NEW.body IS DISTINCT FROM OLD.body
		OR NEW.language IS DISTINCT FROM OLD.language THEN
		UPDATE article_search SET language = NEW.language, headline = NEW.headline,
			standfirst = NEW.standfirst, body = newsdesk_plain(CASE WHEN NEW.body_html <> '' THEN NEW.body_html ELSE NEW.body END),
			status = NEW.status, published_at = NEW.published_at
		WHERE article_id = NEW.id;
	ELSIF NEW.status IS DISTINCT FROM OLD.status OR NEW.published_at IS DISTINCT FROM OLD.published_at THEN
		UPDATE article_search SET status = NEW.status, published_at = NEW.published_at
		WHERE article_id = NEW.id;
	END IF;
	RETURN NULL;
END
$$;

-- Existing rows: status and time from articles; lead_tsv computed here
-- (the trigger fires on text columns only).
UPDATE article_search s SET status = a.status, published_at = a.published_at,
	lead_tsv = setweight(to_tsvector(newsdesk_search_config(s.language), translate(s.headline, 'ёЁ', 'еЕ')), 'A') ||
		setweight(to_tsvector(newsdesk_search_config(s.language), translate(s.standfirst, 'ёЁ', 'еЕ')), 'B') ||
		setweight(to_tsvector(newsdesk_search_config(s.language), translate(s.tags, 'ёЁ', 'еЕ')), 'C')
FROM articles a WHERE a.id = s.article_id;

CREATE INDEX article_search_recent ON article_search (published_at, article_id);
