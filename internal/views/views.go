// Package views counts article page views and share-button clicks in
// memory, without cookies and without storing anything about the reader,
// and writes the counts to the store every few seconds and on Close.
//
// On several nodes each node counts and writes its own readers' views
// (the writes add up). The work about the stored counts is the
// cluster's, done by one node at a time: WatchRanking (is the most-read
// list another?) and TrimHistory (drop old hourly counts); the caller
// runs them under a lease.
package views

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/web"
)

// Store is where counts go, and where the most-read ranking is read back
// to see whether it moved.
type Store interface {
	newsroom.ViewRecorder
	newsroom.ViewDetailRecorder
	newsroom.Shares
	MostRead(ctx context.Context, since, now time.Time, limit int) ([]*newsroom.Article, error)
}

// Config configures a Counter. Store is required.
type Config struct {
	// OnJob, when set, hears each periodic flush and its error; for
	// metrics.
	OnJob    func(job string, err error)
	Store    Store
	Now      newsroom.Clock // nil: time.Now
	Location *time.Location // day buckets follow this zone's calendar (nil: UTC)
	// Zone, when set, gives the zone in force at each count (the desk's
	// Settings); it wins over Location.
	Zone func() *time.Location
	// FlushEvery is how often counts are written (0: 5 seconds).
	FlushEvery time.Duration
	// MaxPending is how many distinct article-days may wait before a flush
	// is started early (0: 10,000).
	MaxPending int
	// TrustProxy takes the client address from X-Forwarded-For (see
	// web.ClientKey), for counting a client's view once per window.
	TrustProxy bool
	// Window is how long a client's view of an article counts once (0:
	// 30 minutes); MaxSeen bounds the (client, article) pairs kept for it
	// (0: 200,000; past it the oldest window is forgotten early).
	Window  time.Duration
	MaxSeen int
	// SessionCookie is the desk's cookie (main passes its name); requests
	// carrying it are staff and do not count ("": every request may count).
	SessionCookie string
	// Announce, if set, is called with "most-read" when today's or this
	// week's top list changed, checked every RankEvery by WatchRanking,
	// so pages showing the lists can be refreshed without churning the
	// page cache on every view.
	Announce  func(ctx context.Context, keys ...string)
	RankEvery time.Duration // 0: 5 minutes
	Logger    *slog.Logger
}

// bucket is one article on one day.
type bucket struct {
	day time.Time
	id  int64
}

type seenKey struct {
	client string
	id     int64
}

// Counter aggregates views in memory and writes them in one transaction
// per flush: a crash loses at most one interval of counts, a burst costs no
// more writes than a trickle, and writing them drops no cached page. Its
// methods are safe for concurrent use. Start the flush loop with Start;
// stop it with Close.
type Counter struct {
	cfg     Config
	mu      sync.Mutex
	pending map[bucket]int
	shares  map[newsroom.ShareKey]int
	// hourly and sources are the front page's detail: views per article
	// and hour, and arrivals per day by the class of their Referer.
	hourly  map[newsroom.HourKey]int
	sources map[newsroom.SourceKey]int
	// seen and older are the (client, article) pairs viewed in this window
	// and the one before; a pair in either does not count again.
	seen, older map[seenKey]struct{}
	turned      time.Time
	kick        chan struct{}
	done        chan struct{}
	stopped     chan struct{}
	started     atomic.Bool
	closed      atomic.Bool

	counted, written, flushes, repeats atomic.Int64
	sharesCounted, sharesWritten       atomic.Int64

	rankMu    sync.Mutex
	lastLists [][]int64 // today's and the week's, overall then per language
}

// New returns a Counter; call Start to flush in the background.
func New(cfg Config) *Counter {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.Zone == nil {
		fixed := cfg.Location
		cfg.Zone = func() *time.Location { return fixed }
	}
	if cfg.FlushEvery <= 0 {
		cfg.FlushEvery = 5 * time.Second
	}
	if cfg.MaxPending <= 0 {
		cfg.MaxPending = 10_000
	}
	if cfg.RankEvery <= 0 {
		cfg.RankEvery = 5 * time.Minute
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Window <= 0 {
		cfg.Window = 30 * time.Minute
	}
	if cfg.MaxSeen <= 0 {
		cfg.MaxSeen = 200_000
	}
	return &Counter{cfg: cfg, pending: map[bucket]int{}, shares: map[newsroom.ShareKey]int{},
		hourly: map[newsroom.HourKey]int{}, sources: map[newsroom.SourceKey]int{},
		seen: map[seenKey]struct{}{}, older: map[seenKey]struct{}{}, kick: make(chan struct{}, 1),
		done: make(chan struct{}), stopped: make(chan struct{})}
}

// Add counts one view of article id now, arriving directly.
func (c *Counter) Add(id int64) { c.AddFrom(id, newsroom.SourceDirect) }

// AddFrom counts one view of article id now that arrived from source (one
// of newsroom.Sources; "" is a view from the site's own pages, counted but
// not as an arrival).
func (c *Counter) AddFrom(id int64, source string) {
	if id <= 0 || c.closed.Load() {
		return
	}
	now := c.cfg.Now()
	b := bucket{day: newsroom.ViewDay(now, c.cfg.Zone()), id: id}
	c.mu.Lock()
	c.pending[b]++
	c.hourly[newsroom.HourKey{ArticleID: id, Hour: now.UTC().Truncate(time.Hour)}]++
	if source != "" {
		c.sources[newsroom.SourceKey{Day: b.day, Source: source}]++
	}
	n := len(c.pending) + len(c.hourly)
	c.mu.Unlock()
	c.counted.Add(1)
	c.kickIfFull(n)
}

// kickIfFull asks the flusher to write now when n counts are waiting,
// the most Config.MaxPending allows.
func (c *Counter) kickIfFull(n int) {
	if n >= c.cfg.MaxPending {
		select {
		case c.kick <- struct{}{}:
		default:
		}
	}
}

// AddShare counts one click on the article's share button for network
// (one of newsroom.Networks; others are dropped).
func (c *Counter) AddShare(id int64, network string) {
	if id <= 0 || c.closed.Load() || newsroom.CheckNetwork(network) != nil {
		return
	}
	c.mu.Lock()
	c.shares[newsroom.ShareKey{ArticleID: id, Network: network}]++
	n := len(c.pending) + len(c.shares)
	c.mu.Unlock()
	c.sharesCounted.Add(1)
	c.kickIfFull(n)
}

// Hook is a cache.ArticleHook, called through the page cache's
// StripInternal for every page that carries X-Newsdesk-Article (cache hits
// too): it counts the view if the request is one (Countable), once per
// client address and article in a window (Config.Window, 30 minutes).
func (c *Counter) Hook(r *http.Request, status int, id int64) {
	if Countable(r, status, c.cfg.SessionCookie) {
		c.countOnce(r, id, r.Referer())
	}
}

// countOnce counts the view of article id by r's client, arriving from
// referrer, unless the client has viewed it in this window.
func (c *Counter) countOnce(r *http.Request, id int64, referrer string) {
	if c.first(web.ClientKey(r, c.cfg.TrustProxy), id) {
		c.AddFrom(id, newsroom.ClassifyReferrer(referrer, r.Host))
	}
}

// first reports whether client has not viewed article id in this window
// or the one before, and remembers that it has now.
func (c *Counter) first(client string, id int64) bool {
	k := seenKey{client, id}
	now := c.cfg.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if since := now.Sub(c.turned); since >= c.cfg.Window || len(c.seen) >= c.cfg.MaxSeen {
		c.older, c.seen, c.turned = c.seen, make(map[seenKey]struct{}, len(c.seen)), now
		if since >= 2*c.cfg.Window {
			clear(c.older) // nothing seen in the last window
		}
	}
	_, a := c.seen[k]
	_, b := c.older[k]
	if a || b {
		c.repeats.Add(1)
		return false
	}
	c.seen[k] = struct{}{}
	return true
}

// Countable reports whether a response with status to r is a reader's page
// view: a GET answered 200 (a 304 is a browser revalidating a copy it has
// already shown), from a browser, not a prefetch, not from the desk or
// anyone carrying its session cookie.
func Countable(r *http.Request, status int, sessionCookie string) bool {
	if r.Method != http.MethodGet || status != http.StatusOK {
		return false
	}
	if strings.HasPrefix(r.URL.Path, "/desk") || strings.HasPrefix(r.URL.Path, "/api/") {
		return false
	}
	// Canonical names, read from the map: a cache hit asks each of them.
	if p := headerValue(r.Header, "Sec-Purpose"); p != "" && strings.Contains(p, "prefetch") {
		return false
	}
	if headerValue(r.Header, "Purpose") == "prefetch" || headerValue(r.Header, "X-Moz") == "prefetch" {
		return false
	}
	return fromReader(r, sessionCookie)
}

// fromReader reports whether r comes from a reader's browser: not a
// robot, not carrying the desk's session cookie (staff).
func fromReader(r *http.Request, sessionCookie string) bool {
	if sessionCookie != "" {
		if _, err := r.Cookie(sessionCookie); err == nil {
			return false
		}
	}
	return !IsBot(r.UserAgent())
}

// headerValue is h.Get(name) for a name in canonical form.
func headerValue(h http.Header, name string) string {
	if v := h[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// botWords mark user agents that are not a person reading: crawlers,
// previewers, monitors, command-line and library clients.
var botWords = []string{
	"bot", "crawl", "spider", "slurp", "archiver", "facebookexternalhit", "embedly", "preview",
	"monitor", "uptime", "pingdom", "lighthouse", "headless", "phantomjs", "scrapy",
	"curl/", "wget/", "python", "go-http-client", "java/", "okhttp", "libwww", "httpclient",
	"node-fetch", "axios", "feedfetcher", "rss", "feed", "validator", "check",
}

// IsBot reports whether ua is not a reader's browser: empty, without the
// "Mozilla/" or "Opera/" every browser sends, or naming a known robot or
// client library.
func IsBot(ua string) bool {
	if ua == "" {
		return true
	}
	l := strings.ToLower(ua)
	if !strings.HasPrefix(l, "mozilla/") && !strings.HasPrefix(l, "opera/") {
		return true
	}
	for _, w := range botWords {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// Start runs the flush loop until Close.
func (c *Counter) Start() {
	if !c.started.CompareAndSwap(false, true) {
		return
	}
	go c.loop()
}

func (c *Counter) loop() {
	defer close(c.stopped)
	t := time.NewTicker(c.cfg.FlushEvery)
	defer t.Stop()
	for {
		select {
		case <-c.done:
			return
		case <-t.C:
		case <-c.kick:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err := c.Flush(ctx)
		if err != nil {
			c.cfg.Logger.Warn("views: flush failed; counts kept for the next try", "err", err)
		}
		if c.cfg.OnJob != nil {
			c.cfg.OnJob("views_flush", err)
		}
		cancel()
	}
}

// maxKept bounds the counts kept after failed flushes, so a database that
// stays away cannot make memory grow without end.
const maxKept = 200_000

// Flush writes the pending counts, one transaction per day bucket. Counts
// that could not be written are kept for the next flush.
func (c *Counter) Flush(ctx context.Context) error {
	c.mu.Lock()
	batch, shares := c.pending, c.shares
	hourly, sources := c.hourly, c.sources
	c.pending = make(map[bucket]int, len(batch))
	c.shares = make(map[newsroom.ShareKey]int, len(shares))
	c.hourly = make(map[newsroom.HourKey]int, len(hourly))
	c.sources = make(map[newsroom.SourceKey]int, len(sources))
	c.mu.Unlock()
	shareErr := errors.Join(c.flushShares(ctx, shares), c.flushDetail(ctx, hourly, sources))
	if len(batch) == 0 {
		return shareErr
	}
	byDay := map[time.Time]map[int64]int{}
	for b, n := range batch {
		if byDay[b.day] == nil {
			byDay[b.day] = map[int64]int{}
		}
		byDay[b.day][b.id] += n
	}
	var errs []error
	for day, counts := range byDay {
		if err := c.cfg.Store.AddViews(ctx, day, counts); err != nil {
			errs = append(errs, err)
			c.mu.Lock()
			if len(c.pending) < maxKept {
				for id, n := range counts {
					c.pending[bucket{day, id}] += n
				}
			}
			c.mu.Unlock()
			continue
		}
		var sum int64
		for _, n := range counts {
			sum += int64(n)
		}
		c.written.Add(sum)
		c.flushes.Add(1)
	}
	return errors.Join(append(errs, shareErr)...)
}

// flushShares writes share clicks in one transaction; on failure they are
// kept for the next flush (within maxKept).
func (c *Counter) flushShares(ctx context.Context, shares map[newsroom.ShareKey]int) error {
	if len(shares) == 0 {
		return nil
	}
	if err := c.cfg.Store.AddShares(ctx, shares); err != nil {
		c.mu.Lock()
		if len(c.shares) < maxKept {
			for k, n := range shares {
				c.shares[k] += n
			}
		}
		c.mu.Unlock()
		return err
	}
	var sum int64
	for _, n := range shares {
		sum += int64(n)
	}
	c.sharesWritten.Add(sum)
	return nil
}

// flushDetail writes the hourly and source counts in one transaction; on
// failure they are kept for the next flush (within maxKept).
func (c *Counter) flushDetail(ctx context.Context, hourly map[newsroom.HourKey]int, sources map[newsroom.SourceKey]int) error {
	if len(hourly) == 0 && len(sources) == 0 {
		return nil
	}
	if err := c.cfg.Store.AddViewDetail(ctx, hourly, sources); err != nil {
		c.mu.Lock()
		if len(c.hourly) < maxKept {
			for k, n := range hourly {
				c.hourly[k] += n
			}
			for k, n := range sources {
				c.sources[k] += n
			}
		}
		c.mu.Unlock()
		return err
	}
	return nil
}

// WatchRanking runs CheckRanking now and then every RankEvery until ctx
// ends. It reads what every node wrote, and its announcement reaches
// every node (the store's notifications): one node of a cluster runs it.
func (c *Counter) WatchRanking(ctx context.Context) {
	c.every(ctx, c.cfg.RankEvery, "views_ranking", c.CheckRanking)
}

// TrimHistory drops the hourly counts older than
// newsroom.HourlyViewsKept now and then every interval until ctx ends;
// one node of a cluster runs it.
func (c *Counter) TrimHistory(ctx context.Context, interval time.Duration) {
	c.every(ctx, interval, "views_trim", func(ctx context.Context) error {
		n, err := c.cfg.Store.TrimViewHours(ctx, c.cfg.Now().Add(-newsroom.HourlyViewsKept))
		if n > 0 {
			c.cfg.Logger.Debug("views: old hourly counts dropped", "rows", n)
		}
		return err
	})
}

// every runs job now and then every interval until ctx ends, logging
// and reporting (OnJob as name) each run.
func (c *Counter) every(ctx context.Context, interval time.Duration, name string, job func(context.Context) error) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		err := job(ctx)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			c.cfg.Logger.Warn("views: "+name, "err", err)
		}
		if c.cfg.OnJob != nil {
			c.cfg.OnJob(name, err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// CheckRanking announces "most-read" when a top list moved since the
// last check (the first check of a node compares with nothing, so it
// announces any list there is: the node taking the job over cannot know
// what the one before it saw).
func (c *Counter) CheckRanking(ctx context.Context) error {
	if c.cfg.Announce == nil {
		return nil
	}
	c.rankMu.Lock()
	defer c.rankMu.Unlock()
	now := c.cfg.Now()
	today := newsroom.ViewDay(now, c.cfg.Zone())
	// Each edition shows its own language's list: a store that reads
	// them is watched per language too, so a move in the Russian list
	// alone is announced.
	langs := []string{""}
	perLang, _ := c.cfg.Store.(interface {
		MostReadIn(ctx context.Context, lang string, since, now time.Time, limit int) ([]*newsroom.Article, error)
	})
	if perLang != nil {
		langs = append(langs, newsroom.Languages...)
	}
	var lists [][]int64
	for _, since := range []time.Time{today, today.AddDate(0, 0, -6)} {
		for _, l := range langs {
			var list []*newsroom.Article
			var err error
			if l == "" {
				list, err = c.cfg.Store.MostRead(ctx, since, now, 5)
			} else {
				list, err = perLang.MostReadIn(ctx, l, since, now, 5)
			}
			if err != nil {
				return fmt.Errorf("read ranking: %w", err)
			}
			ids := []int64{}
			for _, a := range list {
				ids = append(ids, a.ID)
			}
			lists = append(lists, ids)
		}
	}
	if len(c.lastLists) != len(lists) {
		c.lastLists = make([][]int64, len(lists)) // nothing ranked yet
	}
	if !slices.EqualFunc(lists, c.lastLists, func(a, b []int64) bool { return slices.Equal(a, b) }) {
		c.lastLists = lists
		c.cfg.Announce(ctx, "most-read")
	}
	return nil
}

// Close stops the loop and writes what is pending. Views added after
// Close are not counted.
func (c *Counter) Close(ctx context.Context) error {
	if c.closed.Swap(true) {
		return nil
	}
	if c.started.Load() {
		close(c.done)
		<-c.stopped
	}
	return c.Flush(ctx)
}

// Stats are running totals since the Counter was made.
type Stats struct {
	Counted int64 // views added
	Written int64 // views stored
	Flushes int64 // successful store transactions
	Pending int   // article-days waiting
	Repeats int64 // views not counted: the client's second in the window
	// SharesCounted and SharesWritten are share clicks added and stored.
	SharesCounted, SharesWritten int64
}

// Stats returns the running totals.
func (c *Counter) Stats() Stats {
	c.mu.Lock()
	n := len(c.pending)
	c.mu.Unlock()
	return Stats{Counted: c.counted.Load(), Written: c.written.Load(), Flushes: c.flushes.Load(), Pending: n,
		Repeats: c.repeats.Load(), SharesCounted: c.sharesCounted.Load(), SharesWritten: c.sharesWritten.Load()}
}
