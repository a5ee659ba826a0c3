package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

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
