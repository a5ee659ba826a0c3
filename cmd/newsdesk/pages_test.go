package main

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"newsdesk/internal/newsroom"
)

func doc(t *testing.T, p page) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(bytes.NewReader(p.body))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func createPage(t *testing.T, ta *testApp, token, body string) newsroom.Page {
	t.Helper()
	res := doJSON(t, ta.srv, "POST", "/api/v1/pages", token, body)
	if res.status != http.StatusCreated {
		t.Fatalf("create page %s: %d %s", body, res.status, res.body)
	}
	var p newsroom.Page
	res.decode(t, &p)
	return p
}

func footerMenu(t *testing.T, p page) []string {
	t.Helper()
	var out []string
	doc(t, p).Find("footer .footer-menu a").Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Attr("href")
		out = append(out, s.Text()+" "+href)
	})
	return out
}

// TestStaticPages drives static pages through the API and reads them as a
// reader would: their own path and hierarchy, the footer menu in the
// editor's order, edits shown at once through the page cache, moves that
// leave the old address redirecting, and refusals naming the field.
func TestStaticPages(t *testing.T) {
	forEachStore(t, func(t *testing.T, ta *testApp) {
		editor, _ := mustToken(t, ta, newsroom.RoleEditor)
		corr, _ := mustToken(t, ta, newsroom.RoleCorrespondent)
		mustSection(t, ta, "world", "World")

		// Who may.
		if res := doJSON(t, ta.srv, "GET", "/api/v1/pages", "", ""); res.status != http.StatusUnauthorized {
			t.Errorf("anonymous list: %d", res.status)
		}
		if res := doJSON(t, ta.srv, "POST", "/api/v1/pages", corr, `{"title":"About us"}`); res.status != http.StatusForbidden {
			t.Errorf("correspondent create: %d %s", res.status, res.body)
		}

		about := createPage(t, ta, editor, `{"title":"About us","body":"The *Skerrow Courier* has covered the islands since 1921.\n\n## Who we are\n\nA newsroom of \"twelve\".","status":"published","in_menu":true,"menu_position":2}`)
		if about.Path != "/about-us/" || !strings.Contains(about.BodyHTML, "<em>Skerrow Courier</em>") || !strings.Contains(about.BodyHTML, "“twelve”") {
			t.Errorf("created: %+v", about)
		}
		team := createPage(t, ta, editor, fmt.Sprintf(`{"title":"The team","slug":"team","parent_id":%d,"body":"Editors and reporters.","status":"published"}`, about.ID))
		contacts := createPage(t, ta, editor, `{"title":"Contacts","body":"Harbour Street 4.","status":"published","in_menu":true,"menu_position":1}`)
		createPage(t, ta, editor, `{"title":"Privacy","body":"We keep no trackers.","status":"draft","in_menu":true}`)

		// Refusals name the field.
		for _, c := range []struct{ body, code, field string }{
			{`{"title":"World","slug":"world"}`, "conflict", "slug"},
			{`{"title":"Team","slug":"team","parent_id":` + fmt.Sprint(about.ID) + `}`, "conflict", "slug"},
			{`{"title":"Desk","slug":"desk"}`, "invalid", "slug"},
			{`{"title":"Feed","slug":"feed"}`, "invalid", "slug"},
			{`{"title":""}`, "invalid", "title"},
			{`{"title":"X","parent_id":99999}`, "invalid", "parent_id"},
			{`{"title":"X","status":"scheduled"}`, "invalid", "status"},
			{`{"title":"X","colour":"red"}`, "invalid", "colour"},
		} {
			res := doJSON(t, ta.srv, "POST", "/api/v1/pages", editor, c.body)
			if !strings.Contains(res.body, `"code":"`+c.code+`"`) || !strings.Contains(res.body, `"field":"`+c.field+`"`) {
				t.Errorf("create %s: %d %s; want %s on %s", c.body, res.status, res.body, c.code, c.field)
			}
		}
		if err := ta.store.CreateCategory(t.Context(), &newsroom.Category{Slug: "contacts", Name: "Contacts"}); newsroom.ErrorCode(err) != newsroom.Conflict {
			t.Errorf("a section over a page's address: %v", err)
		}

		// The reader's view.
		p := fetch(t, ta, "GET", "/about-us/")
		if p.status != http.StatusOK {
			t.Fatalf("GET /about-us/: %d", p.status)
		}
		d := doc(t, p)
		if got := strings.TrimSpace(d.Find("main h1").Text()); got != "About us" {
			t.Errorf("h1 = %q", got)
		}
		if d.Find(".body em").Text() != "Skerrow Courier" || d.Find(".body h2").Text() != "Who we are" {
			t.Errorf("body not rendered: %s", d.Find(".body").Text())
		}
		if got := d.Find(".subpages a").AttrOr("href", ""); got != "/about-us/team/" {
			t.Errorf("sub-page link = %q", got)
		}
		if got, want := footerMenu(t, p), []string{"Contacts /contacts/", "About us /about-us/"}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("footer menu = %v; want %v (drafts out, editor's order)", got, want)
		}
		if got := footerMenu(t, fetch(t, ta, "GET", "/")); len(got) != 2 {
			t.Errorf("home footer menu = %v", got)
		}
		tp := fetch(t, ta, "GET", "/about-us/team/")
		if tp.status != http.StatusOK || doc(t, tp).Find(".breadcrumb a").AttrOr("href", "") != "/about-us/" {
			t.Errorf("GET /about-us/team/: %d, breadcrumb %q", tp.status, doc(t, tp).Find(".breadcrumb").Text())
		}
		for path, want := range map[string]string{"/about-us": "/about-us/", "/about-us/team": "/about-us/team/"} {
			if p := fetch(t, ta, "GET", path); p.status != http.StatusMovedPermanently || p.header.Get("Location") != want {
				t.Errorf("GET %s: %d %s; want 301 to %s", path, p.status, p.header.Get("Location"), want)
			}
		}
		if p := fetch(t, ta, "GET", "/privacy/"); p.status != http.StatusNotFound {
			t.Errorf("draft page: %d", p.status)
		}

		// An edit shows at once, though the page was cached.
		if p := fetch(t, ta, "GET", "/about-us/"); p.cache() != "hit" {
			t.Errorf("second GET /about-us/: cache %q; want hit", p.cache())
		}
		res := doJSON(t, ta.srv, "PATCH", fmt.Sprintf("/api/v1/pages/%d", about.ID), editor, `{"title":"About the Courier","menu_position":0}`)
		if res.status != http.StatusOK {
			t.Fatalf("patch: %d %s", res.status, res.body)
		}
		p = fetch(t, ta, "GET", "/about-us/")
		if got := strings.TrimSpace(doc(t, p).Find("main h1").Text()); got != "About the Courier" {
			t.Errorf("after edit h1 = %q (cache %s)", got, p.cache())
		}
		if got, want := footerMenu(t, fetch(t, ta, "GET", "/contacts/")), []string{"About the Courier /about-us/", "Contacts /contacts/"}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("footer after reorder = %v; want %v", got, want)
		}
		if p := fetch(t, ta, "GET", "/about-us/team/"); doc(t, p).Find(".breadcrumb a").Text() != "About the Courier" {
			t.Errorf("child breadcrumb after parent's rename = %q", doc(t, p).Find(".breadcrumb a").Text())
		}

		// A move: the old addresses (and those below) redirect.
		res = doJSON(t, ta.srv, "PATCH", fmt.Sprintf("/api/v1/pages/%d", about.ID), editor, `{"slug":"who-we-are"}`)
		if res.status != http.StatusOK {
			t.Fatalf("move: %d %s", res.status, res.body)
		}
		for path, want := range map[string]string{"/about-us/": "/who-we-are/", "/about-us/team/": "/who-we-are/team/", "/about-us/team": "/who-we-are/team/"} {
			if p := fetch(t, ta, "GET", path); p.status != http.StatusMovedPermanently || p.header.Get("Location") != want {
				t.Errorf("GET %s after move: %d %q; want 301 to %s", path, p.status, p.header.Get("Location"), want)
			}
		}
		// And back again: no loop, the page answers at its first address.
		res = doJSON(t, ta.srv, "PATCH", fmt.Sprintf("/api/v1/pages/%d", about.ID), editor, `{"slug":"about-us"}`)
		if res.status != http.StatusOK {
			t.Fatalf("move back: %d %s", res.status, res.body)
		}
		if p := fetch(t, ta, "GET", "/about-us/"); p.status != http.StatusOK {
			t.Errorf("after moving back: %d", p.status)
		}
		if p := fetch(t, ta, "GET", "/who-we-are/"); p.status != http.StatusMovedPermanently || p.header.Get("Location") != "/about-us/" {
			t.Errorf("second old address: %d %q", p.status, p.header.Get("Location"))
		}

		// Deletion: a page with sub-pages is refused; a deleted page is gone.
		if res := doJSON(t, ta.srv, "DELETE", fmt.Sprintf("/api/v1/pages/%d", about.ID), editor, ""); res.status != http.StatusConflict {
			t.Errorf("delete a parent: %d %s", res.status, res.body)
		}
		fetch(t, ta, "GET", "/contacts/")
		if res := doJSON(t, ta.srv, "DELETE", fmt.Sprintf("/api/v1/pages/%d", contacts.ID), editor, ""); res.status != http.StatusNoContent {
			t.Errorf("delete: %d %s", res.status, res.body)
		}
		if p := fetch(t, ta, "GET", "/contacts/"); p.status != http.StatusNotFound {
			t.Errorf("deleted page: %d (cache %s)", p.status, p.cache())
		}
		if got := footerMenu(t, fetch(t, ta, "GET", "/about-us/team/")); len(got) != 1 {
			t.Errorf("footer after delete = %v", got)
		}
		var list struct{ Pages []newsroom.Page }
		doJSON(t, ta.srv, "GET", "/api/v1/pages", editor, "").decode(t, &list)
		if len(list.Pages) != 3 || list.Pages[0].Path != "/about-us/" || list.Pages[1].ID != team.ID {
			t.Errorf("list = %+v", list.Pages)
		}
	})
}

// TestStoredRedirects checks redirects through the API and the public
// site: exact paths with and without the slash, query-keyed old links on
// the home page and elsewhere, cached 404s and home pages replaced at
// once, loops and other hosts refused.
func TestStoredRedirects(t *testing.T) {
	forEachStore(t, func(t *testing.T, ta *testApp) {
		f := newNewsFixture(t, ta)
		editor := f.editor
		corr, _ := mustToken(t, ta, newsroom.RoleCorrespondent)
		old := "/2021/10/07/harbour-opens/"

		// Before: a 404 and a home page, both cached.
		for _, path := range []string{old, "/?p=123", "/index.php?p=123"} {
			fetch(t, ta, "GET", path)
			if p := fetch(t, ta, "GET", path); p.cache() != "hit" {
				t.Fatalf("GET %s twice: cache %q; want hit", path, p.cache())
			}
		}
		if res := doJSON(t, ta.srv, "POST", "/api/v1/redirects", corr, `{"from":"/a","to":"/b"}`); res.status != http.StatusForbidden {
			t.Errorf("correspondent: %d", res.status)
		}
		res := doJSON(t, ta.srv, "POST", "/api/v1/redirects", editor, fmt.Sprintf(`{"from":%q,"to":%q,"source":"wordpress"}`, old, f.a.URL))
		if res.status != http.StatusCreated {
			t.Fatalf("create: %d %s", res.status, res.body)
		}
		var rd newsroom.Redirect
		res.decode(t, &rd)
		res = doJSON(t, ta.srv, "POST", "/api/v1/redirects", editor, fmt.Sprintf(`{"from":"/?p=123","to":%q}`, ta.srv.URL+f.b.URL))
		if res.status != http.StatusCreated {
			t.Fatalf("create query redirect: %d %s", res.status, res.body)
		}
		var qrd newsroom.Redirect
		res.decode(t, &qrd)
		if qrd.To != f.b.URL {
			t.Errorf("own-host URL kept as %q; want the path %q", qrd.To, f.b.URL)
		}
		doJSON(t, ta.srv, "POST", "/api/v1/redirects", editor, fmt.Sprintf(`{"from":"/index.php?p=123","to":%q}`, f.b.URL))

		for _, c := range []struct{ path, want string }{
			{old, f.a.URL},
			{strings.TrimSuffix(old, "/"), f.a.URL},
			{old + "?utm_source=mail", f.a.URL},
			{"/?p=123", f.b.URL},
			{"/?utm_medium=x&p=123", f.b.URL},
			{"/index.php?p=123", f.b.URL},
		} {
			p := fetch(t, ta, "GET", c.path)
			if p.status != http.StatusMovedPermanently || p.header.Get("Location") != c.want {
				t.Errorf("GET %s: %d %q (cache %s); want 301 to %s", c.path, p.status, p.header.Get("Location"), p.cache(), c.want)
			}
			noInternalHeaders(t, c.path, p)
		}
		if p := fetch(t, ta, "GET", "/?p=124"); p.status != http.StatusOK {
			t.Errorf("home with another ?p=: %d", p.status)
		}
		res = doJSON(t, ta.srv, "POST", "/api/v1/redirects", editor, fmt.Sprintf(`{"from":%q,"to":%q}`, f.a.URL, old))
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `"field":"to"`) {
			t.Errorf("redirect back to an old address (a loop): %d %s", res.status, res.body)
		}
		// Real pages come first: a redirect never hides a page that exists.
		res = doJSON(t, ta.srv, "POST", "/api/v1/redirects", editor, fmt.Sprintf(`{"from":"/sport/","to":%q}`, f.a.URL))
		if res.status != http.StatusCreated {
			t.Fatalf("create: %d %s", res.status, res.body)
		}
		if p := fetch(t, ta, "GET", "/sport/"); p.status != http.StatusOK {
			t.Errorf("a section with a redirect from its address: %d", p.status)
		}

		for _, c := range []struct{ body, code, field string }{
			{`{"from":"/x","to":"https://elsewhere.example/"}`, "invalid", "to"},
			{`{"from":"/x","to":"//elsewhere.example/"}`, "invalid", "to"},
			{`{"from":"/x","to":"/x/"}`, "invalid", "to"},
			{`{"from":"x","to":"/y"}`, "invalid", "from"},
			{`{"from":"/","to":"/y"}`, "invalid", "from"},
			{`{"from":"/x","to":"/y","status":200}`, "invalid", "status"},
			{fmt.Sprintf(`{"from":%q,"to":"/y"}`, old), "conflict", "from"},
		} {
			res := doJSON(t, ta.srv, "POST", "/api/v1/redirects", editor, c.body)
			if !strings.Contains(res.body, `"code":"`+c.code+`"`) || !strings.Contains(res.body, `"field":"`+c.field+`"`) {
				t.Errorf("create %s: %d %s; want %s on %s", c.body, res.status, res.body, c.code, c.field)
			}
		}

		var list struct {
			Redirects []newsroom.Redirect
			Total     int
		}
		doJSON(t, ta.srv, "GET", "/api/v1/redirects?q=2021%2F10", editor, "").decode(t, &list)
		if list.Total != 1 || list.Redirects[0].ID != rd.ID || list.Redirects[0].Source != "wordpress" {
			t.Errorf("search = %+v", list)
		}

		// Edit and delete show at once.
		res = doJSON(t, ta.srv, "PATCH", fmt.Sprintf("/api/v1/redirects/%d", rd.ID), editor, `{"to":"/sport/"}`)
		if res.status != http.StatusOK {
			t.Fatalf("patch: %d %s", res.status, res.body)
		}
		if p := fetch(t, ta, "GET", old); p.header.Get("Location") != "/sport/" {
			t.Errorf("after edit: %q", p.header.Get("Location"))
		}
		if res := doJSON(t, ta.srv, "DELETE", fmt.Sprintf("/api/v1/redirects/%d", qrd.ID), editor, ""); res.status != http.StatusNoContent {
			t.Errorf("delete: %d %s", res.status, res.body)
		}
		if p := fetch(t, ta, "GET", "/?p=123"); p.status != http.StatusOK {
			t.Errorf("after delete: %d", p.status)
		}
	})
}
