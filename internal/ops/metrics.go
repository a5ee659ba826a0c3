package ops

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is newsdesk's Prometheus registry: its own, never the global
// one, so nothing registers into it by import. Every name starts with
// newsdesk_ except Go's and the process's own.
type Metrics struct {
	reg *prometheus.Registry

	requests  *prometheus.CounterVec
	duration  *prometheus.HistogramVec
	inFlight  prometheus.Gauge
	queries   *prometheus.HistogramVec
	jobRuns   *prometheus.CounterVec
	jobLast   *prometheus.GaugeVec
	comments  *prometheus.CounterVec
	reports   *prometheus.CounterVec
	slowQuery prometheus.Counter

	// series keeps the request metrics' series by label values.
	seriesMu sync.RWMutex
	series   map[requestLabels]*requestSeries
}

// NewMetrics returns a registry with Go's and the process's collectors and
// newsdesk's request, query, job and reader-input metrics.
func NewMetrics() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry(), series: map[requestLabels]*requestSeries{}}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "newsdesk_http_requests_total",
		Help: "HTTP requests answered, by method, route pattern and status code.",
	}, []string{"method", "route", "code"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "newsdesk_http_request_duration_seconds",
		Help:    "Time to answer an HTTP request, by route pattern and page-cache result (hit, miss, - when not cached).",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"route", "cache"})
	m.inFlight = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "newsdesk_http_requests_in_flight",
		Help: "HTTP requests being answered now.",
	})
	m.queries = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "newsdesk_db_query_duration_seconds",
		Help:    "Time of one database call (query, exec, begin, commit), by pool and kind.",
		Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, 1},
	}, []string{"pool", "kind"})
	m.slowQuery = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "newsdesk_db_slow_queries_total",
		Help: "Database calls slower than the slow-query threshold (each is logged with its time).",
	})
	m.jobRuns = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "newsdesk_job_runs_total",
		Help: "Runs of background jobs, by job and result (ok, error).",
	}, []string{"job", "result"})
	m.jobLast = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "newsdesk_job_last_success_timestamp_seconds",
		Help: "When each background job last finished without error (Unix time).",
	}, []string{"job"})
	m.comments = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "newsdesk_comments_total",
		Help: "Readers' comments received, by result (accepted, refused, limited).",
	}, []string{"result"})
	m.reports = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "newsdesk_error_reports_total",
		Help: "Readers' error reports received, by result (accepted, refused, limited).",
	}, []string{"result"})
	m.reg.MustRegister(m.requests, m.duration, m.inFlight, m.queries, m.slowQuery, m.jobRuns, m.jobLast,
		m.comments, m.reports,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, r := range []string{"accepted", "refused", "limited"} {
		m.comments.WithLabelValues(r)
		m.reports.WithLabelValues(r)
	}
	return m
}

// Handler serves the metrics in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Register adds collectors (such as the page cache's or the pool's).
func (m *Metrics) Register(cs ...prometheus.Collector) { m.reg.MustRegister(cs...) }

func (m *Metrics) observeRequest(method, route string, status int, d time.Duration, cache string) {
	if route == "" {
		route = "unmatched"
	}
	k := requestLabels{method, route, status, cache}
	m.seriesMu.RLock()
	o := m.series[k]
	m.seriesMu.RUnlock()
	if o == nil {
		o = &requestSeries{m.requests.WithLabelValues(method, route, strconv.Itoa(status)), m.duration.WithLabelValues(route, cache)}
		m.seriesMu.Lock()
		if len(m.series) < maxKeptSeries {
			m.series[k] = o
		}
		m.seriesMu.Unlock()
	}
	o.count.Inc()
	o.duration.Observe(d.Seconds())
}

// requestLabels are one request's label values; requestSeries are the
// counter and histogram they name, kept so that a request costs one map
// look-up rather than the client library's hashing of every label value,
// byte by byte, for each of the two.
type requestLabels struct {
	method, route string
	status        int
	cache         string
}

type requestSeries struct {
	count    prometheus.Counter
	duration prometheus.Observer
}

// maxKeptSeries bounds the label sets kept (methods come from clients).
const maxKeptSeries = 4096

// ObserveQuery records one database call.
func (m *Metrics) ObserveQuery(pool, kind string, d time.Duration, slow bool) {
	m.queries.WithLabelValues(pool, kind).Observe(d.Seconds())
	if slow {
		m.slowQuery.Inc()
	}
}

// JobDone records one run of a background job.
func (m *Metrics) JobDone(job string, err error) {
	if err != nil {
		m.jobRuns.WithLabelValues(job, "error").Inc()
		return
	}
	m.jobRuns.WithLabelValues(job, "ok").Inc()
	m.jobLast.WithLabelValues(job).SetToCurrentTime()
}

// Comment counts a reader's comment by result: accepted, refused or limited.
func (m *Metrics) Comment(result string) { m.comments.WithLabelValues(result).Inc() }

// ErrorReport counts a reader's error report by result.
func (m *Metrics) ErrorReport(result string) { m.reports.WithLabelValues(result).Inc() }
