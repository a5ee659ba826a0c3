package newsroom

import (
	"context"
	"time"
)

// Counters count events per key in fixed windows, in one place every node
// shares (PostgreSQL, or Redis), so that a limit holds across nodes:
// sign-in failures, readers' posts, share clicks.
type Counters interface {
	// AddCount counts one event for key in its running window, starting
	// a window of length window at now when none runs (or the last has
	// ended). It returns the count so far in the window and when the
	// window ends.
	AddCount(ctx context.Context, key string, window time.Duration, now time.Time) (n int64, ends time.Time, err error)
	// Count returns key's count in its running window at now and when the
	// window ends (0 and the zero time when none runs).
	Count(ctx context.Context, key string, now time.Time) (n int64, ends time.Time, err error)
	// ResetCount forgets key.
	ResetCount(ctx context.Context, key string) error
}
