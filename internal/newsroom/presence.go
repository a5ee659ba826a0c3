package newsroom

import (
	"context"
	"time"
)

// PresenceTTL is how long an editor's heartbeat counts: someone whose
// last heartbeat is older no longer has the story open.
const PresenceTTL = 2 * time.Minute

// Presence is one person who has a story open in the desk's editor.
type Presence struct {
	UserID int64
	Name   string
	SeenAt time.Time
}

// PresenceStore keeps who has which story open, in the database so that
// every node sees it (issue 14: no lock, only a notice).
type PresenceStore interface {
	// TouchPresence records that userID has the article open at now,
	// and removes a bounded number of records older than PresenceTTL.
	// An unknown article is NotFound.
	TouchPresence(ctx context.Context, articleID, userID int64, now time.Time) error
	// Present lists the people who have the article open at now (seen
	// within PresenceTTL), but not except, most recently seen first.
	Present(ctx context.Context, articleID, except int64, now time.Time) ([]Presence, error)
	// LeavePresence forgets that userID has the article open.
	LeavePresence(ctx context.Context, articleID, userID int64) error
}
