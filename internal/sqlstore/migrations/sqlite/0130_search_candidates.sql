-- 0130_search_candidates (issue 19): nothing to change on SQLite. Search
-- takes its bounded candidate set from the FTS5 index in rowid order and
-- reads status and publication time from articles_search_filter (0017);
-- where the terms matched comes from column-filtered FTS5 queries over the
-- candidates' rowid range. The PostgreSQL file of this number adds what
-- its plan needs to article_search.
SELECT 1;
