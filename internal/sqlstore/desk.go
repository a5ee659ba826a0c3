package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"newsdesk/internal/newsroom"
)

var (
	_ newsroom.SessionStore = (*Store)(nil)
	_ newsroom.Scheduling   = (*Store)(nil)
)

// CreateSession stores a desk session as given.
func (s *Store) CreateSession(ctx context.Context, ss *newsroom.Session) error {
	err := s.inTx(ctx, func(tx *sql.Tx, _ time.Time) ([]string, error) {
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at, last_seen)
			VALUES ($1, $2, $3, $4, $5, $6)`, ss.IDHash, ss.UserID, ss.CSRFToken,
			s.d.timeArg(normTime(ss.CreatedAt)), s.d.timeArg(normTime(ss.ExpiresAt)), s.d.timeArg(normTime(ss.LastSeen)))
		if s.d.isForeignKey(err) {
			return nil, notFound("user")
		}
		return nil, err
	})
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// SessionByHash returns the session with that id hash, or NotFound.
func (s *Store) SessionByHash(ctx context.Context, idHash string) (*newsroom.Session, error) {
	var ss newsroom.Session
	err := s.rdb.QueryRowContext(ctx, `SELECT id_hash, user_id, csrf_token, created_at, expires_at, last_seen
		FROM sessions WHERE id_hash = $1`, idHash).Scan(&ss.IDHash, &ss.UserID, &ss.CSRFToken,
		scanTime(&ss.CreatedAt), scanTime(&ss.ExpiresAt), scanTime(&ss.LastSeen))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("session: %w", notFound("session"))
	}
	if err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	return &ss, nil
}

// TouchSession records activity on a session and moves its expiry.
func (s *Store) TouchSession(ctx context.Context, idHash string, lastSeen, expiresAt time.Time) error {
	err := s.inTx(ctx, func(tx *sql.Tx, _ time.Time) ([]string, error) {
		_, err := tx.ExecContext(ctx, "UPDATE sessions SET last_seen = $1, expires_at = $2 WHERE id_hash = $3",
			s.d.timeArg(normTime(lastSeen)), s.d.timeArg(normTime(expiresAt)), idHash)
		return nil, err
	})
	if err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

// DeleteSession removes one session.
func (s *Store) DeleteSession(ctx context.Context, idHash string) error {
	err := s.inTx(ctx, func(tx *sql.Tx, _ time.Time) ([]string, error) {
		_, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE id_hash = $1", idHash)
		return nil, err
	})
	if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions removes every session of the user but keepHash.
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64, keepHash string) error {
	err := s.inTx(ctx, func(tx *sql.Tx, _ time.Time) ([]string, error) {
		_, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2", userID, keepHash)
		return nil, err
	})
	if err != nil {
		return fmt.Errorf("delete user sessions: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions that expired before now.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx, _ time.Time) ([]string, error) {
		res, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE expires_at < $1", s.d.timeArg(normTime(now)))
		if err != nil {
			return nil, err
		}
		n, err = res.RowsAffected()
		return nil, err
	})
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	return int(n), nil
}

// SetPassword replaces the user's password hash.
func (s *Store) SetPassword(ctx context.Context, userID int64, passwordHash string) error {
	err := s.inTx(ctx, func(tx *sql.Tx, _ time.Time) ([]string, error) {
		return nil, execOne(ctx, tx, "user", "UPDATE users SET password_hash = $1 WHERE id = $2", passwordHash, userID)
	})
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	return nil
}

const inviteCols = "id, token_hash, email, role, created_by, created_at, expires_at, used_at"

func scanInvite(r interface{ Scan(...any) error }) (*newsroom.Invite, error) {
	var inv newsroom.Invite
	var role string
	var by sql.NullInt64
	if err := r.Scan(&inv.ID, &inv.TokenHash, &inv.Email, &role, &by, scanTime(&inv.CreatedAt),
		scanTime(&inv.ExpiresAt), scanTime(&inv.UsedAt)); err != nil {
		return nil, err
	}
	inv.Role, inv.CreatedBy = newsroom.Role(role), by.Int64
	return &inv, nil
}

// CreateInvite stores a new invite that passes newsroom.Invite.Validate
// (which lower-cases the e-mail), setting its ID and CreatedAt. An e-mail
// that belongs to a user already is a Conflict.
func (s *Store) CreateInvite(ctx context.Context, inv *newsroom.Invite) error {
	if err := inv.Validate(); err != nil {
		return fmt.Errorf("create invite: %w", err)
	}
	err := s.inTx(ctx, func(tx *sql.Tx, now time.Time) ([]string, error) {
		var one int
		err := tx.QueryRowContext(ctx, "SELECT 1 FROM users WHERE lower(email) = $1", inv.Email).Scan(&one)
		if err == nil {
			return nil, newsroom.Errorf(newsroom.Conflict, "email", "a user with this e-mail address already exists")
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		// One pending invite per address: a new one replaces the old.
		res, err := tx.ExecContext(ctx, "DELETE FROM invites WHERE email = $1 AND used_at IS NULL", inv.Email)
		if err != nil {
			return nil, err
		}
		if n, err := res.RowsAffected(); err != nil {
			return nil, err
		} else {
			inv.Replaced = n > 0
		}
		var by any
		if inv.CreatedBy != 0 {
			by = inv.CreatedBy
		}
		inv.CreatedAt = now
		return nil, tx.QueryRowContext(ctx, `INSERT INTO invites (token_hash, email, role, created_by, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, inv.TokenHash, inv.Email, string(inv.Role), by,
			s.d.timeArg(now), s.d.timeArg(normTime(inv.ExpiresAt))).Scan(&inv.ID)
	})
	if err != nil {
		return fmt.Errorf("create invite: %w", err)
	}
	return nil
}

// InviteByHash returns the invite with that token hash, or NotFound.
func (s *Store) InviteByHash(ctx context.Context, tokenHash string) (*newsroom.Invite, error) {
	inv, err := scanInvite(s.rdb.QueryRowContext(ctx, "SELECT "+inviteCols+" FROM invites WHERE token_hash = $1", tokenHash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("invite: %w", notFound("invite"))
	}
	if err != nil {
		return nil, fmt.Errorf("invite: %w", err)
	}
	return inv, nil
}

// Invites lists unused invites, newest first.
func (s *Store) Invites(ctx context.Context) ([]newsroom.Invite, error) {
	var out []newsroom.Invite
	err := eachRow(ctx, s.rdb, "SELECT "+inviteCols+" FROM invites WHERE used_at IS NULL ORDER BY created_at DESC, id DESC", nil,
		func(r *sql.Rows) error {
			inv, err := scanInvite(r)
			if err == nil {
				out = append(out, *inv)
			}
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("invites: %w", err)
	}
	return out, nil
}

// AcceptInvite marks the invite used and creates u with its e-mail and
// role, in one transaction. The conditional UPDATE makes a second accept of
// the same invite a Conflict even when both run at once.
func (s *Store) AcceptInvite(ctx context.Context, tokenHash string, u *newsroom.User, now time.Time) error {
	err := s.inTx(ctx, func(tx *sql.Tx, stamp time.Time) ([]string, error) {
		inv, err := scanInvite(tx.QueryRowContext(ctx, "SELECT "+inviteCols+" FROM invites WHERE token_hash = $1", tokenHash))
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("invite")
		}
		if err != nil {
			return nil, err
		}
		u.Email, u.Role = inv.Email, inv.Role
		if err := u.Validate(); err != nil {
			return nil, err
		}
		res, err := tx.ExecContext(ctx, "UPDATE invites SET used_at = $1 WHERE id = $2 AND used_at IS NULL AND expires_at > $3",
			s.d.timeArg(stamp), inv.ID, s.d.timeArg(normTime(now)))
		if err != nil {
			return nil, err
		}
		if n, err := res.RowsAffected(); err != nil {
			return nil, err
		} else if n != 1 {
			return nil, newsroom.Errorf(newsroom.Conflict, "invite", "this invitation has been used or has expired; ask for a new one")
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO users (email, name, role, password_hash, created_at, disabled)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			u.Email, u.Name, string(u.Role), u.PasswordHash, s.d.timeArg(stamp), false).Scan(&u.ID)
		if s.d.isUnique(err) {
			return nil, newsroom.Errorf(newsroom.Conflict, "email", "a user with this e-mail address already exists")
		}
		if err != nil {
			return nil, err
		}
		u.CreatedAt = stamp
		key, err := s.createStaffAuthor(ctx, tx, u)
		return []string{key}, err
	})
	if err != nil {
		return fmt.Errorf("accept invite: %w", err)
	}
	return nil
}

// NextScheduled returns the earliest scheduled article, or NotFound.
func (s *Store) NextScheduled(ctx context.Context) (*newsroom.ScheduledArticle, error) {
	var sa newsroom.ScheduledArticle
	err := s.rdb.QueryRowContext(ctx, `SELECT id, revision, scheduled_at, published_at FROM articles
		WHERE status = 'scheduled' AND scheduled_at IS NOT NULL ORDER BY scheduled_at, id LIMIT 1`).
		Scan(&sa.ID, &sa.Revision, scanTime(&sa.ScheduledAt), scanTime(&sa.PublishedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("scheduled article")
	}
	if err != nil {
		return nil, fmt.Errorf("next scheduled: %w", err)
	}
	return &sa, nil
}

// DueScheduled lists scheduled articles due at now, earliest first.
func (s *Store) DueScheduled(ctx context.Context, now time.Time) ([]newsroom.ScheduledArticle, error) {
	var out []newsroom.ScheduledArticle
	err := eachRow(ctx, s.rdb, `SELECT id, revision, scheduled_at, published_at FROM articles
		WHERE status = 'scheduled' AND scheduled_at <= $1 ORDER BY scheduled_at, id`,
		[]any{s.d.timeArg(normTime(now))}, func(r *sql.Rows) error {
			var sa newsroom.ScheduledArticle
			if err := r.Scan(&sa.ID, &sa.Revision, scanTime(&sa.ScheduledAt), scanTime(&sa.PublishedAt)); err != nil {
				return err
			}
			out = append(out, sa)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("due scheduled: %w", err)
	}
	return out, nil
}

// PublishScheduled publishes a scheduled article if it is still scheduled
// at the given revision, dated sa.PublishedAt as given (the domain decides
// it: ScheduledArticle.Publish); a zero time is Invalid. It reports whether
// this call published it.
func (s *Store) PublishScheduled(ctx context.Context, sa newsroom.ScheduledArticle) (bool, error) {
	if err := newsroom.CheckPublicationTime(sa.PublishedAt); err != nil {
		return false, fmt.Errorf("publish scheduled %d: %w", sa.ID, err)
	}
	published := false
	err := s.inTx(ctx, func(tx *sql.Tx, now time.Time) ([]string, error) {
		res, err := tx.ExecContext(ctx, `UPDATE articles SET status = 'published',
			published_at = $1, scheduled_at = NULL, updated_at = $2, revision = revision + 1
			WHERE id = $3 AND status = 'scheduled' AND revision = $4`,
			s.d.timeArg(normTime(sa.PublishedAt)), s.d.timeArg(now), sa.ID, sa.Revision)
		if err != nil {
			return nil, err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return nil, err
		}
		a, err := s.fullArticle(ctx, tx, "a.id = $1", sa.ID)
		if err != nil {
			return nil, err
		}
		a.RevisionReason = newsroom.ReasonScheduler // SavedBy stays 0: nobody
		if err := s.insertRevision(ctx, tx, a, now); err != nil {
			return nil, err
		}
		published = true
		return newsroom.ArticleKeys(a), nil
	})
	if err != nil {
		return false, fmt.Errorf("publish scheduled %d: %w", sa.ID, err)
	}
	return published, nil
}
