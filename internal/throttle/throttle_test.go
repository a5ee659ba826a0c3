package throttle

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"
)

func TestLimiterAllowsBurstThenRate(t *testing.T) {
	l := NewLimiter(10.0/60, 10, 0) // ten a minute
	now := time.Date(2026, 12, 2, 1, 0, 0, 0, time.UTC)
	for i := range 10 {
		if w := l.Allow("198.51.100.7", now); w != 0 {
			t.Fatalf("event %d refused (wait %v)", i+1, w)
		}
	}
	w := l.Allow("198.51.100.7", now)
	if w < 5*time.Second || w > 6*time.Second {
		t.Fatalf("11th event: wait %v, want 6 s (one token at 10/min)", w)
	}
	if w := l.Allow("203.0.113.9", now); w != 0 {
		t.Fatalf("another client refused: %v", w)
	}
	if w := l.Allow("198.51.100.7", now.Add(6*time.Second)); w != 0 {
		t.Fatalf("after the wait: refused again (%v)", w)
	}
}

func TestLimiterForgetsIdleKeysButNotHeldOnes(t *testing.T) {
	l := NewLimiter(1, 2, 100)
	now := time.Date(2026, 12, 2, 1, 0, 0, 0, time.UTC)
	l.Allow("attacker", now)
	l.Allow("attacker", now)
	if l.Allow("attacker", now) == 0 {
		t.Fatal("third event in the same instant allowed")
	}
	for i := range 150 {
		l.Allow("idle-"+strconv.Itoa(i), now.Add(-time.Hour))
	}
	if n := l.Len(); n > 200 {
		t.Fatalf("%d keys held, bound is 100 (200 at most)", n)
	}
	// The attacker's empty bucket is still there: still refused.
	if l.Allow("attacker", now) == 0 {
		t.Fatal("the held-back key was forgotten by eviction")
	}
	// Fresh keys whose buckets are full are dropped first.
	for i := range 10_000 {
		l.Allow("k"+strconv.Itoa(i), now.Add(time.Duration(i)*time.Second))
	}
	if n := l.Len(); n > 200 {
		t.Fatalf("%d keys after 10,000 clients, bound 100", n)
	}
}

func TestGateBoundsRunningAndWaiting(t *testing.T) {
	g := NewGate(2, 3, 200*time.Millisecond)
	ctx := context.Background()
	var releases []func()
	for range 2 {
		rel, err := g.Enter(ctx)
		if err != nil {
			t.Fatal(err)
		}
		releases = append(releases, rel)
	}
	// Three may wait; the fourth is refused at once.
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rel, err := g.Enter(ctx)
			if err == nil {
				defer rel()
			}
			errs <- err
		}()
	}
	deadline := time.Now().Add(2 * time.Second)
	for g.Stats().Waiting < 3 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	start := time.Now()
	_, err := g.Enter(ctx)
	var full *Full
	if !errors.As(err, &full) {
		t.Fatalf("fourth waiter: %v, want *Full", err)
	}
	if time.Since(start) > 50*time.Millisecond {
		t.Errorf("a full queue made the caller wait %v", time.Since(start))
	}
	if full.Retry < time.Second || full.Retry%time.Second != 0 {
		t.Errorf("Retry %v, want whole seconds ≥ 1", full.Retry)
	}
	// Nobody is released: the waiters give up after MaxWait.
	wg.Wait()
	close(errs)
	for err := range errs {
		if !errors.As(err, &full) {
			t.Errorf("waiter past MaxWait: %v, want *Full", err)
		}
	}
	for _, rel := range releases {
		rel()
		rel() // a second call gives back nothing more
	}
	if s := g.Stats(); s.Running != 0 || s.Waiting != 0 {
		t.Fatalf("after release: %+v", s)
	}
	rel, err := g.Enter(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rel()
}

func TestGuardSaysWhichLimit(t *testing.T) {
	g := &Guard{PerClient: NewLimiter(1, 1, 0), Gate: NewGate(1, 0, time.Millisecond)}
	ctx := context.Background()
	rel, err := g.Enter(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	var lim *Limited
	if _, err := g.Enter(ctx, "a"); !errors.As(err, &lim) || lim.Retry != time.Second {
		t.Fatalf("same client again: %v, want *Limited after 1s", err)
	}
	var full *Full
	if _, err := g.Enter(ctx, "b"); !errors.As(err, &full) {
		t.Fatalf("other client with the gate full: %v, want *Full", err)
	}
	rel()
	if rel, err := g.Enter(ctx, ""); err != nil {
		t.Fatalf("unkeyed client: %v", err)
	} else {
		rel()
	}
}
