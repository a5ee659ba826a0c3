-- Staff are authors (issue 14): every staff account without an author
-- profile gets one, with its name as the byline and the staff label. The
-- slug is made from the name (lower case, spaces and common punctuation as
-- dashes); where that is taken, or two accounts share a name, the account's
-- id is added. New accounts get theirs when they are created.
INSERT INTO authors (slug, name, label, bio, photo_url, user_id)
SELECT CASE
		WHEN s.slug = '' OR EXISTS (SELECT 1 FROM authors a WHERE a.slug = s.slug)
			OR (SELECT count(*) FROM users u2 WHERE lower(replace(replace(replace(replace(trim(u2.name), ' ', '-'), '.', ''), '''', ''), ',', '')) = s.slug) > 1
		THEN CASE WHEN s.slug = '' THEN 'staff' ELSE s.slug END || '-' || s.id
		ELSE s.slug END,
	s.name, 'staff', '', '', s.id
FROM (SELECT u.id, u.name, lower(replace(replace(replace(replace(trim(u.name), ' ', '-'), '.', ''), '''', ''), ',', '')) AS slug
	FROM users u WHERE NOT EXISTS (SELECT 1 FROM authors a WHERE a.user_id = u.id)) s;
