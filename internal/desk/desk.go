// Package desk is the editorial desk of newsdesk, mounted at /desk/: staff
// sign in, write, review, schedule, correct and moderate there. Pages are
// server-rendered html/template with embedded, fingerprinted CSS and a
// little JavaScript; every page works without a script. docs/DESK.md says
// how access is checked and how a feature adds its own desk page.
package desk

import (
	"context"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"newsdesk/internal/assets"
	"newsdesk/internal/auth"
	"newsdesk/internal/comments"
	"newsdesk/internal/editorial"
	"newsdesk/internal/legal/registry"
	"newsdesk/internal/mail"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/pages"
	"newsdesk/internal/redirects"
	"newsdesk/internal/reports"
	"newsdesk/internal/settings"
	"newsdesk/internal/throttle"
	"newsdesk/internal/translate"
	"newsdesk/internal/web"
)

// Store is what the desk reads directly. Articles are written only through
// Config.Editorial; the ArticleWriter methods used here are reads
// (Revisions).
type Store interface {
	newsroom.ArticleReader
	newsroom.ArticleWriter
	newsroom.Taxonomy
	newsroom.Users
	newsroom.TokenStore
	newsroom.Settings
	newsroom.SessionStore
	newsroom.Scheduling
	newsroom.People
	newsroom.TwoFactorStore
	newsroom.DeskStats
	newsroom.FrontStats
	newsroom.PendingEdits
	newsroom.PresenceStore
}

// Config holds the desk's dependencies and settings. Store and Editorial
// are required.
type Config struct {
	// Counters, when set, keep the sign-in limits (and every limiter made
	// with Server.newLimiter) where every node sees them: PostgreSQL or
	// Redis. nil: this process's memory (one node).
	Counters  newsroom.Counters
	Store     Store
	Editorial *editorial.Service
	Language  string         // interface language, "en" or "ru"
	Location  *time.Location // times are shown in this zone (nil = UTC)
	// Zone, when set, gives the zone in force on every request (the
	// desk's Settings: a change applies at once); it wins over Location.
	Zone     func() *time.Location
	SiteName string
	// BaseURL is the site's public address (--base-url); invite links are
	// made from it. Required.
	BaseURL string
	Now     newsroom.Clock // nil = time.Now
	Logger  *slog.Logger   // nil = slog.Default()
	// SecureCookies marks the session cookie Secure even when the request
	// did not arrive over TLS (newsdesk behind a TLS-terminating proxy).
	SecureCookies bool
	// TrustProxy takes the client address for rate limits from
	// X-Forwarded-For instead of the direct peer.
	TrustProxy bool
	// Comments receives and moderates readers' comments; nil leaves the
	// comment queue out of the desk.
	Comments *comments.Service
	// Reports is the readers' error-report loop; nil leaves the queue out.
	Reports *reports.Service
	// Scheduler publishes scheduled articles; main builds it before the
	// editorial service, whose AfterSave hook pokes it. Nil: the desk
	// makes its own over Store.
	Scheduler *Scheduler
	// Preview writes the public article page for an unsaved article, so
	// the editor's preview is exactly what readers will see. Optional.
	Preview func(w http.ResponseWriter, r *http.Request, a *newsroom.Article) error
	// Media takes uploads into the media library and MediaStore reads it
	// (media.go); TaxonomyAdmin manages sections, tags and author profiles
	// (taxonomy.go). Their pages answer 404 while these are unset.
	Media         Uploader
	MediaStore    newsroom.MediaStore
	TaxonomyAdmin newsroom.TaxonomyAdmin
	// Legal is the legal registry (legal.go); nil leaves its pages and the
	// editor's legal panel out.
	Legal *registry.Service
	// Translate keeps the glossary and starts translations
	// (languages.go); nil leaves the Glossary page and the editor's
	// Translations panel out.
	Translate *translate.Service
	// Pages manages static pages and the footer menu (pages.go), and
	// Redirects the stored redirects (redirects.go); nil leaves their
	// pages out.
	Pages     *pages.Service
	Redirects *redirects.Service
	// Import runs a WordPress import from the Import page (import.go),
	// whose uploads are written to files in ImportDir, at most MaxImport
	// bytes (0: DefaultMaxImport). Without both the page is left out.
	Import    ImportFunc
	ImportDir string
	MaxImport int64
	// Mail sends invitations, password-reset links and account notices;
	// nil sends nothing (the invitation link is shown to copy).
	Mail mail.Sender
	// Settings are the site's settings the Settings page shows and saves
	// (nil: the desk keeps its own over Store, with the defaults from
	// SiteName and Language).
	Settings *settings.Service
	// Passwords bounds the argon2id hashes that sign-ins, password changes
	// and invites run at once (nil: auth.NewPool(0, 0, 0), two per CPU).
	Passwords *auth.Pool
}

// Server is the desk. Build it with New; it is safe for concurrent use.
type Server struct {
	cfg   Config
	store Store
	ed    *editorial.Service
	lang  string
	zone  func() *time.Location // the zone in force (loc)
	now   newsroom.Clock
	log   *slog.Logger
	mux   *http.ServeMux

	pages  map[string]*template.Template
	assets *assets.Set
	// front keeps the front page's charts for a minute (frontcharts.go).
	front frontCache

	routes    []Route
	getPaths  map[string]Access // GET path (no pattern variables) -> access, for the nav
	navCounts map[string]func(ctx context.Context) (int, error)

	// ipLimit counts sign-in failures per address, pairLimit per
	// (account, address): never per account alone (limit.go).
	ipLimit, pairLimit *limiter
	passwords          *auth.Pool
	// signingIn caps each address's sign-ins in the password pool.
	signingIn *inFlight
	errors    *web.Responder

	imports *imports // the WordPress import the Import page runs

	settings *settings.Service
	resets   *resets // "forgot your password" (resets.go)

	// Scheduler publishes scheduled articles at their time; main starts it.
	Scheduler *Scheduler
}

// New checks cfg, parses every template and registers every route.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil || cfg.Editorial == nil {
		return nil, fmt.Errorf("desk: Config.Store and Config.Editorial are required")
	}
	if cfg.BaseURL == "" {
		return nil, fmt.Errorf("desk: Config.BaseURL is required (links in invites are made from it)")
	}
	s := &Server{
		cfg:       cfg,
		store:     cfg.Store,
		ed:        cfg.Editorial,
		lang:      cfg.Language,
		zone:      cfg.Zone,
		now:       cfg.Now,
		log:       cfg.Logger,
		mux:       http.NewServeMux(),
		getPaths:  map[string]Access{},
		navCounts: map[string]func(context.Context) (int, error){},
	}
	if s.lang != "ru" {
		s.lang = "en"
	}
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
	s.passwords = cfg.Passwords
	if s.passwords == nil {
		s.passwords = auth.NewPool(0, 0, 0)
	}
	s.signingIn = newInFlight(s.passwords.Places())
	s.errors = s.newResponder()
	s.ipLimit = s.newLimiter("signin-ip", ipMaxFailures, failWindow, lockFor)
	s.pairLimit = s.newLimiter("signin-pair", accountMaxFailures, failWindow, lockFor)
	s.imports = newImports(s.now)
	s.resets = newResets()
	if cfg.Counters != nil {
		// The reset limits hold across nodes too (limit_shared.go).
		s.resets.perAddress = throttle.SharedRate(cfg.Counters, "reset-address:", resetsPerAddress/3600.0, resetsPerAddress, s.log)
		s.resets.perClient = throttle.SharedRate(cfg.Counters, "reset-client:", resetsPerClient/3600.0, resetsPerClient, s.log)
	}
	s.settings = cfg.Settings
	if s.settings == nil {
		d := newsroom.DefaultSiteSettings()
		d.SiteName, d.Language, d.TimeZone = s.cfg.SiteName, s.lang, s.loc().String()
		s.settings = settings.New(cfg.Store, d)
	}
	s.Scheduler = cfg.Scheduler
	if s.Scheduler == nil {
		s.Scheduler = NewScheduler(cfg.Store, s.now, s.log)
	}
	s.Scheduler.Updates = s.applyDueUpdates // scheduled updates of live stories (publish.go)
	var err error
	if s.assets, err = assets.Load(assetFS, "assets", "/desk/assets/"); err != nil {
		return nil, fmt.Errorf("desk: %w", err)
	}
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	s.registerRoutes()
	s.runResets()
	return s, nil
}

// Handler returns the desk's routes; main mounts it at /desk/.
func (s *Server) Handler() http.Handler { return s.mux }

// Routes lists every registered route with its access rule, in the order
// they were registered. The role-matrix test walks them all.
func (s *Server) Routes() []Route { return append([]Route(nil), s.routes...) }

// loc is the time zone dates are shown and read in now.
func (s *Server) loc() *time.Location { return s.zone() }
