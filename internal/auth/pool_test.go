package auth

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestPoolBoundsHashesAndSaysWhenToComeBack fills a pool of one slot and
// one place in the queue: the third request is refused at once with a
// retry time of at least a second, a queued one that waits too long is
// refused too, and a freed slot serves the next request.
func TestPoolBoundsHashesAndSaysWhenToComeBack(t *testing.T) {
	p := NewPool(1, 1, 200*time.Millisecond)
	ctx := context.Background()
	release := make(chan struct{})
	running := make(chan struct{})
	go p.do(ctx, func() { close(running); <-release })
	<-running

	queued := make(chan error, 1)
	go func() { queued <- p.do(ctx, func() {}) }()
	for p.waiting.Load() != 1 {
		time.Sleep(time.Millisecond)
	}
	err := p.do(ctx, func() { t.Error("ran past a full queue") })
	var busy *BusyError
	if !errors.As(err, &busy) || busy.RetryAfter < time.Second {
		t.Fatalf("third request: %v, want a BusyError with a retry time of at least 1s", err)
	}
	// The queued one gives up after maxWait.
	if err := <-queued; !errors.As(err, &busy) {
		t.Errorf("queued request after its wait: %v, want BusyError", err)
	}
	close(release)
	for len(p.slots) != 0 {
		time.Sleep(time.Millisecond)
	}
	ok, err := p.Check(ctx, mustHash(t, "a long password"), "a long password")
	if err != nil || !ok {
		t.Errorf("check after the slot was freed: %v, %v", ok, err)
	}
	if p.waiting.Load() != 0 {
		t.Errorf("%d still counted as waiting", p.waiting.Load())
	}
}

func TestPoolCancelledWhileQueued(t *testing.T) {
	p := NewPool(1, 4, time.Minute)
	release := make(chan struct{})
	running := make(chan struct{})
	go p.do(context.Background(), func() { close(running); <-release })
	<-running
	defer close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := p.do(ctx, func() {}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("cancelled wait: %v", err)
	}
}

func mustHash(t *testing.T, pw string) string {
	t.Helper()
	h, err := HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	return h
}
