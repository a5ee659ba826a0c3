-- 0036_media_description: a longer description of a picture, for the
-- library (WordPress keeps one per attachment; the importer brings it).

ALTER TABLE media ADD COLUMN description TEXT NOT NULL DEFAULT '';
