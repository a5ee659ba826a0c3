package desk

import (
	"container/list"
	"log/slog"
	"sync"
	"time"

	"newsdesk/internal/newsroom"
)

// Sign-in limits, aimed at the attacker rather than the account: failures
// count per (account, address) and per address, never per account alone,
// so a wrong password typed from one address cannot lock the account's
// owner out at another. Five failures for one account from one address,
// or twenty from one address over any accounts, within ten minutes lock
// that pair (or that address) for five minutes; every further lock of the
// same key lasts twice as long as the one before, up to a day. A key's
// history is forgotten a day after its last failure, or on a successful
// sign-in for the pair.
const (
	ipMaxFailures      = 20
	accountMaxFailures = 5
	failWindow         = 10 * time.Minute
	lockFor            = 5 * time.Minute
	maxLock            = 24 * time.Hour
	forgetAfter        = 24 * time.Hour
	// limiterMaxKeys bounds the keys a limiter remembers. The least
	// recently failed key goes first, but never one that is locked: locks
	// are passed over (up to twice the bound, which would take an attacker
	// a hundred thousand password checks at the pool's pace to fill).
	limiterMaxKeys = 10_000
)

// limiter counts failures per key in a fixed window and locks a key that
// reaches max, for lock × 2^(locks so far), at most maxLock. Memory is an
// LRU of at most capacity keys (see limiterMaxKeys). It takes the time
// from its caller, so tests move the clock.
type limiter struct {
	mu       sync.Mutex
	max      int
	window   time.Duration
	lock     time.Duration
	capacity int
	lru      *list.List // of *failures, most recent first
	keys     map[string]*list.Element
	// shared, when set, keeps the state across nodes (limit_shared.go);
	// the memory above is then the fallback.
	shared newsroom.Counters
	name   string
	log    *slog.Logger
}

type failures struct {
	key         string
	start       time.Time // start of the current window
	last        time.Time // the latest failure
	n           int
	strikes     int // locks so far: the next lasts lock << strikes
	lockedUntil time.Time
}

func newLimiter(max int, window, lock time.Duration) *limiter {
	return &limiter{max: max, window: window, lock: lock, capacity: limiterMaxKeys,
		lru: list.New(), keys: map[string]*list.Element{}}
}

// locked reports whether key is locked at now, and for how long yet.
func (l *limiter) locked(key string, now time.Time) (time.Duration, bool) {
	if l.shared != nil {
		if wait, locked, ok := l.sharedLocked(key, now); ok {
			return wait, locked
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	el := l.keys[key]
	if el == nil {
		return 0, false
	}
	f := el.Value.(*failures)
	if !now.Before(f.lockedUntil) {
		return 0, false
	}
	return f.lockedUntil.Sub(now), true
}

// fail records a failure for key and reports whether it is now locked.
func (l *limiter) fail(key string, now time.Time) bool {
	if l.shared != nil {
		if locked, ok := l.sharedFail(key, now); ok {
			return locked
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	var f *failures
	if el := l.keys[key]; el != nil {
		f = el.Value.(*failures)
		l.lru.MoveToFront(el)
		if now.Sub(f.last) >= forgetAfter {
			*f = failures{key: key}
		}
	} else {
		l.evict(now)
		f = &failures{key: key}
		l.keys[key] = l.lru.PushFront(f)
	}
	if f.start.IsZero() || now.Sub(f.start) >= l.window {
		f.start, f.n = now, 0
	}
	f.last = now
	f.n++
	if f.n >= l.max {
		d := l.lock << min(f.strikes, 20)
		if d <= 0 || d > maxLock {
			d = maxLock
		}
		f.lockedUntil = now.Add(d)
		f.strikes++
		f.start, f.n = now, 0
		return true
	}
	return false
}

// reset forgets key's failures (after a successful sign-in).
func (l *limiter) reset(key string) {
	if l.shared != nil {
		l.sharedReset(key)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if el := l.keys[key]; el != nil {
		l.lru.Remove(el)
		delete(l.keys, key)
	}
}

// evict makes room for one more key: it drops the least recently failed
// keys that are not locked, passing locked ones over (they move to the
// front), until the limiter is under its capacity. Only beyond twice the
// capacity does a lock go too, the oldest first.
func (l *limiter) evict(now time.Time) {
	for tries := l.lru.Len(); l.lru.Len() >= l.capacity && tries > 0; tries-- {
		el := l.lru.Back()
		f := el.Value.(*failures)
		if now.Before(f.lockedUntil) {
			l.lru.MoveToFront(el)
			continue
		}
		l.lru.Remove(el)
		delete(l.keys, f.key)
	}
	for l.lru.Len() >= 2*l.capacity {
		el := l.lru.Back()
		l.lru.Remove(el)
		delete(l.keys, el.Value.(*failures).key)
	}
}

// len is how many keys the limiter remembers.
func (l *limiter) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lru.Len()
}

// inFlight counts the sign-ins each address has running or queued in the
// password pool, so that one address cannot fill the queue: past its
// share a sign-in is refused (429) before it takes a place.
type inFlight struct {
	max int
	mu  sync.Mutex
	n   map[string]int
}

// newInFlight lets each address hold a quarter of the pool's places (at
// least two).
func newInFlight(places int) *inFlight {
	return &inFlight{max: max(2, places/4), n: map[string]int{}}
}

// take reserves a place for key, or reports false when key holds its share.
func (f *inFlight) take(key string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n[key] >= f.max {
		return false
	}
	f.n[key]++
	return true
}

// done gives back a place taken by take.
func (f *inFlight) done(key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n[key]--; f.n[key] <= 0 {
		delete(f.n, key)
	}
}
