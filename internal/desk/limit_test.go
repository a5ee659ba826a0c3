package desk

import (
	"strconv"
	"testing"
	"time"
)

// TestLimiterLocksGrowAndSurviveEviction: a key locks at max failures,
// each further lock lasts twice as long, and a flood of other keys far
// past the capacity neither forgets the active lock nor grows the
// limiter beyond its bound.
func TestLimiterLocksGrowAndSurviveEviction(t *testing.T) {
	l := newLimiter(3, 10*time.Minute, time.Minute)
	l.capacity = 100
	now := time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC)
	lockOnce := func() time.Duration {
		for i := 0; i < 3; i++ {
			l.fail("attacker", now)
		}
		d, ok := l.locked("attacker", now)
		if !ok {
			t.Fatal("not locked after 3 failures")
		}
		return d
	}
	for i, want := range []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute} {
		if got := lockOnce(); got != want {
			t.Errorf("lock %d lasts %s, want %s", i+1, got, want)
		}
		now = now.Add(want)
		if _, ok := l.locked("attacker", now); ok {
			t.Errorf("lock %d still on after %s", i+1, want)
		}
	}
	lockOnce() // 16 minutes now
	for i := 0; i < 10_000; i++ {
		l.fail("passer-by-"+strconv.Itoa(i), now.Add(time.Duration(i)*time.Millisecond))
	}
	if n := l.len(); n > l.capacity {
		t.Errorf("limiter holds %d keys, capacity %d", n, l.capacity)
	}
	if _, ok := l.locked("attacker", now.Add(10*time.Second)); !ok {
		t.Errorf("the active lock was forgotten among 10,000 other keys")
	}
	// A day after the last failure the history is gone: back to a minute.
	now = now.Add(25 * time.Hour)
	if got := lockOnce(); got != time.Minute {
		t.Errorf("lock after a quiet day lasts %s, want 1m", got)
	}
}
