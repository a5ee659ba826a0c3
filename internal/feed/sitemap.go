package feed

import (
	"encoding/xml"
	"fmt"
	"io"
	"time"
)

// Sitemap limits from sitemaps.org and Google News.
const (
	MaxSitemapURLs = 50_000
	MaxNewsURLs    = 1_000
	// NewsWindow is how far back a news sitemap reaches.
	NewsWindow = 48 * time.Hour
)

const (
	nsSitemap = "http://www.sitemaps.org/schemas/sitemap/0.9"
	nsNews    = "http://www.google.com/schemas/sitemap-news/0.9"
	nsXHTML   = "http://www.w3.org/1999/xhtml"
)

// URL is one page in a sitemap.
type URL struct {
	Loc     string // absolute
	LastMod time.Time
	// Alternates are the page's language versions (itself included, and
	// "x-default" if wanted), written as xhtml:link rel="alternate".
	Alternates []Alternate
}

// Alternate is one language version of a page: hreflang and absolute URL.
type Alternate struct {
	Lang, Href string
}

type xhtmlLink struct {
	Rel      string `xml:"rel,attr"`
	Hreflang string `xml:"hreflang,attr"`
	Href     string `xml:"href,attr"`
}

// NewsURL is one article in a news sitemap.
type NewsURL struct {
	Loc         string
	Publication string // the publication's name
	Language    string // ISO 639 code
	Published   time.Time
	Title       string
	Alternates  []Alternate // as URL.Alternates
}

type sitemapIndex struct {
	XMLName  xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []sitemapRef `xml:"sitemap"`
}

type sitemapRef struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type urlSet struct {
	XMLName xml.Name   `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	NewsNS  string     `xml:"xmlns:news,attr,omitempty"`
	XHTMLNS string     `xml:"xmlns:xhtml,attr,omitempty"`
	URLs    []urlEntry `xml:"url"`
}

type urlEntry struct {
	Loc     string      `xml:"loc"`
	LastMod string      `xml:"lastmod,omitempty"`
	Links   []xhtmlLink `xml:"xhtml:link"`
	News    *newsEntry  `xml:"news:news,omitempty"`
}

func links(alts []Alternate) []xhtmlLink {
	var out []xhtmlLink
	for _, a := range alts {
		out = append(out, xhtmlLink{Rel: "alternate", Hreflang: a.Lang, Href: a.Href})
	}
	return out
}

type newsEntry struct {
	Publication newsPublication `xml:"news:publication"`
	Date        string          `xml:"news:publication_date"`
	Title       string          `xml:"news:title"`
}

type newsPublication struct {
	Name     string `xml:"news:name"`
	Language string `xml:"news:language"`
}

func lastmod(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// WriteSitemapIndex writes a sitemap index listing the sitemaps in refs.
func WriteSitemapIndex(w io.Writer, refs []URL) error {
	if len(refs) > MaxSitemapURLs {
		return fmt.Errorf("sitemap index: %d sitemaps, at most %d allowed", len(refs), MaxSitemapURLs)
	}
	doc := sitemapIndex{}
	for _, r := range refs {
		doc.Sitemaps = append(doc.Sitemaps, sitemapRef{Loc: r.Loc, LastMod: lastmod(r.LastMod)})
	}
	return writeXML(w, doc)
}

// WriteSitemap writes a URL set. It refuses more than MaxSitemapURLs URLs.
func WriteSitemap(w io.Writer, urls []URL) error {
	if len(urls) > MaxSitemapURLs {
		return fmt.Errorf("sitemap: %d URLs, at most %d allowed", len(urls), MaxSitemapURLs)
	}
	doc := urlSet{URLs: make([]urlEntry, 0, len(urls))}
	for _, u := range urls {
		doc.URLs = append(doc.URLs, urlEntry{Loc: u.Loc, LastMod: lastmod(u.LastMod), Links: links(u.Alternates)})
		if len(u.Alternates) > 0 {
			doc.XHTMLNS = nsXHTML
		}
	}
	return writeXML(w, doc)
}

// WriteNewsSitemap writes a Google News sitemap. It refuses more than
// MaxNewsURLs URLs; choosing which (the last NewsWindow) is the caller's job.
func WriteNewsSitemap(w io.Writer, urls []NewsURL) error {
	if len(urls) > MaxNewsURLs {
		return fmt.Errorf("news sitemap: %d URLs, at most %d allowed", len(urls), MaxNewsURLs)
	}
	doc := urlSet{NewsNS: nsNews, URLs: make([]urlEntry, 0, len(urls))}
	for _, u := range urls {
		if len(u.Alternates) > 0 {
			doc.XHTMLNS = nsXHTML
		}
		doc.URLs = append(doc.URLs, urlEntry{Loc: u.Loc, Links: links(u.Alternates), News: &newsEntry{
			Publication: newsPublication{Name: u.Publication, Language: u.Language},
			Date:        u.Published.UTC().Format(time.RFC3339),
			Title:       u.Title,
		}})
	}
	return writeXML(w, doc)
}
