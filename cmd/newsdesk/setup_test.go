package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"newsdesk/internal/auth"
	"newsdesk/internal/browsertest"
	"newsdesk/internal/clocktest"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/storetest"
)

// The one setup every test of this package starts newsdesk with: the real
// app (newApp, as serve builds it) on a fresh SQLite file or PostgreSQL
// database, behind an httptest server, on a test clock.

// testApp is newsdesk's full handler on a real SQLite file (or the
// PostgreSQL of NEWSDESK_TEST_POSTGRES), served over loopback HTTP.
type testApp struct {
	*app
	srv    *httptest.Server
	stdout string
	clock  *clocktest.Clock
}

// newTestApp starts the app on a fresh SQLite file, or on a fresh
// PostgreSQL database when dsn is given, with or without the demo content.
func newTestApp(t *testing.T, dsn string, demo bool) *testApp {
	t.Helper()
	return newTestAppWith(t, dsn, func(c *Config) { c.NoDemo = !demo })
}

// newTestAppWith starts the app without demo content, with the test
// configuration changed by mut (which may be nil) first.
func newTestAppWith(t *testing.T, dsn string, mut func(c *Config)) *testApp {
	t.Helper()
	cfg := Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), DB: dsn, Language: "en", Timezone: "UTC", NoDemo: true, CacheMB: 64}
	if mut != nil {
		mut(&cfg)
	}
	clock := clocktest.New(time.Now().UTC().Truncate(time.Second))
	var out bytes.Buffer
	a := startApp(t, cfg, clock.Now, &out, testLogger(t))
	srv := httptest.NewServer(a.handler)
	t.Cleanup(srv.Close)
	return &testApp{app: a, srv: srv, stdout: out.String(), clock: clock}
}

// startApp validates cfg and builds the app as serve does, without a
// server in front of it (the caller chooses one); its desk and store close
// when the test ends, after anything the caller registers later.
func startApp(t testing.TB, cfg Config, now newsroom.Clock, stdout io.Writer, logger *slog.Logger) *app {
	t.Helper()
	if err := cfg.validate(); err != nil {
		t.Fatal(err)
	}
	a, err := newApp(context.Background(), cfg, now, stdout, logger)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.desk.Close(); a.store.Close() })
	// The re-render jobs run here as on a node holding their lease.
	go a.legal.Run(context.Background())
	t.Cleanup(a.legal.Close)
	return a
}

// forEachStore runs f on a fresh SQLite app and on a fresh PostgreSQL app
// (skipped, saying why, without NEWSDESK_TEST_POSTGRES).
func forEachStore(t *testing.T, f func(t *testing.T, ta *testApp)) {
	forEachStoreWith(t, nil, f)
}

// forEachStoreWith is forEachStore with the configuration changed by mut.
func forEachStoreWith(t *testing.T, mut func(c *Config), f func(t *testing.T, ta *testApp)) {
	t.Run("sqlite", func(t *testing.T) { f(t, newTestAppWith(t, "", mut)) })
	t.Run("postgres", func(t *testing.T) { f(t, newTestAppWith(t, storetest.PostgresDSN(t), mut)) })
}

// testLogger logs through t, so a failing test shows the server's log.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// getDoc fetches a public page, which must answer 200, and parses it.
func getDoc(t *testing.T, ta *testApp, path string) *goquery.Document {
	t.Helper()
	res, err := ta.srv.Client().Get(ta.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", path, res.StatusCode)
	}
	doc, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// auditor returns a function that screenshots the browser's page as
// prefix+page and fails the test on any serious accessibility violation
// axe-core finds there.
func auditor(t *testing.T, ctx context.Context, prefix string) func(page string) {
	return func(page string) {
		t.Helper()
		browsertest.Screenshot(t, ctx, prefix+page)
		if v := browsertest.Axe(t, ctx); len(v) > 0 {
			t.Errorf("%s: accessibility violations:\n%v", page, v)
		}
	}
}

// roleTokens gives every role an API token: a new user for the editor,
// the correspondent and the moderator, and the admin the first start made
// (admin@example.com).
func roleTokens(t *testing.T, ta *testApp) (map[newsroom.Role]string, map[newsroom.Role]*newsroom.User) {
	t.Helper()
	tokens := map[newsroom.Role]string{}
	users := map[newsroom.Role]*newsroom.User{}
	for _, r := range []newsroom.Role{newsroom.RoleEditor, newsroom.RoleCorrespondent, newsroom.RoleModerator} {
		tokens[r], users[r] = mustToken(t, ta, r)
	}
	ctx := context.Background()
	admin, err := ta.store.UserByEmail(ctx, "admin@example.com")
	must(t, err)
	tokens[newsroom.RoleAdmin], users[newsroom.RoleAdmin] = auth.NewToken(), admin
	must(t, ta.store.CreateToken(ctx, admin.ID, auth.HashToken(tokens[newsroom.RoleAdmin])))
	return tokens, users
}

// mustToken creates a user with the role and returns an API token for it.
func mustToken(t *testing.T, ta *testApp, role newsroom.Role) (string, *newsroom.User) {
	t.Helper()
	u := &newsroom.User{Email: string(role) + "@example.com", Name: "Test " + string(role), Role: role, PasswordHash: "x"}
	must(t, ta.store.CreateUser(context.Background(), u))
	token := auth.NewToken()
	must(t, ta.store.CreateToken(context.Background(), u.ID, auth.HashToken(token)))
	return token, u
}
