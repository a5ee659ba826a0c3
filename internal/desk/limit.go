package desk

import (
	"sync"
	"time"
)

// Sign-in limits: an address may fail 20 times and an account 5 times
// within ten minutes; after that, sign-in is refused (429) for five
// minutes, even with the right password.
const (
	ipMaxFailures      = 20
	accountMaxFailures = 5
	failWindow         = 10 * time.Minute
	lockFor            = 5 * time.Minute
	limiterMaxKeys     = 10_000
)

// limiter counts failures per key in a fixed window and locks a key that
// reaches max. It takes the time from its caller, so tests move the clock.
type limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	lock   time.Duration
	keys   map[string]*failures
}

type failures struct {
	start       time.Time // start of the current window
	n           int
	lockedUntil time.Time
}

func newLimiter(max int, window, lock time.Duration) *limiter {
	return &limiter{max: max, window: window, lock: lock, keys: map[string]*failures{}}
}

// locked reports whether key is locked at now, and for how long yet.
func (l *limiter) locked(key string, now time.Time) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f := l.keys[key]
	if f == nil || !now.Before(f.lockedUntil) {
		return 0, false
	}
	return f.lockedUntil.Sub(now), true
}

// fail records a failure for key and reports whether it is now locked.
func (l *limiter) fail(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.keys) >= limiterMaxKeys {
		l.prune(now)
	}
	f := l.keys[key]
	if f == nil || now.Sub(f.start) >= l.window {
		f = &failures{start: now}
		l.keys[key] = f
	}
	f.n++
	if f.n >= l.max {
		f.lockedUntil = now.Add(l.lock)
		f.start, f.n = now, 0
		return true
	}
	return false
}

// reset forgets key's failures (after a successful sign-in).
func (l *limiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.keys, key)
}

// prune drops keys whose window and lock are over; if that frees too
// little, it starts afresh rather than grow without bound.
func (l *limiter) prune(now time.Time) {
	for k, f := range l.keys {
		if now.Sub(f.start) >= l.window && !now.Before(f.lockedUntil) {
			delete(l.keys, k)
		}
	}
	if len(l.keys) >= limiterMaxKeys {
		clear(l.keys)
	}
}
