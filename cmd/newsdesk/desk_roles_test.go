package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
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
	a := &newsroom.Article{Headline: "Matrix story", Status: newsroom.Published}
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
			// (Signing out ends on the sign-in page: that is its success.)
			toSignIn := res.StatusCode == http.StatusSeeOther && strings.HasPrefix(res.Header.Get("Location"), "/desk/signin") &&
				rt.Pattern != "POST /desk/signout"
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
