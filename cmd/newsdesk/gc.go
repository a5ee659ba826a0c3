package main

import (
	"context"
	"log/slog"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// The Go runtime collects garbage when the heap has grown by GOGC percent
// of what the last collection found live (100: doubled). With a memory
// limit (--memory-limit) that is a needlessly short leash while the live
// heap is small: on a site whose cache is not full, the live heap is
// mostly templates and tables (about 14 MB), so the runtime marked those
// again after every 14 MB of requests (3,500 cache hits), and that was
// more than half of what newsdesk added to a hit over a bare Go server
// (callgrind, docs/PERFORMANCE.md "Where the time goes"). So
// newsdesk lets the heap grow between collections by at least half the
// limit: the collector's percent is raised while the live heap is under
// half the limit, and is back at 100 from there. The limit itself is
// untouched, and the runtime never lets the heap past it, so the peak
// memory is what it was (a full cache already runs at the limit); only a
// site whose cache is far from full holds more garbage between
// collections, up to half the limit.
const (
	gcMinPercent = 100
	gcMaxPercent = 1000
	gcTuneEvery  = time.Second
)

// gcPercentFor is the collector's percent for a live heap of live bytes
// under a memory limit of limit bytes: the growth allowed is at least
// limit/2, and never less than GOGC's default.
func gcPercentFor(live, limit int64) int {
	if limit <= 0 {
		return gcMinPercent
	}
	live = max(live, 1<<20)
	p := limit / 2 * 100 / live
	return int(min(max(p, gcMinPercent), gcMaxPercent))
}

// tuneGC sets the collector's percent from the live heap every second
// until ctx ends, when there is a memory limit and GOGC is not set (the
// operator's GOGC wins, as GOMEMLIMIT does over --memory-limit).
func tuneGC(ctx context.Context, logger *slog.Logger) {
	limit := runtimeMemoryLimit()
	if limit <= 0 || os.Getenv("GOGC") != "" {
		return
	}
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	set := 0
	apply := func() {
		metrics.Read(sample)
		if sample[0].Value.Kind() != metrics.KindUint64 {
			return
		}
		p := gcPercentFor(int64(sample[0].Value.Uint64()), limit)
		// Small moves are not worth it: within a tenth, keep the last.
		if set == 0 || p*10 < set*9 || p*10 > set*11 {
			debug.SetGCPercent(p)
			set = p
		}
	}
	apply()
	logger.Info("garbage collector", "memory_limit_mib", limit>>20, "gc_percent", set)
	go func() {
		t := time.NewTicker(gcTuneEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				apply()
			}
		}
	}()
}
