-- 0085_revision_reason: revisions are kept from the first draft on (issue
-- 14), each with the story's status at that save and why it was made
-- (created, saved, published, report, scheduler, restored, ...; see
-- newsroom.Revision). Older rows keep an empty reason.

ALTER TABLE revisions ADD COLUMN status TEXT NOT NULL DEFAULT '';
ALTER TABLE revisions ADD COLUMN reason TEXT NOT NULL DEFAULT '';
