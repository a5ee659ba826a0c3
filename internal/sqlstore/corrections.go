package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"newsdesk/internal/newsroom"
)

var _ newsroom.CorrectionReader = (*Store)(nil)

// PublicCorrections returns corrections on articles public at now, newest
// first, with each article's headline and public path.
func (s *Store) PublicCorrections(ctx context.Context, now time.Time, limit, offset int) ([]newsroom.PublicCorrection, int, error) {
	if limit <= 0 {
		limit = defaultLimit
	}
	limit, offset = min(limit, maxLimit), max(offset, 0)
	const from = ` FROM corrections c JOIN articles a ON a.id = c.article_id
		WHERE a.status = 'published' AND a.published_at <= $1`
	at := s.d.timeArg(normTime(now))
	var total int
	if err := s.rdb.QueryRowContext(ctx, "SELECT count(*)"+from, at).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("public corrections: %w", err)
	}
	var out []newsroom.PublicCorrection
	ids := map[int64][]int{}
	err := eachRow(ctx, s.rdb, "SELECT c.id, c.article_id, c.at, c.kind, c.text, a.headline"+from+
		" ORDER BY c.at DESC, c.id DESC LIMIT $2 OFFSET $3", []any{at, limit, offset}, func(r *sql.Rows) error {
		var pc newsroom.PublicCorrection
		var kind string
		if err := r.Scan(&pc.ID, &pc.ArticleID, scanTime(&pc.At), &kind, &pc.Text, &pc.Headline); err != nil {
			return err
		}
		pc.Kind = newsroom.CorrectionKind(kind)
		ids[pc.ArticleID] = append(ids[pc.ArticleID], len(out))
		out = append(out, pc)
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("public corrections: %w", err)
	}
	// The URL depends on the primary section: read those articles once.
	for id, idx := range ids {
		list, err := s.queryArticles(ctx, s.rdb, false, " WHERE a.id = $1", id)
		if err != nil {
			return nil, 0, fmt.Errorf("public corrections: %w", err)
		}
		if len(list) == 1 {
			for _, i := range idx {
				out[i].URL = list[0].URL()
			}
		}
	}
	return out, total, nil
}

// AddCorrection appends c, dated c.At, sets its ID, and saves the
// article's UpdatedAt and EditedAt as c.At: the domain dates a correction
// and moves the "updated" time to it (Article.Correct). A correction
// without a date, kind or text is Invalid; an unknown article is a
// NotFound error.
func (s *Store) AddCorrection(ctx context.Context, c *newsroom.Correction) error {
	if err := c.ValidateDated(); err != nil {
		return fmt.Errorf("add correction: %w", err)
	}
	at := normTime(c.At)
	err := s.inTx(ctx, func(tx *sql.Tx, _ time.Time) ([]string, error) {
		list, err := s.queryArticles(ctx, tx, false, " WHERE a.id = $1"+s.d.forUpdate, c.ArticleID)
		if err != nil {
			return nil, err
		}
		if len(list) == 0 {
			return nil, notFound("article")
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO corrections (article_id, at, kind, text)
			VALUES ($1, $2, $3, $4) RETURNING id`,
			c.ArticleID, s.d.timeArg(at), string(c.Kind), c.Text).Scan(&id); err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE articles SET updated_at = $1, edited_at = $1 WHERE id = $2",
			s.d.timeArg(at), c.ArticleID); err != nil {
			return nil, err
		}
		c.ID, c.At = id, at
		return append(newsroom.ArticleKeys(list[0]), "corrections"), nil
	})
	if err != nil {
		return fmt.Errorf("add correction: %w", err)
	}
	return nil
}
