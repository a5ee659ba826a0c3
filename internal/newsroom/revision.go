package newsroom

// Why a revision was saved (Revision.Reason). A save that sets
// Article.RevisionReason keeps that; otherwise RevisionReasonFor decides
// from the status before and after.
const (
	ReasonCreated     = "created"      // the first draft (or a story created as it is)
	ReasonSaved       = "saved"        // a save that left the status as it was
	ReasonReview      = "review"       // submitted for review
	ReasonPublished   = "published"    // went live
	ReasonUpdatedLive = "updated_live" // a live story's text changed in public
	ReasonScheduled   = "scheduled"    // scheduled (or its time moved)
	ReasonUnpublished = "unpublished"  // taken down
	ReasonDraft       = "draft"        // sent back to draft
	ReasonReport      = "report"       // a reader's error report applied
	ReasonScheduler   = "scheduler"    // published (or updated) by the scheduler at its time
	ReasonRestored    = "restored"     // an older revision's text brought back
	ReasonLegal       = "legal"        // a legal marker switched off or on
)

// RevisionReasonFor is why saving next over prev (nil: a new story) is
// worth a revision, when the save did not say.
func RevisionReasonFor(prev, next *Article) string {
	if prev == nil {
		switch next.Status {
		case Published:
			return ReasonPublished
		case Scheduled:
			return ReasonScheduled
		case Review:
			return ReasonReview
		}
		return ReasonCreated
	}
	if prev.Status == next.Status {
		if next.Status == Published {
			return ReasonUpdatedLive
		}
		if next.Status == Scheduled && !next.ScheduledAt.Equal(prev.ScheduledAt) {
			return ReasonScheduled
		}
		return ReasonSaved
	}
	switch next.Status {
	case Published:
		return ReasonPublished
	case Scheduled:
		return ReasonScheduled
	case Unpublished:
		return ReasonUnpublished
	case Review:
		return ReasonReview
	case Draft:
		return ReasonDraft
	}
	return ReasonSaved
}
