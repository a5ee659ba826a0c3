package site

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/web"
)

// pair makes a Russian original in "world" and its English translation,
// both public.
func (f *fixture) pair() (ru, en *newsroom.Article) {
	f.t.Helper()
	ru = f.mustCreateArticle("parom-snova-khodit", func(a *newsroom.Article) {
		a.Headline, a.Standfirst, a.Language = "Паром до Варде снова ходит", "Рейсы идут по зимнему расписанию.", "ru"
		a.Body = "Первый паром ушёл на рассвете."
	})
	en = f.mustCreateArticle("ferry-runs-again", func(a *newsroom.Article) {
		a.Headline, a.TranslationOf = "The Varde ferry runs again", ru.ID
	})
	return ru, en
}

// hreflang returns the page's hreflang links, language to URL.
func hreflang(doc *goquery.Document) map[string]string {
	out := map[string]string{}
	doc.Find(`head link[rel="alternate"][hreflang]`).Each(func(_ int, s *goquery.Selection) {
		out[s.AttrOr("hreflang", "")] = s.AttrOr("href", "")
	})
	return out
}

func sameMap(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestEditionsArticlePair: a Russian original and its English translation
// each live in their edition, carry reciprocal, fully qualified hreflang
// links for both and x-default, Open Graph locales and JSON-LD links, and
// switch to each other; the chrome follows the edition.
func TestEditionsArticlePair(t *testing.T) {
	f := newFixture(t, "en")
	ru, en := f.pair()
	const base = "https://news.example"
	ruURL, enURL := base+"/ru/world/parom-snova-khodit", base+"/world/ferry-runs-again"
	want := map[string]string{"ru": ruURL, "en": enURL, "x-default": enURL}

	// The Russian story's plain path is the English edition's: it leads
	// to the Russian edition.
	if res := f.get(ru.URL()); res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/ru"+ru.URL() {
		t.Errorf("GET %s: %d to %q; want 301 to /ru%s", ru.URL(), res.StatusCode, res.Header.Get("Location"), ru.URL())
	}
	if res := f.get("/ru/world/ferry-runs-again"); res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != en.URL() {
		t.Errorf("English story under /ru/: %d to %q; want 301 to %s", res.StatusCode, res.Header.Get("Location"), en.URL())
	}

	for _, tc := range []struct {
		path, lang, home, locale, otherLocale, other string
	}{
		{"/ru/world/parom-snova-khodit", "ru", "Главная", "ru_RU", "en_US", "/world/ferry-runs-again"},
		{"/world/ferry-runs-again", "en", "Home", "en_US", "ru_RU", "/ru/world/parom-snova-khodit"},
	} {
		res := f.get(tc.path)
		doc := f.page(tc.path, http.StatusOK)
		if got := doc.Find("html").AttrOr("lang", ""); got != tc.lang {
			t.Errorf("%s: html lang %q, want %s", tc.path, got, tc.lang)
		}
		if got := text(doc.Find("nav.sections li").First()); got != tc.home {
			t.Errorf("%s: chrome's home link %q, want %q", tc.path, got, tc.home)
		}
		if got := hreflang(doc); !sameMap(got, want) {
			t.Errorf("%s: hreflang %v, want %v", tc.path, got, want)
		}
		if got := doc.Find(`link[rel="canonical"]`).AttrOr("href", ""); got != base+tc.path {
			t.Errorf("%s: canonical %q", tc.path, got)
		}
		if got := doc.Find(`meta[property="og:locale"]`).AttrOr("content", ""); got != tc.locale {
			t.Errorf("%s: og:locale %q, want %s", tc.path, got, tc.locale)
		}
		if got := doc.Find(`meta[property="og:locale:alternate"]`).AttrOr("content", ""); got != tc.otherLocale {
			t.Errorf("%s: og:locale:alternate %q, want %s", tc.path, got, tc.otherLocale)
		}
		sw := doc.Find(`nav.languages a[hreflang]`)
		if sw.Length() != 1 || sw.AttrOr("href", "") != tc.other {
			t.Errorf("%s: switcher leads to %q (%d links), want %s", tc.path, sw.AttrOr("href", ""), sw.Length(), tc.other)
		}
		if keys := res.Header.Get(web.HeaderKeys); !strings.Contains(keys, newsroom.GroupKey(ru.ID)) {
			t.Errorf("%s: cache keys %q lack the group's %s", tc.path, keys, newsroom.GroupKey(ru.ID))
		}
	}
	ld := f.page("/world/ferry-runs-again", http.StatusOK).Find(`script[type="application/ld+json"]`).Text()
	if !strings.Contains(ld, `"inLanguage":"en"`) || !strings.Contains(ld, `"translationOfWork":{"@type":"NewsArticle","@id":"`+ruURL) {
		t.Errorf("translation's JSON-LD lacks inLanguage/translationOfWork: %s", ld)
	}
	ld = f.page("/ru/world/parom-snova-khodit", http.StatusOK).Find(`script[type="application/ld+json"]`).Text()
	if !strings.Contains(ld, `"workTranslation":[{"@type":"NewsArticle","@id":"`+enURL) {
		t.Errorf("original's JSON-LD lacks workTranslation: %s", ld)
	}

	// Unpublishing the original leaves the translation whole: no
	// hreflang to a missing page, the switcher leads to the Russian home
	// (the Russian edition stays open: another Russian story is public).
	f.mustCreateArticle("drugaya", func(a *newsroom.Article) { a.Language, a.Headline = "ru", "Другая новость" })
	ru.Status = newsroom.Unpublished
	if err := f.st.UpdateArticle(context.Background(), ru, ru.Revision); err != nil {
		t.Fatal(err)
	}
	doc := f.page("/world/ferry-runs-again", http.StatusOK)
	if got := hreflang(doc); len(got) != 0 {
		t.Errorf("after unpublishing the original: hreflang %v, want none", got)
	}
	if got := doc.Find(`nav.languages a[lang="ru"]`).AttrOr("href", ""); got != "/ru/" {
		t.Errorf("after unpublishing the original: switcher leads to %q, want /ru/", got)
	}
}

// TestEditionsListings: each edition's home, section pages, feeds,
// search and news sitemap list only its language's stories; the homes and
// sections carry hreflang links to each other.
func TestEditionsListings(t *testing.T) {
	f := newFixture(t, "en")
	ru := f.mustCreateArticle("tolko-po-russki", func(a *newsroom.Article) {
		a.Headline, a.Language = "Только по-русски о пароме", "ru"
	})
	en := f.mustCreateArticle("english-only", func(a *newsroom.Article) { a.Headline = "Only in English about the ferry" })
	const base = "https://news.example"
	for _, tc := range []struct {
		path, lang string
		has, lacks *newsroom.Article
	}{
		{"/", "en", en, ru},
		{"/world/", "en", en, ru},
		{"/ru/", "ru", ru, en},
		{"/ru/world/", "ru", ru, en},
		{"/author/ada-brenn", "en", en, ru},
		{"/ru/author/ada-brenn", "ru", ru, en},
	} {
		doc := f.page(tc.path, http.StatusOK)
		html, _ := doc.Html()
		if got := doc.Find("html").AttrOr("lang", ""); got != tc.lang {
			t.Errorf("%s: html lang %q, want %s", tc.path, got, tc.lang)
		}
		if !strings.Contains(html, tc.has.Headline) || strings.Contains(html, tc.lacks.Headline) {
			t.Errorf("%s: lists %q: %v, %q: %v; want only the %s story", tc.path, tc.has.Headline,
				strings.Contains(html, tc.has.Headline), tc.lacks.Headline, strings.Contains(html, tc.lacks.Headline), tc.lang)
		}
	}
	for _, tc := range []struct{ path, en, ru string }{
		{"/", base + "/", base + "/ru/"},
		{"/ru/", base + "/", base + "/ru/"},
		{"/world/", base + "/world/", base + "/ru/world/"},
		{"/ru/world/", base + "/world/", base + "/ru/world/"},
	} {
		want := map[string]string{"en": tc.en, "ru": tc.ru, "x-default": tc.en}
		if got := hreflang(f.page(tc.path, http.StatusOK)); !sameMap(got, want) {
			t.Errorf("%s: hreflang %v, want %v", tc.path, got, want)
		}
	}
	if res := f.get("/ru"); res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/ru/" {
		t.Errorf("GET /ru: %d to %q, want 301 to /ru/", res.StatusCode, res.Header.Get("Location"))
	}
	for _, tc := range []struct {
		path       string
		has, lacks *newsroom.Article
	}{
		{"/feed.xml", en, ru}, {"/atom.xml", en, ru}, {"/feed.json", en, ru},
		{"/ru/feed.xml", ru, en}, {"/ru/atom.xml", ru, en}, {"/ru/feed.json", ru, en},
		{"/feeds/section/world/rss.xml", en, ru}, {"/ru/feeds/section/world/rss.xml", ru, en},
		{"/news-sitemap.xml", en, ru}, {"/ru/news-sitemap.xml", ru, en},
		{"/search?q=ferry", en, ru}, {"/ru/search?q=" + "пароме", ru, en},
	} {
		res, body := f.body(tc.path)
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", tc.path, res.StatusCode)
			continue
		}
		if !strings.Contains(string(body), "/"+tc.has.Slug) || strings.Contains(string(body), "/"+tc.lacks.Slug) {
			t.Errorf("%s: has %s: %v, has %s: %v; want only the first", tc.path, tc.has.Slug,
				strings.Contains(string(body), "/"+tc.has.Slug), tc.lacks.Slug, strings.Contains(string(body), "/"+tc.lacks.Slug))
		}
	}
	if _, body := f.body("/ru/feed.xml"); !strings.Contains(string(body), "<language>ru</language>") ||
		!strings.Contains(string(body), base+"/ru/world/tolko-po-russki") {
		t.Errorf("Russian feed: language or link wrong:\n%s", body)
	}
	if _, body := f.body("/robots.txt"); !strings.Contains(string(body), "Sitemap: "+base+"/ru/news-sitemap.xml") {
		t.Errorf("robots.txt does not name the Russian news sitemap:\n%s", body)
	}
}

// TestEditionsSitemaps: one sitemap for both editions; translated pairs
// and the editions' homes and sections carry xhtml:link alternates.
func TestEditionsSitemaps(t *testing.T) {
	f := newFixture(t, "en")
	f.pair()
	const base = "https://news.example"
	_, body := f.body("/sitemaps/articles-1.xml")
	s := string(body)
	for _, want := range []string{
		`xmlns:xhtml="http://www.w3.org/1999/xhtml"`,
		"<loc>" + base + "/ru/world/parom-snova-khodit</loc>",
		`<xhtml:link rel="alternate" hreflang="en" href="` + base + `/world/ferry-runs-again"></xhtml:link>`,
		`<xhtml:link rel="alternate" hreflang="ru" href="` + base + `/ru/world/parom-snova-khodit"></xhtml:link>`,
		`<xhtml:link rel="alternate" hreflang="x-default" href="` + base + `/world/ferry-runs-again"></xhtml:link>`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("articles sitemap lacks %s:\n%s", want, s)
		}
	}
	if n := strings.Count(s, `hreflang="ru"`); n != 2 {
		t.Errorf("articles sitemap: %d Russian alternates, want one per member (2):\n%s", n, s)
	}
	_, body = f.body("/sitemaps/pages.xml")
	s = string(body)
	for _, want := range []string{"<loc>" + base + "/ru/</loc>", "<loc>" + base + "/ru/world/</loc>",
		`<xhtml:link rel="alternate" hreflang="ru" href="` + base + `/ru/world/"></xhtml:link>`} {
		if !strings.Contains(s, want) {
			t.Errorf("pages sitemap lacks %s:\n%s", want, s)
		}
	}
	_, body = f.body("/news-sitemap.xml")
	if !strings.Contains(string(body), `hreflang="ru" href="`+base+`/ru/world/parom-snova-khodit"`) {
		t.Errorf("news sitemap lacks the alternate:\n%s", body)
	}
	if res := f.get("/ru/sitemap.xml"); res.StatusCode != http.StatusNotFound {
		t.Errorf("/ru/sitemap.xml: %d, want 404 (one sitemap for the site)", res.StatusCode)
	}
}

// TestEditionsOnlyPublished: an all-English site has no Russian edition
// (404 under /ru/, no hreflang to it, no switcher, nothing in robots.txt
// or the sitemaps); the first public Russian story opens it and
// unpublishing it closes it again, and the set of published languages is
// read once per change, not on every request.
func TestEditionsOnlyPublished(t *testing.T) {
	f := newFixture(t, "en")
	f.mustCreateArticle("ferry-runs")
	wantClosed := func(when string) {
		t.Helper()
		for _, p := range []string{"/ru/", "/ru/world/", "/ru/feed.xml", "/ru/news-sitemap.xml", "/ru/search?q=паром"} {
			if res := f.get(p); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s: GET %s = %d, want 404", when, p, res.StatusCode)
			}
		}
		if res := f.get("/ru"); res.StatusCode == http.StatusMovedPermanently {
			t.Errorf("%s: /ru redirects to %s", when, res.Header.Get("Location"))
		}
		for _, p := range []string{"/", "/world/", "/world/ferry-runs", "/tag/ferries"} {
			doc := f.page(p, http.StatusOK)
			if got := hreflang(doc); len(got) != 0 {
				t.Errorf("%s: %s has hreflang links %v, want none", when, p, got)
			}
			if n := doc.Find("nav.languages").Length(); n != 0 {
				t.Errorf("%s: %s has a language switcher", when, p)
			}
			if n := doc.Find(`meta[property="og:locale:alternate"]`).Length(); n != 0 {
				t.Errorf("%s: %s has og:locale:alternate", when, p)
			}
		}
		for _, p := range []string{"/robots.txt", "/sitemaps/pages.xml"} {
			_, body := f.body(p)
			if strings.Contains(string(body), "/ru/") {
				t.Errorf("%s: %s mentions /ru/:\n%s", when, p, body)
			}
		}
	}
	wantClosed("all English")
	probes := f.languageProbes.Load()
	for range 5 {
		f.get("/")
	}
	if n := f.languageProbes.Load() - probes; n != 0 {
		t.Errorf("5 home pages with nothing changed read the languages %d times, want 0", n)
	}

	draft := f.mustCreateArticle("chernovik", func(a *newsroom.Article) {
		a.Language, a.Headline, a.Status, a.PublishedAt = "ru", "Черновик", newsroom.Draft, time.Time{}
	})
	wantClosed("a Russian draft")

	ru := f.mustCreateArticle("parom", func(a *newsroom.Article) { a.Language, a.Headline = "ru", "Паром снова ходит" })
	doc := f.page("/ru/", http.StatusOK)
	if got := doc.Find("html").AttrOr("lang", ""); got != "ru" {
		t.Errorf("Russian edition: html lang %q", got)
	}
	if !strings.Contains(text(doc.Find("main")), "Паром снова ходит") {
		t.Errorf("Russian edition's home does not list the Russian story")
	}
	home := f.page("/", http.StatusOK)
	if got := hreflang(home); got["ru"] != "https://news.example/ru/" || got["x-default"] != "https://news.example/" {
		t.Errorf("English home once Russian is published: hreflang %v", got)
	}
	if home.Find(`nav.languages a[lang="ru"]`).AttrOr("href", "") != "/ru/" {
		t.Errorf("English home: no switcher to /ru/")
	}
	_ = draft

	ru.Status = newsroom.Unpublished
	if err := f.st.UpdateArticle(context.Background(), ru, ru.Revision); err != nil {
		t.Fatal(err)
	}
	wantClosed("the Russian story unpublished")
}
