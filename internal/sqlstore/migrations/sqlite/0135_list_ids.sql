-- 0135_list_ids (issue 19): nothing to change on SQLite, whose indexes
-- end in the rowid (the article's id) already. The PostgreSQL file of
-- this number adds the id to the index a public list walks and the
-- language to the one a story is looked up in by id.
SELECT 1;
