// Package cache is newsdesk's page cache: it keeps the rendered bytes of
// anonymous GET and HEAD responses (pages, feeds, sitemaps) in memory and
// drops them precisely when what they show changes. It is the store's
// newsroom.Notifier, so a committed write invalidates before it returns.
package cache

import (
	"container/list"
	"context"
	"errors"
	"hash/maphash"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"newsdesk/internal/admit"
	"newsdesk/internal/ops"
	"newsdesk/internal/web"
)

// Internal headers and keys shared with the site.
const (
	// HeaderKeys tags a response with the keys it depends on.
	HeaderKeys = web.HeaderKeys
	// HeaderArticle carries the id of the article a page shows.
	HeaderArticle = web.HeaderArticle
	// HeaderStatus says whether the cache answered: "hit" or "miss".
	HeaderStatus = "X-Cache"
	// KeyNotFound tags cached 404 pages; every change drops them.
	KeyNotFound = "notfound"
	// KeyAll is in every stored response's Surrogate-Key beside its own
	// keys: a shared cache in front drops everything when it is purged.
	KeyAll = "newsdesk"
)

// Defaults for Config.
const (
	// DefaultCacheControl makes browsers revalidate a page every time
	// they show it (max-age=0, must-revalidate: a 304 from our ETag costs
	// a round trip and no bytes), so a reader who comes back after posting
	// a comment sees it awaiting moderation and an edit shows at once. A
	// CDN keeps a page for a minute (s-maxage), then may serve it stale
	// for up to ten minutes while it revalidates, or five while the origin
	// is down. A CDN cannot hear our invalidations, so these bound how long
	// a corrected or pulled story stays up behind one: a story taken down
	// for legal reasons must not be served for a day because the origin is
	// unreachable.
	DefaultCacheControl = "public, max-age=0, must-revalidate, s-maxage=60, stale-while-revalidate=600, stale-if-error=300"
	// DefaultTTL is how long an entry is served without being rendered again.
	DefaultTTL = 5 * time.Minute
	// DefaultMaxBytes is the memory bound when Config.MaxBytes is zero.
	DefaultMaxBytes = 48 << 20
)

// Config configures a Cache. The zero value is usable.
type Config struct {
	MaxBytes int64 // memory bound (0 = DefaultMaxBytes)
	// MemoryLimit, when set, is the whole process's memory bound in bytes
	// (the Go runtime's soft limit, which main sets): the cache then holds
	// less than MaxBytes while the rest of the heap needs the room, so
	// that the live heap stays an eighth of the limit below it (the room
	// the garbage between two collections takes). LiveHeap reports the
	// heap marked live by the last collection (nil: the runtime's
	// /gc/heap/live:bytes metric).
	MemoryLimit int64
	LiveHeap    func() int64

	TTL          time.Duration // entry lifetime (0 = DefaultTTL)
	CacheControl string        // Cache-Control of stored responses ("" = DefaultCacheControl)
	// BypassCookies are the cookies a page may depend on (main passes the
	// desk's session and the pending-comments cookie). A request carrying
	// one bypasses the cache when Private says so (nil: always).
	BypassCookies []string
	Private       func(*http.Request) bool
	// Query, when set, gives the query a request's page is keyed and
	// rendered with: only the parameters the route reads, written one way
	// (false: the request is personal and bypasses). nil: CleanQuery.
	Query func(*http.Request) (string, bool)
	// Admit admits the renders, misses and GETs that bypass alike, fairly
	// per client (nil: admit.New with its defaults, one render per CPU).
	// A render refused gets 429 (its client's queue is full) or 503 (the
	// whole queue, or its wait) with Retry-After. Hits never wait.
	Admit *admit.Admitter
	// ClientKey names the client a render queues as (nil: every request
	// is one client); a User-Agent that admit.IsCrawler names queues
	// behind readers.
	ClientKey func(*http.Request) string
	// CrawlerHold is how long a crawler's refused render waits before its
	// 429 or 503 is sent, at most its Retry-After (0: one second; < 0: no
	// wait). A crawler that retries at once on 50 connections otherwise
	// sends thousands of requests a second, each answered like a hit: in
	// bench/storm's rude phase 2,900 refusals a second cut the readers'
	// hits from 6,400/s to 1,600/s. Held, each connection asks at most
	// once per hold, and a held request costs a timer, not CPU.
	CrawlerHold time.Duration
	// SharedMaxAge, when set, replaces the s-maxage of CacheControl: how
	// long a shared cache in front (Varnish, a CDN) may keep a page, which
	// can grow when purges tell it what changed (--purge-url).
	SharedMaxAge time.Duration
	// CacheTag also sends the keys comma-separated as Cache-Tag (for
	// Cloudflare, which strips it before the browser sees it).
	CacheTag bool
	// OnArticle, when set, is told about every answer from the cache that
	// shows an article (its page carried X-Newsdesk-Article), as
	// StripInternal's hook is about other responses; the stored page then
	// keeps the id, not the header. main gives both the view counter.
	OnArticle ArticleHook
	// Route, when set, names the route of a page's request (the request
	// log's label); it is asked once per stored page, and every answer
	// from the page tells the request log with ops.NoteRoute.
	Route func(*http.Request) string
	// Skip, when set, names requests the cache passes through untouched
	// (no lookup, no recording, no headers added): other surfaces and
	// files behind the same handler.
	Skip   func(*http.Request) bool
	Now    func() time.Time
	Logger *slog.Logger
}

// Stats are counters since the cache was made, and its current size.
type Stats struct {
	Hits        uint64 // answered from the cache
	Misses      uint64 // cacheable requests not found (or expired)
	Bypasses    uint64 // requests the cache did not consider
	Renders     uint64 // times the wrapped handler ran for a cacheable request
	Stores      uint64 // entries stored
	Refused     uint64 // renders not stored because a key changed meanwhile
	Evictions   uint64 // entries evicted for memory
	Invalidated uint64 // entries dropped by Invalidate
	Entries     int
	Bytes       int64
	// Budget is what the cache may hold now: Config.MaxBytes, or less
	// while the process nears Config.MemoryLimit.
	Budget int64
	// Rendering and Waiting are the renders running now and those
	// queued for a place (Config.Admit), crawlers' included.
	Rendering, Waiting int
	// Limited and Busy count renders refused: the client's queue full
	// (429), and the whole queue full or the wait too long (503).
	Limited, Busy uint64
}

// Cache is an in-memory page cache. Make one with New; it is safe for
// concurrent use. It holds at most Config.MaxBytes of bodies and headers
// (estimated), and entries expire after Config.TTL, which bounds how long
// time-dependent parts of a page ("published 5 minutes ago") can lag.
type Cache struct {
	max      int64
	memLimit int64
	liveHeap func() int64
	maxEntry int64
	ttl      time.Duration
	cc       []string
	bypass   []string
	private  func(*http.Request) bool
	query    func(*http.Request) (string, bool)
	client   func(*http.Request) string
	renders  *admit.Admitter
	hold     time.Duration // Config.CrawlerHold
	skip     func(*http.Request) bool
	cacheTag bool
	now      func() time.Time
	log      *slog.Logger
	// onArticle and route: Config.OnArticle and Config.Route.
	onArticle ArticleHook
	route     func(*http.Request) string

	mu      sync.RWMutex
	entries map[string]*entry
	byTag   map[string]map[*entry]struct{}
	ring    *list.List // CLOCK ring of *entry
	hand    *list.Element
	size    int64
	// gens[slot(key)] is the epoch of the key's last invalidation; flushed
	// is the epoch of the last Flush. Both are read and written under mu.
	gens    [genSlots]uint64
	flushed uint64
	epoch   atomic.Uint64
	seed    maphash.Seed

	fmu     sync.Mutex
	flights map[string]*flight

	hits, misses, bypasses, rendered, stores, refused, evictions, invalidated atomic.Uint64
}

type flight struct {
	done   chan struct{}
	e      *entry
	stored bool
}

// New returns an empty cache.
func New(cfg Config) *Cache {
	c := &Cache{
		max:       cfg.MaxBytes,
		memLimit:  cfg.MemoryLimit,
		liveHeap:  cfg.LiveHeap,
		ttl:       cfg.TTL,
		now:       cfg.Now,
		skip:      cfg.Skip,
		private:   cfg.Private,
		query:     cfg.Query,
		client:    cfg.ClientKey,
		log:       cfg.Logger,
		onArticle: cfg.OnArticle,
		route:     cfg.Route,
		entries:   map[string]*entry{},
		byTag:     map[string]map[*entry]struct{}{},
		ring:      list.New(),
		flights:   map[string]*flight{},
		seed:      maphash.MakeSeed(),
	}
	if c.max <= 0 {
		c.max = DefaultMaxBytes
	}
	c.maxEntry = max(c.max/8, 64<<10)
	if c.liveHeap == nil {
		c.liveHeap = runtimeLiveHeap
	}
	if c.ttl <= 0 {
		c.ttl = DefaultTTL
	}
	cc := cfg.CacheControl
	if cc == "" {
		cc = DefaultCacheControl
	}
	if cfg.SharedMaxAge > 0 {
		cc = withSharedMaxAge(cc, cfg.SharedMaxAge)
	}
	c.cc = []string{cc}
	c.cacheTag = cfg.CacheTag
	c.bypass = append([]string(nil), cfg.BypassCookies...)
	c.renders = cfg.Admit
	c.hold = cfg.CrawlerHold
	if c.hold == 0 {
		c.hold = time.Second
	}
	if c.renders == nil {
		c.renders = admit.New(admit.Config{})
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.log == nil {
		c.log = slog.Default()
	}
	return c
}

// Handler returns next wrapped by the cache. Requests that Config.Skip
// names pass through untouched; requests that bypass the cache (see key)
// get Cache-Control: private, no-cache unless the handler sets its own, so
// that a CDN never keeps a signed-in page.
func (c *Cache) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c.skip != nil && c.skip(r) {
			next.ServeHTTP(w, r)
			return
		}
		key, query, ok := c.key(r)
		if !ok {
			c.bypasses.Add(1)
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				// A page rendered for one reader still takes a render.
				release, ok := c.admit(w, r)
				if !ok {
					return
				}
				defer release()
				w.Header()["Cache-Control"] = privateNoCache
			}
			next.ServeHTTP(w, r)
			return
		}
		if query != r.URL.RawQuery {
			// The page is rendered with exactly the query it is keyed by.
			r2 := *r
			u := *r.URL
			u.RawQuery = query
			r2.URL = &u
			r = &r2
		}
		if e := c.lookup(key); e != nil {
			c.hits.Add(1)
			c.serve(w, r, e, "")
			return
		}
		c.misses.Add(1)
		c.fill(next, w, r, key)
	})
}

var privateNoCache = []string{"private, no-cache"}

// withSharedMaxAge returns cc with its s-maxage set to d (added when cc
// has none).
func withSharedMaxAge(cc string, d time.Duration) string {
	v := "s-maxage=" + strconv.Itoa(int(d/time.Second))
	parts := strings.Split(cc, ",")
	for i, p := range parts {
		if strings.HasPrefix(strings.TrimSpace(p), "s-maxage=") {
			parts[i] = " " + v
			if i == 0 {
				parts[i] = v
			}
			return strings.Join(parts, ",")
		}
	}
	return cc + ", " + v
}

// lookup returns the live entry for key, or nil.
func (c *Cache) lookup(key string) *entry {
	c.mu.RLock()
	e := c.entries[key]
	c.mu.RUnlock()
	if e == nil || c.now().After(e.expires) {
		return nil
	}
	if !e.ref.Load() {
		e.ref.Store(true)
	}
	return e
}

// fill renders a missing page once for all concurrent requests for key,
// stores it when it may be cached, and answers r. The others wait for the
// first render and are served its bytes; Config.Admit says when it may
// render.
func (c *Cache) fill(next http.Handler, w http.ResponseWriter, r *http.Request, key string) {
	c.fmu.Lock()
	if f, ok := c.flights[key]; ok {
		c.fmu.Unlock()
		select {
		case <-f.done:
		case <-r.Context().Done():
			return
		}
		// Serve the leader's page only while it is still stored: a
		// write that returned after the leader stored it has removed it
		// (the flight stays listed while the leader answers its own
		// client), and a newer entry is as good.
		if f.e != nil && f.stored {
			if e := c.lookup(key); e != nil {
				c.serve(w, r, e, "")
				return
			}
		}
		// The leader's page may not be shared (not cacheable, or possibly
		// older than a write that has returned, or refused): render our own.
		release, ok := c.admit(w, r)
		if !ok {
			return
		}
		defer release()
		c.rendered.Add(1)
		next.ServeHTTP(w, r)
		return
	}
	f := &flight{done: make(chan struct{})}
	c.flights[key] = f
	c.fmu.Unlock()
	defer func() {
		c.fmu.Lock()
		delete(c.flights, key)
		c.fmu.Unlock()
		close(f.done)
	}()

	// The render finishes even if this client leaves: others may wait on it.
	inner := r.WithContext(context.WithoutCancel(r.Context()))
	if r.Method == http.MethodHead {
		inner.Method = http.MethodGet
	}
	rec := &recorder{header: http.Header{}}
	release, ok := c.admit(w, r)
	if !ok {
		return // followers render for themselves
	}
	start := c.epoch.Load()
	c.rendered.Add(1)
	func() {
		defer release()
		next.ServeHTTP(rec, inner)
	}()
	e := c.build(key, rec)
	if e != nil && c.route != nil {
		e.route = c.route(r)
	}
	if e == nil {
		rec.copyTo(w, r)
		return
	}
	f.e = e
	f.stored = c.store(e, start)
	c.serve(w, r, e, "miss")
}

// serve answers r from e in the encoding the client prefers. Each encoding
// has its own strong ETag, and an If-None-Match that matches it gets 304;
// stored responses carry Config.CacheControl and X-Cache: hit or miss.
func (c *Cache) serve(w http.ResponseWriter, r *http.Request, e *entry, status string) {
	enc := encIdentity
	if e.compressible {
		enc = negotiate(r.Header["Accept-Encoding"])
	}
	rp := c.rep(e, enc)
	h := w.Header()
	for _, f := range rp.header {
		h[f.name] = f.values // shared slices: never modified in place
	}
	if status != "" {
		h[HeaderStatus] = []string{status}
	}
	if c.route != nil {
		ops.NoteRoute(w, e.route)
	}
	if e.status == http.StatusOK {
		if inm := r.Header["If-None-Match"]; len(inm) > 0 && etagMatch(inm, rp.etag) {
			delete(h, "Content-Length")
			delete(h, "Content-Type")
			delete(h, "Content-Encoding")
			if e.article != 0 {
				c.onArticle(r, http.StatusNotModified, e.article)
			}
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	if e.article != 0 {
		c.onArticle(r, e.status, e.article)
	}
	w.WriteHeader(e.status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(rp.body)
	}
}

// etagMatch reports whether If-None-Match lines name etag (weak
// comparison, as RFC 9110 asks for If-None-Match) or are "*".
func etagMatch(lines []string, etag string) bool {
	for _, line := range lines {
		for line != "" {
			var t string
			t, line, _ = strings.Cut(line, ",")
			t = strings.TrimSpace(t)
			t = strings.TrimPrefix(t, "W/")
			if t == etag || t == "*" {
				return true
			}
		}
	}
	return false
}

// Stats returns the counters and current size.
func (c *Cache) Stats() Stats {
	c.mu.RLock()
	n, size, budget := len(c.entries), c.size, c.budget()
	c.mu.RUnlock()
	gs := c.renders.Stats()
	return Stats{
		Hits: c.hits.Load(), Misses: c.misses.Load(), Bypasses: c.bypasses.Load(),
		Renders: c.rendered.Load(), Stores: c.stores.Load(), Refused: c.refused.Load(),
		Evictions: c.evictions.Load(), Invalidated: c.invalidated.Load(),
		Entries: n, Bytes: size, Budget: budget,
		Rendering: gs.Running, Waiting: gs.Waiting, Limited: gs.ClientFull, Busy: gs.Busy + gs.Waited + gs.Displaced,
	}
}

// admit takes a place for one render in the client's queue, or answers w
// with 429 or 503 and Retry-After.
func (c *Cache) admit(w http.ResponseWriter, r *http.Request) (func(), bool) {
	key := ""
	if c.client != nil {
		key = c.client(r)
	}
	class := admit.Reader
	if admit.IsCrawler(r.UserAgent()) {
		class = admit.Crawler
	}
	release, err := c.renders.Enter(r.Context(), key, class)
	if err == nil {
		return release, true
	}
	status, retry, text := http.StatusServiceUnavailable, time.Second, "The site is busy; please try again in a moment.\n"
	var ref *admit.Refused
	if errors.As(err, &ref) {
		retry = ref.Retry
		if ref.TooMany() {
			status, text = http.StatusTooManyRequests, "Too many pages asked for from your address at once; please wait a moment.\n"
		}
	}
	if status == http.StatusTooManyRequests || class == admit.Crawler {
		// A crawler's refusals are the queue working, not news.
		c.log.Debug("cache: render refused", "status", status, "path", r.URL.Path, "client", key, "class", class, "retry", retry)
	} else {
		c.log.Warn("cache: render refused", "status", status, "path", r.URL.Path, "client", key, "class", class, "retry", retry)
	}
	if class == admit.Crawler && c.hold > 0 {
		t := time.NewTimer(min(c.hold, retry))
		select {
		case <-t.C:
		case <-r.Context().Done():
		}
		t.Stop()
	}
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set(web.HeaderRetryAfter, strconv.Itoa(int(retry/time.Second)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = io.WriteString(w, text)
	}
	return nil, false
}
