// Package site is the public news site of newsdesk: the home page, article
// pages, section, tag and author archives, the share counter, robots.txt and
// the media files. Pages are server-rendered html/template with embedded,
// fingerprinted CSS and a few lines of optional JavaScript; nothing needs a
// script to be read and nothing is loaded from another host.
package site

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"newsdesk/internal/assets"
	"newsdesk/internal/comments"
	"newsdesk/internal/media"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/throttle"
	"newsdesk/internal/web"
)

// Store is what the public site reads.
type Store interface {
	newsroom.ArticleReader
	newsroom.Taxonomy
	newsroom.Settings
	newsroom.Discovery
}

// Config holds the site's dependencies and settings. Store is required.
type Config struct {
	Store    Store
	Language string         // "en" or "ru": interface language of the site
	Location *time.Location // dates are shown in this zone (nil = UTC)
	// Zone, when set, gives the zone in force on every request (the
	// desk's Settings: a change applies at once); it wins over Location.
	Zone     func() *time.Location
	SiteName string
	Tagline  string
	MediaDir string // files under it are served at /media/ ("" = none), unless Media is set
	// Media holds the public media files served at /media/ (a bucket
	// every node shares, or the disk); nil means MediaDir.
	Media media.Storage
	// MediaPublicURL, when set, is where rendered pages and feeds link
	// pictures (MediaPublicURL/KEY: the bucket or a CDN in front), and
	// /media/KEY answers a permanent redirect there.
	MediaPublicURL string
	Now            newsroom.Clock // nil = time.Now
	Logger         *slog.Logger   // nil = slog.Default()
	BaseURL        string         // e.g. "http://127.0.0.1:8080" (may be ""), for absolute URLs
	// Comments receives and moderates readers' comments; nil hides them.
	Comments *comments.Service
	// Reports files readers' error reports from the form at /report-error
	// (nil: no form, no dialog).
	Reports ReportFiler
	// TrustProxy takes the client address from X-Forwarded-For.
	TrustProxy bool
	// SecureCookies marks the readers' cookies Secure on plain HTTP too
	// (behind a TLS-terminating proxy); over TLS they always are.
	SecureCookies bool
	// Settings gives the settings editors change in the desk (site name,
	// description, front page, feeds, robots.txt); nil: SiteName, Tagline
	// and FeedSummaries, all crawlers allowed.
	Settings SettingsReader
	// FeedSummaries puts only summaries in feeds rather than whole
	// articles, unless the setting SettingFeedFullText says otherwise.
	FeedSummaries bool
	// Pages serves static pages at their paths and lists the footer menu
	// (pages.go); nil: no static pages.
	Pages newsroom.PageReader
	// Redirects answers old addresses before a 404 (pages.go); nil: none.
	Redirects newsroom.RedirectReader
	// Shares counts share-button clicks in memory (main passes the view
	// counter, which writes them in batches); nil: clicks are not counted.
	Shares ShareCounter
	// ViewBeacon, when set, has article pages count their views by a
	// beacon from the page (beacon.go), for a site behind a shared cache;
	// nil: views are counted as pages are served.
	ViewBeacon ViewBeacon
	// Counters, when set, keep the share-click limit where every node
	// sees it (PostgreSQL or Redis); nil: this process's memory.
	Counters throttle.Counters
	// SharesPerMinute is how many clicks one client address may make a
	// minute (0: 10); past that it gets 429 with Retry-After.
	SharesPerMinute int
	// HearsChanges says the caller passes every committed change (this
	// node's and, on PostgreSQL, the other nodes', and "*" after a
	// reconnection) to Server.Changed: the site then keeps the sections,
	// footer menu, settings and Most read lists in memory between their
	// changes (memo.go) instead of reading them for every page.
	HearsChanges bool
}

// ShareCounter adds one share-button click.
type ShareCounter interface {
	AddShare(articleID int64, network string)
}

// Server renders the public site. Build one with New; it is safe for
// concurrent use.
type Server struct {
	cfg    Config
	store  Store
	lang   string
	zone   func() *time.Location // the zone in force (loc)
	now    newsroom.Clock
	log    *slog.Logger
	base   string
	pages  map[string]*template.Template
	assets *assets.Set
	logo   []byte // publisher logo (PNG), drawn at startup
	// favicon (ICO) and touch icon (PNG), scaled from the logo; share
	// cards drawn on demand (card.go)
	favicon, touchIcon []byte
	cards              cardCache
	errors             *web.Responder
	files              media.Storage // public media files (nil: none)
	// mediaBase is Config.MediaPublicURL ending in "/" ("" when unset);
	// mediaRewrite points saved HTML at it (mediaurl.go).
	mediaBase    string
	mediaRewrite *strings.Replacer
	mediaCSP     string // " http://host:port" for a plain-HTTP mediaBase, else ""
	// sitemapSize is how many articles a paged sitemap lists (0: 50,000).
	sitemapSize int
	// filesMux holds every route, pagesMux (mounted at its "/") the pages.
	filesMux, pagesMux *http.ServeMux
	// shareLimit holds each client to Config.SharesPerMinute clicks.
	shareLimit throttle.Allower
	// def is the site's default language; editions are every edition's
	// Server in newsroom.Languages order, shared by all of them
	// (editions.go).
	def      string
	editions *[]*Server
	// liveLangs is which editions are shown (editions.go), shared too.
	liveLangs *liveSet
	// memo keeps navigation, settings and Most read (memo.go), shared.
	memo *memo
}

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets/*
var assetFS embed.FS

// pageFiles lists every page template; each is parsed together with the
// layout and partials. New fails if a file in templates/ is not listed here,
// so a template can never be silently left out.
var pageFiles = []string{"home.html", "article.html", "list.html", "error.html", "reply.html", "corrections.html", "report.html", "search.html", "page.html", "mostread.html"}

var sharedFiles = []string{"layout.html", "partials.html", "comments.html", "reportdialog.html", "discovery.html"}

// New checks cfg, fingerprints the assets and parses every template. It
// returns an error if the store is missing or any template fails to parse.
// The Server it returns is the default language's edition; it builds and
// routes to the others (editions.go).
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, fmt.Errorf("site: Config.Store is required")
	}
	def := cfg.Language
	if !newsroom.ValidLanguage(def) {
		def = "en"
	}
	editions, live, m := new([]*Server), new(liveSet), newMemo(cfg.HearsChanges)
	var root *Server
	for _, lang := range newsroom.Languages {
		e, err := newEdition(cfg, lang, def, editions, live, m)
		if err != nil {
			return nil, err
		}
		*editions = append(*editions, e)
		if lang == def {
			root = e
		}
	}
	return root, nil
}

// newEdition builds the Server of one edition.
func newEdition(cfg Config, lang, def string, editions *[]*Server, live *liveSet, m *memo) (*Server, error) {
	s := &Server{
		cfg:       cfg,
		liveLangs: live,
		memo:      m,
		store:     editionStore{Store: cfg.Store, lang: lang},
		lang:      lang,
		def:       def,
		editions:  editions,
		zone:      cfg.Zone,
		now:       cfg.Now,
		log:       cfg.Logger,
		base:      strings.TrimRight(cfg.BaseURL, "/"),
	}
	s.setMediaBase(cfg.MediaPublicURL)
	if s.zone == nil {
		fixed := cfg.Location
		if fixed == nil {
			fixed = time.UTC
		}
		s.zone = func() *time.Location { return fixed }
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.cfg.SiteName == "" {
		s.cfg.SiteName = "newsdesk"
	}
	s.files = cfg.Media
	if s.files == nil && cfg.MediaDir != "" {
		d, err := media.NewDisk(cfg.MediaDir)
		if err != nil {
			return nil, fmt.Errorf("site: %w", err)
		}
		s.files = d
	}
	s.errors = s.newResponder()
	var err error
	if s.assets, err = assets.Load(assetFS, "assets", "/assets/"); err != nil {
		return nil, fmt.Errorf("site: %w", err)
	}
	logo, err := drawLogo()
	if err != nil {
		return nil, fmt.Errorf("site: draw logo: %w", err)
	}
	s.logo = logo
	if s.favicon, s.touchIcon, err = drawIcons(logo); err != nil {
		return nil, fmt.Errorf("site: draw icons: %w", err)
	}
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	s.filesMux, s.pagesMux = s.routes()
	perMinute := cfg.SharesPerMinute
	if perMinute <= 0 {
		perMinute = 10
	}
	s.shareLimit = throttle.NewLimiter(float64(perMinute)/60, perMinute, 0)
	if cfg.Counters != nil {
		s.shareLimit = &throttle.Shared{Counters: cfg.Counters, Prefix: "share:", Max: int64(perMinute), Window: time.Minute,
			Local: s.shareLimit, Logger: s.log}
	}
	return s, nil
}

func (s *Server) parseTemplates() error {
	entries, err := fs.ReadDir(templateFS, "templates")
	if err != nil {
		return fmt.Errorf("site: read templates: %w", err)
	}
	known := map[string]bool{}
	for _, f := range append(append([]string{}, pageFiles...), sharedFiles...) {
		known[f] = true
	}
	for _, e := range entries {
		if !known[e.Name()] {
			return fmt.Errorf("site: template %s is not registered in pageFiles", e.Name())
		}
	}
	base, err := template.New("layout.html").Funcs(s.funcs()).ParseFS(templateFS, prefixed(sharedFiles)...)
	if err != nil {
		return fmt.Errorf("site: parse layout: %w", err)
	}
	s.pages = map[string]*template.Template{}
	for _, name := range pageFiles {
		t, err := template.Must(base.Clone()).ParseFS(templateFS, "templates/"+name)
		if err != nil {
			return fmt.Errorf("site: parse %s: %w", name, err)
		}
		if t.Lookup("main") == nil {
			return fmt.Errorf("site: %s defines no \"main\" block", name)
		}
		s.pages[name] = t
	}
	return nil
}

func prefixed(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "templates/" + n
	}
	return out
}

// pageBuffers keeps the buffers pages are executed into: a page is tens of
// kilobytes, and growing a fresh buffer for each render was a third of
// the garbage of a cache miss.
var pageBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func putPageBuffer(b *bytes.Buffer) {
	if b.Cap() <= 1<<20 { // an unusually large page is not kept
		pageBuffers.Put(b)
	}
}

// render executes the page template into a buffer and writes it with status.
func (s *Server) render(w http.ResponseWriter, status int, page string, view any) error {
	t := s.pages[page]
	if t == nil {
		return fmt.Errorf("site: no template %s", page)
	}
	buf := pageBuffers.Get().(*bytes.Buffer)
	defer putPageBuffer(buf)
	buf.Reset()
	if err := t.ExecuteTemplate(buf, "layout.html", view); err != nil {
		return fmt.Errorf("site: execute %s: %w", page, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	setSecurityHeaders(h, s.mediaCSP)
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	if err != nil {
		s.log.Debug("site: write page", "page", page, "err", err)
	}
	return nil
}

// loc is the time zone dates are shown and read in now.
func (s *Server) loc() *time.Location { return s.zone() }
