package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"newsdesk/internal/api"
	"newsdesk/internal/auth"
	"newsdesk/internal/cache"
	"newsdesk/internal/comments"
	"newsdesk/internal/demo"
	"newsdesk/internal/desk"
	"newsdesk/internal/editorial"
	"newsdesk/internal/legal/registry"
	"newsdesk/internal/media"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/ops"
	"newsdesk/internal/pages"
	"newsdesk/internal/purge"
	"newsdesk/internal/redirects"
	"newsdesk/internal/render"
	"newsdesk/internal/reports"
	"newsdesk/internal/settings"
	"newsdesk/internal/site"
	"newsdesk/internal/sqlstore"
	"newsdesk/internal/translate"
	"newsdesk/internal/views"
	"newsdesk/internal/web"
)

// app is newsdesk wired together: the one place adapters meet.
type app struct {
	cfg     Config
	store   *sqlstore.Store
	views   *views.Counter // page views, flushed in batches (started by serve)
	handler http.Handler
	desk    *desk.Server
	site    *site.Server
	costly  *costly // bounds on searches and readers' posts
	reports *reports.Service
	// editorial is the one editorial service (its trash purge runs as a job).
	editorial *editorial.Service
	log       *slog.Logger
	now       newsroom.Clock
	// comments receives and moderates readers' comments.
	comments *comments.Service
	// cache is the page cache (nil when --cache-mb is 0); listening is
	// closed once the cross-node change listener is up (PostgreSQL only).
	cache     *cache.Cache
	listening chan struct{}
	// legal is the legal registry (see legal.go).
	legal *registry.Service
	// metrics is the Prometheus registry, served on --metrics-addr.
	metrics *ops.Metrics
	// settings is the site's settings from the desk over the flags'
	// defaults; it hears every change (through settingsNote, set once the
	// store is open) to drop its cached value.
	settings     *settings.Service
	settingsNote atomic.Pointer[settings.Service]
	// siteNote is the public site once built: it hears every change too
	// (which languages are published, site/editions.go).
	siteNote atomic.Pointer[site.Server]
	// media holds the public media files (the disk or a shared bucket).
	media media.Storage
	// purger sends purges by key to the shared cache tier (nil without
	// --purge-url); serve starts it.
	purger *purge.Purger
	// counters keep the limits every node shares (limits.go); nil on one
	// node (SQLite without --redis): each limit in this process's memory.
	counters      newsroom.Counters
	closeCounters func() error
	// scheduler hears the other nodes' changes (it runs on one node).
	scheduler atomic.Pointer[desk.Scheduler]
}

// openStore prepares the data directory and opens the configured database.
// Failures are usage errors: the operator gave a wrong --db or --data.
func openStore(ctx context.Context, c Config, now newsroom.Clock, n newsroom.Notifier) (*sqlstore.Store, error) {
	return openStoreWith(ctx, c, sqlstore.Options{Now: now, Notifier: n})
}

// openStoreWith is openStore with every store option.
func openStoreWith(ctx context.Context, c Config, opts sqlstore.Options) (*sqlstore.Store, error) {
	if err := prepareDataDir(c.DataDir); err != nil {
		return nil, err
	}
	// A database that does not answer is an error within 15 seconds; the
	// migrations themselves are not timed (one that fills a column of a
	// large archive takes minutes, and each logs when it is applied).
	opts.ConnectTimeout = 15 * time.Second
	st, err := sqlstore.Open(ctx, c.dsn(), opts)
	var tooNew *sqlstore.SchemaTooNewError
	if errors.As(err, &tooNew) {
		return nil, usagef("refusing to serve %s: %v", redactDSN(c.dsn()), tooNew)
	}
	if err != nil {
		return nil, usagef("cannot open database %s: %v", redactDSN(c.dsn()), err)
	}
	return st, nil
}

// newApp opens the store, loads the demo on first start and builds the
// handler. The caller closes app.store.
func newApp(ctx context.Context, cfg Config, now newsroom.Clock, stdout io.Writer, logger *slog.Logger) (*app, error) {
	if now == nil {
		now = time.Now
	}
	a := &app{cfg: cfg, log: logger, now: now, listening: make(chan struct{}), metrics: ops.NewMetrics()}
	opts := sqlstore.Options{Now: now, Logger: logger, Observe: a.queryObserver(cfg.SlowQuery)}
	// The settings' cache hears every change, local or another node's.
	settingsChanged := newsroom.NotifierFunc(func(ctx context.Context, c newsroom.Change) {
		if st := a.settingsNote.Load(); st != nil {
			st.Changed(ctx, c)
		}
		if si := a.siteNote.Load(); si != nil {
			si.Changed(ctx, c)
		}
	})
	opts.Notifier, opts.Remote = settingsChanged, settingsChanged
	opts.Resync = func() {
		if st := a.settingsNote.Load(); st != nil {
			st.Flush()
		}
		if si := a.siteNote.Load(); si != nil {
			si.Changed(ctx, newsroom.Change{Keys: []string{"*"}})
		}
	}
	// mux routes the public address's requests (made below); the page
	// cache names a stored page's route with it once.
	var mux *http.ServeMux
	// countPage counts a view as a page is served (nil with beacons).
	countPage := pageViews(cfg, a)
	if cfg.CacheMB > 0 {
		// The page cache hears every committed write synchronously (before
		// the write call returns) and, on PostgreSQL, the other nodes'
		// writes; after the listener (re)connects it starts empty.
		a.cache = cache.New(cache.Config{MaxBytes: int64(cfg.CacheMB) << 20, MemoryLimit: runtimeMemoryLimit(),
			Now: now, Logger: logger, Skip: notPages,
			BypassCookies: []string{web.SessionCookie, web.PendingCommentsCookie},
			// Only a real session or a reader's own pending comments make a
			// page personal; the key holds only what the route reads.
			Private: func(r *http.Request) bool { return a.desk.SignedIn(r) || a.site.OwnsPending(r) },
			Query:   func(r *http.Request) (string, bool) { return a.site.CacheQuery(r) },
			// Renders queue fairly per client, crawlers behind readers,
			// one at a time per CPU (traffic.go, internal/admit).
			ClientKey: admitClient(cfg.TrustProxy), SharedMaxAge: cfg.Nodes.SharedMaxAge,
			CacheTag: cfg.Nodes.PurgeKind == purge.Cloudflare,
			// A page's route (the request log's label) is looked up once
			// per stored page, and the view counter hears hits from the
			// cache itself (StripInternal hears the rest).
			Route:     func(r *http.Request) string { return ops.RoutePattern(mux, r) },
			OnArticle: countPage})
		var once sync.Once
		opts.Notifier = newsroom.Notifiers{settingsChanged, a.cache}
		opts.Remote = opts.Notifier
		resyncSettings := opts.Resync
		opts.Resync = func() {
			resyncSettings()
			a.cache.Flush()
			once.Do(func() { close(a.listening) })
		}
	}
	if cfg.Nodes.PurgeURL != "" {
		a.addPurger(&opts)
	}
	// The scheduler runs on one node (cluster.go): a story scheduled on
	// another node wakes it through that node's notification.
	opts.Remote = newsroom.Notifiers{opts.Remote, newsroom.NotifierFunc(func(_ context.Context, c newsroom.Change) {
		if sc := a.scheduler.Load(); sc != nil {
			for _, k := range c.Keys {
				if strings.HasPrefix(k, "article:") || k == "*" {
					sc.Poke()
					return
				}
			}
		}
	})}
	st, err := openStoreWith(ctx, cfg, opts)
	if err != nil {
		return nil, err
	}
	a.store = st
	if err := a.openReplica(ctx); err != nil {
		st.Close()
		return nil, err
	}
	pub, orig, err := openMedia(ctx, cfg)
	if err != nil {
		st.Close()
		return nil, err
	}
	a.media = pub
	renderer := render.New()
	renderer.SetPictures(libraryPictures(st))
	loc, _ := time.LoadLocation(cfg.Timezone)
	name, tagline := demo.Outlet(cfg.Language)
	if cfg.SiteName != "" {
		name = cfg.SiteName
	}
	a.settings = settings.New(st, a.settingsDefaults(name, tagline))
	// The language saved in the desk's Settings wins over --language. It
	// decides the site's addresses (the default edition is unprefixed, the
	// other under /ru/), so it is read here, once: a change applies at the
	// next start.
	if lang := a.settings.Must(ctx).Language; (lang == "en" || lang == "ru") && lang != cfg.Language {
		cfg.Language, a.cfg.Language = lang, lang
		name, tagline = demo.Outlet(lang)
		if cfg.SiteName != "" {
			name = cfg.SiteName
		}
		a.settings = settings.New(st, a.settingsDefaults(name, tagline))
	}
	a.settingsNote.Store(a.settings)
	// One editorial service for every surface (desk, API, the legal
	// registry, the Import page), with its hooks given here: any save may
	// change a schedule (the scheduler re-arms its timer), and every staff
	// save re-checks the article's open error reports.
	scheduler := desk.NewScheduler(st, now, logger)
	a.scheduler.Store(scheduler)
	// The glossary and, with --translate-url, machine translation; its
	// warnings join the pre-publish check.
	tr := &translate.Service{Store: st, Client: cfg.Translate.client(), Now: now}
	ed := editorial.New(editorial.Config{Store: st, Render: renderer, Now: now,
		Checks:   []func(ctx context.Context, a *newsroom.Article) []newsroom.Finding{tr.Findings},
		Activity: st, Trash: st, Logger: logger,
		AfterSave: func(context.Context, *newsroom.Article) { scheduler.Poke() },
		OnUpdate: []func(ctx context.Context, prev, next *newsroom.Article){
			func(ctx context.Context, prev, next *newsroom.Article) { a.reports.ArticleUpdated(ctx, prev, next) },
		},
		// The pre-publish check asks the public site itself whether a
		// link to our pages leads anywhere (prepublish.go).
		Hosts: redirects.HostsOf(cfg.BaseURL), LinkResolves: func(ctx context.Context, path string) bool {
			return a.site != nil && siteResolves(ctx, a.site.Handler(), path)
		}})
	a.editorial = ed
	scheduler.OnPublish = func(ctx context.Context, id int64) {
		if art, err := st.ArticleByID(ctx, id); err == nil {
			ed.Record(ctx, nil, newsroom.Activity{Action: newsroom.ActPublished, Kind: "article", TargetID: id,
				Subject: art.Headline, Detail: "scheduled"})
		}
	}
	// Readers' error reports: filed from the site and the API, resolved
	// from the desk and the API (through ed, whose hook calls back here).
	if err := a.openCounters(ctx); err != nil {
		st.Close()
		return nil, err
	}
	a.reports = reports.New(reports.Config{Counters: a.counters,
		OnJob: a.metrics.JobDone, OnSubmit: func(err error) { a.metrics.ErrorReport(inputResult(err)) },
		Store: st, Editorial: ed, Render: renderer, Mail: cfg.mailSender(), Now: now, Logger: logger,
		Limits: newsroom.ReportLimits{MaxExact: cfg.Reports.MaxExact}, PerIP: cfg.Reports.PerIP,
		PerArticle: cfg.Reports.PerArticle, DigestTo: cfg.Reports.DigestTo, BaseURL: cfg.BaseURL,
		SiteName: name, Language: cfg.Language, Settings: a.settings.Must,
	})
	if a.legal, err = a.newLegal(ctx, renderer, ed); err != nil {
		st.Close()
		return nil, err
	}
	if err := a.firstStart(ctx, renderer, stdout); err != nil {
		st.Close()
		return nil, err
	}
	a.comments = comments.New(comments.Config{Store: st, Now: now, Logger: logger, SiteName: name, BaseURL: cfg.BaseURL,
		Mail: cfg.mailSender()})
	// Static pages and stored redirects (old addresses, WordPress links).
	rdr := &redirects.Service{Store: st, Hosts: redirects.HostsOf(cfg.BaseURL)}
	pg := &pages.Service{Store: st, Redirects: st, Render: renderer, Now: now, Language: cfg.Language}
	// Views and share clicks are counted in memory and written in batches.
	// The zone in force is the desk's Settings' (a change applies at
	// once, every public page carries key setting:site, so the page
	// cache drops them); --timezone is its default.
	zone := func() *time.Location { return a.settings.Location(context.Background()) }
	a.views = views.New(views.Config{OnJob: a.metrics.JobDone, Store: st, Now: now, Location: loc, Zone: zone, FlushEvery: cfg.ViewsFlush,
		SessionCookie: web.SessionCookie, Announce: st.Announce, RankEvery: cfg.rankEvery, Logger: logger, TrustProxy: cfg.TrustProxy})
	// Behind a shared cache the page's beacon counts views, not its
	// serving (--count-views).
	var beacon site.ViewBeacon
	if cfg.Nodes.CountViews == countBeacon {
		key, err := beaconKey(ctx, st)
		if err != nil {
			st.Close()
			return nil, err
		}
		beacon = views.Beacon{BeaconKey: key, Counter: a.views}
	}
	siteSrv, err := site.New(site.Config{Shares: a.views, Counters: a.counters, ViewBeacon: beacon,
		Store: st, Language: cfg.Language, Location: loc, Zone: zone, SiteName: name, Tagline: tagline,
		Media: pub, MediaPublicURL: cfg.Nodes.MediaPublicURL, Now: now, Logger: logger, BaseURL: cfg.BaseURL,
		Comments: a.comments, Reports: a.reports, TrustProxy: cfg.TrustProxy, SecureCookies: cfg.SecureCookies,
		FeedSummaries: cfg.FeedContent == "summary", Pages: st, Redirects: st, Settings: a.settings,
		// settingsChanged passes it every change, local and remote (above).
		HearsChanges: true,
	})
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("site: %w", err)
	}
	a.site = siteSrv
	a.siteNote.Store(siteSrv)
	lib, err := media.New(media.Config{Public: pub, Originals: orig, Store: st, MaxBytes: int64(cfg.MaxUploadMB) << 20})
	if err != nil {
		st.Close()
		return nil, err
	}
	tr.Editorial = ed
	apiSrv := api.New(api.Config{Store: st, Editorial: ed, Language: cfg.Language, Now: now, Logger: logger, TokenTTL: cfg.TokenTTL,
		Comments: a.comments, Reports: a.reports, TrustProxy: cfg.TrustProxy, Legal: a.legal,
		Pages: pg, Redirects: rdr, Media: lib, MediaStore: st, Translate: tr, Sections: st})
	deskSrv, err := desk.New(desk.Config{Counters: a.counters,
		Store: st, Editorial: ed, Language: cfg.Language, Location: loc, Zone: zone, SiteName: name, BaseURL: cfg.BaseURL,
		Now: now, Logger: logger, SecureCookies: cfg.SecureCookies, Preview: siteSrv.Preview,
		TrustProxy: cfg.TrustProxy, Comments: a.comments, Reports: a.reports,
		Media: lib, MediaStore: st, TaxonomyAdmin: st, Legal: a.legal, Pages: pg, Redirects: rdr, Translate: tr,
		Import: deskImport(st, ed, pg, lib, now), ImportDir: filepath.Join(cfg.DataDir, "imports"),
		MaxImport: int64(cfg.MaxImportMB) << 20, Scheduler: scheduler, Settings: a.settings,
		Mail: cfg.mailSender(),
	})
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("desk: %w", err)
	}
	a.desk = deskSrv

	mux = http.NewServeMux()
	mux.Handle("/api/", apiSrv.Handler())
	mux.Handle("/desk/", deskSrv.Handler())
	mux.Handle("/desk", deskSrv.Handler())
	if cfg.Nodes.DBRead != "" {
		mux.Handle("/", publicReads(siteSrv.Handler())) // pages, feeds, sitemaps
	} else {
		mux.Handle("/", siteSrv.Handler())
	}
	// Searches and readers' posts are bounded behind the cache (traffic.go).
	a.costly = newCostly(cfg.TrustProxy, siteSrv.RenderError, a.counters, logger)
	var routes = a.costly.Handler(mux)
	if a.cache != nil {
		// The cache stands in front of the mux, so a hit costs no routing;
		// the API, the desk and files are passed through untouched.
		routes = a.cache.Handler(routes)
	}
	// StripInternal is outermost: X-Newsdesk-Keys and X-Newsdesk-Article
	// never leave the server. A view counter passes its hook here; it is
	// called for article pages served from the cache too.
	a.handler = cache.StripInternal(securityHeaders(cfg.SecureCookies, cfg.TrustProxy, http.NewCrossOriginProtection().Handler(routes)), countPage)
	// Health checks answer before the cache and the cross-origin check;
	// the request log and its metrics see every response.
	health := &ops.Health{Ready: st.Ready}
	requests := &ops.Requests{Logger: logger, Routes: mux, Metrics: a.metrics, Slow: cfg.SlowRequest,
		Lines: cfg.logLines, JSON: cfg.LogFormat == "json",
		ClientAddr: func(r *http.Request) string { return web.ClientAddr(r, cfg.TrustProxy) }}
	a.handler = requests.Handler(health.Handler(a.handler))
	a.registerMetrics()
	return a, nil
}

// settingInitialized marks a database that has been through its first start.
const settingInitialized = "initialized_at"

// pageViews is the hook that counts a view as a page is served (by the
// page cache for its answers, by StripInternal for the rest), or nil
// when the page's beacon counts it (--count-views beacon): a page the
// node serves then counts nothing, or every view would count twice.
func pageViews(cfg Config, a *app) cache.ArticleHook {
	if cfg.Nodes.CountViews != countPages {
		return nil
	}
	return func(r *http.Request, status int, id int64) { a.views.Hook(r, status, id) }
}

// settingBeaconKey holds the key that signs view beacons, made by the
// first node to start with --count-views beacon and read by the others.
const settingBeaconKey = "view_beacon_key"

// beaconKey is the site's view-beacon key.
func beaconKey(ctx context.Context, st *sqlstore.Store) (views.BeaconKey, error) {
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	v, err := st.SettingOnce(ctx, settingBeaconKey, hex.EncodeToString(fresh))
	if err != nil {
		return nil, fmt.Errorf("view beacon key: %w", err)
	}
	key, err := hex.DecodeString(v)
	if err != nil || len(key) < 16 {
		return nil, fmt.Errorf("view beacon key: the setting %s is not a key of 16 bytes or more in hex", settingBeaconKey)
	}
	return key, nil
}

// firstStart creates the first admin (printing its generated password once)
// and loads the demo content, only on a database that has never started.
func (a *app) firstStart(ctx context.Context, r *render.Renderer, stdout io.Writer) error {
	done, err := a.store.Setting(ctx, settingInitialized)
	if err != nil {
		return err
	}
	if done != "" {
		return nil
	}
	n, err := a.store.CountUsers(ctx)
	if err != nil {
		return err
	}
	if n == 0 {
		password := auth.NewPassword()
		hash, err := auth.HashPassword(password)
		if err != nil {
			return err
		}
		admin := &newsroom.User{Email: "admin@example.com", Name: "Site Admin", Role: newsroom.RoleAdmin, PasswordHash: hash}
		if err := a.store.CreateUser(ctx, admin); err != nil {
			return fmt.Errorf("create first admin: %w", err)
		}
		fmt.Fprintf(stdout, "First start: sign in to the desk at %s/desk/ as %s with password %s\n(shown once; change it after signing in)\n",
			a.cfg.BaseURL, admin.Email, password)
	}
	if !a.cfg.NoDemo {
		if err := a.seedLegalDemo(ctx); err != nil {
			return err
		}
		start := time.Now()
		stats, err := demo.Seed(ctx, demo.Deps{Store: a.store, Render: r.Article, MediaDir: filepath.Join(a.cfg.DataDir, "media"), Now: a.now(), Language: a.cfg.Language})
		if err != nil {
			return fmt.Errorf("load demo content: %w", err)
		}
		if a.cfg.Nodes.s3 != nil {
			// The demo draws its pictures on the disk; every node serves
			// them from the bucket.
			local, err := media.NewDisk(filepath.Join(a.cfg.DataDir, "media"))
			if err != nil {
				return err
			}
			if _, _, err := copyMedia(ctx, local, a.media, "demo/", "demo pictures", nil); err != nil {
				return fmt.Errorf("load demo content: %w", err)
			}
		}
		if err := a.seedDemoEditionName(ctx); err != nil {
			return fmt.Errorf("load demo content: %w", err)
		}
		fmt.Fprintf(stdout, "Loaded demo content: %d articles in %d sections by %d authors, %d images (%s)\n",
			stats.Articles, stats.Sections, stats.Authors, stats.Images, time.Since(start).Round(time.Millisecond))
	}
	return a.store.SetSetting(ctx, settingInitialized, a.now().UTC().Format(time.RFC3339))
}

// seedDemoEditionName gives the demo outlet's other edition its own name
// and tagline (the Russian edition of an English site is "Скерроу
// Курьер"), as an editor would in the desk's Settings: a document with only
// the editions field, so every other setting keeps following the flags.
// Nothing is written when --site-name names another outlet or the
// settings were already saved.
func (a *app) seedDemoEditionName(ctx context.Context) error {
	if a.cfg.SiteName != "" {
		return nil
	}
	if doc, err := a.store.Setting(ctx, newsroom.SettingSite); err != nil || doc != "" {
		return err
	}
	other := "ru"
	if a.cfg.Language == "ru" {
		other = "en"
	}
	name, tagline := demo.Outlet(other)
	doc, err := json.Marshal(struct {
		Editions map[string]newsroom.EditionNames `json:"editions"`
	}{map[string]newsroom.EditionNames{other: {SiteName: name, Description: tagline}}})
	if err != nil {
		return err
	}
	if err := a.store.SetSetting(ctx, newsroom.SettingSite, string(doc)); err != nil {
		return err
	}
	a.settings.Flush()
	return nil
}

// securityHeaders sets the headers every response carries.
// The values are shared by every response (assigning a slice allocates
// nothing); a handler replaces a value with Set, never edits it in place.
var (
	hdrNosniff  = []string{"nosniff"}
	hdrReferrer = []string{"strict-origin-when-cross-origin"}
	hdrFrame    = []string{"DENY"}
	hdrCSP      = []string{"default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"}
	// hdrHSTS keeps browsers on HTTPS for a year once they have seen the
	// site over it (no includeSubDomains: other hosts are not ours).
	hdrHSTS = []string{"max-age=31536000"}
)

// securityHeaders wraps next; https says the site is served over HTTPS
// (--secure-cookies behind a TLS proxy), which adds HSTS, as a request
// that arrived over TLS itself does, or one a trusted proxy says came
// over HTTPS (--trust-proxy and X-Forwarded-Proto: https). A plain HTTP
// request gets no HSTS otherwise.
func securityHeaders(https, trustProxy bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if https || web.OverHTTPS(r, trustProxy) {
			h["Strict-Transport-Security"] = hdrHSTS
		}
		h["X-Content-Type-Options"] = hdrNosniff
		h["Referrer-Policy"] = hdrReferrer
		h["X-Frame-Options"] = hdrFrame
		h["Content-Security-Policy"] = hdrCSP
		next.ServeHTTP(w, r)
	})
}

// serve runs the site until ctx ends, then shuts down in order (see
// shutdown.go): stop accepting and drain the requests in flight, stop and
// join every background job, flush the counters, close the store.
func serve(ctx context.Context, cfg Config, stdout, stderr io.Writer) (err error) {
	// Request lines are written to stderr ten times a second, not one
	// write each; warnings and errors at once (ops.LogBuffer). Deferred
	// first, so it writes the shutdown's own lines last.
	lb := ops.NewLogBuffer(stderr, logFlushEvery)
	defer lb.Close()
	logger := newBufferedLogger(cfg.LogFormat, lb)
	cfg.logLines = lb
	setMemoryLimit(&cfg, logger)
	tuneGC(ctx, logger)
	a, err := newApp(ctx, cfg, nil, stdout, logger)
	if err != nil {
		return err
	}
	var sd shutdown
	defer func() {
		if serr := sd.run(shutdownTimeout, logger); serr != nil && err == nil {
			err = fmt.Errorf("shut down: %w", serr)
		}
	}()
	sd.add(closeStore, "store", func(context.Context) error { return a.store.Close() })
	if a.closeCounters != nil {
		sd.add(closeStore, "redis", func(context.Context) error { return a.closeCounters() })
	}
	// Counted views and share clicks are written every few seconds and
	// once more after the last request has drained and the jobs stopped.
	a.views.Start()
	sd.add(flushCounters, "view and share counter", a.views.Close)
	if a.purger != nil {
		// Purges still queued go out after the last request and job.
		a.purger.Start()
		sd.add(flushCounters, "purges to the shared cache", a.purger.Close)
	}

	// The jobs run on a context of their own: a SIGTERM first drains the
	// requests (which may poke the scheduler or queue a re-render), then
	// stops the jobs and waits for them.
	jobs, cancelJobs := context.WithCancel(context.WithoutCancel(ctx))
	sd.add(stopJobs, "background jobs", func(ctx context.Context) error { cancelJobs(); return sd.join(ctx) })
	sd.add(stopJobs, "desk import", func(context.Context) error { a.desk.Close(); return nil })
	sd.add(stopJobs, "legal re-render", func(context.Context) error { a.legal.Close(); return nil })
	// Shared work runs on one node of the cluster at a time (cluster.go);
	// a node's own work (its registry index) runs on every node.
	sd.jobCtx, sd.lease, sd.log = jobs, a.store.TryLease, logger
	for _, j := range a.backgroundJobs() {
		sd.goJob(j.scope, j.name, j.run)
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return usagef("cannot listen on %s: %v", cfg.Addr, err)
	}
	srv := &http.Server{
		Handler:           a.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	sd.add(stopServing, "http server", func(ctx context.Context) error {
		err := srv.Shutdown(ctx)
		if err != nil {
			// Requests still running after the drain time: close their
			// connections (their contexts end) rather than let them
			// outlive the store.
			srv.Close()
		}
		if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) && err == nil {
			err = serr
		}
		return err
	})
	// The side listeners are added after the main one, so they stay up
	// while its requests drain.
	if cfg.DebugAddr != "" {
		mux := http.NewServeMux()
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
		if err := serveSide(&sd, "--debug-addr", cfg.DebugAddr, "/debug/pprof/", mux, logger); err != nil {
			return err
		}
	}
	if cfg.MetricsAddr != "" {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", a.metrics.Handler())
		if err := serveSide(&sd, "--metrics-addr", cfg.MetricsAddr, "/metrics", mux, logger); err != nil {
			return err
		}
	}
	lb.Flush() // the start-up's lines before the line that says it serves
	fmt.Fprintf(stdout, "newsdesk: serving http://%s (data in %s)\n", ln.Addr(), cfg.DataDir)
	select {
	case err := <-errc:
		errc <- err // for the closer
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
		logger.Info("shutting down: draining requests in flight")
		return nil
	}
}

// setMemoryLimit gives the Go runtime the process's memory bound
// (--memory-limit), so that it collects garbage harder rather than grow
// past it; the page cache yields to the same bound (runtimeMemoryLimit).
// A GOMEMLIMIT in the environment is the operator's word and wins.
func setMemoryLimit(cfg *Config, logger *slog.Logger) {
	if os.Getenv("GOMEMLIMIT") != "" {
		logger.Info("memory limit from GOMEMLIMIT", "mib", runtimeMemoryLimit()>>20)
		return
	}
	if limit := cfg.memoryLimit(); limit > 0 {
		debug.SetMemoryLimit(limit)
	}
}

// runtimeMemoryLimit is the Go runtime's memory limit in bytes, 0 when
// there is none (tests, which build apps without serve, have none).
func runtimeMemoryLimit() int64 {
	if limit := debug.SetMemoryLimit(-1); limit != math.MaxInt64 {
		return limit
	}
	return 0
}

// shutdownTimeout bounds each step of the shutdown: requests in flight
// get this long to finish, a job this long to stop, a flush this long.
const shutdownTimeout = 10 * time.Second

// newLogger returns the process's logger in the --log-format.
func newLogger(format string, w io.Writer) *slog.Logger {
	return slog.New(newLogHandler(format, w))
}

// newBufferedLogger is newLogger writing through lb: lines at WARN and
// above are written at once.
func newBufferedLogger(format string, lb *ops.LogBuffer) *slog.Logger {
	return slog.New(lb.Handler(newLogHandler(format, lb)))
}

func newLogHandler(format string, w io.Writer) slog.Handler {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	if format == "json" {
		return slog.NewJSONHandler(w, opts)
	}
	return slog.NewTextHandler(w, opts)
}

// logFlushEvery is how long INFO lines (one per request) may wait in the
// log buffer: what a SIGKILL can lose of them.
const logFlushEvery = 100 * time.Millisecond

// serveSide serves h on a listener of its own at addr (the --metrics-addr
// or --debug-addr named by flag) and adds its closer to the first stage of
// sd.
func serveSide(sd *shutdown, flag, addr, path string, h http.Handler, logger *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return usagef("cannot listen on %s %s: %v", flag, addr, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Warn("side listener stopped", "flag", flag, "err", err)
		}
	}()
	sd.add(stopServing, flag+" listener", func(context.Context) error {
		err := srv.Close()
		<-done
		return err
	})
	logger.Info("listening", "flag", flag, "addr", "http://"+ln.Addr().String()+path)
	return nil
}

// notPages says which requests the page cache never looks at: the API,
// the desk, and files (assets are in memory already; media files are sent
// from disk with sendfile, and must not be read into memory).
func notPages(r *http.Request) bool {
	p := r.URL.Path
	return strings.HasPrefix(p, "/api/") || p == "/desk" || strings.HasPrefix(p, "/desk/") ||
		strings.HasPrefix(p, "/media/") || strings.HasPrefix(p, "/assets/")
}
