package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"newsdesk/internal/auth"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/throttle"
)

// TestHostileReadersCannotSwitchTheCacheOff: nothing an anonymous client
// can add to a request (a junk Authorization header, forged cookies,
// tracking or made-up query parameters) makes the page render again or
// adds a cache entry; only a real session does.
func TestHostileReadersCannotSwitchTheCacheOff(t *testing.T) {
	ta := newTestApp(t, "", false)
	f := newNewsFixture(t, ta)
	ctx := context.Background()
	must(t, ta.store.CreateRedirect(ctx, &newsroom.Redirect{From: "/?p=123", To: f.a.URL}))
	warm := []string{f.a.URL, "/", "/world/", "/search?q=harbour"}
	for _, p := range warm {
		if got := fetch(t, ta, "GET", p); got.status != 200 {
			t.Fatalf("warm %s: %d", p, got.status)
		}
	}
	before := ta.cache.Stats()
	for _, tt := range []struct {
		name, path string
		hdr        []string
	}{
		{"junk Authorization", f.a.URL, []string{"Authorization", "Bearer not-a-token"}},
		{"junk Basic Authorization", "/", []string{"Authorization", "Basic YWRtaW46YWRtaW4="}},
		{"forged session cookie", f.a.URL, []string{"Cookie", "nd_session=forged"}},
		{"forged pending-comments cookie", f.a.URL, []string{"Cookie", "nd_comments=1.abc~2.def"}},
		{"tracking parameters", f.a.URL + "?utm_source=x&utm_medium=y&fbclid=z&gclid=w", nil},
		{"made-up parameter", f.a.URL + "?nocache=7", nil},
		{"made-up parameter on the home page", "/?x=1&y=2", nil},
		{"page 1 written out", "/world/?page=1&utm_campaign=c", nil},
		{"search text padded, tracking added", "/search?q=%20harbour%20&utm_source=news&ref=1", nil},
	} {
		p := fetch(t, ta, "GET", tt.path, tt.hdr...)
		if p.status != 200 || p.cache() != "hit" {
			t.Errorf("%s (%s): %d X-Cache %q, want a hit", tt.name, tt.path, p.status, p.cache())
		}
	}
	// 200 distinct utm_source values and 200 made-up parameters: no new
	// entry, no render.
	for i := range 200 {
		for _, p := range []string{f.a.URL + "?utm_source=s" + strconv.Itoa(i), "/?r" + strconv.Itoa(i) + "=" + strconv.Itoa(i)} {
			if got := fetch(t, ta, "GET", p); got.cache() != "hit" {
				t.Fatalf("%s: X-Cache %q, want hit", p, got.cache())
			}
		}
	}
	after := ta.cache.Stats()
	if after.Entries != before.Entries || after.Renders != before.Renders {
		t.Errorf("hostile requests: entries %d → %d, renders %d → %d; want no change",
			before.Entries, after.Entries, before.Renders, after.Renders)
	}
	// A parameter a stored redirect is keyed by still redirects.
	if p := fetch(t, ta, "GET", "/?utm_source=old&p=123"); p.status != http.StatusMovedPermanently || p.header.Get("Location") != f.a.URL {
		t.Errorf("/?p=123: %d → %q, want 301 to %s", p.status, p.header.Get("Location"), f.a.URL)
	}
	// Parameters the page reads still make their own page.
	if p := fetch(t, ta, "GET", "/world/?page=2"); p.status != 404 {
		t.Errorf("/world/?page=2 of a one-page section: %d, want 404", p.status)
	}
	if p := fetch(t, ta, "GET", "/world/?page=x"); p.status != 404 || p.cache() != "miss" {
		t.Errorf("/world/?page=x: %d %q, want a 404 miss", p.status, p.cache())
	}
	if p := fetch(t, ta, "GET", "/world/?page=-3"); p.status != 404 || p.cache() != "hit" {
		t.Errorf("/world/?page=-3: %d %q, want the same 404 entry as page=x", p.status, p.cache())
	}
	// The reader who just posted gets their own page.
	if p := fetch(t, ta, "GET", f.a.URL+"?posted=1"); p.cache() != "" {
		t.Errorf("?posted=1: X-Cache %q, want a bypass", p.cache())
	}
	// A real session bypasses: the page is rendered for the signed-in user.
	sid := staffSession(t, ta, "editor@example.com")
	p := fetch(t, ta, "GET", f.a.URL, "Cookie", "nd_session="+sid)
	if p.status != 200 || p.cache() != "" || p.header.Get("Cache-Control") != "private, no-cache" {
		t.Errorf("valid session: %d X-Cache %q Cache-Control %q, want a private render", p.status, p.cache(), p.header.Get("Cache-Control"))
	}
	// ... until it expires.
	ta.clock.Add(2 * time.Hour)
	if p := fetch(t, ta, "GET", "/", "Cookie", "nd_session="+sid); p.cache() == "" {
		t.Errorf("expired session: bypassed, want the shared page")
	}
}

// TestCrawlerStormDoesNotStarveReaders: behind a trusted proxy, a
// crawler (GPTBot's user agent, one IPv6 /64 spread over three addresses)
// asks for never-viewed pages on 48 connections at once; it gets past its
// share of the render queue only 429s with Retry-After, while a reader's
// own misses (real pages and 404s) are all rendered, none refused, and a
// reader's cached page is a hit while the crawler's queue is full.
func TestCrawlerStormDoesNotStarveReaders(t *testing.T) {
	ta := newTestAppWith(t, "", func(c *Config) { c.TrustProxy = true })
	f := newNewsFixture(t, ta)
	const bot = "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)"
	const browser = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
	reader := []string{"X-Forwarded-For", "198.51.100.7", "User-Agent", browser}
	if p := fetch(t, ta, "GET", "/", reader...); p.status != 200 {
		t.Fatalf("home page: %d", p.status)
	}
	crawlers := []string{"2001:db8:7:1::1", "2001:db8:7:1::2", "2001:db8:7:1:ffff::9"}
	var (
		mu       sync.Mutex
		statuses = map[int]int{}
		badRetry []string
	)
	stop := make(chan struct{})
	var once sync.Once
	var wg sync.WaitGroup
	end := func() { once.Do(func() { close(stop) }); wg.Wait() }
	defer end()
	var n atomic.Int64
	for c := range 48 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				i := n.Add(1)
				p := fetchNoFail(ta, fmt.Sprintf("/archive/never-viewed-%d", i),
					"X-Forwarded-For", crawlers[c%len(crawlers)], "User-Agent", bot)
				mu.Lock()
				statuses[p.status]++
				if p.status == http.StatusTooManyRequests || p.status == http.StatusServiceUnavailable {
					if r, err := strconv.Atoi(p.header.Get("Retry-After")); err != nil || r < 1 {
						badRetry = append(badRetry, p.header.Get("Retry-After"))
					}
				}
				mu.Unlock()
			}
		})
	}
	// Wait until the crawler has been refused: its queue is full.
	deadline := time.Now().Add(20 * time.Second)
	for ta.cache.Stats().Limited == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the crawler was never refused: %+v", ta.cache.Stats())
		}
		time.Sleep(time.Millisecond)
	}
	misses := []string{f.a.URL, f.b.URL, "/world/", "/sport/", "/tag/harbour"}
	for i := range 15 {
		misses = append(misses, fmt.Sprintf("/no-such-story-%d", i))
	}
	for _, path := range misses {
		p := fetch(t, ta, "GET", path, reader...)
		if p.status != 200 && p.status != 404 || p.cache() != "miss" {
			t.Errorf("reader's miss %s during the storm: %d X-Cache %q, want it rendered", path, p.status, p.cache())
		}
		if p := fetch(t, ta, "GET", "/", reader...); p.status != 200 || p.cache() != "hit" {
			t.Errorf("reader's cached page during the storm: %d X-Cache %q, want a hit", p.status, p.cache())
		}
	}
	end()
	mu.Lock()
	defer mu.Unlock()
	if statuses[http.StatusNotFound] == 0 || statuses[http.StatusTooManyRequests] == 0 {
		t.Errorf("crawler's answers %v: want rendered 404s and 429s past its share", statuses)
	}
	if len(badRetry) > 0 {
		t.Errorf("refusals without whole seconds in Retry-After: %q", badRetry[:min(5, len(badRetry))])
	}
	t.Logf("crawler: %v; cache stats %+v", statuses, ta.cache.Stats())
}

// fetchNoFail is fetch for other goroutines: a failed request is status 0.
func fetchNoFail(ta *testApp, path string, hdr ...string) page {
	req, err := http.NewRequest("GET", ta.srv.URL+path, nil)
	if err != nil {
		return page{}
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Add(hdr[i], hdr[i+1])
	}
	res, err := rawClient.Do(req)
	if err != nil {
		return page{}
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, res.Body)
	return page{status: res.StatusCode, header: res.Header}
}

// TestLoopbackRendersShareOneQueue: without --trust-proxy every request
// from loopback is one client of the render queue, whatever
// X-Forwarded-For says; with it, the forwarded client is.
func TestLoopbackRendersShareOneQueue(t *testing.T) {
	plain := httptest.NewRequest("GET", "/", nil)
	plain.RemoteAddr = "127.0.0.1:40001"
	if got, want := admitClient(false)(plain), admitClient(false)(loopbackFrom("203.0.113.9")); got != want {
		t.Errorf("loopback keys %q and %q differ", got, want)
	}
	if got := admitClient(true)(loopbackFrom("203.0.113.9")); got != "203.0.113.9" {
		t.Errorf("with --trust-proxy: key %q, want the forwarded client", got)
	}
	if got := admitClient(true)(plain); got != "local" {
		t.Errorf("with --trust-proxy, loopback without X-Forwarded-For: key %q, want local", got)
	}
}

// loopbackFrom is a request from 127.0.0.1 saying it forwards for addr.
func loopbackFrom(addr string) *http.Request {
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "127.0.0.1:40000"
	r.Header.Set("X-Forwarded-For", addr)
	return r
}

// staffSession creates a desk session of an hour for the user with email
// and returns the cookie value.
func staffSession(t *testing.T, ta *testApp, email string) string {
	t.Helper()
	ctx := context.Background()
	u, err := ta.store.UserByEmail(ctx, email)
	must(t, err)
	sid := auth.RandomString(32)
	now := ta.clock.Now()
	must(t, ta.store.CreateSession(ctx, &newsroom.Session{IDHash: auth.HashToken(sid), UserID: u.ID, CSRFToken: "x",
		CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(time.Hour)}))
	return sid
}

// TestCostlyAnonymousPathsAreBounded: searches, comment posts and
// error-report posts are bounded per address and in all, through the real
// handler: past an address's rate 429, with every place taken 503, both
// with Retry-After and before any work; a cached search page is served
// throughout.
func TestCostlyAnonymousPathsAreBounded(t *testing.T) {
	ta := newTestAppWith(t, "", func(c *Config) { c.TrustProxy = true })
	f := newNewsFixture(t, ta)
	xff := func(addr string) []string { return []string{"X-Forwarded-For", addr} }
	if p := fetch(t, ta, "GET", "/search?q=harbour", xff("198.51.100.1")...); p.status != 200 {
		t.Fatalf("search: %d", p.status)
	}
	retryOK := func(what string, p page) {
		t.Helper()
		if n, err := strconv.Atoi(p.header.Get("Retry-After")); err != nil || n < 1 {
			t.Errorf("%s: Retry-After %q, want whole seconds", what, p.header.Get("Retry-After"))
		}
	}

	// One address searching for 30 new things: the burst of 20, then 429.
	limited := 0
	for i := range 30 {
		p := fetch(t, ta, "GET", fmt.Sprintf("/search?q=word%d", i), xff("203.0.113.7")...)
		switch p.status {
		case 200:
		case http.StatusTooManyRequests:
			limited++
			retryOK("search past the rate", p)
		default:
			t.Fatalf("search %d: %d", i, p.status)
		}
	}
	if limited < 5 {
		t.Errorf("30 new searches from one address: %d refused, want those past the burst of 20", limited)
	}
	if p := fetch(t, ta, "GET", "/search?q=harbour", xff("203.0.113.7")...); p.status != 200 || p.cache() != "hit" {
		t.Errorf("cached search for the limited address: %d %q, want a hit", p.status, p.cache())
	}
	if p := fetch(t, ta, "GET", "/search?q=quay", xff("198.51.100.2")...); p.status != 200 {
		t.Errorf("another address's search: %d", p.status)
	}

	// Every place taken: new searches (site and API), comment and report
	// posts are refused at once with 503; cached pages are still served.
	hold := func(g *throttle.Guard) func() {
		g.Gate = throttle.NewGate(1, 0, 10*time.Millisecond)
		release, err := g.Gate.Enter(context.Background())
		must(t, err)
		return release
	}
	releases := []func(){hold(ta.costly.search), hold(ta.costly.comments), hold(ta.costly.reports)}
	p := fetch(t, ta, "GET", "/search?q=ferry", xff("198.51.100.3")...)
	if p.status != http.StatusServiceUnavailable {
		t.Errorf("search with every place taken: %d, want 503", p.status)
	}
	retryOK("search, places taken", p)
	start := time.Now()
	if p := fetch(t, ta, "GET", "/search?q=harbour", xff("198.51.100.3")...); p.status != 200 || p.cache() != "hit" || time.Since(start) > time.Second {
		t.Errorf("cached search while searches are full: %d %q in %v", p.status, p.cache(), time.Since(start))
	}
	if p := fetch(t, ta, "GET", f.a.URL, xff("198.51.100.3")...); p.status != 200 {
		t.Errorf("article page while searches are full: %d", p.status)
	}
	res := doJSONFrom(t, ta, "GET", "/api/v1/articles?q=harbour", "198.51.100.4", "")
	if res.status != http.StatusServiceUnavailable || !strings.Contains(res.body, `"retry_after"`) {
		t.Errorf("API search with every place taken: %d %s", res.status, res.body)
	}
	form := url.Values{"article_id": {strconv.FormatInt(f.a.ID, 10)}, "comment": {"A fair point about the quay."},
		"author": {"Rein Oddsen"}, "email": {"rein@example.net"}}
	p = postForm(t, ta, "/comments", form, "198.51.100.5")
	if p.status != http.StatusServiceUnavailable {
		t.Errorf("comment post with every place taken: %d, want 503", p.status)
	}
	retryOK("comment post, places taken", p)
	res = doJSONFrom(t, ta, "POST", "/api/v1/error-reports", "198.51.100.5", `{"article_id":1}`)
	if res.status != http.StatusServiceUnavailable {
		t.Errorf("API error report with every place taken: %d %s", res.status, res.body)
	}
	p = postForm(t, ta, "/report-error", url.Values{"article_id": {"1"}}, "198.51.100.5")
	if p.status != http.StatusServiceUnavailable {
		t.Errorf("report form post with every place taken: %d, want 503", p.status)
	}
	for _, r := range releases {
		r()
	}
	// Posts per address: the burst of 5, then 429 (whatever the posts say).
	var statuses []int
	for range 7 {
		statuses = append(statuses, postForm(t, ta, "/report-error", url.Values{"article_id": {"x"}}, "203.0.113.8").status)
	}
	if statuses[0] == http.StatusTooManyRequests || statuses[6] != http.StatusTooManyRequests {
		t.Errorf("7 report posts from one address: %v, want the ones past 5 refused 429", statuses)
	}
}

// postForm posts form to path from addr (X-Forwarded-For).
func postForm(t *testing.T, ta *testApp, path string, form url.Values, addr string) page {
	t.Helper()
	return sendFrom(t, ta, "POST", path, "application/x-www-form-urlencoded", addr, form.Encode())
}

// doJSONFrom sends a JSON request without a token from addr.
func doJSONFrom(t *testing.T, ta *testApp, method, path, addr, body string) struct {
	status int
	body   string
} {
	t.Helper()
	p := sendFrom(t, ta, method, path, "application/json", addr, body)
	return struct {
		status int
		body   string
	}{p.status, string(p.body)}
}

// sendFrom sends body as contentType to path, from addr (X-Forwarded-For),
// without following a redirect.
func sendFrom(t *testing.T, ta *testApp, method, path, contentType, addr, body string) page {
	t.Helper()
	req, err := http.NewRequest(method, ta.srv.URL+path, strings.NewReader(body))
	must(t, err)
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Forwarded-For", addr)
	res, err := rawClient.Do(req)
	must(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	must(t, err)
	return page{status: res.StatusCode, header: res.Header, body: b}
}

// TestMemoryLimitDefaults: the automatic bound is 96 MiB, or 24 MiB under
// a larger page cache's; -1 is none; NEWSDESK_MEMORY_LIMIT sets it too.
func TestMemoryLimitDefaults(t *testing.T) {
	for _, tt := range []struct {
		args []string
		env  string
		want int64
	}{
		{nil, "", 96 << 20},
		{[]string{"--cache-mb", "256"}, "", 232 << 20},
		{[]string{"--cache-mb", "0"}, "", 96 << 20},
		{[]string{"--memory-limit", "200"}, "", 200 << 20},
		{[]string{"--memory-limit", "-1"}, "", 0},
		{nil, "300", 300 << 20},
	} {
		getenv := func(k string) string {
			if k == "NEWSDESK_MEMORY_LIMIT" {
				return tt.env
			}
			return ""
		}
		cfg, err := parseServe(tt.args, getenv, io.Discard)
		if err != nil {
			t.Fatalf("%v: %v", tt.args, err)
		}
		if got := cfg.memoryLimit(); got != tt.want {
			t.Errorf("%v env %q: memory limit %d MiB, want %d MiB", tt.args, tt.env, got>>20, tt.want>>20)
		}
		if cfg.CacheMB != 48 && len(tt.args) == 0 {
			t.Errorf("default page cache is %d MiB, want 48", cfg.CacheMB)
		}
	}
}
