-- 0131_search_headlines (issue 19): the stories whose headline matches a
-- query join its candidates even when they are older than the newest
-- matches; this index over the small lead vector (0130) finds them without
-- reading the body's.
CREATE INDEX article_search_lead ON article_search USING GIN (lead_tsv);
