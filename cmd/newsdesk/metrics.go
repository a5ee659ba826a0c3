package main

import (
	"io/fs"
	"path/filepath"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"newsdesk/internal/cache"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/sqlstore"
)

// queryObserver times every database call into the metrics and logs the
// slow ones with their time (the SQL text only, never its arguments).
func (a *app) queryObserver(slow time.Duration) sqlstore.QueryObserver {
	return func(pool, kind, query string, d time.Duration) {
		isSlow := slow > 0 && d >= slow
		a.metrics.ObserveQuery(pool, kind, d, isSlow)
		if isSlow {
			if len(query) > 300 {
				query = query[:300] + "…"
			}
			a.log.Warn("slow query", "pool", pool, "kind", kind, "duration_ms", float64(d.Microseconds())/1000, "sql", query)
		}
	}
}

// inputResult names the outcome of a reader's comment or error report.
func inputResult(err error) string {
	switch {
	case err == nil:
		return "accepted"
	case newsroom.ErrorCode(err) == newsroom.RateLimited:
		return "limited"
	case newsroom.ErrorCode(err) == newsroom.Internal, newsroom.ErrorCode(err) == newsroom.Unavailable:
		return "failed"
	}
	return "refused"
}

// registerMetrics adds the page cache, the pools and the media store to
// the registry, and hooks the background jobs and readers' input.
func (a *app) registerMetrics() {
	m := a.metrics
	a.comments.OnPost = func(err error) { m.Comment(inputResult(err)) }
	a.comments.OnJob = m.JobDone
	a.desk.Scheduler.OnRun = func(err error) { m.JobDone("scheduler", err) }
	if a.cache != nil {
		m.Register(cacheCollector{a.cache})
	}
	m.Register(poolCollector{a.store})
	m.Register(&mediaCollector{dirs: []string{filepath.Join(a.cfg.DataDir, "media"), filepath.Join(a.cfg.DataDir, "originals")}})
}

var (
	descCacheHits      = prometheus.NewDesc("newsdesk_cache_hits_total", "Requests answered from the page cache.", nil, nil)
	descCacheMisses    = prometheus.NewDesc("newsdesk_cache_misses_total", "Cacheable requests the page cache did not hold.", nil, nil)
	descCacheBypass    = prometheus.NewDesc("newsdesk_cache_bypasses_total", "Requests the page cache did not consider (signed in, POST, ...).", nil, nil)
	descCacheEvictions = prometheus.NewDesc("newsdesk_cache_evictions_total", "Page-cache entries evicted for memory.", nil, nil)
	descCacheInval     = prometheus.NewDesc("newsdesk_cache_invalidations_total", "Page-cache entries dropped because what they show changed.", nil, nil)
	descCacheRenders   = prometheus.NewDesc("newsdesk_cache_renders_total", "Pages rendered for the cache.", nil, nil)
	descCacheBytes     = prometheus.NewDesc("newsdesk_cache_bytes", "Bytes held by the page cache.", nil, nil)
	descCacheEntries   = prometheus.NewDesc("newsdesk_cache_entries", "Entries held by the page cache.", nil, nil)
	descCacheBudget    = prometheus.NewDesc("newsdesk_cache_budget_bytes", "Bytes the page cache may hold now (--cache-mb, less near --memory-limit).", nil, nil)
	descRendering      = prometheus.NewDesc("newsdesk_renders_in_flight", "Pages rendering now for the cache.", nil, nil)
	descRenderQueue    = prometheus.NewDesc("newsdesk_renders_queued", "Page renders waiting for a render slot.", nil, nil)
)

type cacheCollector struct{ c *cache.Cache }

func (cacheCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descCacheHits, descCacheMisses, descCacheBypass, descCacheEvictions, descCacheInval,
		descCacheRenders, descCacheBytes, descCacheEntries, descCacheBudget, descRendering, descRenderQueue} {
		ch <- d
	}
}

func (cc cacheCollector) Collect(ch chan<- prometheus.Metric) {
	s := cc.c.Stats()
	counter := func(d *prometheus.Desc, v uint64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v))
	}
	gauge := func(d *prometheus.Desc, v float64) { ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v) }
	counter(descCacheHits, s.Hits)
	counter(descCacheMisses, s.Misses)
	counter(descCacheBypass, s.Bypasses)
	counter(descCacheEvictions, s.Evictions)
	counter(descCacheInval, s.Invalidated)
	counter(descCacheRenders, s.Renders)
	gauge(descCacheBytes, float64(s.Bytes))
	gauge(descCacheEntries, float64(s.Entries))
	gauge(descCacheBudget, float64(s.Budget))
	gauge(descRendering, float64(s.Rendering))
	gauge(descRenderQueue, float64(s.Waiting))
}

// descSearchIndex is 1 with the index searches use: fts5 (SQLite), rum
// or gin (PostgreSQL, with or without the RUM extension's indexes).
var descSearchIndex = prometheus.NewDesc("newsdesk_search_index", "The index searches use (label index: fts5, rum or gin); always 1.", []string{"index"}, nil)

var (
	descPoolOpen    = prometheus.NewDesc("newsdesk_db_connections_open", "Open database connections.", []string{"pool"}, nil)
	descPoolInUse   = prometheus.NewDesc("newsdesk_db_connections_in_use", "Database connections in use.", []string{"pool"}, nil)
	descPoolIdle    = prometheus.NewDesc("newsdesk_db_connections_idle", "Idle database connections.", []string{"pool"}, nil)
	descPoolMax     = prometheus.NewDesc("newsdesk_db_connections_max", "Most connections the pool opens.", []string{"pool"}, nil)
	descPoolWaits   = prometheus.NewDesc("newsdesk_db_connection_waits_total", "Times a caller waited for a free connection.", []string{"pool"}, nil)
	descPoolWaitSec = prometheus.NewDesc("newsdesk_db_connection_wait_seconds_total", "Time callers spent waiting for a free connection.", []string{"pool"}, nil)
)

type poolCollector struct{ st *sqlstore.Store }

func (poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descSearchIndex, descPoolOpen, descPoolInUse, descPoolIdle, descPoolMax, descPoolWaits, descPoolWaitSec} {
		ch <- d
	}
}

func (pc poolCollector) Collect(ch chan<- prometheus.Metric) {
	ch <- prometheus.MustNewConstMetric(descSearchIndex, prometheus.GaugeValue, 1, pc.st.SearchIndex())
	for name, s := range pc.st.PoolStats() {
		ch <- prometheus.MustNewConstMetric(descPoolOpen, prometheus.GaugeValue, float64(s.OpenConnections), name)
		ch <- prometheus.MustNewConstMetric(descPoolInUse, prometheus.GaugeValue, float64(s.InUse), name)
		ch <- prometheus.MustNewConstMetric(descPoolIdle, prometheus.GaugeValue, float64(s.Idle), name)
		ch <- prometheus.MustNewConstMetric(descPoolMax, prometheus.GaugeValue, float64(s.MaxOpenConnections), name)
		ch <- prometheus.MustNewConstMetric(descPoolWaits, prometheus.CounterValue, float64(s.WaitCount), name)
		ch <- prometheus.MustNewConstMetric(descPoolWaitSec, prometheus.CounterValue, s.WaitDuration.Seconds(), name)
	}
}

var (
	descMediaBytes = prometheus.NewDesc("newsdesk_media_stored_bytes", "Bytes of media files stored (renditions and originals; measured at most once a minute).", nil, nil)
	descMediaFiles = prometheus.NewDesc("newsdesk_media_stored_files", "Media files stored.", nil, nil)
)

// mediaCollector measures the media directories, at most once a minute.
type mediaCollector struct {
	dirs []string

	mu           sync.Mutex
	at           time.Time
	bytes, files int64
}

func (*mediaCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descMediaBytes
	ch <- descMediaFiles
}

func (mc *mediaCollector) Collect(ch chan<- prometheus.Metric) {
	mc.mu.Lock()
	if time.Since(mc.at) > time.Minute {
		mc.bytes, mc.files = 0, 0
		for _, d := range mc.dirs {
			filepath.WalkDir(d, func(_ string, e fs.DirEntry, err error) error {
				if err == nil && e.Type().IsRegular() {
					if info, err := e.Info(); err == nil {
						mc.bytes += info.Size()
						mc.files++
					}
				}
				return nil
			})
		}
		mc.at = time.Now()
	}
	b, f := mc.bytes, mc.files
	mc.mu.Unlock()
	ch <- prometheus.MustNewConstMetric(descMediaBytes, prometheus.GaugeValue, float64(b))
	ch <- prometheus.MustNewConstMetric(descMediaFiles, prometheus.GaugeValue, float64(f))
}
