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
)

// URL is one page in a sitemap.
type URL struct {
	Loc     string // absolute
	LastMod time.Time
}

// NewsURL is one article in a news sitemap.
type NewsURL struct {
	Loc         string
	Publication string // the publication's name
	Language    string // ISO 639 code
	Published   time.Time
	Title       string
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
	URLs    []urlEntry `xml:"url"`
}

type urlEntry struct {
	Loc     string     `xml:"loc"`
	LastMod string     `xml:"lastmod,omitempty"`
	News    *newsEntry `xml:"news:news,omitempty"`
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
		doc.URLs = append(doc.URLs, urlEntry{Loc: u.Loc, LastMod: lastmod(u.LastMod)})
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
		doc.URLs = append(doc.URLs, urlEntry{Loc: u.Loc, News: &newsEntry{
			Publication: newsPublication{Name: u.Publication, Language: u.Language},
			Date:        u.Published.UTC().Format(time.RFC3339),
			Title:       u.Title,
		}})
	}
	return writeXML(w, doc)
}
