-- 0132_search_narrow (issue 19): nothing to change on SQLite, whose search
-- candidates come from the FTS5 index and the covering index
-- articles_search_filter, not from article_search's rows. The PostgreSQL
-- file of this number moves article_search's large values out of line.
SELECT 1;
