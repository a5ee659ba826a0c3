// Package clocktest is the movable clock tests hand to services and stores
// in place of time.Now, so they can check schedules, comment windows and
// rate limits without waiting.
package clocktest

import (
	"sync"
	"time"
)

// Clock is a clock that stands still until a test moves it. It is safe
// for concurrent use, so a test may move it while a server reads it.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// New returns a clock standing at t.
func New(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time; pass c.Now where a func() time.Time is
// wanted.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// Add moves the clock on by d.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// At returns the time d from now by the clock, without moving it.
func (c *Clock) At(d time.Duration) time.Time { return c.Now().Add(d) }
