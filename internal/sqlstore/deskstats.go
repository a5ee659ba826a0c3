package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"newsdesk/internal/newsroom"
)

// CountByStatus counts the articles f selects in each status, the trash
// included, in one grouped query.
func (s *Store) CountByStatus(ctx context.Context, f newsroom.ArticleFilter) (map[newsroom.Status]int, error) {
	f.Status, f.IncludeTrash, f.PublicAt = nil, true, nil
	where, args := s.where(f, false)
	out := map[newsroom.Status]int{}
	err := eachRow(ctx, s.rdb, "SELECT a.status, count(*) FROM articles a"+where+" GROUP BY a.status", args, func(r *sql.Rows) error {
		var st string
		var n int
		if err := r.Scan(&st, &n); err != nil {
			return err
		}
		out[newsroom.Status(st)] = n
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("count by status: %w", err)
	}
	return out, nil
}

// ViewTotals sums the day buckets of each article in ids from since on.
func (s *Store) ViewTotals(ctx context.Context, ids []int64, since time.Time) (map[int64]int, error) {
	out := map[int64]int{}
	if len(ids) == 0 {
		return out, nil
	}
	args := []any{dayArg(since)}
	for _, id := range ids {
		args = append(args, id)
	}
	err := eachRow(ctx, s.rdb, `SELECT article_id, sum(count) FROM article_views WHERE day >= $1 AND article_id IN (`+
		placeholders(2, len(ids))+`) GROUP BY article_id`, args, func(r *sql.Rows) error {
		var id int64
		var n int
		if err := r.Scan(&id, &n); err != nil {
			return err
		}
		out[id] = n
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("view totals: %w", err)
	}
	return out, nil
}
