package cache

import (
	"fmt"
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
