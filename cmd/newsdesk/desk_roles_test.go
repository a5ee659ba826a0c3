package main

import (
	"context"
	"io"
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

// TestDeskRoutesCheckRolesInTheWholeApp walks every desk route registered
// in the assembled app (the core's and every feature's) with every role
// and with no session. A role the route's access rule refuses gets 403, no
// session gets the sign-in page (GET) or 401, and an allowed role is never
// refused or sent to sign in. internal/desk's TestRoleMatrix checks the
// core routes' exact statuses.
func TestDeskRoutesCheckRolesInTheWholeApp(t *testing.T) {
	ta := newTestApp(t, "", false)
	ctx := context.Background()
	users := map[newsroom.Role]*newsroom.User{}
	for _, r := range []newsroom.Role{newsroom.RoleAdmin, newsroom.RoleEditor, newsroom.RoleCorrespondent, newsroom.RoleModerator} {
		u := &newsroom.User{Email: "matrix-" + string(r) + "@example.com", Name: "Matrix " + string(r), Role: r, PasswordHash: "x"}
		must(t, ta.store.CreateUser(ctx, u))
		users[r] = u
	}
	a := &newsroom.Article{Headline: "Matrix story", Status: newsroom.Published, PublishedAt: ta.clock.Now()}
	must(t, ta.store.CreateArticle(ctx, a))
	fill := strings.NewReplacer("{id}", "1", "{n}", "1", "{token}", "no-such-token", "{name}", "no-such-asset", "{action}", "approve", "{$}", "")

	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	request := func(method, path string, u *newsroom.User) *http.Response {
		var body io.Reader
		form := url.Values{}
		var cookie *http.Cookie
		if u != nil {
			id := auth.RandomString(32)
			now := ta.clock.Now()
			ss := &newsroom.Session{IDHash: auth.HashToken(id), UserID: u.ID, CSRFToken: "token-" + id,
				CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(time.Hour)}
			must(t, ta.store.CreateSession(ctx, ss))
			cookie = &http.Cookie{Name: desk.CookieName, Value: id}
			form.Set("_csrf", ss.CSRFToken)
		}
		if method != http.MethodGet {
			body = strings.NewReader(form.Encode())
		}
		req, err := http.NewRequest(method, ta.srv.URL+path, body)
		must(t, err)
		if body != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", ta.srv.URL)
		}
		if cookie != nil {
			req.AddCookie(cookie)
		}
		res, err := client.Do(req)
		must(t, err)
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res
	}

	routes := ta.desk.Routes()
	if len(routes) < 20 {
		t.Fatalf("only %d desk routes registered", len(routes))
	}
	for _, rt := range routes {
		method := rt.Method()
		path := rt.Path()
		if !strings.Contains(rt.Pattern, " ") {
			method, path = http.MethodGet, rt.Pattern+"no-such-page"
		}
		path = fill.Replace(path)
		for _, role := range []newsroom.Role{"", newsroom.RoleAdmin, newsroom.RoleEditor, newsroom.RoleCorrespondent, newsroom.RoleModerator} {
			u := users[role]
			res := request(method, path, u)
			// (Signing out ends on the sign-in page: that is its success.
			// So does the two-factor code step with no password step
			// pending, as here: the sign-in starts again with the
			// password; it is a public route, so no role is refused.)
			toSignIn := res.StatusCode == http.StatusSeeOther && strings.HasPrefix(res.Header.Get("Location"), "/desk/signin") &&
				rt.Pattern != "POST /desk/signout" &&
				!(rt.Pattern == "POST /desk/signin/code" && res.Header.Get("Location") == "/desk/signin")
			switch {
			case u == nil && !rt.Access.Public():
				if method == http.MethodGet && !toSignIn || method != http.MethodGet && res.StatusCode != http.StatusUnauthorized {
					t.Errorf("%s %s without a session: %d %s", method, path, res.StatusCode, res.Header.Get("Location"))
				}
			case u != nil && !rt.Access.Allows(u):
				if res.StatusCode != http.StatusForbidden {
					t.Errorf("%s %s as %s: %d, want 403", method, path, role, res.StatusCode)
				}
			default:
				if res.StatusCode == http.StatusForbidden || res.StatusCode == http.StatusUnauthorized || toSignIn || res.StatusCode >= 500 {
					t.Errorf("%s %s as %q (allowed: %s): %d", method, path, role, rt.Access.Name, res.StatusCode)
				}
			}
		}
	}
}

// TestDeskReadRoutesHideOthersStoriesInTheWholeApp walks every GET route
// of the assembled desk (the core's and every feature's) as every role,
// with an editor's draft, a scheduled and an embargoed story in the
// database: no page a correspondent or a moderator can open shows their
// marker words, and every story page (/desk/articles/{id}/...) answers a
// correspondent 404 for them, while editors and admins open it.
func TestDeskReadRoutesHideOthersStoriesInTheWholeApp(t *testing.T) {
	ta := newTestApp(t, "", false)
	ctx := context.Background()
	users := map[newsroom.Role]*newsroom.User{}
	for _, r := range []newsroom.Role{newsroom.RoleAdmin, newsroom.RoleEditor, newsroom.RoleCorrespondent, newsroom.RoleModerator} {
		u := &newsroom.User{Email: "reads-" + string(r) + "@example.com", Name: "Reads " + string(r), Role: r, PasswordHash: "x"}
		must(t, ta.store.CreateUser(ctx, u))
		users[r] = u
	}
	now := ta.clock.Now()
	ed := users[newsroom.RoleEditor].ID
	hidden := []*newsroom.Article{
		{Headline: "Hidden bladderwrack draft", Body: "Bladderwrack text.", Status: newsroom.Draft, CreatedBy: ed},
		{Headline: "Hidden kittiwake schedule", Body: "Kittiwake text.", Status: newsroom.Scheduled, ScheduledAt: now.Add(48 * time.Hour), CreatedBy: ed},
		{Headline: "Hidden guillemot embargo", Body: "Guillemot text.", Status: newsroom.Published, PublishedAt: now.Add(24 * time.Hour), CreatedBy: ed},
	}
	for _, a := range hidden {
		must(t, ta.store.CreateArticle(ctx, a))
	}
	words := []string{"bladderwrack", "kittiwake", "guillemot"}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string, u *newsroom.User) (int, string) {
		id := auth.RandomString(32)
		ss := &newsroom.Session{IDHash: auth.HashToken(id), UserID: u.ID, CSRFToken: "t", CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(time.Hour)}
		must(t, ta.store.CreateSession(ctx, ss))
		req, err := http.NewRequest(http.MethodGet, ta.srv.URL+path, nil)
		must(t, err)
		req.AddCookie(&http.Cookie{Name: desk.CookieName, Value: id})
		res, err := client.Do(req)
		must(t, err)
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, strings.ToLower(string(b))
	}
	fill := strings.NewReplacer("{n}", "1", "{token}", "no-such-token", "{name}", "no-such-asset", "{action}", "approve", "{$}", "", "{entity}", "1")
	for _, rt := range ta.desk.Routes() {
		if rt.Method() != http.MethodGet {
			continue
		}
		story := strings.HasPrefix(rt.Path(), "/desk/articles/{id}")
		var paths []string
		if story {
			for _, a := range hidden {
				paths = append(paths, fill.Replace(strings.ReplaceAll(rt.Path(), "{id}", strconv.FormatInt(a.ID, 10))))
			}
		} else {
			paths = []string{fill.Replace(strings.ReplaceAll(rt.Path(), "{id}", "1"))}
		}
		for _, role := range []newsroom.Role{newsroom.RoleAdmin, newsroom.RoleEditor, newsroom.RoleCorrespondent, newsroom.RoleModerator} {
			for _, p := range paths {
				status, body := get(p, users[role])
				editor := role == newsroom.RoleAdmin || role == newsroom.RoleEditor
				switch {
				case story && role == newsroom.RoleCorrespondent && status != http.StatusNotFound:
					t.Errorf("GET %s as correspondent: %d, want 404", p, status)
				case story && editor && status != http.StatusOK:
					t.Errorf("GET %s as %s: %d, want 200", p, role, status)
				}
				if !editor {
					for _, w := range words {
						if strings.Contains(body, w) {
							t.Errorf("GET %s as %s shows %q", p, role, w)
						}
					}
				}
			}
		}
	}
}
