-- 0132_search_narrow (issue 19): a search reads article_search's heap for
-- every match in its window (status, publication time, the small lead
-- vector); rows that carry the body and its vector inline are a few per
-- page, so that read was most of a common word's time. Every value but the
-- headline and lead_tsv now goes to TOAST as soon as a row passes 128
-- bytes, leaving some ten rows a page, and the table is rewritten once in
-- publication order (CLUSTER on the date index of 0130), so the rows of a
-- window sit together. On a large archive the rewrite holds a lock on
-- article_search while it runs (about a minute per 100,000 stories here).
ALTER TABLE article_search SET (toast_tuple_target = 128);
ALTER TABLE article_search ALTER COLUMN lead_tsv SET STORAGE MAIN, ALTER COLUMN headline SET STORAGE MAIN;
CLUSTER article_search USING article_search_recent;
