package newsroom

import "time"

// Prepare readies a to be saved at now, given prev, the stored state (nil
// when a is new). It normalizes and validates the fields and stamps the
// workflow times: the first publication sets PublishedAt, a change to what
// readers see of a published article sets EditedAt, and a scheduled article
// needs a time in the future.
func (a *Article) Prepare(prev *Article, now time.Time) error {
	a.Normalize()
	if err := a.Validate(); err != nil {
		return err
	}
	switch a.Status {
	case Published:
		if a.PublishedAt.IsZero() {
			a.PublishedAt = now
		}
		a.ScheduledAt = time.Time{}
		if prev != nil && prev.Status == Published && a.PublicTextDiffers(prev) {
			a.EditedAt = now
		}
	case Scheduled:
		if !a.ScheduledAt.After(now) {
			return Errorf(Invalid, "scheduled_at", "the scheduled time must be in the future")
		}
	default:
		a.ScheduledAt = time.Time{}
	}
	return nil
}

// PublicTextDiffers reports whether a reader would see a different text in
// a than in b.
func (a *Article) PublicTextDiffers(b *Article) bool {
	return a.Headline != b.Headline || a.Standfirst != b.Standfirst || a.Body != b.Body
}

// CheckEdit says whether u may save next (prev is the stored state, nil for a
// new article). Correspondents write and edit their own articles and may
// submit them for review; publishing and scheduling needs an editor unless
// correspondentsMayPublish is set. Moderators do not write articles.
func CheckEdit(u *User, prev, next *Article, correspondentsMayPublish bool) error {
	if u == nil {
		return Errorf(Unauthorized, "", "sign in first")
	}
	if !u.Role.CanWrite() {
		return Errorf(Forbidden, "", "your role may not write articles")
	}
	if u.Role.CanPublish() {
		return nil
	}
	if prev != nil && prev.CreatedBy != u.ID {
		return Errorf(Forbidden, "", "correspondents may edit only their own articles")
	}
	// Only editors set publication times: a backdated story, or a future
	// time that hides one without scheduling it, is an editor's decision.
	if SetsPublicationTime(prev, next) {
		return Errorf(Invalid, "published_at", "only editors set the publication time; leave published_at out")
	}
	if !correspondentsMayPublish && SetsSchedule(prev, next) {
		return Errorf(Invalid, "scheduled_at", "only editors schedule stories; leave scheduled_at out")
	}
	if prev != nil && (prev.Status == Published || prev.Status == Scheduled) && !correspondentsMayPublish {
		return Errorf(Forbidden, "status", "this article is published or scheduled; ask an editor to change it")
	}
	switch next.Status {
	case Draft, Review:
		return nil
	case Published, Scheduled, Unpublished:
		if correspondentsMayPublish {
			return nil
		}
	}
	return Errorf(Forbidden, "status", "correspondents may save drafts and submit for review; an editor publishes")
}
