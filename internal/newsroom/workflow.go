package newsroom

import (
	"time"
)

// Prepare readies a to be saved at now, given prev, the stored state (nil
// when a is new): it normalizes the fields, stamps the workflow times (see
// StampTimes) and validates. A scheduled article needs a time in the
// future. Stores save the times it leaves as they are.
func (a *Article) Prepare(prev *Article, now time.Time) error {
	a.Normalize()
	if err := CheckTrashMove(prev, a); err != nil {
		return err
	}
	a.StampTimes(prev, now)
	if err := a.Validate(); err != nil {
		return err
	}
	if a.Status == Scheduled && !a.ScheduledAt.After(now) {
		return Errorf(Invalid, "scheduled_at", "the scheduled time must be in the future")
	}
	return nil
}

// StampTimes sets the workflow times of a saved at now, given prev (nil
// when a is new). A published article keeps the time it was first
// published (PublishedAt); without one, now is that time. EditedAt, the
// "updated" time readers see, is kept from prev and moves to now only when
// a save of a published article changes what readers read of it (see
// PublicTextDiffers): a new tag or section does not move it; a correction
// does (see Correct). Only scheduled articles keep a ScheduledAt.
func (a *Article) StampTimes(prev *Article, now time.Time) {
	if prev != nil {
		a.EditedAt = prev.EditedAt
		if a.PublishedAt.IsZero() {
			a.PublishedAt = prev.PublishedAt
		}
	}
	a.TrashedAt = time.Time{}
	switch a.Status {
	case Trash:
		a.ScheduledAt = time.Time{}
		if prev != nil && prev.Status == Trash {
			a.TrashedAt = prev.TrashedAt
		} else {
			a.TrashedAt = now
		}
	case Published:
		a.PublishedAt = FirstPublication(a.PublishedAt, now)
		a.ScheduledAt = time.Time{}
		if prev != nil && prev.Status == Published && a.PublicTextDiffers(prev) {
			a.EditedAt = now
		}
	case Scheduled:
	default:
		a.ScheduledAt = time.Time{}
	}
}

// CheckTrashMove refuses what may not happen to a story in the trash: it
// is not edited there, and it leaves the trash only as a draft (restored,
// it goes live again only by a deliberate publish). prev is the stored
// state (nil for a new article, which may not start in the trash).
func CheckTrashMove(prev, next *Article) error {
	if prev == nil {
		if next.Status == Trash {
			return Errorf(Invalid, "status", "a new story cannot start in the trash")
		}
		return nil
	}
	if prev.Status != Trash {
		return nil
	}
	switch next.Status {
	case Trash:
		return Errorf(Unprocessable, "status", "this story is in the trash; restore it before editing it")
	case Draft:
		return nil
	}
	return Errorf(Invalid, "status", "a story leaves the trash as a draft; restore it first, then publish it")
}

// Restore returns a story in the trash to the desk as a draft (so that
// nothing goes live again by accident; its first publication time is kept
// for when it is published again). Use it as an editorial Update change.
func (a *Article) Restore() error {
	if a.Status != Trash {
		return Errorf(Unprocessable, "status", "this story is not in the trash")
	}
	a.Status = Draft
	return nil
}

// MoveToTrash moves a story to the trash. Use it as an editorial Update
// change.
func (a *Article) MoveToTrash() error {
	if a.Status == Trash {
		return Errorf(Unprocessable, "status", "this story is already in the trash")
	}
	a.Status = Trash
	return nil
}

// CheckPublicationTime returns an Invalid error on "published_at" for a
// zero publication time of a published article.
func CheckPublicationTime(t time.Time) error {
	if t.IsZero() {
		return Errorf(Invalid, "published_at", "a published article needs its publication time")
	}
	return nil
}

// FirstPublication is the publication time of an article published at
// now that was first published at published (zero if never): the first
// time stays.
func FirstPublication(published, now time.Time) time.Time {
	if published.IsZero() {
		return now
	}
	return published
}

// PublicTextDiffers reports whether a reader would see a different story
// in a than in b: its headline, standfirst, body or lead image. Tags,
// sections, bylines, sources and settings such as open comments are not
// part of it.
func (a *Article) PublicTextDiffers(b *Article) bool {
	return a.Headline != b.Headline || a.Standfirst != b.Standfirst || a.Body != b.Body ||
		!a.LeadImage.SameAs(b.LeadImage)
}

// SameAs reports whether readers would see the same lead image in i and j
// (either may be nil): the same picture with the same caption, credit,
// source and alternative text. Sizes, srcset and the rendered caption
// follow from those and are not compared.
func (i *Image) SameAs(j *Image) bool {
	if i == nil || j == nil {
		return i == j
	}
	return i.URL == j.URL && i.Caption == j.Caption && i.Credit == j.Credit &&
		i.SourceName == j.SourceName && i.SourceURL == j.SourceURL && i.Alt == j.Alt
}

// Correct readies c, a correction of the published article a made at now:
// it trims and checks c and dates it now. A correction changes what
// readers read, so it moves a's EditedAt (the "updated" time) to now.
// Stores save c.At and a.EditedAt as they are.
func (a *Article) Correct(c *Correction, now time.Time) error {
	c.Normalize()
	if err := c.Validate(); err != nil {
		return err
	}
	if a.Status != Published {
		return Errorf(Unprocessable, "", "corrections are for published articles; edit the draft instead")
	}
	c.ArticleID, c.At = a.ID, now
	a.EditedAt = now
	return nil
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
	case Draft, Review, Trash:
		return nil
	case Published, Scheduled, Unpublished:
		if correspondentsMayPublish {
			return nil
		}
	}
	return Errorf(Forbidden, "status", "correspondents may save drafts and submit for review; an editor publishes")
}
