package newsroom

import "time"

// Who may read which stories, on every surface (desk and API alike):
//
//   - anyone, signed in or not, reads what is public (published, and its
//     publication time has come);
//   - editors and admins read everything: drafts, reviews, scheduled and
//     embargoed stories (published with a time still to come);
//   - a correspondent reads, besides what is public, only the stories they
//     created or are credited on (a byline whose author profile is theirs);
//     other writers' unpublished, scheduled and embargoed stories do not
//     exist for them (not found, never forbidden, so even the number is
//     not given away);
//   - moderators read what is public.

// Visibility limits a listing to what one correspondent may read: stories
// public at Now, and those UserID created or is credited on.
type Visibility struct {
	UserID int64
	Now    time.Time
}

// CanRead reports whether u (nil: a reader) may read a at now.
func CanRead(u *User, a *Article, now time.Time) bool {
	if a.IsPublic(now) {
		return true
	}
	if u == nil || u.Disabled {
		return false
	}
	switch {
	case u.Role.CanPublish():
		return true
	case u.Role.CanWrite():
		return a.Involves(u.ID)
	}
	return false
}

// Involves reports whether the staff user created a or is credited on it.
func (a *Article) Involves(userID int64) bool {
	if userID == 0 {
		return false
	}
	if a.CreatedBy == userID {
		return true
	}
	for _, b := range a.Authors {
		if b.UserID == userID {
			return true
		}
	}
	return false
}

// ScopeFor narrows f to the stories u may read at now (see CanRead):
// editors and admins keep f as it is; correspondents get a Visibility;
// everyone else (readers, moderators) only what is public.
func ScopeFor(u *User, now time.Time, f *ArticleFilter) {
	switch {
	case u != nil && !u.Disabled && u.Role.CanPublish():
	case u != nil && !u.Disabled && u.Role.CanWrite():
		f.Visible = &Visibility{UserID: u.ID, Now: now}
	default:
		f.PublicAt = &now
	}
}

// SetsPublicationTime reports whether next moves the publication time a
// reader sees (published_at) away from prev's (nil: a new story). Only
// editors do that: a correspondent could backdate a story, or give it a
// future time that hides it without scheduling it. The time a first
// publication stamps (Prepare) is not the writer's doing.
func SetsPublicationTime(prev, next *Article) bool {
	if prev == nil {
		return !next.PublishedAt.IsZero()
	}
	return !next.PublishedAt.Equal(prev.PublishedAt)
}

// SetsSchedule reports whether next asks for a scheduled time other than
// prev's (nil: a new story).
func SetsSchedule(prev, next *Article) bool {
	if prev == nil {
		return !next.ScheduledAt.IsZero()
	}
	return !next.ScheduledAt.Equal(prev.ScheduledAt)
}

// CanEditMedia reports whether u may change a library picture's text
// (caption, credit, source, licence, alt): its uploader, or an editor.
// Every writer may use any picture.
func CanEditMedia(u *User, m *MediaItem) bool {
	if u == nil || u.Disabled || !u.Role.CanWrite() {
		return false
	}
	return u.Role.CanPublish() || m.UploadedBy != 0 && m.UploadedBy == u.ID
}
