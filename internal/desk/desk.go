// Package desk is the editorial desk of newsdesk, mounted at /desk/: staff
// sign in, write, review, schedule, correct and moderate there. Pages are
// server-rendered html/template with embedded, fingerprinted CSS and a
// little JavaScript; every page works without a script.
//
// # Access
//
// Every route declares who may use it, and the check runs on the server
// before the handler (see Access): Public (no session: sign-in, invites,
// assets), Staff (any signed-in user), Writers (admin, editor,
// correspondent), Editors (admin, editor), Moderators (admin, editor,
// moderator), Admins. A request without a valid session is sent to the
// sign-in page (GET) or answered 401 (anything else); a role that may not
// is answered 403. State-changing requests also carry the session's CSRF
// token (form field "_csrf" or header "X-CSRF-Token"), a second layer behind
// http.CrossOriginProtection, which wraps the whole server.
//
// # Adding a page from another file
//
// Other features add their desk pages as their own files in this package
// (for example comments.go with templates/comments.html), in four steps.
//
// Dependencies: add a field to Config (say Comments newsroom.CommentStore)
// and set it where cmd/newsdesk/serve.go builds desk.Config.
//
// Handler: a method returning an error, with one typed view struct per
// page that embeds Page; s.page(r, titleKey, navKey) starts the common part
// and s.render fills in the rest (user, CSRF token, navigation):
//
//	type commentsView struct {
//		Page
//		Comments []newsroom.Comment
//	}
//
//	func (s *Server) handleComments(w http.ResponseWriter, r *http.Request) error {
//		v := &commentsView{Page: s.page(r, "desk.nav.comments", "comments")}
//		// ... fill v, using CurrentUser(r.Context()) if needed ...
//		return s.render(w, r, http.StatusOK, "comments.html", v)
//	}
//
// Returned errors are mapped once (s.fail): a *newsroom.Error's code picks
// the status and its message is shown on the desk's error page, or sent as
// {"error":{"code","message","field"}} when the request accepts JSON; any
// other error is logged and shown as a generic sentence.
//
// Template: templates/comments.html defines {{define "main"}}...{{end}}
// (and may define "head" for extra tags in <head>). Every file in
// templates/ other than layout.html and partials.html is a page, parsed at
// start-up with those two; a page without "main" stops the server from
// starting. Forms that POST include {{template "csrf" .}} (inside a range:
// {{template "csrf" $}}); scripts send the token (the layout puts it in
// <meta name="csrf-token">) as the X-CSRF-Token header. Strings go through
// {{t "key"}} and {{n "key" count}}, with keys in your own message file
// under internal/i18n/messages/.
//
// Route and nav count: in routes.go add
//
//	s.route("GET /desk/comments", Moderators, s.handleComments)
//	s.navCount("comments", func(ctx context.Context) (int, error) { ... })
//
// The left navigation (nav.go) lists Stories, Review, Scheduled, Error
// reports, Comments, Media, Sections, Legal registry, People and Settings
// at /desk/stories, /desk/error-reports, /desk/comments, /desk/media,
// /desk/sections, /desk/legal, /desk/people and /desk/settings. An item is
// shown once a GET route for its path is registered and the user's role
// passes that route's Access; a count function, if set, puts a number
// beside it (0 shows none). The role-matrix test in desk_test.go walks
// every registered route: add the status your route should give each role
// to its table.
//
// Other helpers: CurrentUser(ctx) is the signed-in user (nil on Public
// routes without a session); s.redirect answers a POST with 303 See Other;
// writeJSON answers a script.
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
	"newsdesk/internal/newsroom"
	"newsdesk/internal/pages"
	"newsdesk/internal/redirects"
	"newsdesk/internal/reports"
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
}

// Config holds the desk's dependencies and settings. Store and Editorial
// are required.
type Config struct {
	Store     Store
	Editorial *editorial.Service
	Language  string         // interface language, "en" or "ru"
	Location  *time.Location // times are shown in this zone (nil = UTC)
	SiteName  string
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
	loc   *time.Location
	now   newsroom.Clock
	log   *slog.Logger
	mux   *http.ServeMux

	pages  map[string]*template.Template
	assets *assets.Set

	routes    []Route
	getPaths  map[string]Access // GET path (no pattern variables) -> access, for the nav
	navCounts map[string]func(ctx context.Context) (int, error)

	ipLimit, accountLimit *limiter
	passwords             *auth.Pool

	imports *imports // the WordPress import the Import page runs

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
		loc:       cfg.Location,
		now:       cfg.Now,
		log:       cfg.Logger,
		mux:       http.NewServeMux(),
		getPaths:  map[string]Access{},
		navCounts: map[string]func(context.Context) (int, error){},
	}
	if s.lang != "ru" {
		s.lang = "en"
	}
	if s.loc == nil {
		s.loc = time.UTC
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
	s.ipLimit = newLimiter(ipMaxFailures, failWindow, lockFor)
	s.accountLimit = newLimiter(accountMaxFailures, failWindow, lockFor)
	s.imports = newImports(s.now)
	s.Scheduler = NewScheduler(cfg.Store, s.now, s.log)
	var err error
	if s.assets, err = assets.Load(assetFS, "assets", "/desk/assets/"); err != nil {
		return nil, fmt.Errorf("desk: %w", err)
	}
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	s.registerRoutes()
	return s, nil
}

// Handler returns the desk's routes; main mounts it at /desk/.
func (s *Server) Handler() http.Handler { return s.mux }

// Routes lists every registered route with its access rule, in the order
// they were registered. The role-matrix test walks them all.
func (s *Server) Routes() []Route { return append([]Route(nil), s.routes...) }
