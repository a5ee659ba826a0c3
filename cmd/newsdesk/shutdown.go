package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
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
}

type closer struct {
	name string
	stop func(context.Context) error
}

// add appends a closer to stage s.
func (sd *shutdown) add(s stage, name string, stop func(context.Context) error) {
	sd.closers[s] = append(sd.closers[s], closer{name, stop})
}

// goJob runs job in a goroutine that join waits for; the job must return
// once the context it runs on ends (serve cancels it in stopJobs, then
// joins).
func (sd *shutdown) goJob(job func()) {
	sd.jobs.Add(1)
	go func() {
		defer sd.jobs.Done()
		job()
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
