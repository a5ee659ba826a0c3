package site

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/feed"
	"newsdesk/internal/i18n"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/render"
)

// Feed and sitemap addresses. Section, tag and author feeds live under
// /feeds/ with three path segments, so they never collide with an article
// at /{section}/{slug}; the site-wide ones contain a dot, which no section
// slug may.
const (
	pathRSS         = "/feed.xml"
	pathAtom        = "/atom.xml"
	pathJSONFeed    = "/feed.json"
	pathSitemap     = "/sitemap.xml"
	pathNewsSitemap = "/news-sitemap.xml"
	pathLogo        = "/logo.png"
	// feedItems is how many articles a feed carries.
	feedItems = 30
	// keyFeeds tags feeds, sitemaps and search results: every article
	// change emits it.
	keyFeeds    = "feeds"
	keySitemaps = "sitemaps"
)

// SettingFeedFullText is the settings key that overrides Config.FeedFullText:
// "true" puts whole articles in feeds, "false" only summaries.
const SettingFeedFullText = newsroom.SettingFeedFullText

// feedLink is an autodiscovery <link rel="alternate"> in a page's head.
// Kind is "rss", "atom" or "json"; the template writes the MIME type
// literally (html/template would escape the "+" of a value).
type feedLink struct {
	Kind, Title, URL string
}

// siteFeedLinks are the feeds every page announces.
func (s *Server) siteFeedLinks(name string) []feedLink {
	return []feedLink{
		{Kind: "rss", Title: name + " (RSS)", URL: s.path(pathRSS)},
		{Kind: "atom", Title: name + " (Atom)", URL: s.path(pathAtom)},
		{Kind: "json", Title: name + " (JSON Feed)", URL: s.path(pathJSONFeed)},
	}
}

// scopedFeedLinks are the feeds of one section, tag or author page.
func (s *Server) scopedFeedLinks(kind, slug, title string) []feedLink {
	base := s.path("/feeds/" + kind + "/" + url.PathEscape(slug) + "/")
	return []feedLink{
		{Kind: "rss", Title: title + " (RSS)", URL: base + "rss.xml"},
		{Kind: "atom", Title: title + " (Atom)", URL: base + "atom.xml"},
	}
}

// fullText reports whether feeds carry whole articles.
func (s *Server) fullText(ctx context.Context) bool {
	return s.conf(ctx).FeedContent != "summary"
}

// tagAuthority is the host part of tag: URIs (RFC 4151): the site's host
// without a port.
func (s *Server) tagAuthority(r *http.Request) string {
	host := r.Host
	if u, err := url.Parse(s.base); err == nil && u.Host != "" {
		host = u.Host
	}
	if h, _, ok := strings.Cut(host, ":"); ok {
		host = h
	}
	if host == "" {
		host = "localhost"
	}
	return strings.ToLower(host)
}

// articleGUID is an article's id in every feed: it names the article by
// number and creation date, so it survives slug and section changes.
func (s *Server) articleGUID(r *http.Request, a *newsroom.Article) string {
	return fmt.Sprintf("tag:%s,%s:article-%d", s.tagAuthority(r), a.CreatedAt.UTC().Format(time.DateOnly), a.ID)
}

// absolutize makes site-relative src and href attributes in body absolute,
// since feed readers resolve them inconsistently.
func (s *Server) absolutize(r *http.Request, body string) string {
	root := s.absURL(r, "/")
	for _, attr := range []string{` src="/`, ` href="/`} {
		var b strings.Builder
		rest := body
		for {
			i := strings.Index(rest, attr)
			if i < 0 {
				b.WriteString(rest)
				break
			}
			j := i + len(attr)
			b.WriteString(rest[:j-1])
			if strings.HasPrefix(rest[j:], "/") { // protocol-relative: leave
				b.WriteString("/")
			} else {
				b.WriteString(root)
			}
			rest = rest[j:]
		}
		body = b.String()
	}
	return absolutizeSrcsets(body, root)
}

// absolutizeSrcsets makes the site-relative candidates of srcset
// attributes absolute (root ends in "/"): "/media/a 480w, /media/b 960w"
// becomes "https://site/media/a 480w, https://site/media/b 960w".
func absolutizeSrcsets(body, root string) string {
	const attr = ` srcset="`
	if !strings.Contains(body, attr) {
		return body
	}
	var b strings.Builder
	rest := body
	for {
		i := strings.Index(rest, attr)
		if i < 0 {
			b.WriteString(rest)
			return b.String()
		}
		j := i + len(attr)
		end := strings.IndexByte(rest[j:], '"')
		if end < 0 {
			b.WriteString(rest)
			return b.String()
		}
		b.WriteString(rest[:j])
		for k, c := range strings.Split(rest[j:j+end], ",") {
			if k > 0 {
				b.WriteString(",")
			}
			trimmed := strings.TrimLeft(c, " ")
			b.WriteString(c[:len(c)-len(trimmed)])
			if strings.HasPrefix(trimmed, "/") && !strings.HasPrefix(trimmed, "//") {
				b.WriteString(root)
				trimmed = trimmed[1:]
			}
			b.WriteString(trimmed)
		}
		rest = rest[j+end:]
	}
}

// feedImage describes a lead image for an enclosure, with its size in
// bytes when the file is ours.
func (s *Server) feedImage(r *http.Request, img *newsroom.Image) *feed.Image {
	if img == nil || img.URL == "" || !newsroom.SafeURL(img.URL) {
		return nil
	}
	fi := &feed.Image{URL: img.URL, Width: img.Width, Height: img.Height, Title: captionText(img)}
	if fi.Title == "" {
		fi.Title = img.Alt
	}
	if isRelative(img.URL) {
		fi.URL = s.absURL(r, img.URL)
	}
	fi.Type = mime.TypeByExtension(path.Ext(strings.ToLower(img.URL)))
	if name, ok := strings.CutPrefix(img.URL, "/media/"); ok && s.files != nil && fs.ValidPath(name) {
		if st, err := s.files.Stat(r.Context(), name); err == nil {
			fi.Length = st.Size
		}
	}
	return fi
}

// buildFeed reads the newest public articles f selects into a Feed.
func (s *Server) buildFeed(r *http.Request, title, desc, link string, f newsroom.ArticleFilter) (*feed.Feed, error) {
	ctx := r.Context()
	now := s.now()
	f.PublicAt, f.Limit, f.Offset = &now, feedItems, 0
	list, _, err := s.store.FindArticles(ctx, f)
	if err != nil {
		return nil, err
	}
	var bodies map[int64]string
	if s.fullText(ctx) {
		ids := make([]int64, len(list))
		for i, a := range list {
			ids[i] = a.ID
		}
		if bodies, err = s.store.BodiesHTML(ctx, ids); err != nil {
			return nil, err
		}
	}
	out := &feed.Feed{
		Title: title, Description: desc, Language: s.lang, Link: s.absURL(r, s.path(link)),
		Self: s.absURL(r, s.path(r.URL.Path)), Logo: s.absURL(r, pathLogo), Icon: s.absURL(r, pathLogo),
		Generator: "newsdesk",
	}
	for _, a := range list {
		it := feed.Item{
			ID:        s.articleGUID(r, a),
			Title:     render.Text(string(headlineHTML(a))),
			Link:      s.absURL(r, s.articlePath(a)),
			Summary:   render.Text(string(standfirstHTML(a))),
			Published: a.PublishedAt,
			Updated:   a.PublishedAt,
			Image:     s.feedImage(r, a.LeadImage),
		}
		if a.EditedAt.After(it.Updated) {
			it.Updated = a.EditedAt
		}
		if body, ok := bodies[a.ID]; ok {
			it.Content = s.absolutize(r, s.mediaHTML(body))
		}
		for _, b := range a.Authors {
			p := feed.Person{Name: b.Name}
			if b.Slug != "" {
				p.URL = s.absURL(r, s.path("/author/"+b.Slug))
			}
			it.Authors = append(it.Authors, p)
		}
		for _, c := range a.Categories {
			it.Categories = append(it.Categories, c.NameIn(s.lang))
		}
		for _, t := range a.Tags {
			it.Categories = append(it.Categories, t.Name)
		}
		out.Items = append(out.Items, it)
	}
	return out, nil
}

// serveBytes answers with body, an ETag of its content and Last-Modified,
// so that a client holding the same version gets 304 Not Modified.
func serveBytes(w http.ResponseWriter, r *http.Request, ctype string, body []byte, modified time.Time, maxAge int) {
	sum := sha256.Sum256(body)
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("ETag", `"`+hex.EncodeToString(sum[:12])+`"`)
	h.Set("Cache-Control", "public, max-age="+strconv.Itoa(maxAge))
	h.Set("X-Content-Type-Options", "nosniff")
	if modified.IsZero() {
		modified = time.Unix(0, 0)
	}
	http.ServeContent(w, r, "", modified.UTC().Truncate(time.Second), bytes.NewReader(body))
}

// writeFeed renders fd in format ("rss", "atom" or "json") and serves it.
func writeFeed(w http.ResponseWriter, r *http.Request, fd *feed.Feed, format string) error {
	var buf bytes.Buffer
	var ctype string
	var err error
	switch format {
	case "rss":
		ctype, err = "application/rss+xml; charset=utf-8", feed.WriteRSS(&buf, fd)
	case "atom":
		ctype, err = "application/atom+xml; charset=utf-8", feed.WriteAtom(&buf, fd)
	case "json":
		ctype, err = "application/feed+json; charset=utf-8", feed.WriteJSON(&buf, fd)
	default:
		return errNotFound
	}
	if err != nil {
		return err
	}
	serveBytes(w, r, ctype, buf.Bytes(), fd.LastModified(), 300)
	return nil
}

// handleSiteFeed serves the whole site's feed in format.
func (s *Server) handleSiteFeed(format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		fd, err := s.buildFeed(r, s.siteName(r.Context()), s.tagline(r.Context()), "/", newsroom.ArticleFilter{})
		if err != nil {
			return err
		}
		tag(w, keyFeeds, keyNav)
		return writeFeed(w, r, fd, format)
	}
}

// handleScopedFeed serves /feeds/{kind}/{slug}/{file}: the feed of a
// section (its child sections included), a tag or an author, as rss.xml or
// atom.xml.
func (s *Server) handleScopedFeed(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var format string
	switch r.PathValue("file") {
	case "rss.xml":
		format = "rss"
	case "atom.xml":
		format = "atom"
	default:
		return errNotFound
	}
	slug := r.PathValue("slug")
	var (
		f           newsroom.ArticleFilter
		name, desc  string
		link        string
		keys        = []string{keyFeeds, keyNav}
		notFoundErr = errNotFound
	)
	switch r.PathValue("kind") {
	case "section":
		c, err := s.store.CategoryBySlug(ctx, slug)
		if err != nil {
			return err
		}
		f.Category, name, desc, link = c.Slug, c.NameIn(s.lang), c.DescriptionIn(s.lang), "/"+c.Slug+"/"
		keys = append(keys, "category:"+c.Slug)
	case "tag":
		t, err := s.store.TagBySlug(ctx, slug)
		if err != nil {
			return err
		}
		f.Tag, name, link = t.Slug, t.Name, "/tag/"+t.Slug
		desc = i18n.T(s.lang, "discovery.feed_tag", t.Name)
		keys = append(keys, "tag:"+t.Slug)
	case "author":
		a, err := s.store.AuthorBySlug(ctx, slug)
		if err != nil {
			return err
		}
		f.AuthorID, name, desc, link = a.ID, a.Name, a.Bio, "/author/"+a.Slug
		keys = append(keys, authorKey(a.ID))
	default:
		return notFoundErr
	}
	if desc == "" {
		desc = i18n.T(s.lang, "discovery.feed_of", name)
	}
	fd, err := s.buildFeed(r, s.siteName(r.Context())+" — "+name, desc, link, f)
	if err != nil {
		return err
	}
	tag(w, keys...)
	return writeFeed(w, r, fd, format)
}

// sitemapPageSize is how many articles one paged sitemap lists.
func (s *Server) sitemapPageSize() int {
	if s.sitemapSize > 0 {
		return s.sitemapSize
	}
	return feed.MaxSitemapURLs
}

// handleSitemapIndex lists the sitemap of sections, tags and authors and
// one sitemap per page of articles, each with its last modification.
func (s *Server) handleSitemapIndex(w http.ResponseWriter, r *http.Request) error {
	if s.lang != s.def {
		return errNotFound // one sitemap for every edition, with alternates
	}
	ctx := r.Context()
	now := s.now()
	pages, err := s.store.SitemapPages(ctx, now, s.sitemapPageSize())
	if err != nil {
		return err
	}
	var newest time.Time
	refs := []feed.URL{{Loc: s.absURL(r, "/sitemaps/pages.xml")}}
	for i, t := range pages {
		refs = append(refs, feed.URL{Loc: s.absURL(r, fmt.Sprintf("/sitemaps/articles-%d.xml", i+1)), LastMod: t})
		if t.After(newest) {
			newest = t
		}
	}
	refs[0].LastMod = newest
	var buf bytes.Buffer
	if err := feed.WriteSitemapIndex(&buf, refs); err != nil {
		return err
	}
	tag(w, keySitemaps, keyFeeds, keyNav)
	serveBytes(w, r, "application/xml; charset=utf-8", buf.Bytes(), newest, 3600)
	return nil
}

// handleSitemap serves /sitemaps/pages.xml (home, sections, tags, authors)
// and /sitemaps/articles-N.xml.
func (s *Server) handleSitemap(w http.ResponseWriter, r *http.Request) error {
	if s.lang != s.def {
		return errNotFound
	}
	ctx := r.Context()
	now := s.now()
	file := r.PathValue("file")
	var urls []feed.URL
	var newest time.Time
	if file == "pages.xml" {
		pages, err := s.store.SitemapPages(ctx, now, s.sitemapPageSize())
		if err != nil {
			return err
		}
		for _, t := range pages {
			if t.After(newest) {
				newest = t
			}
		}
		// Home and sections exist in every edition, each listing the others.
		urls = append(urls, s.editionURLs(r, "/", newest)...)
		cats, err := s.categories(ctx)
		if err != nil {
			return err
		}
		for _, c := range cats {
			urls = append(urls, s.editionURLs(r, "/"+c.Slug+"/", time.Time{})...)
		}
		tags, err := s.store.Tags(ctx)
		if err != nil {
			return err
		}
		for _, t := range tags {
			urls = append(urls, feed.URL{Loc: s.absURL(r, "/tag/"+t.Slug)})
		}
		authors, err := s.store.Authors(ctx)
		if err != nil {
			return err
		}
		for _, a := range authors {
			urls = append(urls, feed.URL{Loc: s.absURL(r, "/author/"+a.Slug)})
		}
	} else {
		num, ok := strings.CutPrefix(file, "articles-")
		num, ok2 := strings.CutSuffix(num, ".xml")
		n, err := strconv.Atoi(num)
		if !ok || !ok2 || err != nil || n < 1 || strconv.Itoa(n) != num {
			return errNotFound
		}
		entries, err := s.store.SitemapEntries(ctx, now, n, s.sitemapPageSize())
		if err != nil {
			return err
		}
		if len(entries) == 0 {
			return errNotFound
		}
		for _, e := range entries {
			urls = append(urls, feed.URL{Loc: s.absURL(r, s.entryPath(e)), LastMod: e.ModifiedAt, Alternates: s.entryAlternates(r, e)})
			if e.ModifiedAt.After(newest) {
				newest = e.ModifiedAt
			}
		}
	}
	var buf bytes.Buffer
	if err := feed.WriteSitemap(&buf, urls); err != nil {
		return err
	}
	tag(w, keySitemaps, keyFeeds, keyNav)
	serveBytes(w, r, "application/xml; charset=utf-8", buf.Bytes(), newest, 3600)
	return nil
}

// handleNewsSitemap lists the articles published in the last 48 hours (by
// the injected clock), at most 1,000, for news aggregators.
func (s *Server) handleNewsSitemap(w http.ResponseWriter, r *http.Request) error {
	now := s.now()
	entries, err := s.store.RecentEntries(r.Context(), s.lang, now.Add(-feed.NewsWindow), now, feed.MaxNewsURLs)
	if err != nil {
		return err
	}
	var urls []feed.NewsURL
	var newest time.Time
	for _, e := range entries {
		urls = append(urls, feed.NewsURL{Loc: s.absURL(r, s.entryPath(e)), Publication: s.siteName(r.Context()),
			Language: e.Language, Published: e.PublishedAt, Title: render.Text(e.Headline),
			Alternates: s.entryAlternates(r, e)})
		if e.ModifiedAt.After(newest) {
			newest = e.ModifiedAt
		}
	}
	var buf bytes.Buffer
	if err := feed.WriteNewsSitemap(&buf, urls); err != nil {
		return err
	}
	tag(w, keySitemaps, keyFeeds)
	// Articles also leave this sitemap as time passes: browsers and
	// proxies keep it briefly.
	serveBytes(w, r, "application/xml; charset=utf-8", buf.Bytes(), newest, 300)
	return nil
}

// handleLogo serves the publisher logo, drawn at startup.
func (s *Server) handleLogo(w http.ResponseWriter, r *http.Request) error {
	serveBytes(w, r, "image/png", s.logo, time.Time{}, 86400)
	return nil
}
