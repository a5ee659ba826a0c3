-- Translatable sections (issue 17): a section's name and description in
-- other editions' languages, each a JSON object ({"ru": "Мир"}); empty
-- when it has none (every edition shows the name).
ALTER TABLE categories ADD COLUMN names TEXT NOT NULL DEFAULT '';
ALTER TABLE categories ADD COLUMN descriptions TEXT NOT NULL DEFAULT '';
