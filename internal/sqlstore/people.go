package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"newsdesk/internal/newsroom"
)

var _ newsroom.People = (*Store)(nil)

// SetUserRole changes the user's role.
func (s *Store) SetUserRole(ctx context.Context, userID int64, role newsroom.Role) error {
	if !role.Valid() {
		return fmt.Errorf("set user role: %w", newsroom.Errorf(newsroom.Invalid, "role", "role must be admin, editor, correspondent or moderator"))
	}
	err := s.inTx(ctx, func(tx *sql.Tx, _ time.Time) ([]string, error) {
		return nil, execOne(ctx, tx, "user", "UPDATE users SET role = $1 WHERE id = $2", string(role), userID)
	})
	if err != nil {
		return fmt.Errorf("set user role: %w", err)
	}
	return nil
}

// RecordSignIn stores the user's last sign-in time. It touches no page.
func (s *Store) RecordSignIn(ctx context.Context, userID int64, at time.Time) error {
	if _, err := s.wdb.ExecContext(ctx, "UPDATE users SET last_sign_in_at = $1 WHERE id = $2",
		s.d.timeArg(normTime(at)), userID); err != nil {
		return fmt.Errorf("record sign-in: %w", err)
	}
	return nil
}

// UserSessions lists the user's sessions, the most recently seen first.
func (s *Store) UserSessions(ctx context.Context, userID int64) ([]newsroom.Session, error) {
	var out []newsroom.Session
	err := eachRow(ctx, s.rdb, `SELECT id_hash, user_id, csrf_token, created_at, expires_at, last_seen
		FROM sessions WHERE user_id = $1 ORDER BY last_seen DESC, created_at DESC`, []any{userID}, func(r *sql.Rows) error {
		var ss newsroom.Session
		err := r.Scan(&ss.IDHash, &ss.UserID, &ss.CSRFToken, scanTime(&ss.CreatedAt), scanTime(&ss.ExpiresAt), scanTime(&ss.LastSeen))
		out = append(out, ss)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("user sessions: %w", err)
	}
	return out, nil
}

// RevokeInvite deletes an unused invite.
func (s *Store) RevokeInvite(ctx context.Context, id int64) error {
	err := s.inTx(ctx, func(tx *sql.Tx, _ time.Time) ([]string, error) {
		return nil, execOne(ctx, tx, "invite", "DELETE FROM invites WHERE id = $1 AND used_at IS NULL", id)
	})
	if err != nil {
		return fmt.Errorf("revoke invite: %w", err)
	}
	return nil
}

// RenewInvite gives an unused invite a new token hash and expiry.
func (s *Store) RenewInvite(ctx context.Context, id int64, tokenHash string, expiresAt time.Time) (*newsroom.Invite, error) {
	if err := newsroom.CheckTokenHash(tokenHash); err != nil {
		return nil, fmt.Errorf("renew invite: %w", err)
	}
	var inv *newsroom.Invite
	err := s.inTx(ctx, func(tx *sql.Tx, _ time.Time) ([]string, error) {
		if err := execOne(ctx, tx, "invite", "UPDATE invites SET token_hash = $1, expires_at = $2 WHERE id = $3 AND used_at IS NULL",
			tokenHash, s.d.timeArg(normTime(expiresAt)), id); err != nil {
			return nil, err
		}
		var err error
		inv, err = scanInvite(tx.QueryRowContext(ctx, "SELECT "+inviteCols+" FROM invites WHERE id = $1", id))
		return nil, err
	})
	if err != nil {
		return nil, fmt.Errorf("renew invite: %w", err)
	}
	return inv, nil
}

// CreatePasswordReset stores a reset link's hash; the user's earlier
// unused ones are deleted.
func (s *Store) CreatePasswordReset(ctx context.Context, r *newsroom.PasswordReset) error {
	if err := newsroom.CheckTokenHash(r.TokenHash); err != nil {
		return fmt.Errorf("create password reset: %w", err)
	}
	err := s.inTx(ctx, func(tx *sql.Tx, now time.Time) ([]string, error) {
		if _, err := tx.ExecContext(ctx, "DELETE FROM password_resets WHERE user_id = $1 AND used_at IS NULL", r.UserID); err != nil {
			return nil, err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
			r.TokenHash, r.UserID, s.d.timeArg(now), s.d.timeArg(normTime(r.ExpiresAt)))
		switch {
		case s.d.isForeignKey(err):
			return nil, notFound("user")
		case s.d.isUnique(err):
			return nil, newsroom.Errorf(newsroom.Conflict, "token", "this token is already stored")
		}
		r.CreatedAt = now
		return nil, err
	})
	if err != nil {
		return fmt.Errorf("create password reset: %w", err)
	}
	return nil
}

// UsePasswordReset sets a new password through a reset link, once.
func (s *Store) UsePasswordReset(ctx context.Context, tokenHash, passwordHash string, now time.Time) (*newsroom.User, error) {
	var u *newsroom.User
	err := s.inTx(ctx, func(tx *sql.Tx, stamp time.Time) ([]string, error) {
		var userID int64
		err := tx.QueryRowContext(ctx, `UPDATE password_resets SET used_at = $1
			WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $3 RETURNING user_id`,
			s.d.timeArg(stamp), tokenHash, s.d.timeArg(normTime(now))).Scan(&userID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, newsroom.Errorf(newsroom.NotFound, "token", "this link has been used or has expired; ask for a new one")
		}
		if err != nil {
			return nil, err
		}
		if err := execOne(ctx, tx, "user", "UPDATE users SET password_hash = $1 WHERE id = $2", passwordHash, userID); err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = $1", userID); err != nil {
			return nil, err
		}
		u, err = scanUser(tx.QueryRowContext(ctx, "SELECT "+userCols+" FROM users u WHERE u.id = $1", userID))
		return nil, err
	})
	if err != nil {
		return nil, fmt.Errorf("use password reset: %w", err)
	}
	return u, nil
}

// createStaffAuthor gives a new staff account its author profile, in the
// account's own transaction (every staff account has one): the name as
// the byline, the staff label, a slug from the name made unique with a
// number. It returns the profile's change key.
func (s *Store) createStaffAuthor(ctx context.Context, tx *sql.Tx, u *newsroom.User) (string, error) {
	a := newsroom.StaffAuthor(u)
	base := a.Slug
	for n := 2; ; n++ {
		var one int
		err := tx.QueryRowContext(ctx, "SELECT 1 FROM authors WHERE slug = $1", a.Slug).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			break
		}
		if err != nil {
			return "", err
		}
		a.Slug = fmt.Sprintf("%s-%d", base, n)
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO authors (slug, name, label, bio, photo_url, user_id)
		VALUES ($1, $2, $3, '', '', $4) RETURNING id`, a.Slug, a.Name, a.Label, u.ID).Scan(&a.ID); err != nil {
		return "", err
	}
	return fmt.Sprintf("author:%d", a.ID), nil
}

// AuthorByUserID returns the author profile of a staff account, or
// NotFound.
func (s *Store) AuthorByUserID(ctx context.Context, userID int64) (*newsroom.Author, error) {
	var id int64
	err := s.rdb.QueryRowContext(ctx, "SELECT id FROM authors WHERE user_id = $1 ORDER BY id LIMIT 1", userID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("author by user: %w", notFound("author"))
	}
	if err != nil {
		return nil, fmt.Errorf("author by user: %w", err)
	}
	return s.AuthorByID(ctx, id)
}

var _ newsroom.TwoFactorStore = (*Store)(nil)

// EnableTwoFactor stores the secret and the recovery codes' hashes.
func (s *Store) EnableTwoFactor(ctx context.Context, userID int64, secret string, codeHashes []string) error {
	err := s.inTx(ctx, func(tx *sql.Tx, _ time.Time) ([]string, error) {
		if err := execOne(ctx, tx, "user", "UPDATE users SET totp_secret = $1, totp_step = 0 WHERE id = $2", secret, userID); err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM recovery_codes WHERE user_id = $1", userID); err != nil {
			return nil, err
		}
		for _, h := range codeHashes {
			if _, err := tx.ExecContext(ctx, "INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)", userID, h); err != nil {
				return nil, err
			}
		}
		return nil, nil
	})
	if err != nil {
		return fmt.Errorf("enable two-factor: %w", err)
	}
	return nil
}

// DisableTwoFactor removes the secret and the recovery codes.
func (s *Store) DisableTwoFactor(ctx context.Context, userID int64) error {
	err := s.inTx(ctx, func(tx *sql.Tx, _ time.Time) ([]string, error) {
		if err := execOne(ctx, tx, "user", "UPDATE users SET totp_secret = '', totp_step = 0 WHERE id = $1", userID); err != nil {
			return nil, err
		}
		_, err := tx.ExecContext(ctx, "DELETE FROM recovery_codes WHERE user_id = $1", userID)
		return nil, err
	})
	if err != nil {
		return fmt.Errorf("disable two-factor: %w", err)
	}
	return nil
}

// UseTOTPStep records an accepted step, once.
func (s *Store) UseTOTPStep(ctx context.Context, userID int64, step int64) (bool, error) {
	res, err := s.wdb.ExecContext(ctx, "UPDATE users SET totp_step = $1 WHERE id = $2 AND totp_step < $1", step, userID)
	if err != nil {
		return false, fmt.Errorf("use totp step: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// UseRecoveryCode spends one unused recovery code.
func (s *Store) UseRecoveryCode(ctx context.Context, userID int64, codeHash string) (bool, error) {
	res, err := s.wdb.ExecContext(ctx, "UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
		s.d.timeArg(s.now()), userID, codeHash)
	if err != nil {
		return false, fmt.Errorf("use recovery code: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// RecoveryCodesLeft counts the user's unused recovery codes.
func (s *Store) RecoveryCodesLeft(ctx context.Context, userID int64) (int, error) {
	var n int
	if err := s.rdb.QueryRowContext(ctx, "SELECT count(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL", userID).Scan(&n); err != nil {
		return 0, fmt.Errorf("recovery codes left: %w", err)
	}
	return n, nil
}

// CreateSignInStep stores a two-factor sign-in's pending step and deletes
// expired ones.
func (s *Store) CreateSignInStep(ctx context.Context, st *newsroom.SignInStep) error {
	if err := newsroom.CheckTokenHash(st.IDHash); err != nil {
		return fmt.Errorf("create sign-in step: %w", err)
	}
	err := s.inTx(ctx, func(tx *sql.Tx, now time.Time) ([]string, error) {
		if _, err := tx.ExecContext(ctx, "DELETE FROM sign_in_steps WHERE expires_at <= $1", s.d.timeArg(now)); err != nil {
			return nil, err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO sign_in_steps (id_hash, user_id, pair, next, tries, expires_at) VALUES ($1, $2, $3, $4, 0, $5)`,
			st.IDHash, st.UserID, st.Pair, st.Next, s.d.timeArg(normTime(st.ExpiresAt)))
		switch {
		case s.d.isForeignKey(err):
			return nil, notFound("user")
		case s.d.isUnique(err):
			return nil, newsroom.Errorf(newsroom.Conflict, "id", "this sign-in step is already stored")
		}
		st.Tries = 0
		return nil, err
	})
	if err != nil {
		return fmt.Errorf("create sign-in step: %w", err)
	}
	return nil
}

// SignInStep returns an unexpired pending step.
func (s *Store) SignInStep(ctx context.Context, idHash string, now time.Time) (*newsroom.SignInStep, error) {
	st := &newsroom.SignInStep{IDHash: idHash}
	err := s.wdb.QueryRowContext(ctx, `SELECT user_id, pair, next, tries, expires_at FROM sign_in_steps
		WHERE id_hash = $1 AND expires_at > $2`, idHash, s.d.timeArg(normTime(now))).
		Scan(&st.UserID, &st.Pair, &st.Next, &st.Tries, scanTime(&st.ExpiresAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("sign-in step")
	}
	if err != nil {
		return nil, fmt.Errorf("sign-in step: %w", err)
	}
	return st, nil
}

// FailSignInStep counts a wrong code; the step goes at maxTries.
func (s *Store) FailSignInStep(ctx context.Context, idHash string, maxTries int) (bool, error) {
	var tries int
	err := s.wdb.QueryRowContext(ctx, "UPDATE sign_in_steps SET tries = tries + 1 WHERE id_hash = $1 RETURNING tries", idHash).Scan(&tries)
	if errors.Is(err, sql.ErrNoRows) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("fail sign-in step: %w", err)
	}
	if tries < maxTries {
		return false, nil
	}
	if _, err := s.DeleteSignInStep(ctx, idHash); err != nil {
		return false, err
	}
	return true, nil
}

// DeleteSignInStep deletes a step; true for the one caller that did.
func (s *Store) DeleteSignInStep(ctx context.Context, idHash string) (bool, error) {
	res, err := s.wdb.ExecContext(ctx, "DELETE FROM sign_in_steps WHERE id_hash = $1", idHash)
	if err != nil {
		return false, fmt.Errorf("delete sign-in step: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
