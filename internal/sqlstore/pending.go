package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"newsdesk/internal/newsroom"
)

// SavePending stores p, replacing the article's pending edit of its kind,
// and sets SavedAt. An unknown article is NotFound.
func (s *Store) SavePending(ctx context.Context, p *newsroom.PendingEdit) error {
	err := s.inTx(ctx, func(tx *sql.Tx, now time.Time) ([]string, error) {
		if err := s.articleExists(ctx, tx, p.ArticleID); err != nil {
			return nil, err
		}
		by := sql.NullInt64{Int64: p.SavedBy, Valid: p.SavedBy != 0}
		var sched any
		if !p.ScheduledAt.IsZero() {
			sched = s.d.timeArg(normTime(p.ScheduledAt))
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO pending_edits (article_id, kind, base_revision, form, saved_by, saved_at, scheduled_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (article_id, kind) DO UPDATE SET
			base_revision = excluded.base_revision, form = excluded.form, saved_by = excluded.saved_by,
			saved_at = excluded.saved_at, scheduled_at = excluded.scheduled_at`,
			p.ArticleID, p.Kind, p.BaseRevision, p.Form, by, s.d.timeArg(now), sched)
		if err != nil {
			return nil, err
		}
		p.SavedAt = now
		return nil, nil
	})
	if err != nil {
		return fmt.Errorf("save pending edit: %w", err)
	}
	return nil
}

const pendingColumns = `article_id, kind, base_revision, form, saved_by, saved_at, scheduled_at`

func scanPending(r interface{ Scan(...any) error }) (*newsroom.PendingEdit, error) {
	var p newsroom.PendingEdit
	var by sql.NullInt64
	if err := r.Scan(&p.ArticleID, &p.Kind, &p.BaseRevision, &p.Form, &by, scanTime(&p.SavedAt), scanTime(&p.ScheduledAt)); err != nil {
		return nil, err
	}
	p.SavedBy = by.Int64
	return &p, nil
}

// Pending returns the article's pending edit of kind, or NotFound.
func (s *Store) Pending(ctx context.Context, articleID int64, kind string) (*newsroom.PendingEdit, error) {
	p, err := scanPending(s.rdb.QueryRowContext(ctx, `SELECT `+pendingColumns+` FROM pending_edits
		WHERE article_id = $1 AND kind = $2`, articleID, kind))
	if err == sql.ErrNoRows {
		return nil, fmt.Errorf("pending edit: %w", notFound("pending edit"))
	}
	if err != nil {
		return nil, fmt.Errorf("pending edit: %w", err)
	}
	return p, nil
}

// DeletePending removes the article's pending edit of kind and reports
// whether this call removed it: a conditional delete, so of several
// callers (nodes) exactly one gets true.
func (s *Store) DeletePending(ctx context.Context, articleID int64, kind string) (bool, error) {
	res, err := s.wdb.ExecContext(ctx, `DELETE FROM pending_edits WHERE article_id = $1 AND kind = $2`, articleID, kind)
	if err != nil {
		return false, fmt.Errorf("delete pending edit: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("delete pending edit: %w", err)
	}
	return n == 1, nil
}

// DuePending lists pending edits of kind whose time is not after now,
// earliest first.
func (s *Store) DuePending(ctx context.Context, kind string, now time.Time) ([]newsroom.PendingEdit, error) {
	var out []newsroom.PendingEdit
	err := eachRow(ctx, s.rdb, `SELECT `+pendingColumns+` FROM pending_edits
		WHERE kind = $1 AND scheduled_at IS NOT NULL AND scheduled_at <= $2 ORDER BY scheduled_at, article_id`,
		[]any{kind, s.d.timeArg(normTime(now))}, func(r *sql.Rows) error {
			p, err := scanPending(r)
			if err != nil {
				return err
			}
			out = append(out, *p)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("due pending edits: %w", err)
	}
	return out, nil
}
