package site

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"newsdesk/internal/newsroom"
)

func (f *fixture) body(path string, hdr ...string) (*http.Response, []byte) {
	f.t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

func TestFeedConditionalGetAndSummaries(t *testing.T) {
	f := newFixture(t, "en")
	a := f.mustCreateArticle("ferry", withImage, func(a *newsroom.Article) {
		a.Categories = []newsroom.Category{{Slug: "harbours"}}
		a.Body += "\n\n![Quay](/media/demo/quay.jpg) See [the timetable](/world/timetable)."
	})
	must(t, os.WriteFile(filepath.Join(f.media, "demo", "ferry-960.jpg"), bytes.Repeat([]byte{0xff}, 4321), 0o644))
	f.mustCreateArticle("draft", func(a *newsroom.Article) { a.Status = newsroom.Draft })
	f.mustCreateArticle("future", func(a *newsroom.Article) { a.PublishedAt = f.clock.At(time.Hour) })

	res, body := f.body("/feeds/section/world/rss.xml")
	if res.StatusCode != 200 {
		t.Fatalf("section feed: %d %s", res.StatusCode, body)
	}
	fd, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	must(t, err)
	if len(fd.Items) != 1 {
		t.Fatalf("world feed (with its child section) has %d items, want 1", len(fd.Items))
	}
	it := fd.Items[0]
	if it.Link != "https://news.example/harbours/ferry" || it.GUID != fmt.Sprintf("tag:news.example,%s:article-%d", a.CreatedAt.UTC().Format("2006-01-02"), a.ID) {
		t.Errorf("item link %q guid %q", it.Link, it.GUID)
	}
	if !strings.Contains(it.Content, `src="https://news.example/media/demo/quay.jpg"`) || !strings.Contains(it.Content, `href="https://news.example/world/timetable"`) {
		t.Errorf("content links are not absolute: %s", it.Content)
	}
	if len(it.Enclosures) != 1 || it.Enclosures[0].Length != "4321" || it.Enclosures[0].URL != "https://news.example/media/demo/ferry-960.jpg" {
		t.Errorf("enclosure = %+v", it.Enclosures)
	}
	if fd.Title != "The Test Courier — World" || fd.Description != "Reports from abroad." {
		t.Errorf("feed title %q description %q", fd.Title, fd.Description)
	}

	// Conditional GET by ETag and by date.
	etag, lm := res.Header.Get("Etag"), res.Header.Get("Last-Modified")
	if want := a.PublishedAt.UTC().Format(http.TimeFormat); lm != want || etag == "" {
		t.Errorf("Last-Modified %q (want %q), ETag %q", lm, want, etag)
	}
	if r, _ := f.body("/feeds/section/world/rss.xml", "If-None-Match", etag); r.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", r.StatusCode)
	}
	if r, _ := f.body("/feeds/section/world/rss.xml", "If-Modified-Since", lm); r.StatusCode != http.StatusNotModified {
		t.Errorf("If-Modified-Since: %d", r.StatusCode)
	}
	if r, _ := f.body("/feeds/section/world/rss.xml", "If-Modified-Since", a.PublishedAt.Add(-time.Hour).UTC().Format(http.TimeFormat)); r.StatusCode != http.StatusOK {
		t.Errorf("If-Modified-Since an hour earlier: %d", r.StatusCode)
	}

	// Summary mode, by setting.
	must(t, f.st.SetSetting(context.Background(), SettingFeedFullText, "false"))
	_, body = f.body("/atom.xml")
	fd, err = gofeed.NewParser().Parse(bytes.NewReader(body))
	must(t, err)
	if len(fd.Items) != 1 || fd.Items[0].Content != "" || fd.Items[0].Description == "" {
		t.Errorf("summary feed: %+v", fd.Items)
	}
	for _, p := range []string{"/feeds/section/nowhere/rss.xml", "/feeds/tag/ferries/feed.xml", "/feeds/planet/world/rss.xml"} {
		if r, _ := f.body(p); r.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, r.StatusCode)
		}
	}
}

func TestSitemapPaging(t *testing.T) {
	f := newFixture(t, "en")
	f.srv.sitemapSize = 2
	for i := range 5 {
		f.mustCreateArticle(fmt.Sprintf("story-%d", i), func(a *newsroom.Article) {
			a.PublishedAt = f.clock.At(-time.Duration(12*i+1) * time.Hour)
		})
	}
	_, body := f.body("/sitemap.xml")
	var idx struct {
		Sitemaps []struct {
			Loc     string `xml:"loc"`
			Lastmod string `xml:"lastmod"`
		} `xml:"sitemap"`
	}
	must(t, xml.Unmarshal(body, &idx))
	if len(idx.Sitemaps) != 4 || idx.Sitemaps[3].Loc != "https://news.example/sitemaps/articles-3.xml" {
		t.Fatalf("index = %+v", idx.Sitemaps)
	}
	for _, s := range idx.Sitemaps {
		if s.Lastmod == "" {
			t.Errorf("%s has no lastmod", s.Loc)
		}
		r, b := f.body(strings.TrimPrefix(s.Loc, "https://news.example"))
		var set struct {
			URLs []struct {
				Loc string `xml:"loc"`
			} `xml:"url"`
		}
		if r.StatusCode != 200 || xml.Unmarshal(b, &set) != nil || len(set.URLs) == 0 {
			t.Errorf("%s: %d %s", s.Loc, r.StatusCode, b)
		}
		if strings.Contains(s.Loc, "articles-3") && len(set.URLs) != 1 {
			t.Errorf("last page lists %d URLs, want 1", len(set.URLs))
		}
	}
	for _, p := range []string{"/sitemaps/articles-4.xml", "/sitemaps/articles-0.xml", "/sitemaps/articles-01.xml", "/sitemaps/x.xml"} {
		if r, _ := f.body(p); r.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, r.StatusCode)
		}
	}
	// The news sitemap keeps the last 48 hours by the clock: not story 4.
	_, body = f.body("/news-sitemap.xml")
	if n := bytes.Count(body, []byte("<news:news>")); n != 4 || bytes.Contains(body, []byte("story-4")) || !bytes.Contains(body, []byte("<news:name>The Test Courier</news:name>")) {
		t.Errorf("news sitemap has %d entries:\n%s", n, body)
	}
}

func TestArticleStructuredDataIsEscaped(t *testing.T) {
	f := newFixture(t, "en")
	evil := `Harbour </script><script>alert("x")</script> <!-- & "quotes"`
	a := f.mustCreateArticle("evil", withImage, func(a *newsroom.Article) {
		a.Headline = evil
		a.Categories = []newsroom.Category{{Slug: "harbours"}}
		a.Authors = append(a.Authors, newsroom.Byline{Slug: "coastwire"})
	})
	_, body := f.body(a.URL())
	if bytes.Count(body, []byte("<script")) != 2 { // site.js and the JSON-LD
		t.Fatalf("the headline opened a script element:\n%s", body)
	}
	doc := f.page(a.URL(), 200)
	var art map[string]any
	raw := doc.Find(`script[type="application/ld+json"]`).Text()
	if err := json.Unmarshal([]byte(raw), &art); err != nil {
		t.Fatalf("JSON-LD does not parse: %v\n%s", err, raw)
	}
	if !strings.HasPrefix(art["headline"].(string), `Harbour </script><script>alert(“x”)</script>`) {
		t.Errorf("headline = %q", art["headline"])
	}
	images := art["image"].([]any)
	if len(images) != 2 || images[0].(map[string]any)["url"] != "https://news.example/media/demo/ferry-960.jpg" ||
		images[0].(map[string]any)["width"].(float64) != 960 {
		t.Errorf("images = %v", images)
	}
	authors := art["author"].([]any)
	if len(authors) != 2 || authors[1].(map[string]any)["@type"] != "Organization" ||
		authors[0].(map[string]any)["url"] != "https://news.example/author/ada-brenn" {
		t.Errorf("authors = %v", authors)
	}
	pub := art["publisher"].(map[string]any)
	if pub["name"] != "The Test Courier" || pub["logo"].(map[string]any)["url"] != "https://news.example/logo.png" {
		t.Errorf("publisher = %v", pub)
	}
	page := art["mainEntityOfPage"].(map[string]any)
	if page["@type"] != "WebPage" || page["@id"] != "https://news.example/harbours/evil" {
		t.Errorf("mainEntityOfPage = %v", page)
	}
	crumbs := page["breadcrumb"].(map[string]any)["itemListElement"].([]any)
	var names []string
	for i, c := range crumbs {
		m := c.(map[string]any)
		if int(m["position"].(float64)) != i+1 {
			t.Errorf("crumb %d has position %v", i, m["position"])
		}
		names = append(names, m["name"].(string))
	}
	if strings.Join(names[:3], "/") != "Home/World/Harbours" {
		t.Errorf("breadcrumbs = %v", names)
	}
	for sel, want := range map[string]string{
		`meta[property="og:image:width"]`:  "960",
		`meta[property="og:image:height"]`: "640",
		`meta[name="twitter:card"]`:        "summary_large_image",
		`meta[property="article:section"]`: "Harbours",
		`link[rel="canonical"]`:            "https://news.example/harbours/evil",
	} {
		s := doc.Find(sel)
		got := s.AttrOr("content", s.AttrOr("href", ""))
		if got != want {
			t.Errorf("%s = %q, want %q", sel, got, want)
		}
	}

	res, b := f.body("/logo.png")
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil || res.Header.Get("Content-Type") != "image/png" || img.Bounds().Dx() != LogoSize || img.Bounds().Dy() != LogoSize {
		t.Errorf("logo: %v %q", err, res.Header.Get("Content-Type"))
	}
}

func TestFeedAutodiscovery(t *testing.T) {
	f := newFixture(t, "en")
	f.mustCreateArticle("one", func(a *newsroom.Article) { a.Tags = []newsroom.Tag{{Slug: "ferries"}} })
	for path, want := range map[string][]string{
		"/":                 {"/feed.xml", "/atom.xml", "/feed.json"},
		"/world/":           {"/feed.xml", "/feeds/section/world/rss.xml", "/feeds/section/world/atom.xml"},
		"/tag/ferries":      {"/feeds/tag/ferries/rss.xml"},
		"/author/ada-brenn": {"/feeds/author/ada-brenn/atom.xml"},
	} {
		doc := f.page(path, 200)
		for _, href := range want {
			l := doc.Find(`link[rel="alternate"][href="` + href + `"]`)
			if l.Length() != 1 || !strings.HasPrefix(l.AttrOr("type", ""), "application/") {
				t.Errorf("%s: no autodiscovery link to %s", path, href)
			}
		}
		_, b := f.body(path)
		if !bytes.Contains(b, []byte(`type="application/rss+xml"`)) {
			t.Errorf("%s: the RSS type is not written literally", path)
		}
	}
}

func TestSearchPage(t *testing.T) {
	f := newFixture(t, "en")
	for i := range 12 {
		f.mustCreateArticle(fmt.Sprintf("gale-%02d", i), func(a *newsroom.Article) {
			a.Headline = fmt.Sprintf("Gale number %d closes the quay", i)
			a.PublishedAt = f.clock.At(-time.Duration(i+1) * 24 * time.Hour)
		})
	}
	f.mustCreateArticle("hidden", func(a *newsroom.Article) { a.Headline = "Gale draft"; a.Status = newsroom.Draft })
	doc := f.page("/search?q=gale", 200)
	if n := doc.Find("li.result").Length(); n != 10 {
		t.Errorf("page 1 has %d results, want 10", n)
	}
	if got := text(doc.Find("p.count")); !strings.Contains(got, "12 results") || !strings.Contains(got, "Page 1 of 2") {
		t.Errorf("summary = %q", got)
	}
	next := doc.Find(`a[rel="next"]`).AttrOr("href", "")
	if next != "/search?page=2&q=gale" {
		t.Errorf("next = %q", next)
	}
	doc = f.page(next, 200)
	if n := doc.Find("li.result").Length(); n != 2 || doc.Find(`a[rel="prev"]`).Length() != 1 {
		t.Errorf("page 2 has %d results", n)
	}
	if doc.Find("li.result mark").First().Text() != "Gale" {
		t.Errorf("no marked word on page 2")
	}
	from := f.clock.At(-3 * 24 * time.Hour).Format("2006-01-02")
	to := f.clock.At(-2 * 24 * time.Hour).Format("2006-01-02")
	doc = f.page("/search?q=gale&from="+from+"&to="+to, 200)
	if n := doc.Find("li.result").Length(); n != 2 {
		t.Errorf("two days (%s to %s) give %d results, want 2", from, to, n)
	}
	if doc.Find(`input[name="from"]`).AttrOr("value", "") != from {
		t.Errorf("the form forgot the date")
	}
	f.page("/search?q=gale&from=yesterday&to=2021-13-45&section=nowhere&page=-3", 200)
	f.page("/search?q=gale&page=9", 404)
	doc = f.page("/search", 200)
	if doc.Find("li.result").Length() != 0 || doc.Find(`form.search-form`).Length() != 1 {
		t.Errorf("empty search page")
	}
}
