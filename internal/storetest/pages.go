package storetest

import (
	"fmt"
	"net/url"
	"testing"

	"newsdesk/internal/newsroom"
)

func mustCreatePage(t *testing.T, st newsroom.PageStore, p newsroom.Page) newsroom.Page {
	t.Helper()
	if err := st.CreatePage(ctx, &p); err != nil {
		t.Fatalf("CreatePage(%q): %v", p.Slug, err)
	}
	if p.ID == 0 {
		t.Fatalf("CreatePage(%q) left ID zero", p.Slug)
	}
	return p
}

func pagePaths(list []newsroom.Page) []string {
	out := []string{}
	for _, p := range list {
		out = append(out, p.Path)
	}
	return out
}

// testPages checks static pages: paths from the hierarchy, collisions with
// sections and siblings, moves that carry the pages below, the footer menu
// and deletion.
func testPages(t *testing.T, st Store) {
	ps := st
	f := newFixture(t, st)

	about := mustCreatePage(t, ps, newsroom.Page{Title: "About us", Body: "We are *the Courier*.", BodyHTML: "<p>We are <em>the Courier</em>.</p>", Status: newsroom.Published})
	if about.Slug != "about-us" || about.Path != "/about-us/" || about.CreatedAt.IsZero() || !about.UpdatedAt.Equal(about.CreatedAt) {
		t.Errorf("created page = %+v; want slug about-us at /about-us/ with times", about)
	}
	team := mustCreatePage(t, ps, newsroom.Page{Title: "The team", Slug: "team", ParentID: about.ID, Status: newsroom.Published})
	if team.Path != "/about-us/team/" {
		t.Errorf("child path = %q; want /about-us/team/", team.Path)
	}
	got, err := ps.PageByPath(ctx, "/about-us/")
	if err != nil || got.ID != about.ID || got.Body != about.Body || got.BodyHTML != about.BodyHTML || got.Status != newsroom.Published {
		t.Fatalf("PageByPath(/about-us/) = %+v, %v", got, err)
	}
	if got, err := ps.PageByID(ctx, team.ID); err != nil || got.ParentID != about.ID || got.Path != team.Path {
		t.Errorf("PageByID(team) = %+v, %v", got, err)
	}
	wantCode(t, "unknown path", errOf(ps.PageByPath(ctx, "/about-us")), newsroom.NotFound, "")
	wantCode(t, "unknown id", errOf(ps.PageByID(ctx, 99999)), newsroom.NotFound, "")

	// Refusals, each naming the field, and nothing stored.
	for _, c := range []struct {
		what  string
		p     newsroom.Page
		code  newsroom.Code
		field string
	}{
		{"sibling slug", newsroom.Page{Title: "Team again", Slug: "team", ParentID: about.ID}, newsroom.Conflict, "slug"},
		{"top-level slug", newsroom.Page{Title: "About", Slug: "about-us"}, newsroom.Conflict, "slug"},
		{"a section's slug", newsroom.Page{Title: "World", Slug: f.world.Slug}, newsroom.Conflict, "slug"},
		{"reserved path", newsroom.Page{Title: "Search", Slug: "search"}, newsroom.Invalid, "slug"},
		{"news", newsroom.Page{Title: "News", Slug: "news"}, newsroom.Invalid, "slug"},
		{"bad slug", newsroom.Page{Title: "X", Slug: "Not A Slug"}, newsroom.Invalid, "slug"},
		{"no title", newsroom.Page{Slug: "empty"}, newsroom.Invalid, "title"},
		{"unknown parent", newsroom.Page{Title: "Lost", ParentID: 99999}, newsroom.Invalid, "parent_id"},
		{"bad status", newsroom.Page{Title: "Odd", Status: newsroom.Scheduled}, newsroom.Invalid, "status"},
	} {
		p := c.p
		wantCode(t, c.what, ps.CreatePage(ctx, &p), c.code, c.field)
	}
	// A section is refused a static page's address.
	sec := newsroom.Category{Slug: "about-us", Name: "About"}
	wantCode(t, "section over a page", st.CreateCategory(ctx, &sec), newsroom.Conflict, "slug")
	// A child slug may repeat a section's: it lives under its parent.
	world := mustCreatePage(t, ps, newsroom.Page{Title: "World", Slug: f.world.Slug, ParentID: about.ID})
	if world.Path != "/about-us/world/" || world.Status != newsroom.Draft {
		t.Errorf("child named like a section = %+v", world)
	}

	// Depth is bounded.
	parent := team.ID
	for depth := 3; depth <= newsroom.MaxPageDepth; depth++ {
		parent = mustCreatePage(t, ps, newsroom.Page{Title: fmt.Sprintf("Level %d", depth), ParentID: parent}).ID
	}
	deep := newsroom.Page{Title: "Too deep", ParentID: parent}
	wantCode(t, "too deep", ps.CreatePage(ctx, &deep), newsroom.Invalid, "parent_id")

	// Moving a page carries its sub-pages; a page cannot go under itself.
	moved, _ := ps.PageByID(ctx, about.ID)
	moved.Slug = "who-we-are"
	if err := ps.UpdatePage(ctx, moved); err != nil {
		t.Fatalf("UpdatePage(rename): %v", err)
	}
	if moved.Path != "/who-we-are/" || !moved.UpdatedAt.After(about.UpdatedAt) && !moved.UpdatedAt.Equal(about.UpdatedAt) {
		t.Errorf("renamed = %+v", moved)
	}
	if got, err := ps.PageByID(ctx, team.ID); err != nil || got.Path != "/who-we-are/team/" {
		t.Errorf("child after parent rename = %+v, %v; want /who-we-are/team/", got, err)
	}
	if got, err := ps.PageByID(ctx, parent); err != nil || got.Path != "/who-we-are/team/level-3/level-4/level-5/" {
		t.Errorf("grandchild after rename = %v, %v", got.Path, err)
	}
	wantCode(t, "old path", errOf(ps.PageByPath(ctx, "/about-us/team/")), newsroom.NotFound, "")
	loop, _ := ps.PageByID(ctx, about.ID)
	loop.ParentID = team.ID
	wantCode(t, "under its own child", ps.UpdatePage(ctx, loop), newsroom.Invalid, "parent_id")
	self, _ := ps.PageByID(ctx, about.ID)
	self.ParentID = self.ID
	wantCode(t, "own parent", ps.UpdatePage(ctx, self), newsroom.Invalid, "parent_id")
	ghost := newsroom.Page{ID: 99999, Title: "Ghost", Slug: "ghost", Status: newsroom.Draft}
	wantCode(t, "update unknown", ps.UpdatePage(ctx, &ghost), newsroom.NotFound, "")
	clash, _ := ps.PageByID(ctx, world.ID)
	clash.Slug = "team"
	wantCode(t, "rename onto a sibling", ps.UpdatePage(ctx, clash), newsroom.Conflict, "slug")
	if got, _ := ps.PageByID(ctx, world.ID); got.Slug != f.world.Slug {
		t.Errorf("refused rename changed the page: %+v", got)
	}

	// The footer menu: published pages in the order set.
	contacts := mustCreatePage(t, ps, newsroom.Page{Title: "Contacts", Status: newsroom.Published, InMenu: true, MenuPosition: 5})
	privacy := mustCreatePage(t, ps, newsroom.Page{Title: "Privacy", Status: newsroom.Published, InMenu: true, MenuPosition: 2})
	draft := mustCreatePage(t, ps, newsroom.Page{Title: "Jobs", Status: newsroom.Draft, InMenu: true, MenuPosition: 1})
	menu, err := ps.MenuPages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := pagePaths(menu), []string{"/privacy/", "/contacts/"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("MenuPages = %v; want %v (drafts left out, by position)", got, want)
	}
	if menu[0].Body != "" {
		t.Errorf("MenuPages carries bodies")
	}
	if err := ps.SetMenu(ctx, []int64{contacts.ID, moved.ID, draft.ID}); err != nil {
		t.Fatal(err)
	}
	menu, _ = ps.MenuPages(ctx)
	if got, want := pagePaths(menu), []string{"/contacts/", "/who-we-are/"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("MenuPages after SetMenu = %v; want %v", got, want)
	}
	if got, _ := ps.PageByID(ctx, privacy.ID); got.InMenu {
		t.Errorf("a page left out of SetMenu is still in the menu")
	}
	wantCode(t, "menu with an unknown page", ps.SetMenu(ctx, []int64{contacts.ID, 99999}), newsroom.Invalid, "menu")
	wantCode(t, "menu with a page twice", ps.SetMenu(ctx, []int64{contacts.ID, contacts.ID}), newsroom.Invalid, "menu")
	if menu, _ = ps.MenuPages(ctx); len(menu) != 2 {
		t.Errorf("a refused SetMenu changed the menu: %v", pagePaths(menu))
	}

	all, err := ps.Pages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 9 || all[0].Path != "/contacts/" {
		t.Errorf("Pages = %v; want 9 by path", pagePaths(all))
	}

	// Deletion: not while sub-pages remain.
	wantCode(t, "delete a parent", ps.DeletePage(ctx, about.ID), newsroom.Conflict, "id")
	if err := ps.DeletePage(ctx, privacy.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "deleted", errOf(ps.PageByID(ctx, privacy.ID)), newsroom.NotFound, "")
	wantCode(t, "delete again", ps.DeletePage(ctx, privacy.ID), newsroom.NotFound, "")
	// Its address is free again, for a page or a section.
	sec = newsroom.Category{Slug: "privacy", Name: "Privacy"}
	if err := st.CreateCategory(ctx, &sec); err != nil {
		t.Errorf("section at a deleted page's address: %v", err)
	}
}

// testRedirects checks stored redirects: canonical keys, lookups with and
// without a trailing slash and by query parameter, loops, bulk inserts
// that add nothing the second time, search and deletion.
func testRedirects(t *testing.T, st Store) {
	rs := st
	r := newsroom.Redirect{From: "/2021/10/07/harbour-opens/", To: "/world/harbour-opens", Source: newsroom.RedirectWordPress}
	if err := rs.CreateRedirect(ctx, &r); err != nil {
		t.Fatal(err)
	}
	if r.ID == 0 || r.From != "/2021/10/07/harbour-opens" || r.Status != 301 || r.CreatedAt.IsZero() {
		t.Errorf("created = %+v", r)
	}
	q := newsroom.Redirect{From: "/?p=123", To: "/world/harbour-opens"}
	if err := rs.CreateRedirect(ctx, &q); err != nil {
		t.Fatal(err)
	}
	if q.From != "/?p=123" || q.Source != newsroom.RedirectManual {
		t.Errorf("query redirect = %+v", q)
	}
	enc := newsroom.Redirect{From: "/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/", To: "/world/"}
	if err := rs.CreateRedirect(ctx, &enc); err != nil {
		t.Fatal(err)
	}
	if enc.From != "/новости" {
		t.Errorf("percent-encoded from kept as %q; want it decoded", enc.From)
	}

	lookup := func(path, rawQuery string, queryOnly bool) string {
		t.Helper()
		v, _ := url.ParseQuery(rawQuery)
		got, err := rs.RedirectFor(ctx, newsroom.RequestRedirectKeys(path, v, queryOnly))
		if newsroom.IsNotFound(err) {
			return ""
		}
		if err != nil {
			t.Fatalf("RedirectFor(%s?%s): %v", path, rawQuery, err)
		}
		return got.To
	}
	for _, c := range []struct {
		path, query string
		queryOnly   bool
		want        string
	}{
		{"/2021/10/07/harbour-opens", "", false, "/world/harbour-opens"},
		{"/2021/10/07/harbour-opens/", "", false, "/world/harbour-opens"},
		{"/2021/10/07/harbour-opens/", "utm_source=x", false, "/world/harbour-opens"},
		{"/2021/10/07/harbour", "", false, ""},
		{"/", "p=123", true, "/world/harbour-opens"},
		{"/", "p=123&utm_medium=mail", true, "/world/harbour-opens"},
		{"/", "p=124", true, ""},
		{"/", "page_id=123", true, ""},
		{"/", "", true, ""},
		{"/новости/", "", false, "/world/"},
	} {
		if got := lookup(c.path, c.query, c.queryOnly); got != c.want {
			t.Errorf("redirect for %s?%s = %q; want %q", c.path, c.query, got, c.want)
		}
	}

	// Refusals name the field and store nothing.
	for _, c := range []struct {
		what  string
		r     newsroom.Redirect
		code  newsroom.Code
		field string
	}{
		{"taken from", newsroom.Redirect{From: "/2021/10/07/harbour-opens", To: "/sport/"}, newsroom.Conflict, "from"},
		{"external to", newsroom.Redirect{From: "/x", To: "https://elsewhere.example/"}, newsroom.Invalid, "to"},
		{"protocol-relative", newsroom.Redirect{From: "/x", To: "//elsewhere.example/"}, newsroom.Invalid, "to"},
		{"javascript", newsroom.Redirect{From: "/x", To: "javascript:alert(1)"}, newsroom.Invalid, "to"},
		{"header injection", newsroom.Redirect{From: "/x", To: "/a\r\nSet-Cookie: x=1"}, newsroom.Invalid, "to"},
		{"relative from", newsroom.Redirect{From: "old", To: "/new"}, newsroom.Invalid, "from"},
		{"home", newsroom.Redirect{From: "/", To: "/new"}, newsroom.Invalid, "from"},
		{"two parameters", newsroom.Redirect{From: "/?p=1&cat=2", To: "/new"}, newsroom.Invalid, "from"},
		{"to itself", newsroom.Redirect{From: "/same/", To: "/same"}, newsroom.Invalid, "to"},
		{"loop", newsroom.Redirect{From: "/world/harbour-opens", To: "/2021/10/07/harbour-opens/"}, newsroom.Invalid, "to"},
		{"status", newsroom.Redirect{From: "/y", To: "/z", Status: 404}, newsroom.Invalid, "status"},
	} {
		x := c.r
		wantCode(t, c.what, rs.CreateRedirect(ctx, &x), c.code, c.field)
	}
	if got := lookup("/world/harbour-opens", "", false); got != "" {
		t.Errorf("the refused loop was stored: %q", got)
	}

	// Update and its loop check.
	up, err := rs.RedirectByID(ctx, enc.ID)
	if err != nil {
		t.Fatal(err)
	}
	up.To = "/sport/"
	if err := rs.UpdateRedirect(ctx, up); err != nil {
		t.Fatal(err)
	}
	if got := lookup("/новости", "", false); got != "/sport/" {
		t.Errorf("after update: %q", got)
	}
	if !up.CreatedAt.Equal(enc.CreatedAt) {
		t.Errorf("update moved created_at: %v vs %v", up.CreatedAt, enc.CreatedAt)
	}
	up.To = "/2021/10/07/harbour-opens"
	up.From = "/world/harbour-opens"
	wantCode(t, "update into a loop", rs.UpdateRedirect(ctx, up), newsroom.Invalid, "to")
	ghost := newsroom.Redirect{ID: 99999, From: "/g", To: "/h"}
	wantCode(t, "update unknown", rs.UpdateRedirect(ctx, &ghost), newsroom.NotFound, "")

	// Bulk: one transaction; a second run adds nothing and keeps an
	// editor's change; an invalid item stores nothing.
	batch := func() []newsroom.Redirect {
		var out []newsroom.Redirect
		for i := 1; i <= 120; i++ {
			out = append(out, newsroom.Redirect{From: fmt.Sprintf("/archives/%d", i), To: fmt.Sprintf("/world/story-%d", i), Source: newsroom.RedirectWordPress})
		}
		return append(out, newsroom.Redirect{From: "/?p=123", To: "/sport/", Source: newsroom.RedirectWordPress})
	}
	n, err := rs.AddRedirects(ctx, batch())
	if err != nil || n != 120 {
		t.Fatalf("AddRedirects = %d, %v; want 120 (the taken /?p=123 left alone)", n, err)
	}
	if got := lookup("/", "p=123", true); got != "/world/harbour-opens" {
		t.Errorf("bulk insert overwrote an existing redirect: %q", got)
	}
	if n, err := rs.AddRedirects(ctx, batch()); err != nil || n != 0 {
		t.Errorf("second AddRedirects = %d, %v; want 0", n, err)
	}
	bad := batch()
	bad = append(bad, newsroom.Redirect{From: "/fresh", To: "/new"}, newsroom.Redirect{From: "/evil", To: "https://evil.example/"})
	n, err = rs.AddRedirects(ctx, bad)
	wantCode(t, "bulk with an external target", err, newsroom.Invalid, "redirects[122].to")
	if n != 0 || lookup("/fresh", "", false) != "" {
		t.Errorf("a refused batch stored something")
	}
	cycle := []newsroom.Redirect{{From: "/a", To: "/b"}, {From: "/b", To: "/a/"}}
	_, err = rs.AddRedirects(ctx, cycle)
	wantCode(t, "bulk loop", err, newsroom.Invalid, "")
	if lookup("/a", "", false) != "" {
		t.Errorf("a batch with a loop stored something")
	}

	// Listing: newest first, search in from and to, filter by source.
	list, total, err := rs.Redirects(ctx, newsroom.RedirectFilter{Limit: 10})
	if err != nil || total != 123 || len(list) != 10 {
		t.Fatalf("Redirects = %d of %d, %v; want 10 of 123", len(list), total, err)
	}
	list, total, _ = rs.Redirects(ctx, newsroom.RedirectFilter{Query: "STORY-11"})
	if total != 11 || len(list) != 11 { // story-11, story-110 … story-119
		t.Errorf("search story-11 = %d (%d)", total, len(list))
	}
	_, total, _ = rs.Redirects(ctx, newsroom.RedirectFilter{Query: "harbour"})
	if total != 2 {
		t.Errorf("search harbour = %d; want 2 (from and to)", total)
	}
	_, total, _ = rs.Redirects(ctx, newsroom.RedirectFilter{Query: "%"})
	if total != 0 {
		t.Errorf("search %% = %d; want 0 (a literal percent)", total)
	}
	_, total, _ = rs.Redirects(ctx, newsroom.RedirectFilter{Source: newsroom.RedirectManual})
	if total != 2 {
		t.Errorf("manual redirects = %d; want 2", total)
	}

	if err := rs.DeleteRedirect(ctx, q.ID); err != nil {
		t.Fatal(err)
	}
	if got := lookup("/", "p=123", true); got != "" {
		t.Errorf("deleted redirect still answers: %q", got)
	}
	wantCode(t, "delete again", rs.DeleteRedirect(ctx, q.ID), newsroom.NotFound, "")
	wantCode(t, "by unknown id", errOf(rs.RedirectByID(ctx, q.ID)), newsroom.NotFound, "")
}
