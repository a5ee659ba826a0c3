-- 0035_wordpress: what each WordPress import brought in. Every item keeps
-- the old site and its WordPress id, so that a second run of the same
-- export adds nothing and a later export updates only what changed (digest
-- is a hash of the item as it was imported). email keeps an old author's
-- address privately (author profiles have none).

CREATE TABLE wordpress_items (
	site        TEXT        NOT NULL,
	kind        TEXT        NOT NULL,
	wp_id       TEXT        NOT NULL,
	local_id    BIGINT      NOT NULL,
	digest      TEXT        NOT NULL,
	email       TEXT        NOT NULL DEFAULT '',
	imported_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (site, kind, wp_id)
);
