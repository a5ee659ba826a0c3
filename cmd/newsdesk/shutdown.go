package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"newsdesk/internal/sqlstore"
)

// A stage of the shutdown. serve runs the stages in this order and, within
// a stage, the closers in the order they were added:
//
//  1. stopServing: the listeners stop accepting and the requests in flight
//     are answered (http.Server.Shutdown);
//  2. stopJobs: every background goroutine is told to stop and joined
//     (scheduler, digests, purges, legal refresh and re-render, the desk's
//     import), so none of them touches the store afterwards;
//  3. flushCounters: what is counted in memory (page views, …) is written;
//  4. closeStore: the database (and its change listener) closes last.
//
// Whoever adds a goroutine or an in-memory counter to serve adds its
// closer to the right stage with shutdown.add.
type stage int

const (
	stopServing stage = iota
	stopJobs
	flushCounters
	closeStore
	stages // the number of stages
)

var stageNames = [stages]string{"stop serving", "stop background jobs", "flush counters", "close the store"}

// shutdown is serve's ordered list of closers.
type shutdown struct {
	closers [stages][]closer
	jobs    sync.WaitGroup // the goroutines started by goJob
	// jobCtx is the context jobs run on; lease takes a cluster lease
	// (nil: every job runs here); log reports lease changes.
	jobCtx context.Context
	lease  func(ctx context.Context, name string) (*sqlstore.Lease, error)
	log    *slog.Logger
}

type closer struct {
	name string
	stop func(context.Context) error
}

// add appends a closer to stage s.
func (sd *shutdown) add(s stage, name string, stop func(context.Context) error) {
	sd.closers[s] = append(sd.closers[s], closer{name, stop})
}

// jobScope says where a background job runs: on every node (its work is
// the node's own: its memory, its index) or once across the cluster (the
// work is shared: digests, purges, the scheduler), holding a lease.
type jobScope int

const (
	perNode jobScope = iota
	perCluster
)

// goJob runs job on sd's job context in a goroutine that join waits for;
// the job must return once its context ends (serve cancels it in
// stopJobs, then joins). A perCluster job runs only while this node holds
// the lease called name (clusterJob); on one SQLite node it always does.
func (sd *shutdown) goJob(scope jobScope, name string, job func(ctx context.Context)) {
	sd.jobs.Add(1)
	go func() {
		defer sd.jobs.Done()
		if scope == perCluster && sd.lease != nil {
			clusterJob(sd.jobCtx, sd.lease, sd.log, name, job)
			return
		}
		job(sd.jobCtx)
	}()
}

// join waits for every goJob goroutine, or for ctx to end.
func (sd *shutdown) join(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		sd.jobs.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("background jobs still running: %w", ctx.Err())
	}
}

// run calls every closer, stage by stage, each with at most timeout, and
// logs how long each took. A failing closer does not stop the ones after
// it: the store is closed whatever happened before.
func (sd *shutdown) run(timeout time.Duration, logger *slog.Logger) error {
	var errs []error
	for s := range stages {
		for _, c := range sd.closers[s] {
			start := time.Now()
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			err := c.stop(ctx)
			cancel()
			if err != nil && !errors.Is(err, context.Canceled) {
				logger.Error("shutdown: "+c.name, "stage", stageNames[s], "err", err)
				errs = append(errs, fmt.Errorf("%s: %w", c.name, err))
				continue
			}
			logger.Debug("shutdown: "+c.name, "stage", stageNames[s], "took", time.Since(start))
		}
	}
	return errors.Join(errs...)
}
