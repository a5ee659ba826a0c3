package newsroom

import (
	"context"
	"time"
)

// Session is a signed-in desk session. Only a hash of the session id (the
// value of the nd_session cookie) is stored, so a copy of the database does
// not let anyone sign in.
type Session struct {
	IDHash    string
	UserID    int64
	CSRFToken string // per-session token desk forms carry as a second layer
	CreatedAt time.Time
	ExpiresAt time.Time
	LastSeen  time.Time
}

// Invite lets a new member of staff set their own name and password. The
// link carries a token; only its hash is stored. An invite is used once.
type Invite struct {
	ID        int64
	TokenHash string
	Email     string
	Role      Role
	CreatedBy int64
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    time.Time // zero while unused
	// Replaced is set by CreateInvite when the new invite took the place
	// of an unused one for the same address (whose link stops working).
	Replaced bool
}

// Validate normalizes the invite's e-mail and checks it, the role and the
// token hash.
func (i *Invite) Validate() error {
	i.Email = NormalizeEmail(i.Email)
	probe := User{Email: i.Email, Name: "-", Role: i.Role}
	if err := probe.Validate(); err != nil {
		return err
	}
	return CheckTokenHash(i.TokenHash)
}

// Usable reports whether the invite may still be accepted at now.
func (i *Invite) Usable(now time.Time) bool {
	return i.UsedAt.IsZero() && now.Before(i.ExpiresAt)
}

// SessionStore keeps desk sessions, invites and passwords.
type SessionStore interface {
	// CreateSession stores s as given (the caller sets every time).
	CreateSession(ctx context.Context, s *Session) error
	// SessionByHash returns the session with that id hash, or NotFound. It
	// does not check expiry; callers compare ExpiresAt with their clock.
	SessionByHash(ctx context.Context, idHash string) (*Session, error)
	// TouchSession records activity on a session and moves its expiry.
	TouchSession(ctx context.Context, idHash string, lastSeen, expiresAt time.Time) error
	// DeleteSession removes one session; removing an absent one is no error.
	DeleteSession(ctx context.Context, idHash string) error
	// DeleteUserSessions removes every session of the user except keepHash
	// (which may be "").
	DeleteUserSessions(ctx context.Context, userID int64, keepHash string) error
	// DeleteExpiredSessions removes sessions that expired before now and
	// returns how many it removed.
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error)
	// SetPassword replaces the user's password hash. Unknown users are NotFound.
	SetPassword(ctx context.Context, userID int64, passwordHash string) error

	// CreateInvite stores a new invite and sets its ID; an unused invite
	// for the same address is replaced (one pending invite per address;
	// inv.Replaced says so). An e-mail that already belongs to a user is a
	// Conflict on "email".
	CreateInvite(ctx context.Context, inv *Invite) error
	// InviteByHash returns the invite with that token hash, or NotFound.
	InviteByHash(ctx context.Context, tokenHash string) (*Invite, error)
	// Invites lists the invites not yet used, newest first.
	Invites(ctx context.Context) ([]Invite, error)
	// AcceptInvite creates u (with the invite's e-mail and role) and marks
	// the invite used, in one transaction, if the invite is unused and not
	// expired at now. A used or expired invite is a Conflict on "invite"; an
	// unknown one NotFound. Two concurrent accepts create one user.
	AcceptInvite(ctx context.Context, tokenHash string, u *User, now time.Time) error
}

// ScheduledArticle names an article waiting for its publication time.
type ScheduledArticle struct {
	ID          int64
	Revision    int
	ScheduledAt time.Time
	// PublishedAt is when it was first published (zero if never); the
	// publisher sets it to the publication time to save (see Publish).
	PublishedAt time.Time
}

// Publish readies s to be published at now: an article published before
// keeps its first publication time; otherwise it is dated now, not at
// its schedule, because readers could not see it earlier (the server may
// have been down at the scheduled time).
func (s *ScheduledArticle) Publish(now time.Time) {
	s.PublishedAt = FirstPublication(s.PublishedAt, now)
}

// Scheduling finds scheduled articles and publishes them exactly once.
type Scheduling interface {
	// NextScheduled returns the earliest scheduled article, or NotFound
	// when none is scheduled.
	NextScheduled(ctx context.Context) (*ScheduledArticle, error)
	// DueScheduled lists scheduled articles whose time is not after now,
	// earliest first.
	DueScheduled(ctx context.Context, now time.Time) ([]ScheduledArticle, error)
	// PublishScheduled publishes the article if it is still scheduled at
	// that revision (a conditional update, so two nodes cannot both publish
	// it): status becomes published, PublishedAt s.PublishedAt as given
	// (ScheduledArticle.Publish decides it), the revision moves on and a
	// Revision record is kept, its reason ReasonScheduler. It reports whether this call published it.
	PublishScheduled(ctx context.Context, s ScheduledArticle) (bool, error)
}

// PublicCorrection is a correction with the public article it belongs to.
type PublicCorrection struct {
	Correction
	Headline string
	URL      string // the article's public path
}

// CorrectionReader lists corrections site-wide, for the corrections page
// and its feed.
type CorrectionReader interface {
	// PublicCorrections returns one page of corrections on articles public
	// at now, newest first, and the total count.
	PublicCorrections(ctx context.Context, now time.Time, limit, offset int) ([]PublicCorrection, int, error)
}
