package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/auth"
	"newsdesk/internal/desk"
	"newsdesk/internal/newsroom"
)

// cli runs one newsdesk command against the test app's data directory.
func (ta *testApp) cli(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	args = append(args, "--data", ta.cfg.DataDir)
	if ta.cfg.DB != "" {
		args = append(args, "--db", ta.cfg.DB)
	}
	err := run(context.Background(), args, func(string) string { return "" }, strings.NewReader(stdin), &out, &errb)
	return out.String() + errb.String(), err
}

// TestUserDisableEndsSessionsAndTokens: newsdesk user disable ends the
// user's desk session and API token at once (a disabled user's token is
// refused), enable does not bring the old ones back, token list shows
// every token with its last use, token revoke --id and --email end
// tokens, and a token past its expiry (its own, or the server's
// --token-ttl) is refused.
func TestUserDisableEndsSessionsAndTokens(t *testing.T) {
	forEachStore(t, func(t *testing.T, ta *testApp) {
		ctx := context.Background()
		if out, err := ta.cli(t, "a long enough password\n", "user", "add", "--email", "ilse@example.com", "--name", "Ilse Varn", "--role", "editor"); err != nil {
			t.Fatalf("user add: %v %s", err, out)
		}
		out, err := ta.cli(t, "", "token", "create", "--email", "ilse@example.com")
		if err != nil {
			t.Fatalf("token create: %v %s", err, out)
		}
		token := strings.Fields(out)[0]
		if !strings.Contains(out, "valid until") {
			t.Errorf("token create printed %q, want the expiry", out)
		}
		u, err := ta.store.UserByEmail(ctx, "ilse@example.com")
		must(t, err)
		list, err := ta.store.Tokens(ctx, u.ID)
		must(t, err)
		if len(list) != 1 || list[0].ExpiresAt.Sub(list[0].CreatedAt).Round(time.Hour) != newsroom.DefaultTokenTTL {
			t.Fatalf("tokens after create: %+v, want one living 90 days", list)
		}
		if res := doJSON(t, ta.srv, "GET", "/api/v1/articles?status=draft", token, ""); res.status != http.StatusOK {
			t.Fatalf("token before disable: %d %s", res.status, res.body)
		}
		out, _ = ta.cli(t, "", "token", "list")
		var line string
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(l, "ilse@example.com") {
				line = l
			}
		}
		// ID, user, created, expires, last used: the last is a time, not "-".
		if f := strings.Fields(line); !strings.Contains(out, "LAST USED") || len(f) != 8 {
			t.Errorf("token list after a use: %q, want the token with created, expiry and last use", out)
		}
		used, err := ta.store.Tokens(ctx, u.ID)
		must(t, err)
		if used[0].LastUsedAt.IsZero() {
			t.Errorf("the token's last use was not recorded")
		}
		// A desk session of the same user.
		sid := auth.RandomString(32)
		now := ta.clock.Now()
		must(t, ta.store.CreateSession(ctx, &newsroom.Session{IDHash: auth.HashToken(sid), UserID: u.ID, CSRFToken: "x",
			CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(time.Hour)}))
		deskGet := func() int {
			req, _ := http.NewRequest("GET", ta.srv.URL+"/desk/stories", nil)
			req.AddCookie(&http.Cookie{Name: desk.CookieName, Value: sid})
			res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
			must(t, err)
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			return res.StatusCode
		}
		if st := deskGet(); st != http.StatusOK {
			t.Fatalf("desk session before disable: %d", st)
		}

		if out, err := ta.cli(t, "", "user", "disable", "--email", "ilse@example.com"); err != nil || !strings.Contains(out, "disabled") {
			t.Fatalf("user disable: %v %s", err, out)
		}
		if res := doJSON(t, ta.srv, "GET", "/api/v1/articles?status=draft", token, ""); res.status != http.StatusUnauthorized {
			t.Errorf("a disabled user's token: %d, want 401", res.status)
		}
		if st := deskGet(); st != http.StatusSeeOther {
			t.Errorf("a disabled user's desk session: %d, want 303 to sign in", st)
		}
		if _, err := ta.store.SessionByHash(ctx, auth.HashToken(sid)); !newsroom.IsNotFound(err) {
			t.Errorf("the session is still stored after disable: %v", err)
		}
		if _, err := ta.cli(t, "", "token", "create", "--email", "ilse@example.com"); err == nil {
			t.Errorf("token create for a disabled user succeeded")
		}
		if out, err := ta.cli(t, "", "user", "enable", "--email", "ilse@example.com"); err != nil || !strings.Contains(out, "enabled") {
			t.Fatalf("user enable: %v %s", err, out)
		}
		if res := doJSON(t, ta.srv, "GET", "/api/v1/articles", token, ""); res.status != http.StatusUnauthorized {
			t.Errorf("the old token after enable: %d, want 401 (revoked on disable)", res.status)
		}

		// Revoke by id and by e-mail.
		out, _ = ta.cli(t, "", "token", "create", "--email", "ilse@example.com")
		t1 := strings.Fields(out)[0]
		out, _ = ta.cli(t, "", "token", "create", "--email", "ilse@example.com")
		t2 := strings.Fields(out)[0]
		list, err = ta.store.Tokens(ctx, u.ID)
		must(t, err)
		if len(list) != 2 {
			t.Fatalf("%d tokens, want 2", len(list))
		}
		tok1, err := ta.store.TokenByHash(ctx, auth.HashToken(t1))
		must(t, err)
		if out, err := ta.cli(t, "", "token", "revoke", "--id", strconv.FormatInt(tok1.ID, 10)); err != nil {
			t.Fatalf("token revoke --id: %v %s", err, out)
		}
		if res := doJSON(t, ta.srv, "GET", "/api/v1/articles", t1, ""); res.status != http.StatusUnauthorized {
			t.Errorf("revoked token: %d", res.status)
		}
		if res := doJSON(t, ta.srv, "GET", "/api/v1/articles", t2, ""); res.status != http.StatusOK {
			t.Errorf("the other token after revoking one: %d", res.status)
		}
		if _, err := ta.cli(t, "", "token", "revoke", "--id", strconv.FormatInt(tok1.ID, 10)); err == nil {
			t.Errorf("revoking an unknown token succeeded")
		}
		if out, err := ta.cli(t, "", "token", "revoke", "--email", "ilse@example.com"); err != nil || !strings.Contains(out, "revoked 1") {
			t.Errorf("token revoke --email: %v %q", err, out)
		}
		if res := doJSON(t, ta.srv, "GET", "/api/v1/articles", t2, ""); res.status != http.StatusUnauthorized {
			t.Errorf("token after revoke --email: %d", res.status)
		}

		// Expiry: the token's own, and the server's --token-ttl.
		out, _ = ta.cli(t, "", "token", "create", "--email", "ilse@example.com", "--token-ttl", "2h")
		t3 := strings.Fields(out)[0]
		if res := doJSON(t, ta.srv, "GET", "/api/v1/articles", t3, ""); res.status != http.StatusOK {
			t.Errorf("a fresh 2h token: %d", res.status)
		}
		ta.clock.Add(3 * time.Hour)
		if res := doJSON(t, ta.srv, "GET", "/api/v1/articles", t3, ""); res.status != http.StatusUnauthorized || !strings.Contains(res.body, "expired") {
			t.Errorf("a token past its expiry: %d %s, want 401 saying it expired", res.status, res.body)
		}
		if _, err := ta.cli(t, "", "token", "create", "--email", "ilse@example.com", "--token-ttl", "soon"); err == nil {
			t.Errorf("--token-ttl soon was accepted")
		}
	})
}

// TestServerTokenTTLEndsOldTokens: a token with no expiry of its own (made
// before tokens had one) or a long one still ends when it is older than
// the server's --token-ttl.
func TestServerTokenTTLEndsOldTokens(t *testing.T) {
	ta := newTestApp(t, "", false)
	token, _ := mustToken(t, ta, newsroom.RoleEditor) // CreateToken: no expiry of its own
	if res := doJSON(t, ta.srv, "GET", "/api/v1/articles", token, ""); res.status != http.StatusOK {
		t.Fatalf("fresh token: %d", res.status)
	}
	ta.clock.Add(newsroom.DefaultTokenTTL + time.Hour)
	if res := doJSON(t, ta.srv, "GET", "/api/v1/articles", token, ""); res.status != http.StatusUnauthorized {
		t.Errorf("a token older than --token-ttl (90 days by default): %d, want 401", res.status)
	}
}

// TestUserPasswordRecoversTheFirstAdmin: newsdesk user password sets a
// new password from standard input for any account (here the first
// admin's), ends its desk sessions, and the new password signs in.
func TestUserPasswordRecoversTheFirstAdmin(t *testing.T) {
	forEachStore(t, func(t *testing.T, ta *testApp) {
		ctx := context.Background()
		admin, err := ta.store.UserByEmail(ctx, "admin@example.com")
		must(t, err)
		now := ta.clock.Now()
		must(t, ta.store.CreateSession(ctx, &newsroom.Session{IDHash: "old-session", UserID: admin.ID, CSRFToken: "x",
			CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(time.Hour)}))
		if out, err := ta.cli(t, "short\n", "user", "password", "--email", "admin@example.com"); err == nil {
			t.Errorf("a short password was accepted: %s", out)
		}
		if out, err := ta.cli(t, "x long enough password\n", "user", "password", "--email", "nobody@example.com"); err == nil {
			t.Errorf("an unknown account was accepted: %s", out)
		}
		out, err := ta.cli(t, "the operator's new password\n", "user", "password", "--email", "Admin@Example.com")
		if err != nil || !strings.Contains(out, "new password set") {
			t.Fatalf("user password: %v %s", err, out)
		}
		if _, err := ta.store.SessionByHash(ctx, "old-session"); !newsroom.IsNotFound(err) {
			t.Errorf("the admin's old session outlived the new password: %v", err)
		}
		u, err := ta.store.UserByID(ctx, admin.ID)
		must(t, err)
		if !auth.CheckPassword(u.PasswordHash, "the operator's new password") {
			t.Error("the new password does not check")
		}
	})
}
