-- 0030_pages: static pages (About us, Contacts, policies) with their
-- hierarchy and the footer menu. path is derived from the parent's path and
-- the slug ("/about-us/team/") and kept by the store, so a request finds
-- its page with one lookup; its uniqueness keeps sibling slugs apart.

CREATE TABLE pages (
	id            INTEGER PRIMARY KEY,
	parent_id     INTEGER REFERENCES pages(id),
	slug          TEXT    NOT NULL,
	path          TEXT    NOT NULL UNIQUE,
	title         TEXT    NOT NULL,
	body          TEXT    NOT NULL DEFAULT '',
	body_html     TEXT    NOT NULL DEFAULT '',
	status        TEXT    NOT NULL,
	in_menu       INTEGER NOT NULL DEFAULT 0,
	menu_position INTEGER NOT NULL DEFAULT 0,
	created_at    TEXT    NOT NULL,
	updated_at    TEXT    NOT NULL
);
CREATE INDEX pages_parent ON pages(parent_id);
