package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"newsdesk/internal/newsroom"
)

const userCols = "u.id, u.email, u.name, u.role, u.password_hash, u.created_at, u.disabled, u.last_sign_in_at, u.totp_secret"

func scanUser(r interface{ Scan(...any) error }) (*newsroom.User, error) {
	var u newsroom.User
	var role string
	if err := r.Scan(&u.ID, &u.Email, &u.Name, &role, &u.PasswordHash, scanTime(&u.CreatedAt), &u.Disabled, scanTime(&u.LastSignInAt), &u.TOTPSecret); err != nil {
		return nil, err
	}
	u.Role = newsroom.Role(role)
	return &u, nil
}

// CreateUser validates and stores a staff account, setting its ID and
// CreatedAt. A taken e-mail (compared case-insensitively) is a Conflict on
// "email".
func (s *Store) CreateUser(ctx context.Context, u *newsroom.User) error {
	if err := u.Validate(); err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	err := s.inTx(ctx, func(tx *sql.Tx, now time.Time) ([]string, error) {
		err := tx.QueryRowContext(ctx, `INSERT INTO users (email, name, role, password_hash, created_at, disabled)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			u.Email, u.Name, string(u.Role), u.PasswordHash, s.d.timeArg(now), u.Disabled).Scan(&u.ID)
		if s.d.isUnique(err) {
			return nil, newsroom.Errorf(newsroom.Conflict, "email", "a user with this e-mail address already exists")
		}
		if err != nil {
			return nil, err
		}
		u.CreatedAt = now
		key, err := s.createStaffAuthor(ctx, tx, u)
		return []string{key}, err
	})
	if err != nil {
		u.ID = 0
		return fmt.Errorf("create user: %w", err)
	}
	return nil
}

// UserByEmail returns the user with that e-mail (case-insensitive) or a
// NotFound error.
func (s *Store) UserByEmail(ctx context.Context, email string) (*newsroom.User, error) {
	u, err := s.user(ctx, "u.email = $1", newsroom.NormalizeEmail(email))
	if err != nil {
		return nil, fmt.Errorf("user by email: %w", err)
	}
	return u, nil
}

// UserByID returns the user with id or a NotFound error.
func (s *Store) UserByID(ctx context.Context, id int64) (*newsroom.User, error) {
	u, err := s.user(ctx, "u.id = $1", id)
	if err != nil {
		return nil, fmt.Errorf("user by id: %w", err)
	}
	return u, nil
}

func (s *Store) user(ctx context.Context, cond string, arg any) (*newsroom.User, error) {
	u, err := scanUser(s.rdb.QueryRowContext(ctx, "SELECT "+userCols+" FROM users u WHERE "+cond, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("user")
	}
	return u, err
}

// ListUsers returns all users by name, ignoring case.
func (s *Store) ListUsers(ctx context.Context) ([]newsroom.User, error) {
	var out []newsroom.User
	err := eachRow(ctx, s.rdb, "SELECT "+userCols+" FROM users u ORDER BY lower(u.name), u.name, u.id", nil, func(r *sql.Rows) error {
		u, err := scanUser(r)
		if err != nil {
			return err
		}
		out = append(out, *u)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return out, nil
}

// CountUsers returns the number of users.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := s.rdb.QueryRowContext(ctx, "SELECT count(*) FROM users").Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

// CreateToken stores the hash of a new API token for the user. An unknown
// user is a NotFound error; a hash already stored is a Conflict.
func (s *Store) CreateToken(ctx context.Context, userID int64, tokenHash string) error {
	if err := newsroom.CheckTokenHash(tokenHash); err != nil {
		return fmt.Errorf("create token: %w", err)
	}
	err := s.inTx(ctx, func(tx *sql.Tx, now time.Time) ([]string, error) {
		_, err := tx.ExecContext(ctx, `INSERT INTO api_tokens (user_id, token_hash, created_at)
			VALUES ($1, $2, $3)`, userID, tokenHash, s.d.timeArg(now))
		switch {
		case s.d.isForeignKey(err):
			return nil, notFound("user")
		case s.d.isUnique(err):
			return nil, newsroom.Errorf(newsroom.Conflict, "token", "this token is already stored")
		}
		return nil, err
	})
	if err != nil {
		return fmt.Errorf("create token: %w", err)
	}
	return nil
}

// UserByToken returns the user owning the token hash, or an Unauthorized
// error if there is none or the user is disabled.
func (s *Store) UserByToken(ctx context.Context, tokenHash string) (*newsroom.User, error) {
	u, err := scanUser(s.rdb.QueryRowContext(ctx, "SELECT "+userCols+` FROM api_tokens t
		JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1`, tokenHash))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && u.Disabled) {
		return nil, fmt.Errorf("user by token: %w",
			newsroom.Errorf(newsroom.Unauthorized, "", "the API token is not valid"))
	}
	if err != nil {
		return nil, fmt.Errorf("user by token: %w", err)
	}
	return u, nil
}

// Setting returns the value stored for key, or "" if it is unset.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.rdb.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = $1", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("setting %q: %w", key, err)
	}
	return v, nil
}

// SetSetting stores value under key, replacing any earlier value. Every
// page may show settings, so the change invalidates them all ("site").
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	if err := newsroom.CheckSettingKey(key); err != nil {
		return fmt.Errorf("set setting: %w", err)
	}
	err := s.inTx(ctx, func(tx *sql.Tx, _ time.Time) ([]string, error) {
		_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
		return []string{"site", "setting:" + key}, err
	})
	if err != nil {
		return fmt.Errorf("set setting %q: %w", key, err)
	}
	return nil
}

// SettingOnce stores value under key unless the key already has one, and
// returns the value that stands: of several nodes starting at once, the
// first to write wins and every one returns its value. It reads the
// primary and, since nothing a page shows changes, announces nothing.
func (s *Store) SettingOnce(ctx context.Context, key, value string) (string, error) {
	if err := newsroom.CheckSettingKey(key); err != nil {
		return "", fmt.Errorf("setting once: %w", err)
	}
	var v string
	err := s.inTx(ctx, func(tx *sql.Tx, _ time.Time) ([]string, error) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2)
			ON CONFLICT (key) DO NOTHING`, key, value); err != nil {
			return nil, err
		}
		return nil, tx.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = $1", key).Scan(&v)
	})
	if err != nil {
		return "", fmt.Errorf("setting once %q: %w", key, err)
	}
	return v, nil
}

// AddShares adds share clicks counted in memory, in one transaction, and
// announces nothing (see newsroom.Shares).
func (s *Store) AddShares(ctx context.Context, counts map[newsroom.ShareKey]int) error {
	ids := make([]any, 0, len(counts))
	seen := map[int64]bool{}
	for k := range counts {
		if err := newsroom.CheckNetwork(k.Network); err != nil {
			return fmt.Errorf("add shares: %w", err)
		}
		if !seen[k.ArticleID] {
			seen[k.ArticleID] = true
			ids = append(ids, k.ArticleID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	err := s.inTx(ctx, func(tx *sql.Tx, _ time.Time) ([]string, error) {
		live := map[int64]bool{}
		for start := 0; start < len(ids); start += 500 {
			chunk := ids[start:min(start+500, len(ids))]
			err := eachRow(ctx, tx, "SELECT id FROM articles WHERE id IN ("+placeholders(1, len(chunk))+")", chunk,
				func(r *sql.Rows) error {
					var id int64
					err := r.Scan(&id)
					live[id] = true
					return err
				})
			if err != nil {
				return nil, err
			}
		}
		// Rows in one order (article, network), as AddViews: nodes
		// flushing at once wait for each other rather than deadlock.
		keys := slices.SortedFunc(maps.Keys(counts), func(a, b newsroom.ShareKey) int {
			return cmp.Or(cmp.Compare(a.ArticleID, b.ArticleID), strings.Compare(a.Network, b.Network))
		})
		for _, k := range keys {
			n := counts[k]
			if n <= 0 || !live[k.ArticleID] {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO article_shares (article_id, network, count) VALUES ($1, $2, $3)
				ON CONFLICT (article_id, network) DO UPDATE SET count = article_shares.count + excluded.count`, k.ArticleID, k.Network, n); err != nil {
				return nil, err
			}
		}
		return nil, nil // counts on cached pages may lag: no page is dropped
	})
	if err != nil {
		return fmt.Errorf("add shares: %w", err)
	}
	return nil
}
