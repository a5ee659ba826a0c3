package main

import (
	"context"
	"log/slog"
	"time"

	"newsdesk/internal/sqlstore"
)

// backgroundJob is one of the jobs serve starts besides answering
// requests (shutdown.goJob): scope says whether it is the cluster's work,
// run by one node at a time under the lease called name, or the node's
// own.
type backgroundJob struct {
	scope jobScope
	name  string
	run   func(ctx context.Context)
}

// backgroundJobs lists the jobs serve starts. The cluster's work runs
// once across the nodes: the scheduler, the legal re-render, digests,
// purges of trash and of old rows, and the work about the view counts
// (whether the most-read lists moved, trimming old hourly counts). A
// node's own runs on each: its copy of the legal registry's index. Two
// more are per node and started by serve itself, not listed here: the
// view counter's flush (each node writes the views it counted in its
// memory; the writes add up) and the purger (each node purges the shared
// cache after its own page cache dropped the same keys).
func (a *app) backgroundJobs() []backgroundJob {
	return []backgroundJob{
		{perCluster, "scheduler", a.desk.Scheduler.Run},
		{perCluster, "legal re-render", a.legal.Run},
		{perCluster, "report digests", func(ctx context.Context) { a.reports.Run(ctx, a.cfg.Reports.Digest) }},
		{perNode, "legal registry", func(ctx context.Context) { a.legal.Watch(ctx, legalRefresh) }},
		{perCluster, "comment trash and digests", func(ctx context.Context) { a.comments.Run(ctx, time.Minute) }},
		{perCluster, "story trash", func(ctx context.Context) { a.editorial.RunTrashPurge(ctx, time.Hour, a.metrics.JobDone) }},
		{perCluster, "limit counters", func(ctx context.Context) { a.sweepCounters(ctx, 10*time.Minute) }},
		{perCluster, "most-read ranking", a.views.WatchRanking},
		{perCluster, "view history", func(ctx context.Context) { a.views.TrimHistory(ctx, time.Hour) }},
		{perCluster, "expired sessions", func(ctx context.Context) { a.sweepSessions(ctx, time.Hour) }},
	}
}

// sweepSessions deletes the desk sessions that have expired, now and
// then every interval until ctx ends (an expired session no longer
// signs anyone in; this keeps the table from growing).
func (a *app) sweepSessions(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n, err := a.store.DeleteExpiredSessions(ctx, a.now())
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			a.log.Warn("sessions: deleting expired sessions", "err", err)
		} else if n > 0 {
			a.log.Debug("sessions: expired sessions deleted", "n", n)
		}
		a.metrics.JobDone("sessions_sweep", err)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

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
