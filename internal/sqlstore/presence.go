package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"newsdesk/internal/newsroom"
)

// Presence (newsroom.PresenceStore): one row per person with a story open,
// upserted by the editor's heartbeat. Writes announce no change: nothing
// cached depends on them. Reads go to the primary, since a heartbeat
// written a moment ago must show on every node.

// presenceSweep bounds how many stale rows one heartbeat removes.
const presenceSweep = 50

// TouchPresence records userID's heartbeat on the article at now.
func (s *Store) TouchPresence(ctx context.Context, articleID, userID int64, now time.Time) error {
	err := s.inTx(ctx, func(tx *sql.Tx, _ time.Time) ([]string, error) {
		if err := s.articleExists(ctx, tx, articleID); err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO article_presence (article_id, user_id, seen_at) VALUES ($1, $2, $3)
			ON CONFLICT (article_id, user_id) DO UPDATE SET seen_at = excluded.seen_at`,
			articleID, userID, now.UnixMilli()); err != nil {
			return nil, err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM article_presence WHERE (article_id, user_id) IN
			(SELECT article_id, user_id FROM article_presence WHERE seen_at < $1 LIMIT $2)`,
			now.Add(-newsroom.PresenceTTL).UnixMilli(), presenceSweep)
		return nil, err
	})
	if err != nil {
		return fmt.Errorf("touch presence: %w", err)
	}
	return nil
}

// Present lists who else has the article open at now, latest first.
func (s *Store) Present(ctx context.Context, articleID, except int64, now time.Time) ([]newsroom.Presence, error) {
	rows, err := s.wdb.QueryContext(ctx, `SELECT p.user_id, u.name, p.seen_at FROM article_presence p
		JOIN users u ON u.id = p.user_id
		WHERE p.article_id = $1 AND p.user_id <> $2 AND p.seen_at >= $3
		ORDER BY p.seen_at DESC, u.name`,
		articleID, except, now.Add(-newsroom.PresenceTTL).UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("present: %w", err)
	}
	defer rows.Close()
	var out []newsroom.Presence
	for rows.Next() {
		var p newsroom.Presence
		var ms int64
		if err := rows.Scan(&p.UserID, &p.Name, &ms); err != nil {
			return nil, fmt.Errorf("present: %w", err)
		}
		p.SeenAt = time.UnixMilli(ms).UTC()
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("present: %w", err)
	}
	return out, nil
}

// LeavePresence forgets userID's presence on the article.
func (s *Store) LeavePresence(ctx context.Context, articleID, userID int64) error {
	if _, err := s.wdb.ExecContext(ctx, `DELETE FROM article_presence WHERE article_id = $1 AND user_id = $2`, articleID, userID); err != nil {
		return fmt.Errorf("leave presence: %w", err)
	}
	return nil
}
