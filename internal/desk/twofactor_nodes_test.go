package desk_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"newsdesk/internal/auth"
	"newsdesk/internal/desk"
	"newsdesk/internal/editorial"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/render"
	"newsdesk/internal/sqlstore"
	"newsdesk/internal/storetest"
)

// TestTwoFactorAcrossNodes: the password step answered by one desk server
// and the code step by a second one over the same database (two nodes
// behind a load balancer without sticky sessions) signs in; the step is
// used once, whichever node takes it.
func TestTwoFactorAcrossNodes(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testTwoFactorAcrossNodes(t, storetest.SQLitePath(t)) })
	t.Run("postgres", func(t *testing.T) { testTwoFactorAcrossNodes(t, storetest.PostgresDSN(t)) })
}

func testTwoFactorAcrossNodes(t *testing.T, dsn string) {
	a := newEnvDSN(t, dsn)
	ed := a.users[newsroom.RoleEditor]
	secret := "JBSWY3DPEHPK3PXP"
	if err := a.store.EnableTwoFactor(ctx, ed.ID, secret, []string{auth.HashToken(auth.NormalizeRecoveryCode("aaaa-bbbb-cccc"))}); err != nil {
		t.Fatal(err)
	}

	// The second node: its own store, editorial service and desk.
	st, err := sqlstore.Open(ctx, dsn, sqlstore.Options{Now: a.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	d, err := desk.New(desk.Config{Store: st, Editorial: editorial.New(editorial.Config{Store: st, Render: render.New(nil), Now: a.clock.Now}),
		Language: "en", Now: a.clock.Now, SiteName: "The Test Courier", BaseURL: "https://courier.example"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	mux := http.NewServeMux()
	mux.Handle("/desk/", d.Handler())
	mux.Handle("/desk", d.Handler())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	b := *a
	b.srv = srv
	// Node a's cookies go to node b as well (same host, another port).
	onB := func(c *client) *client { return &client{e: &b, http: c.http, csrf: c.csrf} }

	c := a.client()
	r := c.signIn(ed.Email, testPassword, http.StatusOK)
	if r.doc.Find(`form[action="/desk/signin/code"]`).Length() != 1 {
		t.Fatalf("no code asked for:\n%s", r.body)
	}
	// A wrong code on node b counts, and keeps the step.
	wantStatus(t, "wrong code on b", onB(c).do("POST", "/desk/signin/code", url.Values{"code": {"000000"}}), http.StatusUnauthorized)
	code, _ := auth.TOTPCode(secret, a.clock.Now())
	if code == "000000" {
		a.clock.Add(30 * time.Second)
		code, _ = auth.TOTPCode(secret, a.clock.Now())
	}
	r = onB(c).do("POST", "/desk/signin/code", url.Values{"code": {code}})
	wantStatus(t, "right code on b", r, http.StatusSeeOther)
	wantStatus(t, "signed in on b", onB(c).get("/desk/"), http.StatusOK)
	wantStatus(t, "signed in on a", c.get("/desk/"), http.StatusOK)

	// The step is gone once used: replaying its cookie on node a starts over.
	c2 := a.client()
	c2.signIn(ed.Email, testPassword, http.StatusOK)
	u, _ := url.Parse(a.srv.URL + "/desk/signin")
	saved := c2.http.Jar.Cookies(u)
	wantStatus(t, "recovery code on b", onB(c2).do("POST", "/desk/signin/code", url.Values{"code": {"aaaa-bbbb-cccc"}}), http.StatusSeeOther)
	c3 := a.client()
	c3.csrf = c2.csrf
	c3.http.Jar.SetCookies(u, saved)
	r = c3.do("POST", "/desk/signin/code", url.Values{"code": {"aaaa-bbbb-cccc"}})
	wantStatus(t, "used step on a", r, http.StatusSeeOther)
	if loc := r.header.Get("Location"); loc != "/desk/signin" {
		t.Errorf("a used step went to %q, want /desk/signin", loc)
	}
}
