package cache

import (
	"context"
	"hash/maphash"

	"newsdesk/internal/newsroom"
)

// genSlots is the number of generation counters keys hash into. Two keys
// sharing a slot only make a store refused more often, never less.
const genSlots = 4096

// Invalidate drops every entry tagged with any of keys, and makes sure a
// render that started before this call is not stored. It returns how many
// entries were dropped.
//
// Each call advances an epoch and records it in the generation slot of
// every key; store refuses an entry whose render began before the last
// change of one of its keys, so a page read from the database before a
// write can never be cached after that write returned.
func (c *Cache) Invalidate(keys ...string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	g := c.epoch.Add(1)
	n := 0
	for _, k := range keys {
		c.gens[c.slot(k)] = g
		for e := range c.byTag[k] {
			c.remove(e)
			n++
		}
	}
	c.invalidated.Add(uint64(n))
	return n
}

// Flush drops every entry, and makes sure no render that started before
// this call is stored. Call it when notifications may have been lost
// (after a cross-node listener reconnects).
func (c *Cache) Flush() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.flushed = c.epoch.Add(1)
	c.invalidated.Add(uint64(len(c.entries)))
	for _, e := range c.entries {
		e.elem = nil
	}
	c.entries = map[string]*entry{}
	c.byTag = map[string]map[*entry]struct{}{}
	c.ring.Init()
	c.hand = nil
	c.size = 0
}

// Changed implements newsroom.Notifier: it drops the entries tagged with
// the change's keys and every cached 404 page (KeyNotFound), because any
// write may make a missing page exist. The key "*" flushes all. Wired as
// the store's Notifier, it runs synchronously before the write returns.
func (c *Cache) Changed(_ context.Context, ch newsroom.Change) {
	for _, k := range ch.Keys {
		if k == "*" {
			c.Flush()
			return
		}
	}
	c.Invalidate(append(ch.Keys[:len(ch.Keys):len(ch.Keys)], KeyNotFound)...)
}

func (c *Cache) slot(key string) int {
	return int(maphash.String(c.seed, key) % genSlots)
}
