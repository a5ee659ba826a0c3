package main

import (
	"context"
	"time"

	"newsdesk/internal/rediscount"
)

// openCounters chooses where the limits every node must share are
// counted (sign-in failures and locks, comment and report posts, report
// rates, share clicks): Redis with --redis, else PostgreSQL when the
// store is PostgreSQL, else nowhere shared (one node on SQLite: each
// limit in memory, as before).
func (a *app) openCounters(ctx context.Context) error {
	switch {
	case a.cfg.Nodes.Redis != "":
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		c, err := rediscount.Open(cctx, a.cfg.Nodes.Redis)
		if err != nil {
			return usagef("--redis %s: %v", redactDSN(a.cfg.Nodes.Redis), err)
		}
		a.counters, a.closeCounters = c, c.Close
	case a.store.Dialect() == "postgres":
		a.counters = a.store
	}
	return nil
}

// sweepCounters removes the ended windows of the shared counters in
// PostgreSQL every interval until ctx ends (Redis expires its own).
func (a *app) sweepCounters(ctx context.Context, every time.Duration) {
	if a.counters != a.store {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := a.store.DeleteEndedCounts(ctx, a.now()); err != nil {
				a.log.Warn("limits: sweeping ended counters", "err", err)
			} else if n > 0 {
				a.log.Debug("limits: ended counters removed", "n", n)
			}
		}
	}
}
