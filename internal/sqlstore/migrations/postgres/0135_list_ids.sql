-- 0135_list_ids (issue 19): a public list's page is chosen from indexes
-- alone, and only its rows are read from the table (FindArticles and
-- FindArticleLists pick the page's ids in an inner query). The walk of
-- an edition's stories newest first returns the id from the index (it
-- ends the key, so the order of published_at, id is the index's and
-- needs no sort), and a story looked up by id (a tag's or an author's
-- few stories) finds its language beside its status and publication
-- time. Before, every story a page skipped or tested was a read of its
-- row: a deep page, or a section's block walking past other sections'
-- stories. Both indexes are rebuilt in place (about a second each at a
-- million articles).
DROP INDEX articles_language_public;
CREATE INDEX articles_language_public ON articles (language, status, published_at, id);
DROP INDEX articles_search_filter;
CREATE INDEX articles_search_filter ON articles (id) INCLUDE (status, published_at, language);
