// Package rediscount keeps newsroom.Counters in Redis (serve --redis), for
// limits that hold across nodes without a write to PostgreSQL per event.
package rediscount

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"newsdesk/internal/newsroom"
)

// Counters is newsroom.Counters in Redis: one key per counter, expiring
// when its window ends. Windows run on Redis's clock.
type Counters struct {
	cl     *redis.Client
	prefix string
}

var _ newsroom.Counters = (*Counters)(nil)

// Open connects to the Redis server at url (redis://[:PASSWORD@]HOST:PORT/DB)
// and checks that it answers. Keys are prefixed with "newsdesk:".
func Open(ctx context.Context, url string) (*Counters, error) {
	opts, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("redis: %w", err)
	}
	opts.DialTimeout, opts.ReadTimeout, opts.WriteTimeout = 2*time.Second, time.Second, time.Second
	cl := redis.NewClient(opts)
	if err := cl.Ping(ctx).Err(); err != nil {
		cl.Close()
		return nil, fmt.Errorf("redis %s: %w", opts.Addr, err)
	}
	return &Counters{cl: cl, prefix: "newsdesk:"}, nil
}

// WithPrefix returns the same client using prefix for its keys (tests).
func (c *Counters) WithPrefix(prefix string) *Counters { return &Counters{cl: c.cl, prefix: prefix} }

// Close closes the connections.
func (c *Counters) Close() error { return c.cl.Close() }

// addScript counts one event and starts the window on the first.
var addScript = redis.NewScript(`
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}
`)

// AddCount counts one event for key (see newsroom.Counters).
func (c *Counters) AddCount(ctx context.Context, key string, window time.Duration, now time.Time) (int64, time.Time, error) {
	if key == "" || window <= 0 {
		return 0, time.Time{}, errors.New("redis: add count: empty key or window")
	}
	ms := max(window.Milliseconds(), 1)
	res, err := addScript.Run(ctx, c.cl, []string{c.prefix + key}, ms).Int64Slice()
	if err != nil || len(res) != 2 {
		return 0, time.Time{}, fmt.Errorf("redis: add count %q: %w", key, err)
	}
	return res[0], now.Add(time.Duration(res[1]) * time.Millisecond), nil
}

// Count returns key's count in its running window.
func (c *Counters) Count(ctx context.Context, key string, now time.Time) (int64, time.Time, error) {
	pipe := c.cl.Pipeline()
	get := pipe.Get(ctx, c.prefix+key)
	ttl := pipe.PTTL(ctx, c.prefix+key)
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return 0, time.Time{}, fmt.Errorf("redis: count %q: %w", key, err)
	}
	n, err := get.Int64()
	if errors.Is(err, redis.Nil) {
		return 0, time.Time{}, nil
	}
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("redis: count %q: %w", key, err)
	}
	return n, now.Add(ttl.Val()), nil
}

// ResetCount forgets key.
func (c *Counters) ResetCount(ctx context.Context, key string) error {
	if err := c.cl.Del(ctx, c.prefix+key).Err(); err != nil {
		return fmt.Errorf("redis: reset count %q: %w", key, err)
	}
	return nil
}
