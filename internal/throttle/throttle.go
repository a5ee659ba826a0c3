// Package throttle bounds the costly work anonymous clients can start: a
// Limiter gives each client a token bucket (kept in a bounded LRU that
// never forgets a client it is still holding back), and a Gate bounds how
// many jobs of one kind run at once and how many may wait, answering the
// rest at once with the time after which a retry has a chance.
package throttle

import (
	"container/list"
	"context"
	"math"
	"sync"
	"sync/atomic"
	"time"
)

// Limiter allows each key Rate events a second with bursts of Burst.
// It is safe for concurrent use.
type Limiter struct {
	rate  float64 // tokens a second
	burst float64
	max   int

	mu   sync.Mutex
	keys map[string]*list.Element
	lru  *list.List // *bucket, most recently used first
}

type bucket struct {
	key    string
	tokens float64
	at     time.Time
}

// NewLimiter returns a Limiter of perSecond events a second and bursts of
// burst, remembering about maxKeys clients (0: 10,000).
func NewLimiter(perSecond float64, burst, maxKeys int) *Limiter {
	if maxKeys <= 0 {
		maxKeys = 10_000
	}
	return &Limiter{rate: perSecond, burst: float64(max(burst, 1)), max: maxKeys,
		keys: map[string]*list.Element{}, lru: list.New()}
}

// Allow takes one event for key at now. It returns 0 when the event is
// allowed, or how long until it would be (nothing is taken then).
func (l *Limiter) Allow(key string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	var b *bucket
	if el, ok := l.keys[key]; ok {
		b = el.Value.(*bucket)
		l.lru.MoveToFront(el)
		if d := now.Sub(b.at).Seconds(); d > 0 {
			b.tokens = math.Min(l.burst, b.tokens+d*l.rate)
			b.at = now
		}
	} else {
		b = &bucket{key: key, tokens: l.burst, at: now}
		l.keys[key] = l.lru.PushFront(b)
		l.evict(now)
	}
	if b.tokens >= 1 {
		b.tokens--
		return 0
	}
	if l.rate <= 0 {
		return time.Hour
	}
	return time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}

// evict drops the least recently used keys beyond the bound whose buckets
// have filled up again (forgetting them changes nothing). A key still
// held back is kept, unless twice the bound is reached.
func (l *Limiter) evict(now time.Time) {
	for el := l.lru.Back(); el != nil && len(l.keys) > l.max; {
		b := el.Value.(*bucket)
		prev := el.Prev()
		full := b.tokens+now.Sub(b.at).Seconds()*l.rate >= l.burst
		if full || len(l.keys) > 2*l.max {
			l.lru.Remove(el)
			delete(l.keys, b.key)
		}
		el = prev
	}
}

// Len returns how many keys the Limiter holds.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.keys)
}

// Gate lets Running jobs run at once and up to Waiting more wait for a
// place, none longer than MaxWait. It is safe for concurrent use.
type Gate struct {
	slots   chan struct{}
	queue   int64
	maxWait time.Duration
	waiting atomic.Int64
	// pace is the mean duration of a job in nanoseconds (moving average).
	pace atomic.Int64
}

// NewGate returns a Gate; running is at least 1, waiting at least 0.
func NewGate(running, waiting int, maxWait time.Duration) *Gate {
	g := &Gate{slots: make(chan struct{}, max(running, 1)), queue: int64(max(waiting, 0)), maxWait: maxWait}
	g.pace.Store(int64(50 * time.Millisecond))
	return g
}

// Full is the answer of a Gate that cannot take a job now.
type Full struct {
	// Retry is when a retry has a chance: the jobs ahead times the pace
	// of one, spread over the places, in whole seconds, at least one.
	Retry time.Duration
}

func (f *Full) Error() string { return "busy: retry after " + f.Retry.String() }

// Enter waits for a place and returns the function that gives it back
// (call it once the job is done). When the queue is full, the wait would
// pass MaxWait or ctx ends, it returns a *Full instead.
func (g *Gate) Enter(ctx context.Context) (func(), error) {
	select {
	case g.slots <- struct{}{}:
		return g.release(time.Now()), nil
	default:
	}
	if g.waiting.Add(1) > g.queue {
		g.waiting.Add(-1)
		return nil, &Full{Retry: g.retry()}
	}
	defer g.waiting.Add(-1)
	t := time.NewTimer(g.maxWait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return g.release(time.Now()), nil
	case <-t.C:
	case <-ctx.Done():
	}
	return nil, &Full{Retry: g.retry()}
}

func (g *Gate) release(start time.Time) func() {
	var once sync.Once
	return func() {
		once.Do(func() {
			d := int64(time.Since(start))
			old := g.pace.Load()
			g.pace.Store(old + (d-old)/8)
			<-g.slots
		})
	}
}

// retry estimates how long the jobs running and waiting take to clear.
func (g *Gate) retry() time.Duration {
	ahead := float64(g.waiting.Load()) + float64(len(g.slots))
	d := time.Duration(ahead * float64(g.pace.Load()) / float64(cap(g.slots)))
	return RoundUp(d)
}

// RoundUp rounds d up to whole seconds, at least one: what Retry-After
// can say.
func RoundUp(d time.Duration) time.Duration {
	s := time.Duration(math.Ceil(d.Seconds())) * time.Second
	return max(s, time.Second)
}

// Stats are a Gate's jobs running and waiting now.
type Stats struct{ Running, Waiting int }

// Stats returns what runs and waits now.
func (g *Gate) Stats() Stats {
	return Stats{Running: len(g.slots), Waiting: int(g.waiting.Load())}
}

// Limited is the answer of a Guard to a client over its rate.
type Limited struct {
	Retry time.Duration // whole seconds, at least one
}

func (l *Limited) Error() string { return "rate limited: retry after " + l.Retry.String() }

// Guard bounds one kind of costly work: each client within its rate, and
// everyone together within the Gate. Either may be nil.
type Guard struct {
	PerClient Allower
	Gate      *Gate
	Now       func() time.Time // nil: time.Now
}

// Enter admits a job for the client key ("" is not limited per client)
// and returns the function to call when it is done, or a *Limited (the
// client's rate: 429) or a *Full (everyone's: 503) error.
func (g *Guard) Enter(ctx context.Context, key string) (func(), error) {
	if g == nil {
		return func() {}, nil
	}
	if g.PerClient != nil && key != "" {
		now := time.Now
		if g.Now != nil {
			now = g.Now
		}
		if wait := g.PerClient.Allow(key, now()); wait > 0 {
			return nil, &Limited{Retry: RoundUp(wait)}
		}
	}
	if g.Gate == nil {
		return func() {}, nil
	}
	return g.Gate.Enter(ctx)
}
