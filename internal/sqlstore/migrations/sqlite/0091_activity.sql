-- The activity log (issue 15): who published, unpublished, trashed,
-- restored, applied a reader's fix, changed a role or a legal entry, and
-- when. Names are copied at the time, so an entry outlives what it names.
CREATE TABLE activity (
	id        INTEGER PRIMARY KEY,
	at        TEXT    NOT NULL,
	user_id   INTEGER NOT NULL DEFAULT 0,
	user_name TEXT    NOT NULL DEFAULT '',
	action    TEXT    NOT NULL,
	kind      TEXT    NOT NULL DEFAULT '',
	target_id INTEGER NOT NULL DEFAULT 0,
	subject   TEXT    NOT NULL DEFAULT '',
	detail    TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX activity_action ON activity(action, id);
CREATE INDEX activity_user ON activity(user_id, id);
CREATE INDEX activity_target ON activity(kind, target_id, id);
