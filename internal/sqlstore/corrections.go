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
