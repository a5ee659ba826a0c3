package reports

import (
	"sync"
	"time"

	"golang.org/x/time/rate"

	"newsdesk/internal/throttle"
)

// limiter keeps one token bucket per key, in memory or (shared set)
// in counters every node shares.
type limiter struct {
	shared *throttle.Shared
	mu     sync.Mutex
	every  rate.Limit
	burst  int
	m      map[string]*bucket
}

type bucket struct {
	l    *rate.Limiter
	seen time.Time
}

// newLimiter allows perMinute events a minute per key, in bursts of as
// many; a negative perMinute allows everything.
func newLimiter(perMinute int) *limiter {
	if perMinute < 0 {
		return nil
	}
	return &limiter{every: rate.Limit(float64(perMinute) / 60), burst: perMinute, m: map[string]*bucket{}}
}

// allow takes one event for key at now, or, when key has none left,
// takes nothing and returns how long until it has one.
func (l *limiter) allow(key string, now time.Time) time.Duration {
	if l == nil {
		return 0
	}
	if l.shared != nil {
		return l.shared.Allow(key, now)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.m[key]
	if b == nil {
		if len(l.m) >= 10000 {
			for k, old := range l.m {
				if now.Sub(old.seen) > 2*time.Minute {
					delete(l.m, k)
				}
			}
		}
		b = &bucket{l: rate.NewLimiter(l.every, l.burst)}
		l.m[key] = b
	}
	b.seen = now
	if b.l.AllowN(now, 1) {
		return 0
	}
	short := 1 - b.l.TokensAt(now)
	return max(time.Duration(short/float64(l.every)*float64(time.Second)), time.Second)
}

// newLimiter is newLimiter shared across nodes under name when the
// service has Config.Counters: perMinute reports in each minute, the wait
// being the real time left in it; this process's bucket is the fallback.
func (s *Service) newLimiter(name string, perMinute int) *limiter {
	l := newLimiter(perMinute)
	if l != nil && s.cfg.Counters != nil {
		l.shared = &throttle.Shared{Counters: s.cfg.Counters, Prefix: name + ":", Max: int64(max(perMinute, 1)),
			Window: time.Minute, Local: localAllower{newLimiter(perMinute)}, Logger: s.log}
	}
	return l
}

// localAllower is a memory limiter as a throttle.Allower.
type localAllower struct{ l *limiter }

func (a localAllower) Allow(key string, now time.Time) time.Duration { return a.l.allow(key, now) }
