package newsroom

import (
	"context"
	"net/mail"
	"strings"
	"time"
)

// Role is what a staff member may do.
type Role string

const (
	RoleAdmin         Role = "admin"         // everything, including users and settings
	RoleEditor        Role = "editor"        // edit and publish anything, moderate
	RoleCorrespondent Role = "correspondent" // write own drafts, submit for review
	RoleModerator     Role = "moderator"     // comments and error reports only
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	switch r {
	case RoleAdmin, RoleEditor, RoleCorrespondent, RoleModerator:
		return true
	}
	return false
}

// CanPublish reports whether the role may publish or schedule any article.
func (r Role) CanPublish() bool { return r == RoleAdmin || r == RoleEditor }

// CanWrite reports whether the role may create and edit articles.
func (r Role) CanWrite() bool { return r != RoleModerator && r.Valid() }

// CanModerate reports whether the role may handle comments and error reports.
func (r Role) CanModerate() bool {
	return r == RoleAdmin || r == RoleEditor || r == RoleModerator
}

// User is a member of staff who signs in to the desk or uses the API.
type User struct {
	ID           int64     `json:"id"`
	Email        string    `json:"email"`
	Name         string    `json:"name"`
	Role         Role      `json:"role"`
	PasswordHash string    `json:"-"`
	CreatedAt    time.Time `json:"created_at"`
	Disabled     bool      `json:"disabled"`
	// LastSignInAt is the user's latest sign-in to the desk (zero: never).
	LastSignInAt time.Time `json:"last_sign_in_at,omitzero"`
	// TOTPSecret is the account's second-factor secret ("": none). It is
	// never shown again after enrolment.
	TOTPSecret string `json:"-"`
}

// TwoFactor reports whether the account signs in with a second factor.
func (u *User) TwoFactor() bool { return u.TOTPSecret != "" }

// NeedsTwoFactor reports whether the account must enrol a second factor
// before using the desk, when the site requires one: admins and editors.
func (u *User) NeedsTwoFactor(required bool) bool {
	return required && !u.TwoFactor() && (u.Role == RoleAdmin || u.Role == RoleEditor)
}

// CheckTokenHash returns an Invalid error on "token" for an empty hash of
// an API token or invite token.
func CheckTokenHash(h string) error {
	if h == "" {
		return Errorf(Invalid, "token", "token hash is empty")
	}
	return nil
}

// NormalizeEmail is how e-mail addresses are kept and compared: trimmed
// and lower-cased.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Validate checks the user's own fields.
func (u *User) Validate() error {
	u.Email = NormalizeEmail(u.Email)
	u.Name = strings.TrimSpace(u.Name)
	if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email {
		return Errorf(Invalid, "email", "e-mail address is not valid")
	}
	if u.Name == "" {
		return Errorf(Invalid, "name", "name is required")
	}
	if !u.Role.Valid() {
		return Errorf(Invalid, "role", "role must be admin, editor, correspondent or moderator")
	}
	return nil
}

// Users stores staff accounts and API tokens. Secrets are stored hashed;
// callers hash before calling.
type Users interface {
	CreateUser(ctx context.Context, u *User) error // Conflict on a taken e-mail
	UserByEmail(ctx context.Context, email string) (*User, error)
	UserByID(ctx context.Context, id int64) (*User, error)
	ListUsers(ctx context.Context) ([]User, error)
	CountUsers(ctx context.Context) (int, error)
	// CreateToken stores the hash of a new API token for the user.
	CreateToken(ctx context.Context, userID int64, tokenHash string) error
	// UserByToken returns the user owning the token hash, or Unauthorized.
	// It does not judge expiry; the API authenticates with
	// TokenStore.TokenByHash.
	UserByToken(ctx context.Context, tokenHash string) (*User, error)
	// SetUserDisabled disables or enables an account. Disabling ends the
	// user's sessions and deletes their API tokens in the same
	// transaction, so nothing they held works a moment later. Unknown
	// users are NotFound.
	SetUserDisabled(ctx context.Context, userID int64, disabled bool) error
}
