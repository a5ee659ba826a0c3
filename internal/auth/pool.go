package auth

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"time"
)

// Pool bounds the password hashes that run at once. Each argon2id hash
// holds 19 MiB and a core for about 60 ms, and anyone can ask for one by
// signing in, so without a bound a few hundred parallel sign-ins take
// gigabytes and every core. A hash waits in a short queue for a free slot;
// beyond the queue, or after waiting too long, it is refused with a
// *BusyError that says when to come back. Nothing else (pages, the API)
// waits on the pool. A Pool is safe for concurrent use.
type Pool struct {
	slots   chan struct{}
	queue   int64
	maxWait time.Duration
	waiting atomic.Int64
	avg     atomic.Int64 // moving average of one hash, in nanoseconds
}

// BusyError is returned when the pool is full: try again after RetryAfter.
type BusyError struct{ RetryAfter time.Duration }

func (e *BusyError) Error() string {
	return fmt.Sprintf("too many password checks at once; retry after %s", e.RetryAfter)
}

// DefaultSlots is the pool size when none is given: two hashes per CPU.
func DefaultSlots() int { return 2 * runtime.GOMAXPROCS(0) }

// NewPool returns a pool running at most slots hashes at once (0: two per
// CPU), with at most queue more waiting (0: as many as the slots), none of
// them longer than maxWait (0: two seconds).
func NewPool(slots, queue int, maxWait time.Duration) *Pool {
	if slots <= 0 {
		slots = DefaultSlots()
	}
	if queue <= 0 {
		queue = slots
	}
	if maxWait <= 0 {
		maxWait = 2 * time.Second
	}
	p := &Pool{slots: make(chan struct{}, slots), queue: int64(queue), maxWait: maxWait}
	p.avg.Store(int64(60 * time.Millisecond))
	return p
}

// Slots is how many hashes may run at once.
func (p *Pool) Slots() int { return cap(p.slots) }

// Places is how many hashes may run or wait at once.
func (p *Pool) Places() int { return cap(p.slots) + int(p.queue) }

// RetryAfter is when a hash asked for now would find a place: the wait a
// *BusyError would give.
func (p *Pool) RetryAfter() time.Duration { return p.busy().RetryAfter }

// Hash is HashPassword within the pool's bound.
func (p *Pool) Hash(ctx context.Context, password string) (string, error) {
	var hash string
	var err error
	if perr := p.do(ctx, func() { hash, err = HashPassword(password) }); perr != nil {
		return "", perr
	}
	return hash, err
}

// Check is CheckPassword within the pool's bound.
func (p *Pool) Check(ctx context.Context, encoded, password string) (bool, error) {
	ok := false
	if err := p.do(ctx, func() { ok = CheckPassword(encoded, password) }); err != nil {
		return false, err
	}
	return ok, nil
}

// do runs fn in a slot: at once if one is free, after a short wait in the
// queue otherwise, or not at all (a *BusyError, or ctx's error).
func (p *Pool) do(ctx context.Context, fn func()) error {
	select {
	case p.slots <- struct{}{}:
	default:
		if p.waiting.Add(1) > p.queue {
			p.waiting.Add(-1)
			return p.busy()
		}
		t := time.NewTimer(p.maxWait)
		select {
		case p.slots <- struct{}{}:
			p.waiting.Add(-1)
			t.Stop()
		case <-t.C:
			p.waiting.Add(-1)
			return p.busy()
		case <-ctx.Done():
			p.waiting.Add(-1)
			t.Stop()
			return ctx.Err()
		}
	}
	defer func() { <-p.slots }()
	start := time.Now()
	fn()
	// An exponential moving average (1/8 weight) of how long a hash takes
	// here, for the retry time.
	d := int64(time.Since(start))
	for {
		old := p.avg.Load()
		if p.avg.CompareAndSwap(old, old+(d-old)/8) {
			break
		}
	}
	return nil
}

// busy says when the queue in front of a new request will have drained:
// everyone waiting and running, at the pace the slots work, rounded up to
// whole seconds.
func (p *Pool) busy() *BusyError {
	ahead := p.waiting.Load() + int64(len(p.slots))
	d := time.Duration(ahead * p.avg.Load() / int64(cap(p.slots)))
	return &BusyError{RetryAfter: max(time.Second, d.Truncate(time.Second)+time.Second)}
}
