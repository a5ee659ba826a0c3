package cache

import (
	"fmt"
	"sync/atomic"
	"testing"
)

func TestEvictsByBytesWithClock(t *testing.T) {
	p := newPages(10 << 10)
	c := New(Config{MaxBytes: 100 << 10})
	h := c.Handler(p)
	get(h, "GET", "/p/hot")
	for i := range 40 {
		get(h, "GET", fmt.Sprintf("/p/%d", i))
		get(h, "GET", "/p/hot") // referenced between every insertion
	}
	st := c.Stats()
	if st.Bytes > 100<<10 || st.Evictions == 0 || st.Entries < 5 {
		t.Errorf("after 41 pages of 10 KiB in 100 KiB: %d bytes in %d entries, %d evictions", st.Bytes, st.Entries, st.Evictions)
	}
	if got := p.count("/p/hot"); got != 1 {
		t.Errorf("the hot page was rendered %d times; CLOCK should have kept it", got)
	}
	// Compressed bodies count too.
	before := c.Stats().Bytes
	get(h, "GET", "/p/hot", "Accept-Encoding", "br")
	if after := c.Stats().Bytes; after <= before && c.Stats().Evictions == st.Evictions {
		t.Errorf("a Brotli body did not add to the size: %d then %d", before, after)
	}
	if c.Stats().Bytes > 100<<10 {
		t.Errorf("over the bound after compressing: %d", c.Stats().Bytes)
	}
}

// TestYieldsToTheMemoryLimit: with a memory limit the cache holds less
// than MaxBytes while the rest of the heap grows (live heap minus the
// cache, as the last collection saw it), keeping an eighth of the limit
// free, never below a quarter of MaxBytes; and fills to MaxBytes again
// when the room comes back.
func TestYieldsToTheMemoryLimit(t *testing.T) {
	p := newPages(2 << 10)
	var other atomic.Int64
	var c *Cache
	c = New(Config{MaxBytes: 1 << 20, MemoryLimit: 1 << 20,
		LiveHeap: func() int64 { return other.Load() + c.size }}) // called under c.mu
	h := c.Handler(p)
	fill := func(from int) {
		for i := range 600 {
			get(h, "GET", fmt.Sprintf("/p/%d", from+i))
		}
	}
	fill(0)
	if st := c.Stats(); st.Bytes > 1<<20-1<<17 || st.Bytes < 1<<19 || st.Budget != 1<<20-1<<17 {
		t.Errorf("nothing else on the heap: %d bytes cached, budget %d; want up to the limit less an eighth (%d)", st.Bytes, st.Budget, 1<<20-1<<17)
	}
	other.Store(512 << 10)
	fill(1000)
	if st := c.Stats(); st.Bytes > 384<<10 || st.Budget != 384<<10 {
		t.Errorf("512 KiB of other live heap: %d bytes cached, budget %d; want at most 384 KiB", st.Bytes, st.Budget)
	}
	other.Store(4 << 20)
	fill(2000)
	if st := c.Stats(); st.Bytes > 256<<10 || st.Budget != 256<<10 || st.Entries == 0 {
		t.Errorf("the heap over the limit: %d bytes in %d entries, budget %d; want the floor of a quarter of MaxBytes", st.Bytes, st.Entries, st.Budget)
	}
	other.Store(0)
	fill(3000)
	if st := c.Stats(); st.Bytes < 1<<19 {
		t.Errorf("room again: %d bytes cached, want it to fill again", st.Bytes)
	}
	// Without a limit, MaxBytes alone.
	if b := New(Config{MaxBytes: 1 << 20}).Stats().Budget; b != 1<<20 {
		t.Errorf("no memory limit: budget %d, want MaxBytes", b)
	}
}
