package site

import (
	"context"
	"html"
	"html/template"
	"net/http"
	"strings"
	"time"

	"newsdesk/internal/i18n"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/render"
)

// Page is what the layout needs on every page; each page's view embeds it.
type Page struct {
	Lang        string // lang of <html>: the article's language on article pages
	SiteLang    string // interface language of the site
	Title       string // <title>, without the site name
	Description string
	Canonical   string // absolute URL, or ""
	Robots      string // e.g. "noindex"; "" for the default
	SiteName    string
	Tagline     string
	Today       time.Time
	Nav         []navItem
	Menu        []navItem // the footer menu of static pages
	Current     string    // slug of the top-level section being shown, for aria-current
	IsHome      bool
	OG          *openGraph
	Feeds       []feedLink  // autodiscovery links in the head
	JSONLD      template.JS // structured data (schema.org), already escaped
	// Alternates are the page's language versions for hreflang (itself
	// included; empty for a page with none), XDefault the x-default URL;
	// Switch is the language switcher (editions.go).
	Alternates []alternate
	XDefault   string
	Switch     []alternate
	// MachineNote is shown on a published machine translation.
	MachineNote bool

	cats []newsroom.Category // all sections, read once per page
}

type navItem struct {
	Name, URL, Slug string
}

type openGraph struct {
	Type, Title, Description, URL, Image string
	// For article pages: the image's size and alt text, times, section
	// and tags (Open Graph article: properties).
	ImageWidth, ImageHeight int
	ImageAlt                string
	Published, Modified     string
	Section                 string
	Tags                    []string
}

// ChromeLang is the lang attribute for the header and footer when the
// page's language differs from the interface language, else "".
func (p *Page) ChromeLang() string {
	if p.Lang != p.SiteLang {
		return p.SiteLang
	}
	return ""
}

// card is an article in a list: home stream, section blocks, archives.
type card struct {
	ID         int64
	Lang       string // the article's language, when it is not the site's
	URL        string
	Headline   template.HTML
	Standfirst string
	Section    *navItem
	Published  time.Time
	Comments   int
	Image      *imageView
}

// imageView is an <img> with everything it needs to load without shifting.
type imageView struct {
	URL, Srcset, Sizes, Alt string
	Width, Height           int
	Lazy                    bool
	High                    bool // fetchpriority=high (the page's main image)
}

func newImage(img *newsroom.Image, sizes string, lazy bool) *imageView {
	if img == nil || img.URL == "" {
		return nil
	}
	return &imageView{URL: img.URL, Srcset: img.Srcset, Sizes: sizes, Alt: img.Alt,
		Width: img.Width, Height: img.Height, Lazy: lazy}
}

func headlineHTML(a *newsroom.Article) template.HTML {
	if a.HeadlineHTML != "" {
		return template.HTML(a.HeadlineHTML) // escaped at save time by render
	}
	return template.HTML(html.EscapeString(a.Headline))
}

func standfirstHTML(a *newsroom.Article) template.HTML {
	if a.StandfirstHTML != "" {
		return template.HTML(a.StandfirstHTML) // escaped at save time by render
	}
	return template.HTML(html.EscapeString(a.Standfirst))
}

// sectionLink links the section c in this edition, by its name there.
func (s *Server) sectionLink(c *newsroom.Category) *navItem {
	if c == nil {
		return nil
	}
	return &navItem{Name: c.NameIn(s.lang), URL: s.path("/" + c.Slug + "/"), Slug: c.Slug}
}

func (s *Server) newCard(a *newsroom.Article, sizes string, lazy bool) card {
	lang := ""
	if a.Language != "" && a.Language != s.lang {
		lang = a.Language
	}
	return card{
		Lang:       lang,
		ID:         a.ID,
		URL:        s.articlePath(a),
		Headline:   headlineHTML(a),
		Standfirst: render.Excerpt(string(standfirstHTML(a)), 220),
		Section:    s.sectionLink(a.PrimaryCategory()),
		Published:  a.PublishedAt,
		Comments:   a.CommentCount,
		Image:      newImage(a.LeadImage, sizes, lazy),
	}
}

// page builds the common part of a view. Errors reading the navigation are
// logged, not returned: a page without its nav is better than no page.
func (s *Server) page(ctx context.Context, r *http.Request, title string) Page {
	conf := s.conf(ctx)
	p := Page{
		Lang:     s.lang,
		SiteLang: s.lang,
		Title:    title,
		SiteName: conf.SiteName,
		Tagline:  conf.Description,
		Today:    s.now(),
		Feeds:    s.siteFeedLinks(conf.SiteName),
	}
	cats, err := s.categories(ctx)
	if err != nil {
		s.log.Error("site: read sections for nav", "err", err)
	}
	p.cats = cats
	for _, c := range cats {
		if c.ParentID == 0 {
			p.Nav = append(p.Nav, navItem{Name: c.NameIn(s.lang), URL: s.path("/" + c.Slug + "/"), Slug: c.Slug})
		}
	}
	if s.cfg.Pages != nil {
		menu, err := s.menuPages(ctx)
		if err != nil {
			s.log.Error("site: read footer menu", "err", err)
		}
		for _, m := range menu {
			if s.ownPage(m.Language) { // each edition's footer lists its own pages
				p.Menu = append(p.Menu, navItem{Name: m.Title, URL: m.Path, Slug: m.Slug})
			}
		}
	}
	if r != nil && r.URL.Path != "" {
		p.Canonical = s.absURL(r, s.path(r.URL.Path))
	}
	s.setSwitchHome(r, &p)
	return p
}

// topLevel returns the top-level ancestor of the section slug (itself if
// it has no parent), or nil if the section is unknown.
func (p *Page) topLevel(slug string) *newsroom.Category {
	byID := map[int64]*newsroom.Category{}
	var c *newsroom.Category
	for i := range p.cats {
		byID[p.cats[i].ID] = &p.cats[i]
		if p.cats[i].Slug == slug {
			c = &p.cats[i]
		}
	}
	for depth := 0; c != nil && c.ParentID != 0 && depth < 10; depth++ {
		parent := byID[c.ParentID]
		if parent == nil {
			break
		}
		c = parent
	}
	return c
}

// absURL makes an absolute URL from a site path, using BaseURL when set and
// the request's host otherwise.
func (s *Server) absURL(r *http.Request, p string) string {
	if s.mediaBase != "" && strings.HasPrefix(p, mediaPrefix) {
		return s.mediaURL(p)
	}
	if s.base != "" {
		return s.base + p
	}
	if r == nil || r.Host == "" {
		return p
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + p
}

func (s *Server) funcs() template.FuncMap {
	lang := s.lang
	in := func(t time.Time) time.Time { return t.In(s.loc()) }
	return template.FuncMap{
		"t": func(key string, args ...any) string { return i18n.T(lang, key, args...) },
		"n": func(key string, n int, args ...any) string { return i18n.N(lang, key, n, args...) },
		"asset": func(name string) (string, error) {
			if p, ok := s.assets.URL(name); ok {
				return p, nil
			}
			return "", errUnknownAsset(name)
		},
		"viewBeacon": s.viewBeacon,
		"iso":        func(t time.Time) string { return in(t).Format(time.RFC3339) },
		"date":       func(t time.Time) string { return i18n.Date(lang, in(t)) },
		"longdate":   func(t time.Time) string { return i18n.LongDate(lang, in(t)) },
		"clock":      func(t time.Time) string { return i18n.Clock(in(t)) },
		"datetime":   func(t time.Time) string { return i18n.DateTime(lang, in(t)) },
		// when is a card's time: the clock for today, else date and time.
		"when": func(t time.Time) string {
			t, now := in(t), in(s.now())
			if sameDay(t, now) {
				return i18n.Clock(t)
			}
			return i18n.DateTime(lang, t)
		},
		"label": func(l string) string {
			if l == "" {
				return ""
			}
			return i18n.T(lang, "site.label."+l)
		},
		"network": func(n string) string { return i18n.T(lang, "site.network."+n) },
		"kind":    func(k newsroom.CorrectionKind) string { return i18n.T(lang, "site.kind."+string(k)) },
		"year":    func(t time.Time) int { return in(t).Year() },
		"add":     func(a, b int) int { return a + b },
		// p is a site path in this edition ("/search" → "/ru/search").
		"p": s.path,
		// media and mediaset point /media/ addresses at --media-public-url.
		"media":    s.mediaURL,
		"mediaset": s.mediaSrcset,
		"last":     func(i, n int) bool { return i == n-1 },
		"errorHint": func() template.HTML {
			msg := html.EscapeString(i18n.T(lang, "site.error_hint", "\x00"))
			return template.HTML(strings.Replace(msg, "\x00",
				`<kbd id="error-keys"><kbd>Ctrl</kbd>+<kbd>Enter</kbd></kbd>`, 1))
		},
	}
}

type errUnknownAsset string

func (e errUnknownAsset) Error() string { return "site: unknown asset " + string(e) }

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}
