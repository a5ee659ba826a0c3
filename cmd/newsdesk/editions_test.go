package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"newsdesk/internal/auth"
	"newsdesk/internal/desk"
	"newsdesk/internal/newsroom"
)

// TestEditionNewsSitemapAndSearch: on both databases, the Russian
// edition's news sitemap lists its Russian stories although newer English
// ones outnumber them (the limit counts the edition's own stories), and
// its search page speaks Russian: lang, heading, labels, the form's
// target in the edition.
func TestEditionNewsSitemapAndSearch(t *testing.T) {
	forEachStore(t, func(t *testing.T, ta *testApp) {
		editor, _ := mustToken(t, ta, newsroom.RoleEditor)
		mustSection(t, ta, "region", "Region")
		ru := mustCreateJSON(t, ta, editor, `{"headline":"Паром на Скерру снова ходит","body":"Линия открыта.","language":"ru","status":"published","categories":["region"]}`)
		var en []string
		for i := range 3 {
			ta.clock.Add(time.Second)
			a := mustCreateJSON(t, ta, editor, fmt.Sprintf(`{"headline":"Harbour notice %d","body":"The line is open.","status":"published","categories":["region"]}`, i))
			en = append(en, a.URL)
		}
		res := doJSON(t, ta.srv, "GET", "/ru/news-sitemap.xml", "", "")
		if res.status != http.StatusOK || !strings.Contains(res.body, ru.URL+"</loc>") || strings.Contains(res.body, en[0]+"</loc>") ||
			!strings.Contains(res.body, "<news:language>ru</news:language>") {
			t.Errorf("/ru/news-sitemap.xml: %d; want the Russian story only:\n%s", res.status, res.body)
		}
		res = doJSON(t, ta.srv, "GET", "/news-sitemap.xml", "", "")
		for _, u := range en {
			if !strings.Contains(res.body, u+"</loc>") {
				t.Errorf("/news-sitemap.xml lacks %s", u)
			}
		}
		if strings.Contains(res.body, ru.URL+"</loc>") {
			t.Errorf("/news-sitemap.xml lists the Russian story")
		}

		doc := getDoc(t, ta, "/ru/search?q=паром")
		if got := doc.Find("html").AttrOr("lang", ""); got != "ru" {
			t.Errorf("/ru/search: html lang %q, want ru", got)
		}
		if got := strings.TrimSpace(doc.Find("h1").Text()); got != "Поиск" {
			t.Errorf("/ru/search: heading %q, want Поиск", got)
		}
		if got := doc.Find("form.search-form").AttrOr("action", ""); got != "/ru/search" {
			t.Errorf("/ru/search: form action %q, want /ru/search", got)
		}
		if got := strings.TrimSpace(doc.Find("form.search-form button").Text()); got != "Поиск" {
			t.Errorf("/ru/search: button %q, want Поиск", got)
		}
		if got := doc.Find("ol.results h3 a").First().AttrOr("href", ""); got != ru.URL {
			t.Errorf("/ru/search: first result %q, want %s", got, ru.URL)
		}
	})
}

// deskSession signs u in to the desk directly in the store: a session
// cookie and its CSRF token, for form posts.
func deskSession(t *testing.T, ta *testApp, u *newsroom.User) (*http.Cookie, string) {
	t.Helper()
	id := auth.RandomString(32)
	now := ta.clock.Now()
	ss := &newsroom.Session{IDHash: auth.HashToken(id), UserID: u.ID, CSRFToken: "token-" + id,
		CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(time.Hour)}
	must(t, ta.store.CreateSession(context.Background(), ss))
	return &http.Cookie{Name: desk.CookieName, Value: id}, ss.CSRFToken
}

// deskPost posts form to the desk as the session's user and returns the
// status, the Location and the body.
func deskPost(t *testing.T, ta *testApp, cookie *http.Cookie, csrf, path string, form url.Values) (int, string, string) {
	t.Helper()
	form.Set("_csrf", csrf)
	req, err := http.NewRequest(http.MethodPost, ta.srv.URL+path, strings.NewReader(form.Encode()))
	must(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", ta.srv.URL)
	req.AddCookie(cookie)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	must(t, err)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Location"), string(b)
}

// TestSectionNamesPerEdition: on both databases, a section named per
// language through the API (and renamed through the desk's section form)
// shows each edition's name in its navigation, section page title and
// heading, description, breadcrumbs (JSON-LD), article kicker, search
// form and feeds; an edition without its own name falls back to the
// default one; bad names are 422 naming the field.
func TestSectionNamesPerEdition(t *testing.T) {
	const base = "https://news.example"
	forEachStoreWith(t, func(c *Config) { c.BaseURL = base }, func(t *testing.T, ta *testApp) {
		editor, eu := mustToken(t, ta, newsroom.RoleEditor)
		res := doJSON(t, ta.srv, "POST", "/api/v1/sections", editor,
			`{"name":"Region","description":"News from the coast.","names":{"ru":"Регион"},"descriptions":{"ru":"Новости побережья."}}`)
		if res.status != http.StatusCreated {
			t.Fatalf("POST /api/v1/sections: %d %s", res.status, res.body)
		}
		var sec newsroom.Category
		res.decode(t, &sec)
		if sec.Slug != "region" || sec.Names["ru"] != "Регион" || sec.Descriptions["ru"] != "Новости побережья." {
			t.Errorf("created section %+v", sec)
		}
		res = doJSON(t, ta.srv, "POST", "/api/v1/sections", editor, `{"name":"Sport"}`)
		if res.status != http.StatusCreated {
			t.Fatalf("POST sport: %d %s", res.status, res.body)
		}
		for _, tc := range []struct{ method, path, body, field string }{
			{"POST", "/api/v1/sections", `{"name":"Bad","names":{"de":"Schlecht"}}`, "names"},
			{"PATCH", fmt.Sprintf("/api/v1/sections/%d", sec.ID), `{"names":{"ru":"Два\nслова"}}`, "names.ru"},
		} {
			res := doJSON(t, ta.srv, tc.method, tc.path, editor, tc.body)
			if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `"field":"`+tc.field+`"`) {
				t.Errorf("%s %s %s: %d %s; want 422 on %s", tc.method, tc.path, tc.body, res.status, res.body, tc.field)
			}
		}
		corr, _ := mustToken(t, ta, newsroom.RoleCorrespondent)
		if res := doJSON(t, ta.srv, "PATCH", fmt.Sprintf("/api/v1/sections/%d", sec.ID), corr, `{"name":"Mine"}`); res.status != http.StatusForbidden {
			t.Errorf("a correspondent renaming a section: %d, want 403", res.status)
		}
		if res := doJSON(t, ta.srv, "GET", "/api/v1/sections", corr, ""); res.status != http.StatusOK || !strings.Contains(res.body, `"ru":"Регион"`) {
			t.Errorf("GET /api/v1/sections: %d %s", res.status, res.body)
		}

		ru := mustCreateJSON(t, ta, editor, `{"headline":"Паром на Скерру снова ходит","body":"Линия открыта.","language":"ru","status":"published","categories":["region"]}`)
		en := mustCreateJSON(t, ta, editor, `{"headline":"Harbour notice","body":"The line is open.","status":"published","categories":["region"]}`)
		mustCreateJSON(t, ta, editor, `{"headline":"Гонка яхт","body":"Старт в полдень.","language":"ru","status":"published","categories":["sport"]}`)

		check := func(when, ruName, ruDesc string) {
			t.Helper()
			doc := getDoc(t, ta, "/ru/region/")
			if got := strings.TrimSpace(doc.Find("h1").First().Text()); got != ruName {
				t.Errorf("%s: /ru/region/ heading %q, want %q", when, got, ruName)
			}
			if got := doc.Find("title").Text(); !strings.HasPrefix(got, ruName) {
				t.Errorf("%s: /ru/region/ title %q, want it to start with %q", when, got, ruName)
			}
			if got := doc.Find(`meta[name="description"]`).AttrOr("content", ""); got != ruDesc {
				t.Errorf("%s: /ru/region/ description %q, want %q", when, got, ruDesc)
			}
			if got := doc.Find(`nav.sections a[href="/ru/region/"]`).Text(); got != ruName {
				t.Errorf("%s: Russian navigation names the section %q, want %q", when, got, ruName)
			}
			if got := doc.Find(`nav.sections a[href="/ru/sport/"]`).Text(); got != "Sport" {
				t.Errorf("%s: a section with no Russian name: %q, want the default name Sport", when, got)
			}
			if got := getDoc(t, ta, "/region/").Find(`nav.sections a[href="/region/"]`).Text(); got != "Region" {
				t.Errorf("%s: English navigation: %q, want Region", when, got)
			}
			art := getDoc(t, ta, ru.URL)
			if got := strings.TrimSpace(art.Find("article .kicker a").First().Text()); got != ruName {
				t.Errorf("%s: Russian story's kicker %q, want %q", when, got, ruName)
			}
			ld := art.Find(`script[type="application/ld+json"]`).Text()
			if !strings.Contains(ld, `"name":"`+ruName+`","item":"`+base+`/ru/region/"`) || !strings.Contains(ld, `"articleSection":["`+ruName+`"]`) {
				t.Errorf("%s: Russian story's JSON-LD lacks the section's Russian name in breadcrumbs/articleSection:\n%s", when, ld)
			}
			if got := art.Find(`meta[property="article:section"]`).AttrOr("content", ""); got != ruName {
				t.Errorf("%s: article:section %q, want %q", when, got, ruName)
			}
			if got := getDoc(t, ta, en.URL).Find("article .kicker a").First().Text(); strings.TrimSpace(got) != "Region" {
				t.Errorf("%s: English story's kicker %q", when, got)
			}
			if got := getDoc(t, ta, "/ru/search").Find(`#ss option[value="region"]`).Text(); got != ruName {
				t.Errorf("%s: Russian search's section choice %q", when, got)
			}
			res := doJSON(t, ta.srv, "GET", "/ru/feeds/section/region/rss.xml", "", "")
			if res.status != http.StatusOK || !strings.Contains(res.body, ruName+"</title>") || !strings.Contains(res.body, "<description>"+ruDesc+"</description>") {
				t.Errorf("%s: Russian section feed: %d\n%s", when, res.status, res.body)
			}
			res = doJSON(t, ta.srv, "GET", "/ru/feed.xml", "", "")
			if !strings.Contains(res.body, "<category>"+ruName+"</category>") || strings.Contains(res.body, "<category>Region</category>") {
				t.Errorf("%s: Russian feed's item categories:\n%s", when, res.body)
			}
			res = doJSON(t, ta.srv, "GET", "/feed.xml", "", "")
			if !strings.Contains(res.body, "<category>Region</category>") {
				t.Errorf("%s: English feed's item categories:\n%s", when, res.body)
			}
		}
		check("named through the API", "Регион", "Новости побережья.")

		// The desk's section form renames it for the Russian edition;
		// the cached pages follow.
		cookie, csrf := deskSession(t, ta, eu)
		doc := func() string {
			req, _ := http.NewRequest("GET", fmt.Sprintf("%s/desk/sections/%d", ta.srv.URL, sec.ID), nil)
			req.AddCookie(cookie)
			res, err := http.DefaultClient.Do(req)
			must(t, err)
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			return string(b)
		}()
		if !strings.Contains(doc, `name="name_ru"`) || !strings.Contains(doc, `value="Регион"`) || strings.Contains(doc, `name="name_en"`) {
			t.Errorf("desk section form lacks the Russian edition's name field (or offers the default language's)")
		}
		status, loc, body := deskPost(t, ta, cookie, csrf, fmt.Sprintf("/desk/sections/%d", sec.ID), url.Values{
			"name": {"Region"}, "position": {"0"}, "description": {"News from the coast."},
			"name_ru": {"Побережье"}, "description_ru": {""}})
		if status != http.StatusSeeOther || !strings.Contains(loc, "saved") {
			t.Fatalf("desk save: %d %s\n%s", status, loc, body)
		}
		check("renamed in the desk, its Russian description removed", "Побережье", "News from the coast.")
		status, _, body = deskPost(t, ta, cookie, csrf, fmt.Sprintf("/desk/sections/%d", sec.ID), url.Values{
			"name": {"Region"}, "name_ru": {strings.Repeat("ы", 121)}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `id="s-name-ru" name="name_ru" lang="ru" value="`) {
			t.Errorf("desk save of a too-long Russian name: %d", status)
		}
	})
}

// TestSiteNamePerEdition: on both databases, the site's name and
// description set for the Russian edition in the desk's Settings show in
// that edition's masthead, <title>, og:site_name, description, feeds,
// news sitemap and JSON-LD, while the English edition keeps the default
// ones; emptied, the Russian edition falls back to them; a name on two
// lines is refused naming the field.
func TestSiteNamePerEdition(t *testing.T) {
	forEachStore(t, func(t *testing.T, ta *testApp) {
		editor, _ := mustToken(t, ta, newsroom.RoleEditor)
		admin, err := ta.store.UserByEmail(context.Background(), "admin@example.com")
		must(t, err)
		mustSection(t, ta, "region", "Region")
		ru := mustCreateJSON(t, ta, editor, `{"headline":"Паром на Скерру снова ходит","body":"Линия открыта.","language":"ru","status":"published","categories":["region"]}`)
		mustCreateJSON(t, ta, editor, `{"headline":"Harbour notice","body":"The line is open.","status":"published","categories":["region"]}`)
		cookie, csrf := deskSession(t, ta, admin)
		save := func(form url.Values) (int, string) {
			t.Helper()
			form.Set("form", "settings")
			for k, v := range map[string]string{"language": "en", "time_zone": "UTC", "home_latest": "8", "report_max_exact": "300",
				"report_per_ip": "6", "report_per_article": "60", "feed_content": "full", "search": "true"} {
				if !form.Has(k) {
					form.Set(k, v)
				}
			}
			status, _, body := deskPost(t, ta, cookie, csrf, "/desk/settings", form)
			return status, body
		}
		if status, body := save(url.Values{"site_name": {"Skerra Herald"}, "description": {"News of the islands."},
			"site_name_ru": {"Вестник Скерры"}, "description_ru": {"Новости островов."}}); status != http.StatusSeeOther {
			t.Fatalf("save settings: %d\n%s", status, body)
		}
		check := func(when, prefix, name, desc string) {
			t.Helper()
			doc := getDoc(t, ta, prefix+"/")
			if got := strings.TrimSpace(doc.Find(".brand").First().Text()); got != name {
				t.Errorf("%s: %s/ masthead %q, want %q", when, prefix, got, name)
			}
			if got := doc.Find("title").Text(); got != name {
				t.Errorf("%s: %s/ title %q, want %q", when, prefix, got, name)
			}
			if got := doc.Find(`meta[property="og:site_name"]`).AttrOr("content", ""); got != name {
				t.Errorf("%s: %s/ og:site_name %q", when, prefix, got)
			}
			if got := doc.Find(`meta[name="description"]`).AttrOr("content", ""); got != desc {
				t.Errorf("%s: %s/ description %q, want %q", when, prefix, got, desc)
			}
			if got := doc.Find(".tagline span").Text(); got != desc {
				t.Errorf("%s: %s/ tagline %q, want %q", when, prefix, got, desc)
			}
			if got := getDoc(t, ta, prefix+"/region/").Find("title").Text(); !strings.HasSuffix(got, " — "+name) {
				t.Errorf("%s: %s/region/ title %q, want it to end with %q", when, prefix, got, name)
			}
			res := doJSON(t, ta.srv, "GET", prefix+"/feed.xml", "", "")
			if !strings.Contains(res.body, "<title>"+name+"</title>") || !strings.Contains(res.body, "<description>"+desc+"</description>") {
				t.Errorf("%s: %s/feed.xml lacks the name %q or description %q:\n%s", when, prefix, name, desc, res.body)
			}
			res = doJSON(t, ta.srv, "GET", prefix+"/news-sitemap.xml", "", "")
			if !strings.Contains(res.body, "<news:name>"+name+"</news:name>") {
				t.Errorf("%s: %s/news-sitemap.xml publication is not %q:\n%s", when, prefix, name, res.body)
			}
		}
		check("set", "/ru", "Вестник Скерры", "Новости островов.")
		check("set", "", "Skerra Herald", "News of the islands.")
		ld := getDoc(t, ta, ru.URL).Find(`script[type="application/ld+json"]`).Text()
		if !strings.Contains(ld, `"publisher":{"@type":"NewsMediaOrganization","name":"Вестник Скерры"`) {
			t.Errorf("Russian story's JSON-LD publisher is not the Russian edition's name:\n%s", ld)
		}
		if got := getDoc(t, ta, ru.URL).Find(`meta[property="og:site_name"]`).AttrOr("content", ""); got != "Вестник Скерры" {
			t.Errorf("Russian story's og:site_name %q", got)
		}

		if status, body := save(url.Values{"site_name": {"Skerra Herald"}, "site_name_ru": {"Два\nназвания"}}); status != http.StatusUnprocessableEntity ||
			!strings.Contains(body, `id="s-site_name_ru" name="site_name_ru" lang="ru" maxlength="120" value="Два`) || !strings.Contains(body, `aria-invalid="true"`) {
			t.Errorf("a two-line Russian name: %d; want 422 marking the field", status)
		}
		if status, body := save(url.Values{"site_name": {"Skerra Herald"}, "description": {"News of the islands."},
			"site_name_ru": {""}, "description_ru": {""}}); status != http.StatusSeeOther {
			t.Fatalf("clear the Russian names: %d\n%s", status, body)
		}
		check("cleared", "/ru", "Skerra Herald", "News of the islands.")
	})
}

// status fetches path without following redirects: the status and the
// Location.
func status(t *testing.T, ta *testApp, path string) (int, string) {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Get(ta.srv.URL + path)
	must(t, err)
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, res.Header.Get("Location")
}

// TestStaticPagesPerEdition: on both databases, through the whole app
// (page cache in front): a Russian static page linked as the translation
// of an English one is served at /ru/… once the Russian edition is open,
// with Russian chrome and reciprocal hreflang plus x-default on both
// pages (the English page's cached copy follows the translation's
// publication); each edition's footer lists its own pages; redirects
// made for /ru/… addresses work whether the Russian edition is open or
// not.
func TestStaticPagesPerEdition(t *testing.T) {
	const base = "https://news.example"
	forEachStoreWith(t, func(c *Config) { c.BaseURL = base }, func(t *testing.T, ta *testApp) {
		editor, editorUser := mustToken(t, ta, newsroom.RoleEditor)
		mustSection(t, ta, "region", "Region")
		create := func(body string) newsroom.Page {
			t.Helper()
			res := doJSON(t, ta.srv, "POST", "/api/v1/pages", editor, body)
			if res.status != http.StatusCreated {
				t.Fatalf("POST /api/v1/pages %s: %d %s", body, res.status, res.body)
			}
			var p newsroom.Page
			res.decode(t, &p)
			return p
		}
		en := create(`{"title":"About us","slug":"about","body":"We report from the islands.","status":"published","in_menu":true}`)
		ru := create(fmt.Sprintf(`{"title":"О нас","slug":"o-nas","body":"Мы пишем с островов.","status":"draft","in_menu":true,"language":"ru","translation_of":%d}`, en.ID))
		if en.Language != "en" || ru.Language != "ru" || ru.Path != "/ru/o-nas/" || ru.TranslationOf != en.ID ||
			len(ru.Translations) != 1 || ru.Translations[0].ID != en.ID || ru.Translations[0].Language != "en" {
			t.Errorf("pages as the API shows them: %+v\n%+v", en, ru)
		}
		if res := doJSON(t, ta.srv, "POST", "/api/v1/pages", editor, fmt.Sprintf(`{"title":"Про нас","slug":"pro-nas","language":"ru","translation_of":%d}`, en.ID)); res.status != http.StatusConflict ||
			!strings.Contains(res.body, `"field":"translation_of"`) {
			t.Errorf("a second Russian translation: %d %s; want 409 on translation_of", res.status, res.body)
		}
		for _, rd := range []string{`{"from":"/ru/staroe","to":"/ru/o-nas/"}`, `{"from":"/ru/2020/old-story","to":"/ru/region/parom"}`} {
			if res := doJSON(t, ta.srv, "POST", "/api/v1/redirects", editor, rd); res.status != http.StatusCreated {
				t.Fatalf("POST redirect %s: %d %s", rd, res.status, res.body)
			}
		}
		// No Russian story yet: no Russian edition, no Russian page; the
		// redirects work all the same.
		if st, _ := status(t, ta, "/ru/o-nas/"); st != http.StatusNotFound {
			t.Errorf("/ru/o-nas/ with the Russian edition closed: %d, want 404", st)
		}
		if st, loc := status(t, ta, "/ru/staroe/"); st != http.StatusMovedPermanently || loc != "/ru/o-nas/" {
			t.Errorf("/ru/staroe/ with the Russian edition closed: %d to %q", st, loc)
		}
		if got := hreflangOf(t, ta, "/about/"); len(got) != 0 {
			t.Errorf("/about/ while its translation is a draft: hreflang %v", got)
		}

		mustCreateJSON(t, ta, editor, `{"headline":"Паром снова ходит","slug":"parom","body":"Линия открыта.","language":"ru","status":"published","categories":["region"]}`)
		res := doJSON(t, ta.srv, "PATCH", fmt.Sprintf("/api/v1/pages/%d", ru.ID), editor, `{"status":"published"}`)
		if res.status != http.StatusOK {
			t.Fatalf("publish the Russian page: %d %s", res.status, res.body)
		}
		want := map[string]string{"en": base + "/about/", "ru": base + "/ru/o-nas/", "x-default": base + "/about/"}
		for _, path := range []string{"/about/", "/ru/o-nas/"} {
			if got := hreflangOf(t, ta, path); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s: hreflang %v, want %v", path, got, want)
			}
		}
		doc := getDoc(t, ta, "/ru/o-nas/")
		if doc.Find("html").AttrOr("lang", "") != "ru" || strings.TrimSpace(doc.Find("main h1").Text()) != "О нас" ||
			!strings.Contains(doc.Find("main").Text(), "Мы пишем с островов.") {
			t.Errorf("/ru/o-nas/: lang %q, heading %q", doc.Find("html").AttrOr("lang", ""), doc.Find("main h1").Text())
		}
		if got := doc.Find(`link[rel="canonical"]`).AttrOr("href", ""); got != base+"/ru/o-nas/" {
			t.Errorf("/ru/o-nas/ canonical %q", got)
		}
		if got := doc.Find(`nav.languages a[hreflang="en"]`).AttrOr("href", ""); got != "/about/" {
			t.Errorf("/ru/o-nas/ switcher leads to %q, want /about/", got)
		}
		if got := getDoc(t, ta, "/about/").Find(`nav.languages a[hreflang="ru"]`).AttrOr("href", ""); got != "/ru/o-nas/" {
			t.Errorf("/about/ switcher leads to %q, want /ru/o-nas/", got)
		}
		for _, tc := range []struct{ path, has, lacks string }{
			{"/ru/", "/ru/o-nas/", "/about/"}, {"/", "/about/", "/ru/o-nas/"}, {"/ru/region/", "/ru/o-nas/", "/about/"},
		} {
			menu := getDoc(t, ta, tc.path).Find("nav.footer-menu")
			if menu.Find(`a[href="`+tc.has+`"]`).Length() != 1 || menu.Find(`a[href="`+tc.lacks+`"]`).Length() != 0 {
				t.Errorf("%s: footer menu %q; want %s and not %s", tc.path, menu.Text(), tc.has, tc.lacks)
			}
		}
		if st, loc := status(t, ta, "/ru/o-nas"); st != http.StatusMovedPermanently || loc != "/ru/o-nas/" {
			t.Errorf("/ru/o-nas: %d to %q, want 301 to /ru/o-nas/", st, loc)
		}
		if st, _ := status(t, ta, "/o-nas/"); st != http.StatusNotFound {
			t.Errorf("the Russian page's path in the English edition: %d, want 404", st)
		}
		for _, tc := range []struct{ path, to string }{{"/ru/staroe", "/ru/o-nas/"}, {"/ru/2020/old-story/", "/ru/region/parom"}} {
			if st, loc := status(t, ta, tc.path); st != http.StatusMovedPermanently || loc != tc.to {
				t.Errorf("%s with the Russian edition open: %d to %q, want 301 to %s", tc.path, st, loc, tc.to)
			}
		}
		// Renaming the Russian page keeps its old address leading to it.
		res = doJSON(t, ta.srv, "PATCH", fmt.Sprintf("/api/v1/pages/%d", ru.ID), editor, `{"slug":"redaktsiya"}`)
		if res.status != http.StatusOK {
			t.Fatalf("rename: %d %s", res.status, res.body)
		}
		if st, loc := status(t, ta, "/ru/o-nas/"); st != http.StatusMovedPermanently || loc != "/ru/redaktsiya/" {
			t.Errorf("old address of the renamed Russian page: %d to %q", st, loc)
		}
		if got := hreflangOf(t, ta, "/about/"); got["ru"] != base+"/ru/redaktsiya/" {
			t.Errorf("/about/ after the rename: hreflang %v", got)
		}

		// The desk: "Translate this page" starts a page in the other
		// language linked to it; saved, it is served in its edition.
		contacts := create(`{"title":"Contacts","slug":"contacts","body":"Write to us.","status":"published","in_menu":true}`)
		cookie, csrf := deskSession(t, ta, editorUser)
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s/desk/pages/new?translation_of=%d", ta.srv.URL, contacts.ID), nil)
		req.AddCookie(cookie)
		dres, err := http.DefaultClient.Do(req)
		must(t, err)
		form, err := goquery.NewDocumentFromReader(dres.Body)
		dres.Body.Close()
		must(t, err)
		if got := form.Find(`#pg-language option[selected]`).AttrOr("value", ""); got != "ru" {
			t.Errorf("desk's new translation: language %q selected, want ru", got)
		}
		if got := form.Find(`#pg-translation option[selected]`).AttrOr("value", ""); got != fmt.Sprint(contacts.ID) {
			t.Errorf("desk's new translation: translation of %q selected, want %d", got, contacts.ID)
		}
		st, loc, body := deskPost(t, ta, cookie, csrf, "/desk/pages", url.Values{"title": {"Контакты"}, "slug": {"kontakty"},
			"language": {"ru"}, "translation_of": {fmt.Sprint(contacts.ID)}, "status": {"published"}, "in_menu": {"1"}, "body": {"Пишите нам."}})
		if st != http.StatusSeeOther || !strings.Contains(loc, "saved=created") {
			t.Fatalf("desk create of the Russian page: %d %s\n%s", st, loc, body)
		}
		want = map[string]string{"en": base + "/contacts/", "ru": base + "/ru/kontakty/", "x-default": base + "/contacts/"}
		if got := hreflangOf(t, ta, "/contacts/"); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("/contacts/ after the desk's translation: hreflang %v, want %v", got, want)
		}
		if menu := getDoc(t, ta, "/ru/").Find("nav.footer-menu"); menu.Find(`a[href="/ru/kontakty/"]`).Length() != 1 {
			t.Errorf("Russian footer lacks the desk's Russian page: %q", menu.Text())
		}
	})
}

// hreflangOf returns a page's hreflang links, language to URL.
func hreflangOf(t *testing.T, ta *testApp, path string) map[string]string {
	t.Helper()
	out := map[string]string{}
	getDoc(t, ta, path).Find(`head link[rel="alternate"][hreflang]`).Each(func(_ int, s *goquery.Selection) {
		out[s.AttrOr("hreflang", "")] = s.AttrOr("href", "")
	})
	return out
}

// TestEditionMostRead: on both databases, the Russian edition's
// most-read block lists its Russian story although more English stories
// are read more (the list's limit counts the edition's own stories).
func TestEditionMostRead(t *testing.T) {
	forEachStore(t, func(t *testing.T, ta *testApp) {
		editor, _ := mustToken(t, ta, newsroom.RoleEditor)
		mustSection(t, ta, "region", "Region")
		ru := mustCreateJSON(t, ta, editor, `{"headline":"Паром снова ходит","body":"Линия открыта.","language":"ru","status":"published","categories":["region"]}`)
		views := map[int64]int{ru.ID: 1}
		var en []string
		for i := range 20 {
			a := mustCreateJSON(t, ta, editor, fmt.Sprintf(`{"headline":"Harbour notice %d","body":"The line is open.","status":"published","categories":["region"]}`, i))
			views[a.ID] = 100 + i
			en = append(en, a.URL)
		}
		must(t, ta.store.AddViews(context.Background(), newsroom.ViewDay(ta.clock.Now(), time.UTC), views))
		block := getDoc(t, ta, "/ru/").Find("aside.most-read")
		if block.Find(`a[href="`+ru.URL+`"]`).Length() == 0 {
			t.Errorf("the Russian edition's most-read block lacks its story:\n%s", block.Text())
		}
		for _, u := range en {
			if block.Find(`a[href="`+u+`"]`).Length() != 0 {
				t.Errorf("the Russian edition's most-read block lists the English %s", u)
			}
		}
		if got := getDoc(t, ta, "/").Find("aside.most-read").Find(`a[href="` + en[19] + `"]`).Length(); got == 0 {
			t.Errorf("the English most-read block lacks the most-read English story")
		}
	})
}

// TestDemoEditionsSpeakTheirLanguage: the demo outlet started as it comes
// (no --site-name) shows the Russian edition with its own masthead,
// tagline and section names, and the English one as before.
func TestDemoEditionsSpeakTheirLanguage(t *testing.T) {
	ta := newTestApp(t, "", true)
	read := func(path string) *goquery.Document {
		t.Helper()
		p := fetch(t, ta, "GET", path)
		if p.status != http.StatusOK {
			t.Fatalf("GET %s: %d", path, p.status)
		}
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(p.body)))
		if err != nil {
			t.Fatal(err)
		}
		return doc
	}
	for _, tc := range []struct{ path, title, tagline, section string }{
		{"/", "The Skerrow Courier", "News from the Skerrow Coast", "World"},
		{"/ru/", "Скерроу Курьер", "Новости Скерроуского побережья", "Мир"},
	} {
		doc := read(tc.path)
		if got := doc.Find("title").Text(); !strings.HasPrefix(got, tc.title) {
			t.Errorf("%s: title %q, want %q", tc.path, got, tc.title)
		}
		if got := doc.Find(".tagline").Text(); !strings.Contains(got, tc.tagline) {
			t.Errorf("%s: tagline %q, want %q", tc.path, got, tc.tagline)
		}
		var names []string
		doc.Find("nav.sections li a").Each(func(_ int, s *goquery.Selection) { names = append(names, strings.TrimSpace(s.Text())) })
		if !slices.Contains(names, tc.section) {
			t.Errorf("%s: sections %v, want %q among them", tc.path, names, tc.section)
		}
	}
}
