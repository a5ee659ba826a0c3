package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"newsdesk/internal/newsroom"
)

// PurgeTrash deletes at most limit articles moved to the trash before
// before, oldest first, in one transaction; what hangs off them goes by
// the schema's cascades. Their pages stopped being public when they were
// trashed, so it announces only their own keys.
func (s *Store) PurgeTrash(ctx context.Context, before time.Time, limit int) (int, error) {
	if limit <= 0 {
		limit = 500
	}
	n := 0
	err := s.inTx(ctx, func(tx *sql.Tx, _ time.Time) ([]string, error) {
		var ids []any
		err := eachRow(ctx, tx, `SELECT id FROM articles WHERE status = $1 AND trashed_at IS NOT NULL AND trashed_at < $2
			ORDER BY trashed_at, id LIMIT $3`, []any{string(newsroom.Trash), s.d.timeArg(normTime(before)), limit},
			func(r *sql.Rows) error {
				var id int64
				if err := r.Scan(&id); err != nil {
					return err
				}
				ids = append(ids, id)
				return nil
			})
		if err != nil || len(ids) == 0 {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM articles WHERE id IN ("+placeholders(1, len(ids))+")", ids...); err != nil {
			return nil, err
		}
		n = len(ids)
		keys := make([]string, len(ids))
		for i, id := range ids {
			keys[i] = fmt.Sprintf("article:%d", id)
		}
		return keys, nil
	})
	if err != nil {
		return 0, fmt.Errorf("purge trash: %w", err)
	}
	return n, nil
}
