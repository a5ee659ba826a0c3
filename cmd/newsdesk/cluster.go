package main

import (
	"context"
	"log/slog"
	"time"

	"newsdesk/internal/sqlstore"
)

// leaseRetry is how often a node that does not hold a job's lease tries
// to take it: how long shared work waits after its holder died.
const leaseRetry = 2 * time.Second

// clusterJob runs job while this node holds the lease called name, and
// tries again every leaseRetry while another node holds it. When the
// lease is lost (the database connection holding it failed) the job is
// stopped and the node competes for the lease again; when the holder
// dies, its session ends, the database frees the lock, and the next try
// on another node takes it: the work resumes there. A job that returns
// by itself (its interval is 0) is not started again.
func clusterJob(ctx context.Context, take func(context.Context, string) (*sqlstore.Lease, error), log *slog.Logger, name string, job func(context.Context)) {
	waiting := false
	for ctx.Err() == nil {
		lease, err := take(ctx, name)
		if err != nil && ctx.Err() == nil {
			log.Warn("cluster: cannot take a lease", "job", name, "err", err)
		}
		if lease == nil {
			if !waiting && err == nil {
				log.Debug("cluster: another node runs this job", "job", name)
				waiting = true
			}
			select {
			case <-ctx.Done():
			case <-time.After(leaseRetry):
			}
			continue
		}
		waiting = false
		log.Info("cluster: this node runs the job", "job", name)
		jctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { defer close(done); job(jctx) }()
		lost := false
		select {
		case <-done:
		case <-lease.Lost:
			lost = true
			log.Warn("cluster: lease lost; stopping the job", "job", name)
			cancel()
			<-done
		}
		cancel()
		lease.Release()
		if !lost && ctx.Err() == nil {
			return // the job ended by itself
		}
	}
}
