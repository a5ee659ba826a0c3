package desk

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"time"

	"newsdesk/internal/newsroom"
)

// Shared sign-in limits. With Config.Counters (PostgreSQL, or Redis with
// --redis) a limiter keeps its failures, strikes and locks there, so they
// hold across every node: failures spread over the nodes add up and a
// lock made on one is a lock on all. Each key has three counters:
// NAME:fail:H counts failures (H: the key's hash) in the window, NAME:strikes:H the locks
// so far (forgotten a day after the first), and NAME:lock:H is a window
// that lasts as long as the lock. When the counters cannot be reached the
// limiter falls back to its memory (and logs), so an outage never lifts
// a limit from a node.

// ckey is the counter of kind for key: the key itself is hashed, so the
// counters hold no address or e-mail and any byte may be in it.
func (l *limiter) ckey(kind, key string) string {
	sum := sha256.Sum256([]byte(key))
	return l.name + ":" + kind + ":" + hex.EncodeToString(sum[:16])
}

// share makes l keep its state in c under name (nil c: memory only).
func (l *limiter) share(c newsroom.Counters, name string, log *slog.Logger) {
	l.shared, l.name, l.log = c, name, log
}

func sharedCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 2*time.Second)
}

func (l *limiter) sharedFailed(op string, err error) {
	if l.log != nil {
		l.log.Warn("desk: shared sign-in limits unreachable; this node's memory applies", "limit", l.name, "op", op, "err", err)
	}
}

// sharedLocked is locked on the shared counters; ok is false when they
// failed.
func (l *limiter) sharedLocked(key string, now time.Time) (wait time.Duration, locked, ok bool) {
	ctx, cancel := sharedCtx()
	defer cancel()
	n, ends, err := l.shared.Count(ctx, l.ckey("lock", key), now)
	if err != nil {
		l.sharedFailed("locked", err)
		return 0, false, false
	}
	if n > 0 && ends.After(now) {
		return ends.Sub(now), true, true
	}
	return 0, false, true
}

// sharedFail is fail on the shared counters.
func (l *limiter) sharedFail(key string, now time.Time) (locked, ok bool) {
	ctx, cancel := sharedCtx()
	defer cancel()
	n, _, err := l.shared.AddCount(ctx, l.ckey("fail", key), l.window, now)
	if err != nil {
		l.sharedFailed("fail", err)
		return false, false
	}
	if n < int64(l.max) {
		return false, true
	}
	strikes, _, err := l.shared.AddCount(ctx, l.ckey("strikes", key), forgetAfter, now)
	if err != nil {
		l.sharedFailed("fail", err)
		return false, false
	}
	d := l.lock << min(strikes-1, 20)
	if d <= 0 || d > maxLock {
		d = maxLock
	}
	if _, _, err := l.shared.AddCount(ctx, l.ckey("lock", key), d, now); err != nil {
		l.sharedFailed("fail", err)
		return false, false
	}
	if err := l.shared.ResetCount(ctx, l.ckey("fail", key)); err != nil {
		l.sharedFailed("fail", err)
	}
	return true, true
}

// sharedReset is reset on the shared counters.
func (l *limiter) sharedReset(key string) {
	ctx, cancel := sharedCtx()
	defer cancel()
	for _, k := range []string{"fail", "strikes"} {
		if err := l.shared.ResetCount(ctx, l.ckey(k, key)); err != nil {
			l.sharedFailed("reset", err)
			return
		}
	}
}

// newLimiter is newLimiter shared across nodes under name when the desk
// has Config.Counters. Every limiter of the desk is made with it.
func (s *Server) newLimiter(name string, max int, window, lock time.Duration) *limiter {
	l := newLimiter(max, window, lock)
	if s.cfg.Counters != nil {
		l.share(s.cfg.Counters, name, s.log)
	}
	return l
}
