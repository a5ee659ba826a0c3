-- 0133_search_language (issue 19): nothing to change on PostgreSQL, where
-- an edition's search filters on article_search.language (0007) without a
-- join. The SQLite file of this number adds the language to the covering
-- index its candidates are filtered through.
SELECT 1;
