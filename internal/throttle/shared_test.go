package throttle

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// memCounters is Counters in memory, as two nodes sharing one place see it.
type memCounters struct {
	mu   sync.Mutex
	n    map[string]int64
	ends map[string]time.Time
	down bool
}

func (m *memCounters) AddCount(_ context.Context, key string, window time.Duration, now time.Time) (int64, time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.down {
		return 0, time.Time{}, errors.New("unreachable")
	}
	if !now.Before(m.ends[key]) {
		m.n[key], m.ends[key] = 0, now.Add(window)
	}
	m.n[key]++
	return m.n[key], m.ends[key], nil
}

// TestSharedHoldsAcrossNodes: two nodes' Shared limits on one set of
// counters allow Max together, answer the real time left in the window,
// and fall back to the node's own limiter when the counters fail.
func TestSharedHoldsAcrossNodes(t *testing.T) {
	c := &memCounters{n: map[string]int64{}, ends: map[string]time.Time{}}
	a := SharedRate(c, "share:", 10.0/60, 10, nil)
	b := SharedRate(c, "share:", 10.0/60, 10, nil)
	now := time.Unix(1_800_000_000, 0)
	for i := range 10 {
		n := a
		if i%2 == 1 {
			n = b
		}
		if wait := n.Allow("198.51.100.1", now.Add(time.Duration(i)*time.Second)); wait != 0 {
			t.Fatalf("event %d refused (%s)", i+1, wait)
		}
	}
	if wait := b.Allow("198.51.100.1", now.Add(15*time.Second)); wait != 45*time.Second {
		t.Errorf("11th event: wait %s, want the 45s left in the minute", wait)
	}
	if wait := a.Allow("198.51.100.2", now); wait != 0 {
		t.Errorf("another address was refused")
	}
	c.down = true
	for i := range 10 {
		if wait := a.Allow("198.51.100.3", now); wait != 0 {
			t.Fatalf("fallback refused event %d", i+1)
		}
	}
	if wait := a.Allow("198.51.100.3", now); wait == 0 {
		t.Error("with the counters down, the node's own limit did not hold")
	}
}
