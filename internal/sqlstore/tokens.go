package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"newsdesk/internal/newsroom"
)

var _ newsroom.TokenStore = (*Store)(nil)

const tokenCols = "t.id, t.user_id, t.token_hash, t.created_at, t.expires_at, t.last_used_at, " + userCols

func scanToken(r interface{ Scan(...any) error }) (*newsroom.APIToken, error) {
	var t newsroom.APIToken
	var u newsroom.User
	var role string
	if err := r.Scan(&t.ID, &t.UserID, &t.Hash, scanTime(&t.CreatedAt), scanTime(&t.ExpiresAt), scanTime(&t.LastUsedAt),
		&u.ID, &u.Email, &u.Name, &role, &u.PasswordHash, scanTime(&u.CreatedAt), &u.Disabled, scanTime(&u.LastSignInAt), &u.TOTPSecret); err != nil {
		return nil, err
	}
	u.Role = newsroom.Role(role)
	t.User = &u
	return &t, nil
}

// IssueToken stores a new API token (its hash) with its expiry and sets
// ID and CreatedAt.
func (s *Store) IssueToken(ctx context.Context, t *newsroom.APIToken) error {
	if t.Hash == "" {
		return fmt.Errorf("issue token: %w", newsroom.Errorf(newsroom.Invalid, "token", "token hash is empty"))
	}
	err := s.inTx(ctx, func(tx *sql.Tx, now time.Time) ([]string, error) {
		err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, token_hash, created_at, expires_at)
			VALUES ($1, $2, $3, $4) RETURNING id`, t.UserID, t.Hash, s.d.timeArg(now), s.d.timeArg(normTime(t.ExpiresAt))).Scan(&t.ID)
		switch {
		case s.d.isForeignKey(err):
			return nil, notFound("user")
		case s.d.isUnique(err):
			return nil, newsroom.Errorf(newsroom.Conflict, "token", "this token is already stored")
		case err != nil:
			return nil, err
		}
		t.CreatedAt = now
		return nil, nil
	})
	if err != nil {
		return fmt.Errorf("issue token: %w", err)
	}
	return nil
}

// TokenByHash returns the token with that hash and its owner, or NotFound.
func (s *Store) TokenByHash(ctx context.Context, hash string) (*newsroom.APIToken, error) {
	t, err := scanToken(s.rdb.QueryRowContext(ctx, "SELECT "+tokenCols+` FROM api_tokens t
		JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("token by hash: %w", notFound("token"))
	}
	if err != nil {
		return nil, fmt.Errorf("token by hash: %w", err)
	}
	return t, nil
}

// Tokens lists the tokens of a user (0: everyone's), newest first.
func (s *Store) Tokens(ctx context.Context, userID int64) ([]newsroom.APIToken, error) {
	q := "SELECT " + tokenCols + " FROM api_tokens t JOIN users u ON u.id = t.user_id"
	var args []any
	if userID != 0 {
		q += " WHERE t.user_id = $1"
		args = append(args, userID)
	}
	var out []newsroom.APIToken
	err := eachRow(ctx, s.rdb, q+" ORDER BY t.created_at DESC, t.id DESC", args, func(r *sql.Rows) error {
		t, err := scanToken(r)
		if err != nil {
			return err
		}
		out = append(out, *t)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("tokens: %w", err)
	}
	return out, nil
}

// TouchToken records a use of the token. It touches no page, so it
// notifies nothing.
func (s *Store) TouchToken(ctx context.Context, id int64, at time.Time) error {
	if _, err := s.wdb.ExecContext(ctx, "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2",
		s.d.timeArg(normTime(at)), id); err != nil {
		return fmt.Errorf("touch token: %w", err)
	}
	return nil
}

// RevokeToken deletes one token; an unknown id is NotFound.
func (s *Store) RevokeToken(ctx context.Context, id int64) error {
	err := s.inTx(ctx, func(tx *sql.Tx, _ time.Time) ([]string, error) {
		return nil, execOne(ctx, tx, "token", "DELETE FROM api_tokens WHERE id = $1", id)
	})
	if err != nil {
		return fmt.Errorf("revoke token: %w", err)
	}
	return nil
}

// RevokeUserTokens deletes every token of the user.
func (s *Store) RevokeUserTokens(ctx context.Context, userID int64) (int, error) {
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx, _ time.Time) ([]string, error) {
		res, err := tx.ExecContext(ctx, "DELETE FROM api_tokens WHERE user_id = $1", userID)
		if err != nil {
			return nil, err
		}
		n, err = res.RowsAffected()
		return nil, err
	})
	if err != nil {
		return 0, fmt.Errorf("revoke user tokens: %w", err)
	}
	return int(n), nil
}

// SetUserDisabled disables or enables the account; disabling deletes the
// user's sessions and API tokens in the same transaction.
func (s *Store) SetUserDisabled(ctx context.Context, userID int64, disabled bool) error {
	err := s.inTx(ctx, func(tx *sql.Tx, _ time.Time) ([]string, error) {
		if err := execOne(ctx, tx, "user", "UPDATE users SET disabled = $1 WHERE id = $2", disabled, userID); err != nil {
			return nil, err
		}
		if !disabled {
			return nil, nil
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = $1", userID); err != nil {
			return nil, err
		}
		_, err := tx.ExecContext(ctx, "DELETE FROM api_tokens WHERE user_id = $1", userID)
		return nil, err
	})
	if err != nil {
		return fmt.Errorf("set user disabled: %w", err)
	}
	return nil
}
