package newsroom

import (
	"context"
	"time"
)

// PasswordResetLifetime is how long a "forgot your password" link works.
const PasswordResetLifetime = time.Hour

// PasswordReset is a single-use link to set a new password. Only a hash
// of its token is stored.
type PasswordReset struct {
	TokenHash string
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
}

// People is what managing staff accounts needs beyond Users and
// SessionStore: roles, sign-in times, the sessions a user holds, invites
// revoked and sent again, password resets.
type People interface {
	// SetUserRole changes a user's role; an unknown user is NotFound, an
	// unknown role Invalid on "role".
	SetUserRole(ctx context.Context, userID int64, role Role) error
	// RecordSignIn stores at as the user's last sign-in.
	RecordSignIn(ctx context.Context, userID int64, at time.Time) error
	// UserSessions lists the user's sessions, the most recently seen first
	// (expired ones included until they are cleaned).
	UserSessions(ctx context.Context, userID int64) ([]Session, error)
	// RevokeInvite deletes an unused invite; an unknown or used one is
	// NotFound.
	RevokeInvite(ctx context.Context, id int64) error
	// RenewInvite gives an unused invite a new token hash and expiry (the
	// old link stops working) and returns it; an unknown or used one is
	// NotFound.
	RenewInvite(ctx context.Context, id int64, tokenHash string, expiresAt time.Time) (*Invite, error)
	// CreatePasswordReset stores r (CreatedAt set by the store); the
	// user's earlier unused resets stop working. An unknown user is
	// NotFound.
	CreatePasswordReset(ctx context.Context, r *PasswordReset) error
	// UsePasswordReset, in one transaction, checks that the reset is
	// unused and not expired at now, sets the user's password hash, marks
	// the reset used, and ends every session of the user. A missing, used
	// or expired reset is NotFound on "token" and changes nothing. It
	// returns the user.
	UsePasswordReset(ctx context.Context, tokenHash, passwordHash string, now time.Time) (*User, error)
	// AuthorByUserID returns the author profile of a staff account (which
	// CreateUser and AcceptInvite make with the account), or NotFound.
	AuthorByUserID(ctx context.Context, userID int64) (*Author, error)
}

// TwoFactorStore keeps staff accounts' second factor.
type TwoFactorStore interface {
	// EnableTwoFactor stores the user's TOTP secret and the hashes of new
	// recovery codes (replacing any earlier ones). Unknown users are
	// NotFound.
	EnableTwoFactor(ctx context.Context, userID int64, secret string, codeHashes []string) error
	// DisableTwoFactor removes the secret and the recovery codes.
	DisableTwoFactor(ctx context.Context, userID int64) error
	// UseTOTPStep records that a code of step was accepted, and reports
	// false (recording nothing) if that step or a later one already was:
	// a code works once.
	UseTOTPStep(ctx context.Context, userID int64, step int64) (bool, error)
	// UseRecoveryCode spends one unused recovery code of the user and
	// reports whether there was one with that hash.
	UseRecoveryCode(ctx context.Context, userID int64, codeHash string) (bool, error)
	// RecoveryCodesLeft counts the user's unused recovery codes.
	RecoveryCodesLeft(ctx context.Context, userID int64) (int, error)

	// CreateSignInStep stores the step between a right password and the
	// code (Tries starts at 0); expired steps are deleted on the way. An
	// unknown user is NotFound.
	CreateSignInStep(ctx context.Context, st *SignInStep) error
	// SignInStep returns the step with that id hash if it has not expired
	// at now, or NotFound.
	SignInStep(ctx context.Context, idHash string, now time.Time) (*SignInStep, error)
	// FailSignInStep counts a wrong code against the step and deletes it
	// once it has had maxTries; it reports whether the step is gone.
	FailSignInStep(ctx context.Context, idHash string, maxTries int) (bool, error)
	// DeleteSignInStep deletes the step and reports whether it was there:
	// of two requests with one step, only one gets true.
	DeleteSignInStep(ctx context.Context, idHash string) (bool, error)
}

// SignInStep is a sign-in whose password was right, waiting for its
// second factor. Only a hash of the id in the person's cookie is stored.
type SignInStep struct {
	IDHash string
	UserID int64
	// Pair is the sign-in limits' (account, address) key, as text.
	Pair      string
	Next      string
	Tries     int
	ExpiresAt time.Time
}

// StaffAuthor is the author profile a new staff account starts with: its
// name as the byline, the staff label, a slug from the name (the store
// adds a number when the slug is taken). Bio and photo are filled in
// later, on the author's page in the desk.
func StaffAuthor(u *User) Author {
	a := Author{Name: u.Name, UserID: u.ID}
	a.Normalize()
	return a
}

// CheckRoleChange says whether actor may give target the role: admins
// only, a known role, and never their own (an admin cannot demote the
// last admin, themselves, by mistake).
func CheckRoleChange(actor, target *User, role Role) error {
	if actor == nil || actor.Disabled || actor.Role != RoleAdmin {
		return Errorf(Forbidden, "", "only admins change roles")
	}
	if !role.Valid() {
		return Errorf(Invalid, "role", "role must be admin, editor, correspondent or moderator")
	}
	if actor.ID == target.ID {
		return Errorf(Invalid, "role", "you cannot change your own role")
	}
	return nil
}

// CanManageSessions reports whether actor may see and end target's
// sessions and tokens: the user themselves, or an admin.
func CanManageSessions(actor, target *User) bool {
	return actor != nil && !actor.Disabled && (actor.ID == target.ID || actor.Role == RoleAdmin)
}
