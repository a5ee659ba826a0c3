package throttle

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"time"
)

// Allower takes one event for a key at a time, or says how long until it
// would be allowed: a Limiter in this process, or Shared across nodes.
type Allower interface {
	Allow(key string, now time.Time) time.Duration
}

var _ Allower = (*Limiter)(nil)

// Counters count events per key in fixed windows in a place every node
// shares (newsroom.Counters, which the stores and Redis implement).
type Counters interface {
	AddCount(ctx context.Context, key string, window time.Duration, now time.Time) (n int64, ends time.Time, err error)
}

// Shared allows Max events per key in each Window, counted in Counters,
// so that the limit holds across every node: an attacker gains nothing by
// spreading requests over them. The wait it returns is the real time left
// in the key's window. When the counters cannot be reached it falls back
// to Local (and logs), so an outage of the shared place never opens the
// gate wider than one node's own limit.
type Shared struct {
	Counters Counters
	Prefix   string // names the limit in the counters' keys ("share:")
	Max      int64
	Window   time.Duration
	Local    Allower // nil: allow when the counters fail
	Logger   *slog.Logger
}

// Allow counts one event for key.
func (s *Shared) Allow(key string, now time.Time) time.Duration {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	sum := sha256.Sum256([]byte(key)) // the counters hold no address or e-mail
	n, ends, err := s.Counters.AddCount(ctx, s.Prefix+hex.EncodeToString(sum[:16]), s.Window, now)
	if err != nil {
		if s.Logger != nil {
			s.Logger.Warn("throttle: shared counters failed; this node's own limit applies", "limit", s.Prefix, "err", err)
		}
		if s.Local != nil {
			return s.Local.Allow(key, now)
		}
		return 0
	}
	if n <= s.Max {
		return 0
	}
	return max(ends.Sub(now), time.Millisecond)
}

// SharedRate is Shared for a rate of perSecond with bursts of burst: burst
// events in each window of burst/perSecond, with this process's Limiter
// of the same rate as the fallback.
func SharedRate(c Counters, prefix string, perSecond float64, burst int, logger *slog.Logger) *Shared {
	burst = max(burst, 1)
	window := time.Duration(float64(burst) / perSecond * float64(time.Second))
	return &Shared{Counters: c, Prefix: prefix, Max: int64(burst), Window: max(window, time.Second),
		Local: NewLimiter(perSecond, burst, 0), Logger: logger}
}
