package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"newsdesk/internal/newsroom"
)

var _ newsroom.ImportLedger = (*Store)(nil)

// ImportedItem returns the ledger record for an imported item, or NotFound.
func (s *Store) ImportedItem(ctx context.Context, site, kind, sourceID string) (*newsroom.ImportedItem, error) {
	it := &newsroom.ImportedItem{Site: site, Kind: kind, SourceID: sourceID}
	err := s.rdb.QueryRowContext(ctx, `SELECT local_id, digest, email, imported_at FROM wordpress_items
		WHERE site = $1 AND kind = $2 AND wp_id = $3`, site, kind, sourceID).
		Scan(&it.LocalID, &it.Digest, &it.Email, scanTime(&it.ImportedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, newsroom.Errorf(newsroom.NotFound, "", "%s %s of %s was not imported", kind, sourceID, site)
	}
	if err != nil {
		return nil, fmt.Errorf("imported item: %w", err)
	}
	return it, nil
}

// ImportedItems returns every ledger record of a kind from a site.
func (s *Store) ImportedItems(ctx context.Context, site, kind string) (map[string]newsroom.ImportedItem, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT wp_id, local_id, digest, email, imported_at FROM wordpress_items
		WHERE site = $1 AND kind = $2`, site, kind)
	if err != nil {
		return nil, fmt.Errorf("imported items: %w", err)
	}
	defer rows.Close()
	out := map[string]newsroom.ImportedItem{}
	for rows.Next() {
		it := newsroom.ImportedItem{Site: site, Kind: kind}
		if err := rows.Scan(&it.SourceID, &it.LocalID, &it.Digest, &it.Email, scanTime(&it.ImportedAt)); err != nil {
			return nil, fmt.Errorf("imported items: %w", err)
		}
		out[it.SourceID] = it
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("imported items: %w", err)
	}
	return out, nil
}

// RecordImport stores or replaces a ledger record.
func (s *Store) RecordImport(ctx context.Context, it *newsroom.ImportedItem) error {
	err := s.inTx(ctx, func(tx *sql.Tx, now time.Time) ([]string, error) {
		_, err := tx.ExecContext(ctx, `INSERT INTO wordpress_items (site, kind, wp_id, local_id, digest, email, imported_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (site, kind, wp_id) DO UPDATE SET local_id = excluded.local_id,
				digest = excluded.digest, email = excluded.email, imported_at = excluded.imported_at`,
			it.Site, it.Kind, it.SourceID, it.LocalID, it.Digest, it.Email, s.d.timeArg(now))
		it.ImportedAt = now
		return nil, err
	})
	if err != nil {
		return fmt.Errorf("record import: %w", err)
	}
	return nil
}

// ImportComment stores a comment with the dates it had on the old site.
func (s *Store) ImportComment(ctx context.Context, c *newsroom.Comment) error {
	if !c.Status.Valid() {
		return fmt.Errorf("import comment: %w", newsroom.Errorf(newsroom.Invalid, "status", "unknown comment status %q", c.Status))
	}
	err := s.inTx(ctx, func(tx *sql.Tx, now time.Time) ([]string, error) {
		if c.CreatedAt.IsZero() {
			c.CreatedAt = now
		}
		at := normTime(c.CreatedAt)
		if err := s.articleExists(ctx, tx, c.ArticleID); err != nil {
			return nil, err
		}
		if c.ParentID != 0 {
			var depth int
			err := tx.QueryRowContext(ctx, "SELECT depth FROM comments WHERE id = $1 AND article_id = $2", c.ParentID, c.ArticleID).Scan(&depth)
			if errors.Is(err, sql.ErrNoRows) {
				return nil, newsroom.Errorf(newsroom.Invalid, "parent_id", "the comment replied to does not exist")
			}
			if err != nil {
				return nil, err
			}
			c.Depth = depth + 1
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO comments (article_id, parent_id, depth, status,
			name, email, website, body, body_html, ip, user_agent, user_id, staff, author_key,
			created_at, updated_at, status_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $15)
			RETURNING id`,
			c.ArticleID, nullID(c.ParentID), c.Depth, string(c.Status), c.Name, c.Email, c.Website,
			c.Body, c.BodyHTML, c.IP, c.UserAgent, nullID(c.UserID), c.Staff, c.AuthorKey,
			s.d.timeArg(at)).Scan(&c.ID)
		if err != nil {
			return nil, err
		}
		c.CreatedAt, c.UpdatedAt, c.StatusAt = at, at, at
		if c.Status != newsroom.CommentApproved {
			return nil, nil
		}
		return s.bump(ctx, tx, map[int64]int{c.ArticleID: 1})
	})
	if err != nil {
		return fmt.Errorf("import comment: %w", err)
	}
	return nil
}
