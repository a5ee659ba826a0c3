-- Static pages per edition (issue 17): a page's edition ('' the site's
-- default language, else the other language's code: its path then
-- starts with "/LANG/"), and its translation group, the original's id
-- (no foreign key: deleting one member leaves the others linked), one
-- page per language in a group.
ALTER TABLE pages ADD COLUMN language TEXT NOT NULL DEFAULT '';
ALTER TABLE pages ADD COLUMN translation_group BIGINT;
CREATE UNIQUE INDEX pages_translation_language ON pages (translation_group, language)
	WHERE translation_group IS NOT NULL;
