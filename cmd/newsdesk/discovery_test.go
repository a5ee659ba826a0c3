package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/mmcdole/gofeed"

	"newsdesk/internal/api"
	"newsdesk/internal/cache"
	"newsdesk/internal/newsroom"
)

// browserUA is a reader's browser; views from it count.
const browserUA = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"

// discoveryFixture: the news fixture plus a Russian story, a draft and a
// story sharing A's tag.
type discoveryFixture struct {
	*newsFixture
	ru, draft, sibling api.ArticleJSON
}

func newDiscoveryFixture(t *testing.T, ta *testApp) *discoveryFixture {
	t.Helper()
	f := &discoveryFixture{newsFixture: newNewsFixture(t, ta)}
	authors, err := ta.store.Authors(t.Context())
	must(t, err)
	ada := authors[0].ID
	f.sibling = createStory(t, ta, f.editor, "Harbour ice: ferries wait outside the breakwater", "world", ada, "harbour")
	res := doJSON(t, ta.srv, "POST", "/api/v1/articles", f.editor, `{"headline":"Выборы в портовом совете","standfirst":"Итоги.","body":"На выборах победили рыбаки, обещавшие ёлку.","language":"ru","status":"published","categories":["world"]}`)
	if res.status != http.StatusCreated {
		t.Fatalf("create ru: %d %s", res.status, res.body)
	}
	res.decode(t, &f.ru)
	res = doJSON(t, ta.srv, "POST", "/api/v1/articles", f.editor, `{"headline":"Secret harbour plan","body":"Draft about the harbour.","status":"draft","categories":["world"]}`)
	if res.status != http.StatusCreated {
		t.Fatalf("create draft: %d %s", res.status, res.body)
	}
	res.decode(t, &f.draft)
	return f
}

func parseFeed(t *testing.T, p page) *gofeed.Feed {
	t.Helper()
	fd, err := gofeed.NewParser().Parse(bytes.NewReader(p.body))
	if err != nil {
		t.Fatalf("gofeed: %v\n%s", err, p.body)
	}
	return fd
}

func TestDiscoveryFeedsAndSitemaps(t *testing.T) {
	forEachStore(t, func(t *testing.T, ta *testApp) {
		f := newDiscoveryFixture(t, ta)
		public := map[string]api.ArticleJSON{f.a.URL: f.a, f.b.URL: f.b, f.sibling.URL: f.sibling, f.ru.URL: f.ru}
		for _, tt := range []struct {
			path, ctype string
			want        []api.ArticleJSON
		}{
			// Each edition's feeds list its own language (the Russian
			// story is in the Russian edition only).
			{"/feed.xml", "application/rss+xml", []api.ArticleJSON{f.a, f.b, f.sibling}},
			{"/atom.xml", "application/atom+xml", []api.ArticleJSON{f.a, f.b, f.sibling}},
			{"/feed.json", "application/feed+json", []api.ArticleJSON{f.a, f.b, f.sibling}},
			{"/ru/feed.xml", "application/rss+xml", []api.ArticleJSON{f.ru}},
			{"/feeds/section/world/rss.xml", "application/rss+xml", []api.ArticleJSON{f.a, f.sibling}},
			{"/ru/feeds/section/world/rss.xml", "application/rss+xml", []api.ArticleJSON{f.ru}},
			{"/feeds/tag/harbour/atom.xml", "application/atom+xml", []api.ArticleJSON{f.a, f.sibling}},
			{"/feeds/author/bo-lind/rss.xml", "application/rss+xml", []api.ArticleJSON{f.b}},
		} {
			p := fetch(t, ta, "GET", tt.path)
			if p.status != http.StatusOK || !strings.HasPrefix(p.header.Get("Content-Type"), tt.ctype) {
				t.Fatalf("%s: %d %q", tt.path, p.status, p.header.Get("Content-Type"))
			}
			fd := parseFeed(t, p)
			if len(fd.Items) != len(tt.want) {
				t.Errorf("%s: %d items, want %d", tt.path, len(fd.Items), len(tt.want))
			}
			for _, it := range fd.Items {
				u, err := url.Parse(it.Link)
				if err != nil || !u.IsAbs() {
					t.Errorf("%s: item link %q is not absolute", tt.path, it.Link)
					continue
				}
				a, ok := public[u.Path]
				if !ok {
					t.Errorf("%s: unexpected item %q (%s)", tt.path, it.Title, it.Link)
					continue
				}
				if it.Title != a.Headline || it.PublishedParsed == nil || !it.PublishedParsed.Equal(a.PublishedAt.Truncate(time.Second)) {
					t.Errorf("%s: item %q published %v, want %q at %v", tt.path, it.Title, it.PublishedParsed, a.Headline, a.PublishedAt)
				}
				if !strings.Contains(it.Content, "<p>") {
					t.Errorf("%s: item %q has no full text: %q", tt.path, it.Title, it.Content)
				}
				if !strings.HasPrefix(it.GUID, "tag:127.0.0.1,") {
					t.Errorf("%s: guid %q", tt.path, it.GUID)
				}
			}
			// Conditional GET through the page cache, which answers by
			// ETag (site tests check Last-Modified without the cache).
			etag := p.header.Get("Etag")
			if etag == "" {
				t.Errorf("%s: no ETag", tt.path)
			}
			if c := fetch(t, ta, "GET", tt.path, "If-None-Match", etag); c.status != http.StatusNotModified {
				t.Errorf("%s with If-None-Match: %d, want 304", tt.path, c.status)
			}
			noInternalHeaders(t, tt.path, p)
		}
		if p := fetch(t, ta, "GET", "/feeds/section/nowhere/rss.xml"); p.status != http.StatusNotFound {
			t.Errorf("feed of an unknown section: %d", p.status)
		}

		// A GUID survives a headline and slug change; the link follows.
		before := parseFeed(t, fetch(t, ta, "GET", "/feed.xml"))
		res := doJSON(t, ta.srv, "PATCH", fmt.Sprintf("/api/v1/articles/%d", f.b.ID), f.editor,
			fmt.Sprintf(`{"revision":%d,"headline":"Skerra keep the coastal cup","slug":"skerra-keep-the-cup"}`, f.b.Revision))
		if res.status != http.StatusOK {
			t.Fatalf("patch: %d %s", res.status, res.body)
		}
		after := parseFeed(t, fetch(t, ta, "GET", "/feed.xml"))
		guid := func(fd *gofeed.Feed, title string) (string, string) {
			for _, it := range fd.Items {
				if it.Title == title {
					return it.GUID, it.Link
				}
			}
			return "", ""
		}
		g1, l1 := guid(before, "Skerra wins the coastal cup")
		g2, l2 := guid(after, "Skerra keep the coastal cup")
		if g1 == "" || g1 != g2 || l1 == l2 || !strings.HasSuffix(l2, "/sport/skerra-keep-the-cup") {
			t.Errorf("after an edit: guid %q -> %q, link %q -> %q", g1, g2, l1, l2)
		}
		if it := after.Items[0]; it.UpdatedParsed != nil && it.UpdatedParsed.Before(*it.PublishedParsed) {
			t.Errorf("updated %v before published %v", it.UpdatedParsed, it.PublishedParsed)
		}

		// Sitemaps.
		idx := fetch(t, ta, "GET", "/sitemap.xml")
		var index struct {
			Sitemaps []struct {
				Loc     string `xml:"loc"`
				Lastmod string `xml:"lastmod"`
			} `xml:"sitemap"`
		}
		if err := xml.Unmarshal(idx.body, &index); err != nil || idx.status != http.StatusOK {
			t.Fatalf("sitemap index: %d %v\n%s", idx.status, err, idx.body)
		}
		if len(index.Sitemaps) != 2 || !strings.HasSuffix(index.Sitemaps[1].Loc, "/sitemaps/articles-1.xml") || index.Sitemaps[1].Lastmod == "" {
			t.Fatalf("sitemap index = %+v", index.Sitemaps)
		}
		var urlset struct {
			URLs []struct {
				Loc     string `xml:"loc"`
				Lastmod string `xml:"lastmod"`
			} `xml:"url"`
		}
		sm := fetch(t, ta, "GET", "/sitemaps/articles-1.xml")
		must(t, xml.Unmarshal(sm.body, &urlset))
		if len(urlset.URLs) != 4 {
			t.Errorf("article sitemap has %d URLs, want the 4 public articles", len(urlset.URLs))
		}
		for _, u := range urlset.URLs {
			if strings.Contains(u.Loc, "secret") || u.Lastmod == "" {
				t.Errorf("article sitemap entry %+v", u)
			}
		}
		news := fetch(t, ta, "GET", "/news-sitemap.xml")
		if news.status != http.StatusOK || bytes.Count(news.body, []byte("<news:news>")) != 3 ||
			bytes.Contains(news.body, []byte("<news:language>ru</news:language>")) {
			t.Errorf("news sitemap (English edition): %d\n%s", news.status, news.body)
		}
		news = fetch(t, ta, "GET", "/ru/news-sitemap.xml")
		if news.status != http.StatusOK || bytes.Count(news.body, []byte("<news:news>")) != 1 ||
			!bytes.Contains(news.body, []byte("<news:language>ru</news:language>")) {
			t.Errorf("news sitemap (Russian edition): %d\n%s", news.status, news.body)
		}
		// Two days later the news sitemap is empty (the clock is injected).
		ta.clock.Add(49 * time.Hour)
		ta.cache.Flush()
		if news := fetch(t, ta, "GET", "/news-sitemap.xml"); bytes.Contains(news.body, []byte("<news:news>")) {
			t.Errorf("news sitemap two days later still lists articles:\n%s", news.body)
		}
		robots := fetch(t, ta, "GET", "/robots.txt")
		if !bytes.Contains(robots.body, []byte("Sitemap: "+ta.cfg.BaseURL+"/sitemap.xml\n")) {
			t.Errorf("robots.txt does not name the sitemap index:\n%s", robots.body)
		}
		if !bytes.Contains(robots.body, []byte("/news-sitemap.xml")) {
			t.Errorf("robots.txt does not name the news sitemap:\n%s", robots.body)
		}
	})
}

func TestDiscoveryStructuredData(t *testing.T) {
	forEachStore(t, func(t *testing.T, ta *testApp) {
		f := newDiscoveryFixture(t, ta)
		res := doJSON(t, ta.srv, "POST", fmt.Sprintf("/api/v1/articles/%d/corrections", f.a.ID), f.editor,
			`{"kind":"correction","text":"The quay is the northern one, not the southern."}`)
		if res.status != http.StatusCreated {
			t.Fatalf("correction: %d %s", res.status, res.body)
		}
		p := fetch(t, ta, "GET", f.a.URL)
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(p.body))
		must(t, err)
		var art map[string]any
		raw := doc.Find(`script[type="application/ld+json"]`).Text()
		if err := json.Unmarshal([]byte(raw), &art); err != nil {
			t.Fatalf("JSON-LD: %v\n%s", err, raw)
		}
		for _, k := range []string{"headline", "datePublished", "dateModified", "author", "publisher", "mainEntityOfPage", "articleSection", "correction"} {
			if art[k] == nil {
				t.Errorf("NewsArticle has no %s: %v", k, art)
			}
		}
		if art["@type"] != "NewsArticle" || art["headline"] != f.a.Headline {
			t.Errorf("NewsArticle type %v headline %v", art["@type"], art["headline"])
		}
		author := art["author"].([]any)[0].(map[string]any)
		if author["name"] != "Ada Brenn" || !strings.HasSuffix(author["url"].(string), "/author/ada-brenn") {
			t.Errorf("author = %v", author)
		}
		logo := art["publisher"].(map[string]any)["logo"].(map[string]any)
		lp := fetch(t, ta, "GET", strings.TrimPrefix(logo["url"].(string), ta.cfg.BaseURL))
		if lp.status != http.StatusOK || lp.header.Get("Content-Type") != "image/png" {
			t.Errorf("logo %v: %d %q", logo["url"], lp.status, lp.header.Get("Content-Type"))
		}
		corr := art["correction"].([]any)[0].(map[string]any)
		if corr["@type"] != "CorrectionComment" || !strings.Contains(corr["text"].(string), "northern one") {
			t.Errorf("correction = %v", corr)
		}
		if mod, _ := time.Parse(time.RFC3339, art["dateModified"].(string)); !mod.After(f.a.PublishedAt.Add(-time.Second)) {
			t.Errorf("dateModified %v", art["dateModified"])
		}
		bc := art["mainEntityOfPage"].(map[string]any)["breadcrumb"].(map[string]any)
		crumbs := bc["itemListElement"].([]any)
		if bc["@type"] != "BreadcrumbList" || len(crumbs) != 3 || crumbs[1].(map[string]any)["name"] != "World" {
			t.Errorf("breadcrumbs = %v", bc)
		}
		if doc.Find(`link[rel="canonical"]`).AttrOr("href", "") != ta.cfg.BaseURL+f.a.URL {
			t.Errorf("canonical = %q", doc.Find(`link[rel="canonical"]`).AttrOr("href", ""))
		}
		for _, sel := range []string{`meta[property="og:title"]`, `meta[name="twitter:card"]`, `link[rel="alternate"][type="application/rss+xml"]`,
			`link[rel="alternate"][type="application/atom+xml"]`, `link[rel="alternate"][type="application/feed+json"]`} {
			if doc.Find(sel).Length() == 0 {
				t.Errorf("article page lacks %s", sel)
			}
		}
	})
}

func TestDiscoverySearch(t *testing.T) {
	forEachStore(t, func(t *testing.T, ta *testApp) {
		f := newDiscoveryFixture(t, ta)
		type list struct {
			Articles []api.ArticleJSON `json:"articles"`
			Total    int               `json:"total"`
		}
		apiSearch := func(q string, token string) list {
			t.Helper()
			res := doJSON(t, ta.srv, "GET", "/api/v1/articles?q="+q, token, "")
			if res.status != http.StatusOK {
				t.Fatalf("API search %q: %d %s", q, res.status, res.body)
			}
			var l list
			res.decode(t, &l)
			return l
		}
		if l := apiSearch("breakwater+ferries", ""); l.Total != 1 || l.Articles[0].ID != f.sibling.ID {
			t.Errorf("API search: %+v", l)
		}
		if l := apiSearch("breakwater+ferries", ""); l.Total == 1 && (l.Articles[0].Search == nil ||
			!strings.Contains(l.Articles[0].Search.HeadlineHTML, "<mark>breakwater</mark>") || l.Articles[0].Search.Rank <= 0) {
			t.Errorf("API search result carries no marks: %+v", l.Articles[0].Search)
		}
		day := ta.clock.Now().Format(time.DateOnly)
		if l := apiSearch("harbour&category=world&from="+day+"&to="+day, ""); l.Total != 2 {
			t.Errorf("API search in world today: %d results, want 2", l.Total)
		}
		if l := apiSearch("harbour&to="+ta.clock.Now().AddDate(0, 0, -1).Format(time.DateOnly), ""); l.Total != 0 {
			t.Errorf("API search before today: %d results", l.Total)
		}
		if res := doJSON(t, ta.srv, "GET", "/api/v1/articles?q=x&from=yesterday", "", ""); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `"field":"from"`) {
			t.Errorf("bad from: %d %s", res.status, res.body)
		}
		if l := apiSearch(url.QueryEscape("выборах"), ""); l.Total != 1 || l.Articles[0].ID != f.ru.ID {
			t.Errorf("API search in Russian: %+v", l)
		}
		if l := apiSearch("secret", ""); l.Total != 0 {
			t.Errorf("anonymous API search found a draft: %+v", l)
		}
		if l := apiSearch("secret", f.editor); l.Total != 1 {
			t.Errorf("staff API search did not find the draft: %+v", l)
		}
		for _, q := range []string{`"`, `'); DROP TABLE articles; --`, `NEAR(a b)`, `-`, `harbour:*`, `a OR`, "\x00", `<script>`, `%`, strings.Repeat("(", 300)} {
			res := doJSON(t, ta.srv, "GET", "/api/v1/articles?q="+url.QueryEscape(q), "", "")
			if res.status != http.StatusOK {
				t.Errorf("API search %q: %d %s", q, res.status, res.body)
			}
			if p := fetch(t, ta, "GET", "/search?q="+url.QueryEscape(q)); p.status != http.StatusOK {
				t.Errorf("search page %q: %d", q, p.status)
			}
		}

		p := fetch(t, ta, "GET", "/search?q=ice&section=world")
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(p.body))
		must(t, err)
		if n := doc.Find("li.result").Length(); n != 2 {
			t.Errorf("search page: %d results, want 2", n)
		}
		if doc.Find("li.result .result-title mark").Length() == 0 {
			t.Errorf("search page marks no words")
		}
		if doc.Find(`meta[name="robots"]`).AttrOr("content", "") != "noindex, follow" {
			t.Errorf("search page is indexable")
		}
		if p := fetch(t, ta, "GET", "/search?q=ice&section=sport"); bytes.Contains(p.body, []byte(`class="result"`)) {
			t.Errorf("section filter let other sections through")
		}
		tomorrow := ta.clock.Now().AddDate(0, 0, 1).Format(time.DateOnly)
		if p := fetch(t, ta, "GET", "/search?q=harbour&from="+tomorrow); bytes.Contains(p.body, []byte(`class="result"`)) {
			t.Errorf("date filter let earlier articles through")
		}
		// Edits reach the index through the API and the page cache.
		res := doJSON(t, ta.srv, "PATCH", fmt.Sprintf("/api/v1/articles/%d", f.b.ID), f.editor,
			fmt.Sprintf(`{"revision":%d,"body":"A zeppelin landed on the pitch."}`, f.b.Revision))
		if res.status != http.StatusOK {
			t.Fatalf("patch: %d %s", res.status, res.body)
		}
		if p := fetch(t, ta, "GET", "/search?q=zeppelin"); !bytes.Contains(p.body, []byte("<mark>zeppelin</mark>")) {
			t.Errorf("edited body not found by search")
		}
		res = doJSON(t, ta.srv, "PATCH", fmt.Sprintf("/api/v1/articles/%d", f.b.ID), f.editor,
			fmt.Sprintf(`{"revision":%d,"status":"unpublished"}`, f.b.Revision+1))
		if res.status != http.StatusOK {
			t.Fatalf("unpublish: %d %s", res.status, res.body)
		}
		if p := fetch(t, ta, "GET", "/search?q=zeppelin"); bytes.Contains(p.body, []byte(`class="result"`)) {
			t.Errorf("unpublished article still found")
		}
	})
}

func TestDiscoveryViewsMostReadRelated(t *testing.T) {
	forEachStoreWith(t, func(c *Config) { c.TrustProxy = true }, func(t *testing.T, ta *testApp) {
		f := newDiscoveryFixture(t, ta)
		// Each view comes from a reader of its own: a view counts once per
		// address and article in 30 minutes.
		readers := 0
		view := func(path string, hdr ...string) page {
			t.Helper()
			readers++
			return fetch(t, ta, "GET", path, append([]string{"User-Agent", browserUA, "X-Forwarded-For", fmt.Sprintf("198.51.100.%d", readers)}, hdr...)...)
		}
		for range 3 {
			view(f.b.URL) // the second and third are cache hits
		}
		if p := view(f.b.URL); p.cache() != "hit" {
			t.Errorf("X-Cache = %q, want a hit to count too", p.cache())
		}
		view(f.a.URL)
		// Not counted: bots, the desk's session, HEAD, other pages.
		fetch(t, ta, "GET", f.b.URL, "User-Agent", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
		fetch(t, ta, "GET", f.b.URL, "User-Agent", "curl/8.5.0")
		fetch(t, ta, "GET", f.b.URL)
		view(f.b.URL, "Cookie", "nd_session=abc")
		view(f.b.URL, "Sec-Purpose", "prefetch")
		fetch(t, ta, "HEAD", f.b.URL, "User-Agent", browserUA)
		// Nor the first reader's second view, nor a revalidation (304).
		fetch(t, ta, "GET", f.b.URL, "User-Agent", browserUA, "X-Forwarded-For", "198.51.100.1")
		if p := view(f.b.URL, "If-None-Match", view(f.b.URL).header.Get("ETag")); p.status != http.StatusNotModified {
			t.Fatalf("revalidation: %d, want 304", p.status)
		}
		view("/")
		// The sibling's page is cached (requests that count no view) and
		// so is the Most read block it loads.
		fetch(t, ta, "GET", f.sibling.URL)
		if p := fetch(t, ta, "GET", f.sibling.URL); p.cache() != "hit" {
			t.Fatalf("sibling page X-Cache = %q, want a hit", p.cache())
		}
		fetch(t, ta, "GET", "/most-read/block")
		st := ta.views.Stats()
		if st.Counted != 6 || st.Written != 0 {
			t.Errorf("counted %d, written %d before a flush; want 6 and 0", st.Counted, st.Written)
		}
		must(t, ta.views.Flush(t.Context()))
		if st := ta.views.Stats(); st.Written != 6 || st.Flushes != 1 || st.Pending != 0 {
			t.Errorf("after flush: %+v", st)
		}
		now := ta.clock.Now()
		top, err := ta.store.MostRead(t.Context(), newsroom.ViewDay(now, time.UTC), now, 5)
		must(t, err)
		if len(top) != 2 || top[0].ID != f.b.ID || top[1].ID != f.a.ID {
			t.Errorf("most read = %v", top)
		}

		// The ranking job (serve runs it on the node holding its lease)
		// sees the lists move and announces it; the announcement drops
		// cached pages; the home page shows the list.
		must(t, ta.views.CheckRanking(t.Context()))
		home := view("/")
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(home.body))
		must(t, err)
		today := doc.Find(".most-read section").First().Find("li a")
		if today.Length() != 2 || today.First().AttrOr("href", "") != f.b.URL {
			t.Errorf("home most read today: %d links, first %q (X-Cache %q)", today.Length(), today.First().AttrOr("href", ""), home.cache())
		}
		// The ranking moved: the cached article page stays a hit (it only
		// holds the block's place), the block itself is new.
		art := view(f.sibling.URL)
		if art.cache() != "hit" {
			t.Errorf("article page after the ranking moved: X-Cache %q, want a hit", art.cache())
		}
		doc, err = goquery.NewDocumentFromReader(bytes.NewReader(art.body))
		must(t, err)
		slot := doc.Find("aside.most-read[data-block]")
		if slot.Length() != 1 || slot.Find(`a[href="/most-read"]`).Length() != 1 {
			t.Errorf("article page: %d most-read placeholders, want one linking to /most-read", slot.Length())
		}
		blk := fetch(t, ta, "GET", slot.AttrOr("data-block", ""))
		if blk.cache() == "hit" || !bytes.Contains(blk.body, []byte(`href="`+f.b.URL+`"`)) {
			t.Errorf("most-read block after the ranking moved: X-Cache %q, lacks %s:\n%s", blk.cache(), f.b.URL, blk.body)
		}
		if blk := fetch(t, ta, "GET", slot.AttrOr("data-block", "")); blk.cache() != "hit" {
			t.Errorf("most-read block asked again: X-Cache %q, want a hit", blk.cache())
		}
		if p := getDoc(t, ta, "/most-read"); p.Find(`ol a[href="`+f.b.URL+`"]`).Length() == 0 {
			t.Errorf("the /most-read page does not list %s", f.b.URL)
		}
		// Related: A shares the tag and section (the Russian story shares
		// the section but is in the other edition).
		rel := doc.Find(".related .card-title a")
		if rel.Length() < 1 || rel.First().AttrOr("href", "") != f.a.URL {
			t.Errorf("related on sibling: first %q of %d", rel.First().AttrOr("href", ""), rel.Length())
		}
		rel.Each(func(_ int, s *goquery.Selection) {
			if h := s.AttrOr("href", ""); h == f.b.URL || h == f.draft.URL || h == f.ru.URL {
				t.Errorf("related lists %s, which shares nothing or is a draft", h)
			}
		})

		// Share counters appear in the article JSON.
		for range 2 {
			req, _ := http.NewRequest("POST", ta.srv.URL+fmt.Sprintf("/share/%d/vk", f.a.ID), nil)
			res, err := rawClient.Do(req)
			must(t, err)
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
		must(t, ta.views.Flush(t.Context())) // clicks are written in batches
		var got api.ArticleJSON
		doJSON(t, ta.srv, "GET", fmt.Sprintf("/api/v1/articles/%d", f.a.ID), "", "").decode(t, &got)
		if got.ShareCounts["vk"] != 2 || len(got.ShareCounts) != len(newsroom.Networks) {
			t.Errorf("share_counts = %v", got.ShareCounts)
		}
		if h := art.header.Get(cache.HeaderArticle); h != "" {
			t.Errorf("X-Newsdesk-Article left the server: %q", h)
		}
	})
}
