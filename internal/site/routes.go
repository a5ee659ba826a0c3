package site

import "net/http"

// Handler returns the site's routes on their own ServeMux, to be mounted at
// "/". Every path the site does not know gets the friendly 404 page.
// Paths under "/LANG/" go to that language's edition (editions.go).
func (s *Server) Handler() http.Handler { return editionsHandler{s} }

// editionsHandler serves the site's editions; as an ops.Router it lets the
// request log name the page's own route pattern.
type editionsHandler struct{ s *Server }

func (h editionsHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.s.serveEditions(w, r) }

// Route returns the edition's mux and the request as it reads it.
func (h editionsHandler) Route(r *http.Request) (http.Handler, *http.Request) {
	e, r2 := h.s.route(r)
	return e.filesMux, r2
}

// routes builds the site's two muxes (New keeps them: CacheQuery reads
// their patterns).
func (s *Server) routes() (files, pages *http.ServeMux) {
	// Files live on an outer mux: "/media/{path...}" would otherwise
	// conflict with "/{section}/{slug}" (neither pattern is more specific).
	files = http.NewServeMux()
	files.Handle("GET /assets/{name}", s.handle(s.handleAsset))
	files.Handle("GET /media/", s.media())
	files.Handle("GET /robots.txt", s.handle(s.handleRobots))
	files.Handle("POST /share/{id}/{network}", s.handle(s.handleShare))
	files.HandleFunc("POST "+pathViews+"{id}", s.handleViewBeacon)
	files.Handle("POST /comments", s.handle(s.handlePostComment))
	files.Handle("GET /comments/reply/{id}", s.handle(s.handleReplyPage))
	files.Handle("GET /comments/feed", s.handle(s.handleCommentsFeed))
	files.Handle("GET /comments/feed/{$}", s.handle(s.slashless("/comments/feed")))
	files.Handle("GET /comments/feed/{id}", s.handle(s.handleArticleCommentsFeed))
	// Discovery: feeds, sitemaps, the publisher logo, search (feeds.go,
	// search.go). Paths with a dot or under /feeds/ and /sitemaps/ cannot
	// be an article's /{section}/{slug}.
	files.Handle("GET "+pathRSS, s.handle(s.handleSiteFeed("rss")))
	files.Handle("GET "+pathAtom, s.handle(s.handleSiteFeed("atom")))
	files.Handle("GET "+pathJSONFeed, s.handle(s.handleSiteFeed("json")))
	files.Handle("GET /feeds/{kind}/{slug}/{file}", s.handle(s.handleScopedFeed))
	files.Handle("GET "+pathSitemap, s.handle(s.handleSitemapIndex))
	files.Handle("GET /sitemaps/{file}", s.handle(s.handleSitemap))
	files.Handle("GET "+pathNewsSitemap, s.handle(s.handleNewsSitemap))
	files.Handle("GET "+pathLogo, s.handle(s.handleLogo))
	// Icons and share cards (card.go).
	files.Handle("GET /favicon.ico", s.handle(s.handleIcon("image/x-icon", func() []byte { return s.favicon })))
	files.Handle("GET /apple-touch-icon.png", s.handle(s.handleIcon("image/png", func() []byte { return s.touchIcon })))
	files.Handle("GET /apple-touch-icon-precomposed.png", s.handle(s.handleIcon("image/png", func() []byte { return s.touchIcon })))
	files.Handle("GET "+pathCards+"{file}", s.handle(s.handleCard))
	files.Handle("GET /search", s.handle(s.handleSearch))

	pages = http.NewServeMux()
	pages.Handle("GET /{$}", s.handle(s.handleHome))
	pages.Handle("GET /tag/{slug}", s.handle(s.handleTag))
	// Old links with WordPress's trailing slash (slashes.go).
	pages.Handle("GET /tag/{slug}/{$}", s.handle(s.handleSlashedTag))
	pages.Handle("GET /author/{slug}/{$}", s.handle(s.handleSlashedAuthor))
	pages.Handle("GET /{section}/{slug}/{$}", s.handle(s.handleSlashedArticle))
	pages.Handle("GET /corrections/{$}", s.handle(s.slashless("/corrections")))
	pages.Handle("GET /corrections", s.handle(s.handleCorrections))
	pages.Handle("GET /corrections/feed", s.handle(s.handleCorrectionsFeed))
	pages.Handle("GET /author/{slug}", s.handle(s.handleAuthor))
	pages.Handle("GET "+pathMostRead, s.handle(s.handleMostRead))
	pages.Handle("GET "+pathMostReadBlock, s.handle(s.handleMostReadBlock))
	pages.Handle("GET /report-error", s.handle(s.handleReportForm))
	pages.Handle("POST /report-error", s.handle(s.handleReportSubmit))
	// "/{section}" is explicit so that a bare unknown name is a 404, not
	// the mux's redirect to a slash path; a known section gains its slash.
	pages.Handle("GET /{section}", s.handle(s.handleUnknown))
	pages.Handle("GET /{section}/{$}", s.handle(s.handleSection))
	pages.Handle("GET /{section}/{slug}", s.handle(s.handleArticle))
	pages.Handle("/", s.handle(s.handleUnknown))

	files.Handle("/", pages)
	return files, pages
}
