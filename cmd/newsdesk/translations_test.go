package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"newsdesk/internal/api"
	"newsdesk/internal/newsroom"
)

// mustCreateJSON creates an article through the API and returns it.
func mustCreateJSON(t *testing.T, ta *testApp, token, body string) api.ArticleJSON {
	t.Helper()
	res := doJSON(t, ta.srv, "POST", "/api/v1/articles", token, body)
	if res.status != http.StatusCreated {
		t.Fatalf("create %s: %d %s", body, res.status, res.body)
	}
	var a api.ArticleJSON
	res.decode(t, &a)
	return a
}

func getArticleJSON(t *testing.T, ta *testApp, token string, id int64) api.ArticleJSON {
	t.Helper()
	res := doJSON(t, ta.srv, "GET", fmt.Sprintf("/api/v1/articles/%d", id), token, "")
	if res.status != http.StatusOK {
		t.Fatalf("GET article %d: %d %s", id, res.status, res.body)
	}
	var a api.ArticleJSON
	res.decode(t, &a)
	return a
}

// TestAPITranslations: a Russian original and its English translation,
// made with translation_of, link both ways in their JSON with each one's
// edition URL; readers see only public members; bad links are 4xx naming
// translation_of and leave nothing behind.
func TestAPITranslations(t *testing.T) {
	forEachStore(t, func(t *testing.T, ta *testApp) {
		editor, _ := mustToken(t, ta, newsroom.RoleEditor)
		mustSection(t, ta, "region", "Region")
		ru := mustCreateJSON(t, ta, editor, `{"headline":"Паром на Скерру снова ходит","body":"Линия открыта.","language":"ru","status":"published","categories":["region"]}`)
		if ru.URL != "/ru/region/parom-na-skerru-snova-khodit" || len(ru.Translations) != 0 || ru.TranslationOf != nil {
			t.Errorf("Russian original: url %q translations %+v translation_of %v", ru.URL, ru.Translations, ru.TranslationOf)
		}
		// No language given: the other one.
		en := mustCreateJSON(t, ta, editor, fmt.Sprintf(`{"headline":"The Skerra ferry runs again","body":"The line is open.","categories":["region"],"translation_of":%d}`, ru.ID))
		if en.Language != "en" || en.Status != newsroom.Draft || en.URL != "/region/the-skerra-ferry-runs-again" {
			t.Errorf("translation: language %q status %q url %q; want an English draft at the plain path", en.Language, en.Status, en.URL)
		}
		if en.TranslationOf == nil || *en.TranslationOf != ru.ID || len(en.Translations) != 1 ||
			en.Translations[0] != (api.TranslationJSON{ID: ru.ID, Language: "ru", URL: ru.URL, Status: newsroom.Published, Original: true}) {
			t.Errorf("translation links: translation_of %v translations %+v; want the Russian original", en.TranslationOf, en.Translations)
		}
		// Staff see the draft member; readers do not, until it is public.
		got := getArticleJSON(t, ta, editor, ru.ID)
		if len(got.Translations) != 1 || got.Translations[0].ID != en.ID || got.Translations[0].URL != en.URL || got.Translations[0].Original {
			t.Errorf("original's translations for staff: %+v; want the English draft", got.Translations)
		}
		if got := getArticleJSON(t, ta, "", ru.ID); len(got.Translations) != 0 {
			t.Errorf("original's translations for a reader while the translation is a draft: %+v; want none", got.Translations)
		}
		res := doJSON(t, ta.srv, "PATCH", fmt.Sprintf("/api/v1/articles/%d", en.ID), editor, fmt.Sprintf(`{"revision":%d,"status":"published"}`, en.Revision))
		if res.status != http.StatusOK {
			t.Fatalf("publish translation: %d %s", res.status, res.body)
		}
		if got := getArticleJSON(t, ta, "", ru.ID); len(got.Translations) != 1 || got.Translations[0].Language != "en" {
			t.Errorf("original's translations for a reader once published: %+v", got.Translations)
		}
		if got := getArticleJSON(t, ta, "", en.ID); len(got.Translations) != 1 || got.Translations[0].ID != ru.ID {
			t.Errorf("translation's translations for a reader: %+v", got.Translations)
		}

		for _, tc := range []struct {
			body   string
			status int
		}{
			{fmt.Sprintf(`{"headline":"Второй русский","language":"ru","translation_of":%d}`, ru.ID), http.StatusUnprocessableEntity},
			{fmt.Sprintf(`{"headline":"Second English","language":"en","translation_of":%d}`, ru.ID), http.StatusConflict},
			{`{"headline":"Of nothing","translation_of":987654}`, http.StatusUnprocessableEntity},
			{`{"headline":"Of zero","translation_of":0}`, http.StatusUnprocessableEntity},
		} {
			res := doJSON(t, ta.srv, "POST", "/api/v1/articles", editor, tc.body)
			if res.status != tc.status || !strings.Contains(res.body, `"field":"translation_of"`) {
				t.Errorf("POST %s: %d %s; want %d on translation_of", tc.body, res.status, res.body, tc.status)
			}
		}
		var list struct {
			Total int `json:"total"`
		}
		doJSON(t, ta.srv, "GET", "/api/v1/articles?status=draft", editor, "").decode(t, &list)
		if list.Total != 0 {
			t.Errorf("refused translations left %d drafts", list.Total)
		}
	})
}

// TestEditionsThroughTheApp: through the whole app (page cache in front),
// on both databases: the Russian original and its English translation
// carry reciprocal hreflang with x-default once both are public (the
// original's cached page is dropped when the translation is published),
// the English home, section and feed do not list the Russian story and
// the Russian edition does, with Russian chrome; the sitemap carries the
// alternates.
func TestEditionsThroughTheApp(t *testing.T) {
	const base = "https://news.example"
	forEachStoreWith(t, func(c *Config) { c.BaseURL = base }, func(t *testing.T, ta *testApp) {
		editor, _ := mustToken(t, ta, newsroom.RoleEditor)
		mustSection(t, ta, "region", "Region")
		ru := mustCreateJSON(t, ta, editor, `{"headline":"Паром на Скерру снова ходит","body":"Линия открыта.","language":"ru","status":"published","categories":["region"]}`)
		en := mustCreateJSON(t, ta, editor, fmt.Sprintf(`{"headline":"The Skerra ferry runs again","body":"The line is open.","categories":["region"],"translation_of":%d}`, ru.ID))
		hreflang := func(path string) map[string]string {
			out := map[string]string{}
			getDoc(t, ta, path).Find(`head link[rel="alternate"][hreflang]`).Each(func(_ int, s *goquery.Selection) {
				out[s.AttrOr("hreflang", "")] = s.AttrOr("href", "")
			})
			return out
		}
		if got := hreflang(ru.URL); len(got) != 0 {
			t.Errorf("%s while the translation is a draft: hreflang %v, want none", ru.URL, got)
		}
		res := doJSON(t, ta.srv, "PATCH", fmt.Sprintf("/api/v1/articles/%d", en.ID), editor, fmt.Sprintf(`{"revision":%d,"status":"published"}`, en.Revision))
		if res.status != http.StatusOK {
			t.Fatalf("publish translation: %d %s", res.status, res.body)
		}
		want := map[string]string{"ru": base + ru.URL, "en": base + en.URL, "x-default": base + en.URL}
		for _, path := range []string{ru.URL, en.URL} {
			if got := hreflang(path); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s: hreflang %v, want %v", path, got, want)
			}
		}
		doc := getDoc(t, ta, ru.URL)
		if doc.Find("html").AttrOr("lang", "") != "ru" || doc.Find(`nav.languages a[hreflang="en"]`).AttrOr("href", "") != en.URL {
			t.Errorf("Russian story: lang %q, switcher to %q", doc.Find("html").AttrOr("lang", ""), doc.Find(`nav.languages a[hreflang="en"]`).AttrOr("href", ""))
		}
		for _, tc := range []struct {
			path, lang string
			has, lacks api.ArticleJSON
		}{
			{"/", "en", en, ru}, {"/region/", "en", en, ru},
			{"/ru/", "ru", ru, en}, {"/ru/region/", "ru", ru, en},
		} {
			doc := getDoc(t, ta, tc.path)
			html, _ := doc.Html()
			if doc.Find("html").AttrOr("lang", "") != tc.lang || !strings.Contains(html, tc.has.URL) || strings.Contains(html, `href="`+tc.lacks.URL+`"`) {
				t.Errorf("%s: lang %q, lists %s: %v, lists %s: %v; want lang %s and only its own story", tc.path,
					doc.Find("html").AttrOr("lang", ""), tc.has.URL, strings.Contains(html, tc.has.URL),
					tc.lacks.URL, strings.Contains(html, `href="`+tc.lacks.URL+`"`), tc.lang)
			}
		}
		if got := strings.TrimSpace(getDoc(t, ta, "/ru/").Find("nav.sections li").First().Text()); got != "Главная" {
			t.Errorf("Russian edition's chrome: home link %q, want Главная", got)
		}
		for _, tc := range []struct{ path, has, lacks string }{
			{"/feed.xml", en.URL, ru.URL}, {"/ru/feed.xml", ru.URL, en.URL},
		} {
			res := doJSON(t, ta.srv, "GET", tc.path, "", "")
			if res.status != http.StatusOK || !strings.Contains(res.body, base+tc.has+"<") || strings.Contains(res.body, base+tc.lacks+"<") {
				t.Errorf("%s: %d; want %s listed and not %s:\n%s", tc.path, res.status, tc.has, tc.lacks, res.body)
			}
		}
		res = doJSON(t, ta.srv, "GET", "/sitemaps/articles-1.xml", "", "")
		if !strings.Contains(res.body, `<xhtml:link rel="alternate" hreflang="ru" href="`+base+ru.URL+`">`) ||
			!strings.Contains(res.body, `hreflang="x-default" href="`+base+en.URL+`"`) {
			t.Errorf("sitemap lacks the alternates:\n%s", res.body)
		}
	})
}
