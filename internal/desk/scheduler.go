package desk

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"newsdesk/internal/newsroom"
)

// schedulerFallback is the longest the scheduler sleeps without looking
// at the database: a schedule changed on another node (which pokes only
// its own scheduler) is noticed within this time. On this node a timer
// runs to the next due time and is re-armed on every schedule change.
const schedulerFallback = time.Minute

// Scheduler publishes scheduled articles at their time: it sleeps on a
// timer until the next one is due, is woken (Poke) whenever a schedule
// changes, and on start publishes whatever came due while the server was
// down. Publishing is a conditional update in the store, so with several
// nodes each article is published exactly once.
type Scheduler struct {
	store newsroom.Scheduling
	now   newsroom.Clock
	log   *slog.Logger
	wake  chan struct{}

	mu   sync.Mutex // serializes Check
	next time.Time  // when the armed timer fires (for tests and logs)
	// OnRun, when set before Run, hears each check and its error; for
	// metrics.
	OnRun func(err error)
	// OnPublish, when set before Run, is called with each article the
	// scheduler published (main records it in the activity log).
	OnPublish func(ctx context.Context, id int64)
	// Updates, when set before Run, applies the scheduled updates of live
	// stories due at now, each once across nodes, and returns their IDs
	// (the desk sets it). They are noticed within schedulerFallback.
	Updates func(ctx context.Context, now time.Time) ([]int64, error)
}

// NewScheduler returns a scheduler over store using the clock now.
func NewScheduler(store newsroom.Scheduling, now newsroom.Clock, log *slog.Logger) *Scheduler {
	return &Scheduler{store: store, now: now, log: log, wake: make(chan struct{}, 1)}
}

// Poke tells the scheduler that a schedule may have changed. It never
// blocks.
func (sc *Scheduler) Poke() {
	select {
	case sc.wake <- struct{}{}:
	default:
	}
}

// Check publishes every article due at the scheduler's clock now (and
// applies the scheduled updates of live stories) and returns the IDs it
// published or updated and when the next one is due (zero if none).
// Run calls it; tests call it after moving the clock.
func (sc *Scheduler) Check(ctx context.Context) ([]int64, time.Time, error) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	now := sc.now()
	due, err := sc.store.DueScheduled(ctx, now)
	if err != nil {
		return nil, time.Time{}, err
	}
	var published []int64
	for _, d := range due {
		d.Publish(now)
		ok, err := sc.store.PublishScheduled(ctx, d)
		if err != nil {
			return published, time.Time{}, err
		}
		if ok {
			published = append(published, d.ID)
			sc.log.Info("desk: published scheduled article", "id", d.ID, "scheduled_at", d.ScheduledAt)
			if sc.OnPublish != nil {
				sc.OnPublish(ctx, d.ID)
			}
		}
	}
	if sc.Updates != nil {
		updated, err := sc.Updates(ctx, now)
		published = append(published, updated...)
		if err != nil {
			return published, time.Time{}, err
		}
	}
	next, err := sc.store.NextScheduled(ctx)
	if newsroom.IsNotFound(err) {
		return published, time.Time{}, nil
	}
	if err != nil {
		return published, time.Time{}, err
	}
	return published, next.ScheduledAt, nil
}

// Run checks at once (publishing what came due while the server was down),
// then sleeps until the next due time or a Poke, until ctx ends.
func (sc *Scheduler) Run(ctx context.Context) {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		case <-sc.wake:
		}
		wait := schedulerFallback
		_, next, err := sc.Check(ctx)
		if sc.OnRun != nil {
			sc.OnRun(err)
		}
		switch {
		case err != nil && ctx.Err() == nil:
			sc.log.Error("desk: scheduler", "err", err)
			wait = 5 * time.Second
		case !next.IsZero():
			wait = min(max(next.Sub(sc.now()), 0), schedulerFallback)
		}
		sc.mu.Lock()
		sc.next = sc.now().Add(wait)
		sc.mu.Unlock()
		timer.Reset(wait)
	}
}
