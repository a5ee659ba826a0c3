package site

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"newsdesk/internal/feed"
	"newsdesk/internal/i18n"
	"newsdesk/internal/newsroom"
)

// An edition is the site in one language: its own home, sections, tags,
// authors, feeds, news sitemap and search, listing only that language's
// stories, with the chrome in that language. The default language's
// edition (Config.Language) keeps the plain paths; every other language of
// newsroom.Languages is served under "/LANG/" by a Server of its own that
// shares the configuration (New builds them; Handler routes to them).

// liveSet remembers which languages the site publishes in (a public
// story in that language), shared by every edition: only those editions
// are served, linked by hreflang and offered by the switcher, so an
// all-English site has no empty Russian edition. It is read from the
// store (one index probe per language) on the first request after a
// change to any story (Changed) and at most liveTTL after the last read,
// for stories whose publication time simply came; never per request.
type liveSet struct {
	mu    sync.Mutex
	gen   uint64    // bumped by every invalidation
	langs []string  // nil until read
	read  time.Time // when langs was read
	known bool
}

// liveTTL bounds how long a read set is trusted without a change heard.
const liveTTL = time.Minute

// Changed implements newsroom.Notifier: any change to a story ("home" is
// among every article's keys) or a flush ("*") makes the next request
// read the set of published languages again; the memo drops what the
// change touches (memo.go).
func (s *Server) Changed(_ context.Context, c newsroom.Change) {
	s.memo.changed(c.Keys)
	for _, k := range c.Keys {
		if k == "home" || k == "*" || strings.HasPrefix(k, "article:") {
			l := s.liveLangs
			l.mu.Lock()
			l.known = false
			l.gen++
			l.mu.Unlock()
			return
		}
	}
}

// live returns the editions the site shows, in newsroom.Languages order:
// the default one and every other language with a public story; nil when
// that is the default one alone (no switcher, no hreflang between
// editions). When the set changes (the first story in a language, the
// last one unpublished), every cached page is announced changed ("*"), as
// each page's switcher and alternates depend on it.
func (s *Server) live(ctx context.Context) []*Server {
	l := s.liveLangs
	now := s.now()
	l.mu.Lock()
	if l.known && now.Sub(l.read) < liveTTL {
		langs := l.langs
		l.mu.Unlock()
		return s.editionsOf(langs)
	}
	gen, prev, hadPrev := l.gen, l.langs, l.langs != nil
	l.mu.Unlock()

	langs, err := s.cfg.Store.PublicLanguages(ctx, now)
	if err != nil {
		s.log.Warn("site: read published languages", "err", err)
		if hadPrev {
			return s.editionsOf(prev)
		}
		return s.editionsOf(newsroom.Languages)
	}
	if !slices.Contains(langs, s.def) {
		langs = append(langs, s.def)
	}
	l.mu.Lock()
	if l.gen == gen {
		l.langs, l.read, l.known = langs, now, true
	}
	l.mu.Unlock()
	if hadPrev && !sameLangs(prev, langs) {
		if a, ok := s.cfg.Store.(interface {
			Announce(ctx context.Context, keys ...string)
		}); ok {
			a.Announce(ctx, "*")
		}
	}
	return s.editionsOf(langs)
}

// reqContext is r's context; a page rendered with no request (r nil)
// gets the background one.
func reqContext(r *http.Request) context.Context {
	if r == nil {
		return context.Background()
	}
	return r.Context()
}

func sameLangs(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// editionsOf returns the editions of langs in newsroom.Languages order,
// or nil for fewer than two.
func (s *Server) editionsOf(langs []string) []*Server {
	var out []*Server
	for _, e := range *s.editions {
		if e.lang == s.def || slices.Contains(langs, e.lang) {
			out = append(out, e)
		}
	}
	if len(out) < 2 {
		return nil
	}
	return out
}

// editionStore is the store as one edition sees it: every public listing
// keeps the edition's language.
type editionStore struct {
	Store
	lang string
}

func (e editionStore) FindArticles(ctx context.Context, f newsroom.ArticleFilter) ([]*newsroom.Article, int, error) {
	if f.Language == "" {
		f.Language = e.lang
	}
	return e.Store.FindArticles(ctx, f)
}

func (e editionStore) FindArticleLists(ctx context.Context, fs []newsroom.ArticleFilter) ([][]*newsroom.Article, error) {
	own := make([]newsroom.ArticleFilter, len(fs))
	for i, f := range fs {
		if f.Language == "" {
			f.Language = e.lang
		}
		own[i] = f
	}
	return e.Store.FindArticleLists(ctx, own)
}

func (e editionStore) Search(ctx context.Context, q newsroom.SearchQuery) ([]newsroom.SearchHit, int, error) {
	if q.Language == "" {
		q.Language = e.lang
	}
	return e.Store.Search(ctx, q)
}

func (e editionStore) RecentEntries(ctx context.Context, lang string, since, now time.Time, limit int) ([]newsroom.SitemapEntry, error) {
	if lang == "" {
		lang = e.lang
	}
	return e.Store.RecentEntries(ctx, lang, since, now, limit)
}

// MostRead lists the edition's own most-read stories (the limit counts
// them only).
func (e editionStore) MostRead(ctx context.Context, since, now time.Time, limit int) ([]*newsroom.Article, error) {
	return e.Store.MostReadIn(ctx, e.lang, since, now, limit)
}

// Related asks for more than it shows and keeps the edition's language
// (a story's related candidates are weighed from the tag and section
// indexes alone, before any article is read).

func (e editionStore) Related(ctx context.Context, a *newsroom.Article, now time.Time, limit int) ([]*newsroom.Article, error) {
	list, err := e.Store.Related(ctx, a, now, limit*3)
	return e.keep(list, limit), err
}

func (e editionStore) keep(list []*newsroom.Article, limit int) []*newsroom.Article {
	out := list[:0]
	for _, a := range list {
		if a.Language == e.lang && len(out) < limit {
			out = append(out, a)
		}
	}
	return out
}

// path returns the site path p ("/world/") in this edition.
func (s *Server) path(p string) string { return newsroom.EditionPath(s.lang, s.def, p) }

// articlePath is an article's public path in its own edition.
func (s *Server) articlePath(a *newsroom.Article) string {
	return newsroom.EditionPath(a.Language, s.def, a.URL())
}

// edition returns the edition of lang, or nil.
func (s *Server) edition(lang string) *Server {
	for _, e := range *s.editions {
		if e.lang == lang {
			return e
		}
	}
	return nil
}

// route returns the edition that serves r and the request as that
// edition's routes read it (its "/LANG" prefix taken off).
func (s *Server) route(r *http.Request) (*Server, *http.Request) {
	for _, e := range s.live(reqContext(r)) {
		if e.lang == s.def {
			continue
		}
		prefix := "/" + e.lang
		if rest, ok := strings.CutPrefix(r.URL.Path, prefix); ok && strings.HasPrefix(rest, "/") {
			r2 := new(http.Request)
			*r2 = *r
			r2.URL = new(url.URL)
			*r2.URL = *r.URL
			r2.URL.Path = rest
			r2.URL.RawPath = ""
			return e, r2
		}
	}
	return s, r
}

// serveEditions is the default edition's handler: "/LANG/…" goes to that
// edition (and a bare "/LANG" to its home), the rest to the default one.
func (s *Server) serveEditions(w http.ResponseWriter, r *http.Request) {
	for _, e := range s.live(reqContext(r)) {
		if e.lang != s.def && r.URL.Path == "/"+e.lang {
			http.Redirect(w, r, "/"+e.lang+"/", http.StatusMovedPermanently)
			return
		}
	}
	e, r2 := s.route(r)
	e.filesMux.ServeHTTP(w, r2)
}

// alternate is one language version of a page: a hreflang link and an
// entry of the language switcher.
type alternate struct {
	Lang    string
	Name    string // the language's own name, for the switcher
	URL     string // absolute, for hreflang
	Path    string // site path, for the switcher
	Current bool
	// Missing is true when the page has no version in that language and
	// the switcher leads to the edition's home.
	Missing bool
}

// localeOf is the Open Graph locale of a language.
func localeOf(lang string) string {
	switch lang {
	case "ru":
		return "ru_RU"
	default:
		return "en_US"
	}
}

// setAlternates fills the page's switcher and hreflang links for a page
// that exists in every edition at the same path (home, sections): path is
// the edition-less path ("/", "/world/").
func (s *Server) setAlternates(r *http.Request, p *Page, path string) {
	p.Alternates, p.Switch = nil, nil
	for _, e := range s.live(reqContext(r)) {
		a := alternate{Lang: e.lang, Name: i18n.T(e.lang, "site.language_name"), Path: e.path(path), Current: e == s}
		a.URL = s.absURL(r, a.Path)
		p.Alternates = append(p.Alternates, a)
		if e.lang == s.def {
			p.XDefault = a.URL
		}
	}
	p.Switch = p.Alternates
}

// setSwitchHome fills the switcher of a page that does not exist as such
// in the other editions (tags, authors, search): it leads to their home
// pages, with no hreflang links.
func (s *Server) setSwitchHome(r *http.Request, p *Page) {
	p.Switch = nil
	for _, e := range s.live(reqContext(r)) {
		p.Switch = append(p.Switch, alternate{Lang: e.lang, Name: i18n.T(e.lang, "site.language_name"),
			Path: e.path("/"), Current: e == s, Missing: e != s})
	}
}

// setArticleAlternates fills the switcher and hreflang links of an
// article page: each public member of its group, itself included, and
// x-default (the member in the site's default language, else the
// original). A language with no public member leads to its edition's home
// and gets no hreflang link.
func (s *Server) setArticleAlternates(r *http.Request, p *Page, a *newsroom.Article) {
	p.Alternates, p.Switch = nil, nil
	members := append([]newsroom.Translation{{ID: a.ID, Language: a.Language, Slug: a.Slug, Section: sectionSlug(a),
		Status: a.Status, PublishedAt: a.PublishedAt, Original: a.IsOriginal()}}, a.PublicTranslations(s.now())...)
	if len(members) == 1 {
		// A story in one language has no alternates, only a switcher.
		s.setSwitchHome(r, p)
		for i := range p.Switch {
			if p.Switch[i].Lang == a.Language {
				p.Switch[i].Path, p.Switch[i].Current, p.Switch[i].Missing = s.articlePath(a), true, false
			} else {
				p.Switch[i].Current = false
			}
		}
		return
	}
	group := make([]groupMember, len(members))
	for i, m := range members {
		group[i] = groupMember{lang: m.Language, path: newsroom.EditionPath(m.Language, s.def, m.URL()), original: m.Original, self: m.ID == a.ID}
	}
	p.Switch, p.Alternates, p.XDefault = s.groupAlternates(r, s.live(reqContext(r)), group)
}

// groupMember is one public member of a translation group (a story or a
// static page) as the switcher and hreflang links see it.
type groupMember struct {
	lang, path string
	original   bool
	self       bool // the page being served
}

// groupAlternates makes the language switcher and hreflang links of a
// page in a translation group: each open edition leads to the group's
// member in its language (with an absolute URL for hreflang), or to its
// home when it has none (no hreflang link); x-default is the member in
// the site's default language, else the original, else the first.
func (s *Server) groupAlternates(r *http.Request, live []*Server, members []groupMember) (sw, alts []alternate, xdefault string) {
	var original string
	for _, e := range live {
		alt := alternate{Lang: e.lang, Name: i18n.T(e.lang, "site.language_name"), Path: e.path("/"), Missing: true}
		for _, m := range members {
			if m.lang == e.lang {
				alt.Path, alt.Missing, alt.Current = m.path, false, m.self
				alt.URL = s.absURL(r, m.path)
				if e.lang == s.def {
					xdefault = alt.URL
				}
				if m.original {
					original = alt.URL
				}
			}
		}
		sw = append(sw, alt)
		if !alt.Missing {
			alts = append(alts, alt)
		}
	}
	if xdefault == "" {
		xdefault = original
	}
	if xdefault == "" && len(alts) > 0 {
		xdefault = alts[0].URL
	}
	return sw, alts, xdefault
}

func sectionSlug(a *newsroom.Article) string {
	if c := a.PrimaryCategory(); c != nil {
		return c.Slug
	}
	return ""
}

// OGLocale and OGLocaleAlternates are the page's og:locale and
// og:locale:alternate values.
func (p *Page) OGLocale() string { return localeOf(p.Lang) }

// OGLocaleAlternates are the locales of the page's other versions.
func (p *Page) OGLocaleAlternates() []string {
	var out []string
	for _, a := range p.Alternates {
		if a.Lang != p.Lang {
			out = append(out, localeOf(a.Lang))
		}
	}
	return out
}

// machineNote reports whether published machine translations say so
// (newsroom.SettingMachineNote).
func (s *Server) machineNote(ctx context.Context) bool {
	v, err := s.setting(ctx, newsroom.SettingMachineNote)
	if err != nil {
		s.log.Warn("site: read machine translation setting", "err", err)
	}
	return v != "off"
}

// entryPath is a sitemap entry's path in its edition.
func (s *Server) entryPath(e newsroom.SitemapEntry) string {
	return newsroom.EditionPath(e.Language, s.def, e.Path)
}

// entryAlternates are the hreflang alternates of a sitemap entry: every
// public member of its group, itself included, and x-default (as on the
// page: the default language's member, else the original); none for a
// story in one language.
func (s *Server) entryAlternates(r *http.Request, e newsroom.SitemapEntry) []feed.Alternate {
	if len(e.Translations) == 0 {
		return nil
	}
	self := s.absURL(r, s.entryPath(e))
	out := []feed.Alternate{{Lang: e.Language, Href: self}}
	xdef, original := "", ""
	if e.Language == s.def {
		xdef = self
	}
	for _, t := range e.Translations {
		u := s.absURL(r, newsroom.EditionPath(t.Language, s.def, t.URL()))
		out = append(out, feed.Alternate{Lang: t.Language, Href: u})
		if t.Language == s.def {
			xdef = u
		}
		if t.Original {
			original = u
		}
	}
	if xdef == "" {
		xdef = original
	}
	if xdef == "" {
		xdef = self
	}
	return append(out, feed.Alternate{Lang: "x-default", Href: xdef})
}

// editionURLs are the sitemap entries of a page every edition has (home,
// sections) at path, each listing all of them and x-default.
func (s *Server) editionURLs(r *http.Request, path string, mod time.Time) []feed.URL {
	live := s.live(reqContext(r))
	if len(live) == 0 {
		return []feed.URL{{Loc: s.absURL(r, path), LastMod: mod}}
	}
	var alts []feed.Alternate
	for _, e := range live {
		alts = append(alts, feed.Alternate{Lang: e.lang, Href: s.absURL(r, e.path(path))})
	}
	alts = append(alts, feed.Alternate{Lang: "x-default", Href: s.absURL(r, path)})
	var out []feed.URL
	for _, e := range live {
		out = append(out, feed.URL{Loc: s.absURL(r, e.path(path)), LastMod: mod, Alternates: alts})
	}
	return out
}
