-- 0133_search_language (issue 19): an edition's search keeps its language
-- (issue 17), so the candidates' filter reads the language too: the
-- covering index of 0017 gains it, and a candidate costs one index probe,
-- not a read of the article's row.
CREATE INDEX articles_search_covering ON articles(id, status, published_at, language);
DROP INDEX articles_search_filter;
