package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"newsdesk/internal/newsroom"
)

func testCounters(t *testing.T, st Store) { CheckCounters(t, st) }

// CheckCounters checks a newsroom.Counters (the stores', and Redis's):
// counts in a window, a new window once it ended, reset, and no count
// lost to concurrent callers.
func CheckCounters(t *testing.T, c newsroom.Counters) {
	ctx := context.Background()
	now := time.Now().Truncate(time.Millisecond)
	key := "test:" + now.Format("150405.000000")
	for i := int64(1); i <= 3; i++ {
		n, ends, err := c.AddCount(ctx, key, time.Minute, now.Add(time.Duration(i)*time.Second))
		if err != nil || n != i {
			t.Fatalf("AddCount #%d = %d, %v", i, n, err)
		}
		if d := ends.Sub(now); d < 59*time.Second || d > 64*time.Second {
			t.Errorf("window ends %s after the first event, want about a minute", d)
		}
	}
	if n, _, err := c.Count(ctx, key, now.Add(10*time.Second)); err != nil || n != 3 {
		t.Errorf("Count = %d, %v; want 3", n, err)
	}
	if n, _, err := c.Count(ctx, "test:never", now); err != nil || n != 0 {
		t.Errorf("Count(never) = %d, %v; want 0", n, err)
	}
	if err := c.ResetCount(ctx, key); err != nil {
		t.Fatal(err)
	}
	if n, _, err := c.Count(ctx, key, now.Add(10*time.Second)); err != nil || n != 0 {
		t.Errorf("Count after reset = %d, %v", n, err)
	}
	// A short window ends; the next event starts a new one.
	short := key + ":short"
	if _, _, err := c.AddCount(ctx, short, 200*time.Millisecond, time.Now()); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if n, _, err := c.AddCount(ctx, short, 200*time.Millisecond, time.Now()); err != nil || n != 1 {
		t.Errorf("AddCount after the window ended = %d, %v; want 1", n, err)
	}
	// Concurrent callers (nodes) lose no count.
	conc := key + ":concurrent"
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				if _, _, err := c.AddCount(ctx, conc, time.Minute, time.Now()); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if n, _, err := c.Count(ctx, conc, time.Now()); err != nil || n != 80 {
		t.Errorf("80 concurrent counts: Count = %d, %v", n, err)
	}
}
