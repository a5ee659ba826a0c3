-- 0017_discovery_filter: a narrow index for search filters, so the join from
-- a text-search hit to its article's status and publication time can be an
-- index-only scan instead of a heap fetch (matches SQLite's 0017).
CREATE INDEX articles_search_filter ON articles(id) INCLUDE (status, published_at);
