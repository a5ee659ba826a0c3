package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/auth"
	"newsdesk/internal/clocktest"
	"newsdesk/internal/newsroom"
)

// TestEveryCookieSecureOverTLSOrWithSecureCookies: over TLS, and on plain
// HTTP with --secure-cookies (behind a TLS proxy), every cookie newsdesk
// sets is Secure (the desk's session, the reader's pending-comment and
// remember-me cookies) and responses carry HSTS; so too behind a proxy
// trusted with --trust-proxy that says X-Forwarded-Proto: https. On plain
// HTTP without those, neither (a forwarded scheme from an untrusted peer
// is ignored).
func TestEveryCookieSecureOverTLSOrWithSecureCookies(t *testing.T) {
	for _, tc := range []struct {
		name                 string
		tls, flag, trust, ok bool
		proto                string
	}{
		{"over TLS", true, false, false, true, ""},
		{"with --secure-cookies", false, true, false, true, ""},
		{"behind a trusted TLS proxy", false, false, true, true, "https"},
		{"plain HTTP", false, false, false, false, ""},
		{"forwarded https from an untrusted peer", false, false, false, false, "https"},
		{"trusted proxy over plain HTTP", false, false, true, false, "http"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), Language: "en", Timezone: "UTC", NoDemo: true, CacheMB: 16, SecureCookies: tc.flag, TrustProxy: tc.trust}
			clock := clocktest.New(time.Now().UTC().Truncate(time.Second))
			a := startApp(t, cfg, clock.Now, io.Discard, testLogger(t))
			srv := httptest.NewUnstartedServer(a.handler)
			if tc.tls {
				srv.StartTLS()
			} else {
				srv.Start()
			}
			t.Cleanup(srv.Close)
			ta := &testApp{app: a, srv: srv, clock: clock}
			f := newNewsFixture(t, ta)
			hash, err := auth.HashPassword("a long enough password")
			must(t, err)
			must(t, ta.store.CreateUser(context.Background(), &newsroom.User{Email: "cookie@example.com", Name: "Cookie", Role: newsroom.RoleEditor, PasswordHash: hash}))

			client := srv.Client()
			client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
			var cookies []string
			var hsts []string
			post := func(path string, form url.Values) {
				req, _ := http.NewRequest("POST", srv.URL+path, strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				if tc.proto != "" {
					req.Header.Set("X-Forwarded-Proto", tc.proto)
				}
				res, err := client.Do(req)
				must(t, err)
				res.Body.Close()
				if res.StatusCode != http.StatusSeeOther {
					t.Fatalf("POST %s: %d", path, res.StatusCode)
				}
				cookies = append(cookies, res.Header.Values("Set-Cookie")...)
				hsts = append(hsts, res.Header.Get("Strict-Transport-Security"))
			}
			setComments(t, ta, func(s *newsroom.CommentSettings) { s.ManualApproval = true })
			form := commentForm(f.a.ID, "A careful report, thank you.", "Reader", "reader@example.org", "")
			form.Set("remember", "1")
			post("/comments", form)
			post("/desk/signin", url.Values{"email": {"cookie@example.com"}, "password": {"a long enough password"}})
			names := map[string]bool{}
			for _, c := range cookies {
				name, _, _ := strings.Cut(c, "=")
				names[name] = true
				if secure := strings.Contains(c, "; Secure"); secure != tc.ok {
					t.Errorf("Set-Cookie %.60s…: Secure = %v, want %v", c, secure, tc.ok)
				}
			}
			for _, n := range []string{"nd_session", "nd_comments", "nd_commenter"} {
				if !names[n] {
					t.Errorf("no %s cookie among %d set", n, len(cookies))
				}
			}
			for _, h := range hsts {
				if got := strings.HasPrefix(h, "max-age="); got != tc.ok {
					t.Errorf("Strict-Transport-Security = %q, want it %v", h, tc.ok)
				}
			}
		})
	}
}
