package main

import (
	"context"

	"newsdesk/internal/cache"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/purge"
	"newsdesk/internal/sqlstore"
)

// addPurger makes the purger of --purge-url and has it hear what the page
// cache hears: every local commit (synchronously, after the page cache
// dropped its entries) and every other node's change (after this node's
// cache dropped them, so the shared tier refetches nothing stale from
// here). Every change also purges the cached 404s (any write may make a
// missing page exist); a listener that reconnected purges everything.
func (a *app) addPurger(opts *sqlstore.Options) {
	p, err := purge.New(a.cfg.Nodes.purgeConfig(a.log))
	if err != nil {
		panic(err) // validate checked the configuration
	}
	a.purger = p
	n := newsroom.NotifierFunc(func(_ context.Context, c newsroom.Change) {
		p.Purge(append(c.Keys[:len(c.Keys):len(c.Keys)], cache.KeyNotFound)...)
	})
	opts.Notifier = newsroom.Notifiers{opts.Notifier, n}
	opts.Remote = newsroom.Notifiers{opts.Remote, n}
	resync := opts.Resync
	opts.Resync = func() {
		resync()
		p.Purge(purge.AllKey)
	}
}
