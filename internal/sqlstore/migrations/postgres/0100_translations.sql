-- Linked translations (issue 17): an article's translation group is the id
-- of the group's original (no foreign key: purging one member leaves the
-- others linked); one member per language in a group.
ALTER TABLE articles ADD COLUMN translation_group BIGINT;
ALTER TABLE articles ADD COLUMN machine_translated BOOLEAN NOT NULL DEFAULT FALSE;
CREATE UNIQUE INDEX articles_translation_language ON articles (translation_group, language)
	WHERE translation_group IS NOT NULL;
