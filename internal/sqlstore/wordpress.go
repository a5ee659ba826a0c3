package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
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

// ImportedItemsOf returns the ledger records of a kind from a site whose
// source ids are among ids.
func (s *Store) ImportedItemsOf(ctx context.Context, site, kind string, ids []string) (map[string]newsroom.ImportedItem, error) {
	out := map[string]newsroom.ImportedItem{}
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 500)]
		ids = ids[len(chunk):]
		args := []any{site, kind}
		for _, id := range chunk {
			args = append(args, id)
		}
		err := eachRow(ctx, s.rdb, `SELECT wp_id, local_id, digest, email, imported_at FROM wordpress_items
			WHERE site = $1 AND kind = $2 AND wp_id IN (`+placeholders(3, len(chunk))+`)`, args, func(rows *sql.Rows) error {
			it := newsroom.ImportedItem{Site: site, Kind: kind}
			if err := rows.Scan(&it.SourceID, &it.LocalID, &it.Digest, &it.Email, scanTime(&it.ImportedAt)); err != nil {
				return err
			}
			out[it.SourceID] = it
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("imported items: %w", err)
		}
	}
	return out, nil
}

// ImportComment stores a comment with the dates it had on the old site.
func (s *Store) ImportComment(ctx context.Context, c *newsroom.Comment) error {
	if err := c.Status.Check(); err != nil {
		return fmt.Errorf("import comment: %w", err)
	}
	err := s.inTx(ctx, func(tx *sql.Tx, now time.Time) ([]string, error) {
		if err := s.articleExists(ctx, tx, c.ArticleID); err != nil {
			return nil, err
		}
		if err := s.importComment(ctx, tx, c, now); err != nil {
			return nil, err
		}
		return s.countApproved(ctx, tx, c)
	})
	if err != nil {
		return fmt.Errorf("import comment: %w", err)
	}
	return nil
}

// ImportBatch stores one post's new comments and ledger records in one
// transaction.
func (s *Store) ImportBatch(ctx context.Context, b *newsroom.ImportBatch) error {
	for i, ci := range b.Comments {
		if !ci.Comment.Status.Valid() {
			return fmt.Errorf("import batch: %w", newsroom.Errorf(newsroom.Invalid, fmt.Sprintf("comments[%d].status", i), "unknown comment status %q", ci.Comment.Status))
		}
		if ci.Parent < 0 || ci.Parent > i {
			return fmt.Errorf("import batch: %w", newsroom.Errorf(newsroom.Invalid, fmt.Sprintf("comments[%d].parent", i), "a reply must follow the comment it replies to"))
		}
	}
	err := s.inTx(ctx, func(tx *sql.Tx, now time.Time) ([]string, error) {
		approved := map[int64]int{}
		checked := map[int64]bool{}
		var records []newsroom.ImportedItem
		record := func(it newsroom.ImportedItem) error {
			records = append(records, it)
			return nil
		}
		// Each statement is parsed once for the whole batch.
		cs := s.newCommentStmts(tx)
		defer cs.close()
		for _, ci := range b.Comments {
			c := ci.Comment
			if !checked[c.ArticleID] {
				if err := s.articleExists(ctx, tx, c.ArticleID); err != nil {
					return nil, err
				}
				checked[c.ArticleID] = true
			}
			if ci.Parent > 0 {
				c.ParentID = b.Comments[ci.Parent-1].Comment.ID
			}
			if err := s.importCommentWith(ctx, tx, cs, c, now); err != nil {
				return nil, err
			}
			if c.Status == newsroom.CommentApproved {
				approved[c.ArticleID]++
			}
			if err := record(newsroom.ImportedItem{Kind: "comment", SourceID: ci.SourceID, LocalID: c.ID, Digest: ci.Digest}); err != nil {
				return nil, err
			}
		}
		records = append(records, b.Records...)
		// One row per item (a statement may not change a row twice): the
		// last record of an item wins.
		last := map[[2]string]int{}
		for i, it := range records {
			last[[2]string{it.Kind, it.SourceID}] = i
		}
		uniq := records[:0:0]
		for i, it := range records {
			if last[[2]string{it.Kind, it.SourceID}] == i {
				uniq = append(uniq, it)
			}
		}
		records = uniq
		// The ledger records in multi-row statements.
		for len(records) > 0 {
			chunk := records[:min(len(records), 100)]
			records = records[len(chunk):]
			var rows []string
			args := []any{b.Site, s.d.timeArg(now)}
			for _, it := range chunk {
				n := len(args)
				rows = append(rows, fmt.Sprintf("($1, $2, $%d, $%d, $%d, $%d, $%d)", n+1, n+2, n+3, n+4, n+5))
				args = append(args, it.Kind, it.SourceID, it.LocalID, it.Digest, it.Email)
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO wordpress_items (site, imported_at, kind, wp_id, local_id, digest, email)
				VALUES `+strings.Join(rows, ", ")+`
				ON CONFLICT (site, kind, wp_id) DO UPDATE SET local_id = excluded.local_id,
					digest = excluded.digest, email = excluded.email, imported_at = excluded.imported_at`, args...)
			if err != nil {
				return nil, err
			}
		}
		if len(approved) == 0 {
			return nil, nil
		}
		return s.bump(ctx, tx, approved)
	})
	if err != nil {
		return fmt.Errorf("import batch: %w", err)
	}
	return nil
}

// commentStmts are importComment's statements, prepared on first use in
// one transaction on SQLite, where parsing is the cost. On PostgreSQL the
// driver keeps prepared statements per connection itself, and preparing
// again would only add round trips: there the transaction runs them.
type commentStmts struct {
	tx            *sql.Tx
	direct        bool
	depth, insert *sql.Stmt
}

func (s *Store) newCommentStmts(tx *sql.Tx) *commentStmts {
	return &commentStmts{tx: tx, direct: s.d.name == "postgres"}
}

// queryRow runs query through the statement kept in *st.
func (cs *commentStmts) queryRow(ctx context.Context, st **sql.Stmt, query string, args ...any) (*sql.Row, error) {
	if cs.direct {
		return cs.tx.QueryRowContext(ctx, query, args...), nil
	}
	p, err := prepared(ctx, cs.tx, st, query)
	if err != nil {
		return nil, err
	}
	return p.QueryRowContext(ctx, args...), nil
}

func (cs *commentStmts) close() {
	for _, st := range []*sql.Stmt{cs.depth, cs.insert} {
		if st != nil {
			st.Close()
		}
	}
}

func prepared(ctx context.Context, tx *sql.Tx, st **sql.Stmt, query string) (*sql.Stmt, error) {
	if *st == nil {
		p, err := tx.PrepareContext(ctx, query)
		if err != nil {
			return nil, err
		}
		*st = p
	}
	return *st, nil
}

// importComment inserts c (its article known to exist) with the dates it
// had on the old site; the caller bumps the article's count.
func (s *Store) importComment(ctx context.Context, tx *sql.Tx, c *newsroom.Comment, now time.Time) error {
	cs := s.newCommentStmts(tx)
	defer cs.close()
	return s.importCommentWith(ctx, tx, cs, c, now)
}

func (s *Store) importCommentWith(ctx context.Context, tx *sql.Tx, cs *commentStmts, c *newsroom.Comment, now time.Time) error {
	if c.CreatedAt.IsZero() {
		c.CreatedAt = now
	}
	at := normTime(c.CreatedAt)
	if c.ParentID != 0 {
		var depth int
		row, err := cs.queryRow(ctx, &cs.depth, "SELECT depth FROM comments WHERE id = $1 AND article_id = $2", c.ParentID, c.ArticleID)
		if err != nil {
			return err
		}
		err = row.Scan(&depth)
		if errors.Is(err, sql.ErrNoRows) {
			return newsroom.Errorf(newsroom.Invalid, "parent_id", "the comment replied to does not exist")
		}
		if err != nil {
			return err
		}
		c.Depth = depth + 1
	}
	row, err := cs.queryRow(ctx, &cs.insert, insertCommentSQL, s.commentArgs(c, at)...)
	if err != nil {
		return err
	}
	return s.insertedComment(row, c, at)
}
