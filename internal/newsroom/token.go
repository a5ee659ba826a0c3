package newsroom

import (
	"context"
	"time"
)

// DefaultTokenTTL is how long an API token lives unless told otherwise.
const DefaultTokenTTL = 90 * 24 * time.Hour

// TokenTouchEvery is how often a token's last use is written: reading
// with a token does not write to the database on every request.
const TokenTouchEvery = time.Minute

// APIToken is a staff member's API token. Only a hash of it is stored; the
// token itself is shown once, when it is made.
type APIToken struct {
	ID         int64
	UserID     int64
	Hash       string
	CreatedAt  time.Time
	ExpiresAt  time.Time // zero: no expiry of its own (made before tokens had one)
	LastUsedAt time.Time // zero: never used
	// User is the owner, as TokenByHash and Tokens load it.
	User *User
}

// Usable reports whether t may authenticate at now: before its own
// expiry, not older than maxAge (the server's --token-ttl; 0: no limit),
// and its owner not disabled.
func (t *APIToken) Usable(now time.Time, maxAge time.Duration) bool {
	if !t.ExpiresAt.IsZero() && !now.Before(t.ExpiresAt) {
		return false
	}
	if maxAge > 0 && !now.Before(t.CreatedAt.Add(maxAge)) {
		return false
	}
	return t.User == nil || !t.User.Disabled
}

// Expiry is when t stops working given the server's maxAge: the earlier
// of its own expiry and CreatedAt+maxAge (zero: never).
func (t *APIToken) Expiry(maxAge time.Duration) time.Time {
	e := t.ExpiresAt
	if maxAge > 0 {
		if byAge := t.CreatedAt.Add(maxAge); e.IsZero() || byAge.Before(e) {
			e = byAge
		}
	}
	return e
}

// TokenStore keeps API tokens.
type TokenStore interface {
	// IssueToken stores t (UserID, Hash, ExpiresAt) and sets its ID and
	// CreatedAt. An unknown user is NotFound; a hash already stored a
	// Conflict.
	IssueToken(ctx context.Context, t *APIToken) error
	// TokenByHash returns the token with that hash and its owner, or
	// NotFound. It does not judge expiry: callers ask Usable.
	TokenByHash(ctx context.Context, hash string) (*APIToken, error)
	// Tokens lists the tokens of a user (0: everyone's), newest first,
	// each with its owner.
	Tokens(ctx context.Context, userID int64) ([]APIToken, error)
	// TouchToken records a use of the token at at.
	TouchToken(ctx context.Context, id int64, at time.Time) error
	// RevokeToken deletes one token; an unknown id is NotFound.
	RevokeToken(ctx context.Context, id int64) error
	// RevokeUserTokens deletes every token of the user and says how many.
	RevokeUserTokens(ctx context.Context, userID int64) (int, error)
}

// CheckDisable says whether actor may disable or enable target: admins
// only, and never themselves (an admin cannot lock the last door behind
// them by mistake).
func CheckDisable(actor, target *User) error {
	if actor == nil || actor.Disabled || actor.Role != RoleAdmin {
		return Errorf(Forbidden, "", "only admins disable and enable accounts")
	}
	if actor.ID == target.ID {
		return Errorf(Invalid, "user", "you cannot disable your own account")
	}
	return nil
}
