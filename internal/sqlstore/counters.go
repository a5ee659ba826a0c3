package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// The limit counters (newsroom.Counters) in one table every node shares.
// One upsert counts an event and starts a new window when the last one
// has ended, so concurrent nodes never lose a count. Writes go straight to
// the primary without a change notification: nothing cached depends on
// them.

// AddCount counts one event for key (see newsroom.Counters).
func (s *Store) AddCount(ctx context.Context, key string, window time.Duration, now time.Time) (int64, time.Time, error) {
	if key == "" || window <= 0 {
		return 0, time.Time{}, fmt.Errorf("add count: empty key or window")
	}
	at, end := now.UnixMilli(), now.Add(window).UnixMilli()
	var n, ends int64
	err := s.wdb.QueryRowContext(ctx, `INSERT INTO limit_counters (key, n, window_end) VALUES ($1, 1, $3)
		ON CONFLICT (key) DO UPDATE SET
			n = CASE WHEN limit_counters.window_end <= $2 THEN 1 ELSE limit_counters.n + 1 END,
			window_end = CASE WHEN limit_counters.window_end <= $2 THEN $3 ELSE limit_counters.window_end END
		RETURNING n, window_end`, key, at, end).Scan(&n, &ends)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("add count %q: %w", key, err)
	}
	return n, time.UnixMilli(ends), nil
}

// Count returns key's count in its running window.
func (s *Store) Count(ctx context.Context, key string, now time.Time) (int64, time.Time, error) {
	var n, ends int64
	err := s.wdb.QueryRowContext(ctx, `SELECT n, window_end FROM limit_counters WHERE key = $1 AND window_end > $2`,
		key, now.UnixMilli()).Scan(&n, &ends)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, time.Time{}, nil
	}
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("count %q: %w", key, err)
	}
	return n, time.UnixMilli(ends), nil
}

// ResetCount forgets key.
func (s *Store) ResetCount(ctx context.Context, key string) error {
	if _, err := s.wdb.ExecContext(ctx, `DELETE FROM limit_counters WHERE key = $1`, key); err != nil {
		return fmt.Errorf("reset count %q: %w", key, err)
	}
	return nil
}

// DeleteEndedCounts removes the counters whose window ended before now and
// returns how many.
func (s *Store) DeleteEndedCounts(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.wdb.ExecContext(ctx, `DELETE FROM limit_counters WHERE window_end <= $1`, now.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("delete ended counts: %w", err)
	}
	return res.RowsAffected()
}
