package desk_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/auth"
	"newsdesk/internal/desk"
	"newsdesk/internal/newsroom"
)

// matrixRoute is one row of the role matrix: a registered route, a request
// that exercises it, who may use it, and the status an allowed request
// gets.
type matrixRoute struct {
	pattern string
	path    string // with variables filled in from the fixture
	form    url.Values
	access  string
	ok      int
}

// matrixOverrides are the statuses of roles that a route's access rule
// lets in but its own rule refuses.
var matrixOverrides = map[string]map[newsroom.Role]int{
	// The fixture's picture has no uploader: only editors change its text.
	"POST /desk/media/{id}": {newsroom.RoleCorrespondent: http.StatusForbidden},
	// A person's page is theirs and the admins': the fixture's target is
	// none of the others'.
	"GET /desk/people/{id}":               {newsroom.RoleEditor: http.StatusNotFound, newsroom.RoleCorrespondent: http.StatusNotFound, newsroom.RoleModerator: http.StatusNotFound},
	"POST /desk/people/{id}/sessions/end": {newsroom.RoleEditor: http.StatusNotFound, newsroom.RoleCorrespondent: http.StatusNotFound, newsroom.RoleModerator: http.StatusNotFound},
}

// matrixFixture holds what paths refer to.
type matrixFixture struct {
	asset   string
	token   string
	draft   int64 // a correspondent's draft
	public  int64 // a published article
	comment int64 // a pending comment on it
	// media.go and taxonomy.go: a library picture, a section, a tag, an author.
	media, section, tag, author string
	// legal.go: an entity of the legal registry.
	legal string
	// people.go: an account to disable and enable.
	target string
	// pages.go and redirects.go: a static page and a redirect.
	page, redirect string
}

// matrix lists every desk route. A route added without a row here fails
// TestRoleMatrix, so the table cannot fall behind.
func matrix(f matrixFixture) []matrixRoute {
	draft, public := strconv.FormatInt(f.draft, 10), strconv.FormatInt(f.public, 10)
	return []matrixRoute{
		{"GET /desk", "/desk", nil, "public", http.StatusMovedPermanently},
		{"GET /desk/assets/{name}", "/desk/assets/" + f.asset, nil, "public", http.StatusOK},
		{"GET /desk/signin", "/desk/signin", nil, "public", 0}, // 200 signed out, 303 signed in
		{"POST /desk/signin", "/desk/signin", url.Values{}, "public", http.StatusUnprocessableEntity},
		{"GET /desk/forgot", "/desk/forgot", nil, "public", http.StatusOK},
		{"POST /desk/signin/code", "/desk/signin/code", url.Values{}, "public", http.StatusSeeOther},
		{"GET /desk/twofactor", "/desk/twofactor", nil, "staff", http.StatusOK},
		{"POST /desk/twofactor/enable", "/desk/twofactor/enable", url.Values{}, "staff", http.StatusUnprocessableEntity},
		{"POST /desk/twofactor/disable", "/desk/twofactor/disable", url.Values{}, "staff", http.StatusUnprocessableEntity},
		{"POST /desk/forgot", "/desk/forgot", url.Values{}, "public", http.StatusUnprocessableEntity},
		{"GET /desk/reset/{token}", "/desk/reset/not-a-token", nil, "public", http.StatusOK},
		{"POST /desk/reset/{token}", "/desk/reset/not-a-token", url.Values{}, "public", http.StatusUnprocessableEntity},
		{"GET /desk/invite/{token}", "/desk/invite/" + f.token, nil, "public", http.StatusOK},
		{"POST /desk/invite/{token}", "/desk/invite/" + f.token, url.Values{}, "public", http.StatusUnprocessableEntity},
		{"/desk/", "/desk/no-such-page", nil, "public", http.StatusNotFound},

		{"GET /desk/{$}", "/desk/", nil, "staff", http.StatusOK},
		{"GET /desk/front.csv", "/desk/front.csv?chart=views-day", nil, "staff", http.StatusOK},
		{"POST /desk/signout", "/desk/signout", url.Values{}, "staff", http.StatusSeeOther},
		{"GET /desk/password", "/desk/password", nil, "staff", http.StatusOK},
		{"POST /desk/password", "/desk/password", url.Values{}, "staff", http.StatusUnprocessableEntity},

		{"GET /desk/stories", "/desk/stories?status=review", nil, "writers", http.StatusOK},
		{"GET /desk/articles/new", "/desk/articles/new", nil, "writers", http.StatusOK},
		{"POST /desk/articles", "/desk/articles", url.Values{}, "writers", http.StatusUnprocessableEntity},
		{"GET /desk/articles/{id}", "/desk/articles/" + draft, nil, "writers", http.StatusOK},
		// No revision in the form: the save is refused as stale, not by role.
		{"POST /desk/articles/{id}", "/desk/articles/" + draft, url.Values{}, "writers", http.StatusConflict},
		{"POST /desk/articles/{id}/autosave", "/desk/articles/" + draft + "/autosave", url.Values{}, "writers", http.StatusConflict},
		{"POST /desk/articles/{id}/presence", "/desk/articles/" + draft + "/presence", url.Values{}, "writers", http.StatusOK},
		{"GET /desk/articles/{id}/preview", "/desk/articles/" + draft + "/preview", nil, "writers", http.StatusOK},
		{"POST /desk/preview", "/desk/preview", url.Values{"headline": {"Preview"}}, "writers", http.StatusOK},
		{"GET /desk/articles/{id}/revisions", "/desk/articles/" + public + "/revisions", nil, "writers", http.StatusOK},
		{"POST /desk/articles/{id}/revisions/{n}/restore", "/desk/articles/" + public + "/revisions/1/restore", url.Values{}, "writers", http.StatusConflict},
		{"POST /desk/articles/{id}/corrections", "/desk/articles/" + public + "/corrections", url.Values{}, "editors", http.StatusUnprocessableEntity},
		// No such story: the row checks the role, the service the story.
		{"POST /desk/articles/{id}/trash", "/desk/articles/999999/trash", url.Values{}, "writers", http.StatusNotFound},
		{"POST /desk/articles/{id}/restore", "/desk/articles/999999/restore", url.Values{}, "writers", http.StatusNotFound},
		{"POST /desk/stories/bulk", "/desk/stories/bulk", url.Values{"action": {"trash"}}, "writers", http.StatusUnprocessableEntity},
		{"POST /desk/articles/{id}/quick", "/desk/articles/999999/quick", url.Values{}, "writers", http.StatusNotFound},
		{"GET /desk/articles/{id}/stats", "/desk/articles/" + public + "/stats", nil, "writers", http.StatusOK},
		{"GET /desk/articles/{id}/stats.csv", "/desk/articles/" + public + "/stats.csv", nil, "writers", http.StatusOK},
		{"GET /desk/activity", "/desk/activity?q=harbour", nil, "editors", http.StatusOK},
		{"POST /desk/articles/{id}/pending/discard", "/desk/articles/999999/pending/discard", url.Values{}, "writers", http.StatusNotFound},

		{"GET /desk/comments", "/desk/comments?status=pending", nil, "moderators", http.StatusOK},
		{"POST /desk/comments/bulk", "/desk/comments/bulk", url.Values{}, "moderators", http.StatusSeeOther},
		{"POST /desk/comments/{id}/{action}", fmt.Sprintf("/desk/comments/%d/restore", f.comment), url.Values{}, "moderators", http.StatusSeeOther},
		{"GET /desk/comments/{id}/edit", fmt.Sprintf("/desk/comments/%d/edit", f.comment), nil, "moderators", http.StatusOK},
		{"POST /desk/comments/{id}/edit", fmt.Sprintf("/desk/comments/%d/edit", f.comment), url.Values{}, "moderators", http.StatusUnprocessableEntity},
		{"GET /desk/comments/{id}/reply", fmt.Sprintf("/desk/comments/%d/reply", f.comment), nil, "moderators", http.StatusOK},
		{"POST /desk/comments/{id}/reply", fmt.Sprintf("/desk/comments/%d/reply", f.comment), url.Values{}, "moderators", http.StatusUnprocessableEntity},
		{"GET /desk/comments/settings", "/desk/comments/settings", nil, "editors", http.StatusOK},
		{"POST /desk/comments/settings", "/desk/comments/settings", url.Values{}, "editors", http.StatusUnprocessableEntity},

		{"GET /desk/people", "/desk/people", nil, "admins", http.StatusOK},
		{"POST /desk/people/invites", "/desk/people/invites", url.Values{}, "admins", http.StatusUnprocessableEntity},
		{"POST /desk/people/{id}/disable", "/desk/people/" + f.target + "/disable", url.Values{}, "admins", http.StatusSeeOther},
		{"POST /desk/people/{id}/enable", "/desk/people/" + f.target + "/enable", url.Values{}, "admins", http.StatusSeeOther},
		{"POST /desk/people/tokens/{id}/revoke", "/desk/people/tokens/999999/revoke", url.Values{}, "staff", http.StatusNotFound},
		{"POST /desk/people/{id}/role", "/desk/people/" + f.target + "/role", url.Values{"role": {"editor"}}, "admins", http.StatusSeeOther},
		{"POST /desk/people/invites/{id}/revoke", "/desk/people/invites/999999/revoke", url.Values{}, "admins", http.StatusNotFound},
		{"POST /desk/people/invites/{id}/resend", "/desk/people/invites/999999/resend", url.Values{}, "admins", http.StatusNotFound},
		{"GET /desk/me", "/desk/me", nil, "staff", http.StatusSeeOther},
		{"GET /desk/people/{id}", "/desk/people/" + f.target, nil, "staff", http.StatusOK},
		{"POST /desk/people/{id}/sessions/end", "/desk/people/" + f.target + "/sessions/end", url.Values{"others": {"1"}}, "staff", http.StatusSeeOther},
		{"GET /desk/settings", "/desk/settings", nil, "admins", http.StatusOK},
		{"POST /desk/settings", "/desk/settings", url.Values{}, "admins", http.StatusSeeOther},

		{"GET /desk/media", "/desk/media?q=ferry", nil, "writers", http.StatusOK},
		{"POST /desk/media", "/desk/media", url.Values{}, "writers", http.StatusUnprocessableEntity},
		{"GET /desk/media/{id}", "/desk/media/" + f.media, nil, "writers", http.StatusOK},
		{"POST /desk/media/{id}", "/desk/media/" + f.media, url.Values{}, "writers", http.StatusSeeOther},
		{"GET /desk/sections", "/desk/sections", nil, "editors", http.StatusOK},
		{"POST /desk/sections", "/desk/sections", url.Values{}, "editors", http.StatusUnprocessableEntity},
		{"GET /desk/sections/{id}", "/desk/sections/" + f.section, nil, "editors", http.StatusOK},
		{"POST /desk/sections/{id}", "/desk/sections/" + f.section, url.Values{}, "editors", http.StatusUnprocessableEntity},
		{"GET /desk/tags", "/desk/tags", nil, "editors", http.StatusOK},
		{"POST /desk/tags/merge", "/desk/tags/merge", url.Values{}, "editors", http.StatusUnprocessableEntity},
		{"GET /desk/tags/{id}", "/desk/tags/" + f.tag, nil, "editors", http.StatusOK},
		{"POST /desk/tags/{id}", "/desk/tags/" + f.tag, url.Values{}, "editors", http.StatusUnprocessableEntity},
		{"GET /desk/authors", "/desk/authors", nil, "editors", http.StatusOK},
		{"POST /desk/authors", "/desk/authors", url.Values{}, "editors", http.StatusUnprocessableEntity},
		{"GET /desk/authors/{id}", "/desk/authors/" + f.author, nil, "editors", http.StatusOK},
		{"POST /desk/authors/{id}", "/desk/authors/" + f.author, url.Values{}, "editors", http.StatusUnprocessableEntity},

		{"GET /desk/legal", "/desk/legal?list=Banned", nil, "editors", http.StatusOK},
		{"GET /desk/legal/new", "/desk/legal/new", nil, "editors", http.StatusOK},
		{"POST /desk/legal", "/desk/legal", url.Values{}, "editors", http.StatusUnprocessableEntity},
		{"GET /desk/legal/export.csv", "/desk/legal/export.csv", nil, "editors", http.StatusOK},
		{"POST /desk/legal/import", "/desk/legal/import", url.Values{}, "editors", http.StatusUnprocessableEntity},
		{"POST /desk/legal/policy", "/desk/legal/policy", url.Values{}, "admins", http.StatusSeeOther},
		{"GET /desk/legal/{id}", "/desk/legal/" + f.legal, nil, "editors", http.StatusOK},
		{"POST /desk/legal/{id}", "/desk/legal/" + f.legal, url.Values{}, "editors", http.StatusUnprocessableEntity},
		// An unknown entity: removing the fixture would change later rows.
		{"POST /desk/legal/{id}/delete", "/desk/legal/999999/delete", url.Values{}, "editors", http.StatusNotFound},
		// An invalid field is 422 on every surface (it was 400 here alone).
		{"POST /desk/articles/{id}/legal/{entity}", "/desk/articles/" + public + "/legal/" + f.legal, url.Values{}, "editors", http.StatusUnprocessableEntity},

		{"GET /desk/import", "/desk/import", nil, "admins", http.StatusOK},
		{"GET /desk/import/status", "/desk/import/status", nil, "admins", http.StatusOK},
		{"POST /desk/import", "/desk/import", url.Values{}, "admins", http.StatusUnprocessableEntity},
		{"GET /desk/pages", "/desk/pages", nil, "editors", http.StatusOK},
		{"GET /desk/pages/new", "/desk/pages/new", nil, "editors", http.StatusOK},
		{"POST /desk/pages", "/desk/pages", url.Values{}, "editors", http.StatusUnprocessableEntity},
		{"POST /desk/pages/menu", "/desk/pages/menu", url.Values{"in_menu_" + f.page: {"1"}, "position_" + f.page: {"2"}}, "editors", http.StatusSeeOther},
		{"GET /desk/pages/{id}", "/desk/pages/" + f.page, nil, "editors", http.StatusOK},
		{"POST /desk/pages/{id}", "/desk/pages/" + f.page, url.Values{}, "editors", http.StatusUnprocessableEntity},
		{"POST /desk/pages/{id}/delete", "/desk/pages/999999/delete", url.Values{}, "editors", http.StatusNotFound},
		{"GET /desk/redirects", "/desk/redirects?q=archives", nil, "editors", http.StatusOK},
		{"POST /desk/redirects", "/desk/redirects", url.Values{}, "editors", http.StatusUnprocessableEntity},
		{"GET /desk/redirects/{id}", "/desk/redirects/" + f.redirect, nil, "editors", http.StatusOK},
		{"POST /desk/redirects/{id}", "/desk/redirects/" + f.redirect, url.Values{}, "editors", http.StatusUnprocessableEntity},
		{"POST /desk/redirects/{id}/delete", "/desk/redirects/999999/delete", url.Values{}, "editors", http.StatusNotFound},
	}
}

// session makes a fresh session for u straight in the store (no password
// hashing) and returns a client carrying it and its CSRF token.
func (e *env) session(u *newsroom.User) *client {
	e.t.Helper()
	c := e.client()
	id := auth.RandomString(32)
	now := e.clock.Now()
	ss := &newsroom.Session{IDHash: auth.HashToken(id), UserID: u.ID, CSRFToken: auth.RandomString(24),
		CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(24 * time.Hour)}
	if err := e.store.CreateSession(ctx, ss); err != nil {
		e.t.Fatal(err)
	}
	base, _ := url.Parse(e.srv.URL + "/")
	c.http.Jar.SetCookies(base, []*http.Cookie{{Name: desk.CookieName, Value: id, Path: "/"}})
	c.csrf = ss.CSRFToken
	return c
}

// TestRoleMatrix walks every desk route with every role and with no
// session: an allowed role gets the route's own status; a signed-in role
// that may not gets 403; no session gets the sign-in page (GET) or 401.
func TestRoleMatrix(t *testing.T) { bothDBs(t, testRoleMatrix) }

func testRoleMatrix(t *testing.T, e *env) {
	f := e.matrixFixture()
	rows := matrix(f)

	byPattern := map[string]matrixRoute{}
	for _, r := range rows {
		byPattern[r.pattern] = r
	}
	for _, rt := range e.desk.Routes() {
		row, ok := byPattern[rt.Pattern]
		if !ok {
			t.Errorf("route %q has no row in the role matrix", rt.Pattern)
			continue
		}
		if row.access != rt.Access.Name {
			t.Errorf("route %q is registered for %q, the matrix says %q", rt.Pattern, rt.Access.Name, row.access)
		}
		delete(byPattern, rt.Pattern)
	}
	for p := range byPattern {
		t.Errorf("matrix row %q matches no registered route", p)
	}

	allowed := map[string]map[newsroom.Role]bool{
		"public":     {newsroom.RoleAdmin: true, newsroom.RoleEditor: true, newsroom.RoleCorrespondent: true, newsroom.RoleModerator: true},
		"staff":      {newsroom.RoleAdmin: true, newsroom.RoleEditor: true, newsroom.RoleCorrespondent: true, newsroom.RoleModerator: true},
		"writers":    {newsroom.RoleAdmin: true, newsroom.RoleEditor: true, newsroom.RoleCorrespondent: true},
		"editors":    {newsroom.RoleAdmin: true, newsroom.RoleEditor: true},
		"moderators": {newsroom.RoleAdmin: true, newsroom.RoleEditor: true, newsroom.RoleModerator: true},
		"admins":     {newsroom.RoleAdmin: true},
	}
	roles := []newsroom.Role{"", newsroom.RoleAdmin, newsroom.RoleEditor, newsroom.RoleCorrespondent, newsroom.RoleModerator}
	for _, row := range rows {
		method, _, found := strings.Cut(row.pattern, " ")
		if !found {
			method = http.MethodGet
		}
		for _, role := range roles {
			name := string(role)
			if role == "" {
				name = "none"
			}
			t.Run(row.pattern+"/"+name, func(t *testing.T) {
				c := e.client()
				if role != "" {
					c = e.session(e.users[role])
				}
				var form url.Values
				if row.form != nil {
					form = url.Values{}
					for k, v := range row.form {
						form[k] = v
					}
					if c.csrf != "" {
						form.Set("_csrf", c.csrf)
					}
				}
				r := c.do(method, row.path, form)
				want := row.ok
				switch {
				case row.pattern == "GET /desk/signin":
					want = http.StatusOK
					if role != "" {
						want = http.StatusSeeOther
					}
				case role == "" && row.access != "public":
					want = http.StatusUnauthorized
					if method == http.MethodGet {
						want = http.StatusSeeOther
					}
				case role != "" && !allowed[row.access][role]:
					want = http.StatusForbidden
				case matrixOverrides[row.pattern][role] != 0:
					want = matrixOverrides[row.pattern][role]
				}
				if r.status != want {
					t.Fatalf("%s %s as %s: status %d, want %d\n%.400s", method, row.path, name, r.status, want, r.body)
				}
				if role == "" && row.access != "public" && method == http.MethodGet &&
					!strings.HasPrefix(r.header.Get("Location"), "/desk/signin?next=") {
					t.Errorf("signed-out GET redirects to %q, want the sign-in page", r.header.Get("Location"))
				}
			})
		}
	}
}

// matrixFixture creates what the matrix paths refer to.
func (e *env) matrixFixture() matrixFixture {
	e.t.Helper()
	f := matrixFixture{token: auth.RandomString(32)}
	asset := e.desk.AssetURL("desk.css")
	f.asset = strings.TrimPrefix(asset, "/desk/assets/")
	inv := &newsroom.Invite{TokenHash: auth.HashToken(f.token), Email: "matrix@example.org", Role: newsroom.RoleCorrespondent,
		ExpiresAt: e.clock.Now().Add(48 * time.Hour)}
	if err := e.store.CreateInvite(ctx, inv); err != nil {
		e.t.Fatal(err)
	}
	d := &newsroom.Article{Headline: "A correspondent's draft", Body: "Draft text.", Status: newsroom.Draft, CreatedBy: e.users[newsroom.RoleCorrespondent].ID}
	if err := e.ed.Create(ctx, e.users[newsroom.RoleCorrespondent], d); err != nil {
		e.t.Fatal(err)
	}
	p := &newsroom.Article{Headline: "A published story", Body: "Public text.", Status: newsroom.Published}
	if err := e.ed.Create(ctx, e.users[newsroom.RoleEditor], p); err != nil {
		e.t.Fatal(err)
	}
	f.draft, f.public = d.ID, p.ID
	f.comment = e.mustComment(newsroom.CommentPending).ID
	e.taxonomyFixture(&f)
	ent := &newsroom.LegalEntity{Name: "Matrix Front", Forms: map[string][]string{"en": {"Matrix Front"}},
		Notes: map[string]string{"en": "banned"}, Listings: []newsroom.LegalListing{{List: "Banned", From: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}}}
	if err := e.store.CreateLegalEntity(ctx, ent); err != nil {
		e.t.Fatal(err)
	}
	f.legal = strconv.FormatInt(ent.ID, 10)
	f.target = strconv.FormatInt(e.addUser("matrix-target@example.org", "Matrix Target", newsroom.RoleCorrespondent).ID, 10)
	pg := &newsroom.Page{Title: "About us", Body: "The Courier.", Status: newsroom.Published}
	if err := e.store.CreatePage(ctx, pg); err != nil {
		e.t.Fatal(err)
	}
	rd := &newsroom.Redirect{From: "/archives/7", To: "/coast/"}
	if err := e.store.CreateRedirect(ctx, rd); err != nil {
		e.t.Fatal(err)
	}
	f.page, f.redirect = strconv.FormatInt(pg.ID, 10), strconv.FormatInt(rd.ID, 10)
	return f
}
