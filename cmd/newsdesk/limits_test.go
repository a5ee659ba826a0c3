package main

import (
	"net/url"
	"os"
	"strconv"
	"testing"
	"time"

	"newsdesk/internal/auth"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/rediscount"
	"newsdesk/internal/storetest"
)

// TestSharedSignInLimits: two nodes on one PostgreSQL database (and,
// second, two nodes on their own SQLite files sharing only Redis), behind
// a trusted proxy: wrong passwords for one account from one address,
// spread over both nodes, lock that pair out on both after the fifth,
// with the real Retry-After; a share-click flood spread over both nodes
// is held to one limit.
func TestSharedSignInLimits(t *testing.T) {
	t.Run("postgres", func(t *testing.T) {
		dsn := storetest.PostgresDSN(t)
		proxied := func(c *Config) { c.TrustProxy = true }
		a := newTestAppWith(t, dsn, proxied)
		b := newTestAppWith(t, dsn, proxied)
		checkSharedLimits(t, a, b)
	})
	t.Run("redis", func(t *testing.T) {
		u := os.Getenv("NEWSDESK_TEST_REDIS")
		if u == "" {
			u = "redis://127.0.0.1:6379/0"
		}
		probe, err := rediscount.Open(t.Context(), u)
		if err != nil {
			t.Skipf("no Redis at %s (%v); set NEWSDESK_TEST_REDIS", u, err)
		}
		probe.Close()
		shared := func(c *Config) { c.TrustProxy = true; c.Nodes.Redis = u }
		a := newTestAppWith(t, "", shared)
		b := newTestAppWith(t, "", shared)
		checkSharedLimits(t, a, b)
	})
}

func checkSharedLimits(t *testing.T, a, b *testApp) {
	t.Helper()
	// A fresh address per run: Redis outlives the test.
	addr := "198.51.100." + strconv.Itoa(int(time.Now().UnixNano()%200)+20)
	email := "ed" + strconv.FormatInt(time.Now().UnixNano(), 36) + "@example.com"
	for _, ta := range []*testApp{a, b} {
		addSharedStaff(t, ta, email)
	}
	nodes := []*testApp{a, b}
	for i := range 5 {
		p := postForm(t, nodes[i%2], "/desk/signin", url.Values{"email": {email}, "password": {"wrong password " + strconv.Itoa(i)}}, addr)
		if p.status != 401 {
			t.Fatalf("failure %d on node %d: %d", i+1, i%2, p.status)
		}
	}
	for i, ta := range nodes {
		p := postForm(t, ta, "/desk/signin", url.Values{"email": {email}, "password": {"correct horse battery"}}, addr)
		retry, _ := strconv.Atoi(p.header.Get("Retry-After"))
		if p.status != 429 || retry < 290 || retry > 300 {
			t.Errorf("node %d after 5 failures spread over both: %d Retry-After %q, want 429 and about 300", i, p.status, p.header.Get("Retry-After"))
		}
	}
	// From another address the owner still signs in.
	if p := postForm(t, b, "/desk/signin", url.Values{"email": {email}, "password": {"correct horse battery"}}, "203.0.113.7"); p.status != 303 && p.status != 200 {
		t.Errorf("the owner from another address: %d", p.status)
	}
}

// addSharedStaff adds an editor with the password "correct horse battery" on
// ta's store (a no-op when another node already added it to a shared
// database).
func addSharedStaff(t *testing.T, ta *testApp, email string) {
	t.Helper()
	if _, err := ta.store.UserByEmail(t.Context(), email); err == nil {
		return
	}
	hash, err := auth.HashPassword("correct horse battery")
	must(t, err)
	must(t, ta.store.CreateUser(t.Context(), &newsroom.User{Email: email, Name: "Shared Editor", Role: newsroom.RoleEditor, PasswordHash: hash}))
}
