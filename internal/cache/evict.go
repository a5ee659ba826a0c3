package cache

import (
	"runtime/metrics"
	"sync"
	"time"
)

// store adds e unless one of its keys (or everything) was invalidated
// since start. It reports whether e was stored.
func (c *Cache) store(e *entry, start uint64) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.flushed > start {
		c.refused.Add(1)
		return false
	}
	for _, t := range e.tags {
		if c.gens[c.slot(t)] > start {
			c.refused.Add(1)
			return false
		}
	}
	if old := c.entries[e.key]; old != nil {
		c.remove(old)
	}
	c.entries[e.key] = e
	for _, t := range e.tags {
		set := c.byTag[t]
		if set == nil {
			set = map[*entry]struct{}{}
			c.byTag[t] = set
		}
		set[e] = struct{}{}
	}
	// New entries go just behind the hand: the last the clock looks at.
	if c.hand != nil {
		e.elem = c.ring.InsertBefore(e, c.hand)
	} else {
		e.elem = c.ring.PushBack(e)
	}
	c.size += e.size
	c.stores.Add(1)
	c.evict()
	return true
}

// remove takes e out of every index. The caller holds mu.
func (c *Cache) remove(e *entry) {
	if e.elem == nil {
		return
	}
	if c.entries[e.key] == e {
		delete(c.entries, e.key)
	}
	for _, t := range e.tags {
		if set := c.byTag[t]; set != nil {
			delete(set, e)
			if len(set) == 0 {
				delete(c.byTag, t)
			}
		}
	}
	if c.hand == e.elem {
		c.hand = e.elem.Next()
	}
	c.ring.Remove(e.elem)
	e.elem = nil
	c.size -= e.size
}

// evict runs the clock until the cache fits its budget. The caller holds
// mu.
//
// Eviction is CLOCK by bytes: a hit sets an entry's reference bit; the
// hand clears set bits and evicts the first entry found without one.
func (c *Cache) evict() {
	limit := c.budget()
	for c.size > limit && c.ring.Len() > 0 {
		if c.hand == nil {
			c.hand = c.ring.Front()
		}
		e := c.hand.Value.(*entry)
		if e.ref.Load() {
			e.ref.Store(false)
			c.hand = c.hand.Next()
			continue
		}
		c.remove(e)
		c.evictions.Add(1)
	}
}

// grow accounts n more bytes for e (a body compressed after it was
// stored) if e is still cached.
func (c *Cache) grow(e *entry, n int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e.elem == nil {
		return
	}
	e.size += n
	c.size += n
	c.evict()
}

// minBudget is the least the cache keeps under memory pressure (the hot
// pages of a site fit in it many times over), or a quarter of MaxBytes
// when that is less.
const minBudget = 8 << 20

// budget is how many bytes the cache may hold now: MaxBytes, or less when
// the process nears its memory limit: the live heap besides the cache
// (as the last collection marked it) and an eighth of the limit for the
// garbage come first, down to minBudget. The caller holds mu.
func (c *Cache) budget() int64 {
	if c.memLimit <= 0 {
		return c.max
	}
	other := max(c.liveHeap()-c.size, 0)
	b := c.memLimit - c.memLimit/8 - other
	return min(c.max, max(b, min(c.max/4, minBudget)))
}

var (
	liveSample = []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	liveMu     sync.Mutex
	liveAt     time.Time
	liveBytes  int64
)

// runtimeLiveHeap is the heap the last collection marked live, read from
// runtime/metrics at most every 50 ms (it changes only per collection).
func runtimeLiveHeap() int64 {
	liveMu.Lock()
	defer liveMu.Unlock()
	if now := time.Now(); now.Sub(liveAt) > 50*time.Millisecond {
		metrics.Read(liveSample)
		if liveSample[0].Value.Kind() == metrics.KindUint64 {
			liveBytes = int64(liveSample[0].Value.Uint64())
		}
		liveAt = now
	}
	return liveBytes
}
