package newsroom

import (
	"context"
	"time"
)

// Kinds of pending edit (PendingEdit.Kind).
const (
	// PendingDraft is a live story's edit saved with "Save": kept for its
	// editors, not public until "Update live story".
	PendingDraft = "draft"
	// PendingUpdate is a live story's edit scheduled for ScheduledAt,
	// while the live version stays up until then.
	PendingUpdate = "update"
)

// PendingEdit is a change to a live story that readers do not see yet.
// Form is the editor's form as typed (URL-encoded), so the desk opens it
// again exactly as it was left; BaseRevision is the live revision it was
// written over.
type PendingEdit struct {
	ArticleID    int64
	Kind         string
	BaseRevision int
	Form         string
	SavedBy      int64
	SavedAt      time.Time
	ScheduledAt  time.Time // PendingUpdate only
}

// PendingEdits keeps pending edits, at most one of each kind per article.
type PendingEdits interface {
	// SavePending stores p, replacing the article's pending edit of that
	// kind, and sets SavedAt. An unknown article is NotFound.
	SavePending(ctx context.Context, p *PendingEdit) error
	// Pending returns the article's pending edit of kind, or NotFound.
	Pending(ctx context.Context, articleID int64, kind string) (*PendingEdit, error)
	// DeletePending removes it and reports whether this call did (of two
	// callers, exactly one gets true: the scheduler claims an update so).
	DeletePending(ctx context.Context, articleID int64, kind string) (bool, error)
	// DuePending lists pending edits of kind due at now (ScheduledAt not
	// after now), earliest first.
	DuePending(ctx context.Context, kind string, now time.Time) ([]PendingEdit, error)
}
