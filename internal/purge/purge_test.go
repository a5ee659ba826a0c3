package purge

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"newsdesk/internal/newsroom"
)

// standIn records the purges a stand-in for a cache or a CDN's API got.
type standIn struct {
	mu       sync.Mutex
	requests int
	keys     map[string]int
	bad      []string
}

func (s *standIn) add(keys []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests++
	for _, k := range keys {
		s.keys[k]++
	}
}

func (s *standIn) fail(format string, args ...any) {
	s.mu.Lock()
	s.bad = append(s.bad, fmt.Sprintf(format, args...))
	s.mu.Unlock()
}

func (s *standIn) check(t *testing.T, want ...string) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, b := range s.bad {
		t.Error(b)
	}
	for _, k := range want {
		if s.keys[k] == 0 {
			t.Errorf("key %s never purged (got %v)", k, s.keys)
		}
	}
}

// fastlyStandIn answers as Fastly's API does for a purge by surrogate
// key: POST /service/{id}/purge with the keys space-separated in the
// Surrogate-Key header (at most 256) and the token in Fastly-Key; the
// answer maps each key to a purge id.
func fastlyStandIn(t *testing.T) (*standIn, *httptest.Server) {
	s := &standIn{keys: map[string]int{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/service/SU1Z0isxPaozGVKXdv0eY/purge" {
			s.fail("fastly: %s %s", r.Method, r.URL.Path)
			http.Error(w, `{"msg":"Record not found"}`, http.StatusNotFound)
			return
		}
		if r.Header.Get("Fastly-Key") != "fastly-token" {
			http.Error(w, `{"msg":"Provided credentials are missing or invalid"}`, http.StatusUnauthorized)
			s.fail("fastly: token %q", r.Header.Get("Fastly-Key"))
			return
		}
		keys := strings.Fields(r.Header.Get("Surrogate-Key"))
		if len(keys) == 0 || len(keys) > 256 {
			s.fail("fastly: %d keys in one call", len(keys))
			http.Error(w, `{"msg":"too many keys"}`, http.StatusBadRequest)
			return
		}
		s.add(keys)
		out := map[string]string{}
		for i, k := range keys {
			out[k] = fmt.Sprintf("%d-1700000000-1", i)
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(out)
	}))
	t.Cleanup(srv.Close)
	return s, srv
}

// cloudflareStandIn answers as Cloudflare's API does for a purge by cache
// tag: POST /client/v4/zones/{zone}/purge_cache with {"tags": [...]} (at
// most 100) and a bearer token; the first call is rate-limited (429 with
// Retry-After: 1), as a busy zone's can be.
func cloudflareStandIn(t *testing.T) (*standIn, *httptest.Server, *[]time.Time) {
	s := &standIn{keys: map[string]int{}}
	var calls []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		calls = append(calls, time.Now())
		first := len(calls) == 1
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if r.Method != http.MethodPost || r.URL.Path != "/client/v4/zones/023e105f4ecef8ad9ca31a8372d0c353/purge_cache" {
			s.fail("cloudflare: %s %s", r.Method, r.URL.Path)
			w.WriteHeader(http.StatusNotFound)
			return
		}
		if r.Header.Get("Authorization") != "Bearer cf-token" {
			s.fail("cloudflare: authorization %q", r.Header.Get("Authorization"))
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(`{"success":false,"errors":[{"code":10000,"message":"Authentication error"}]}`))
			return
		}
		if first {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write([]byte(`{"success":false,"errors":[{"code":971,"message":"Please wait and consider throttling your request speed"}]}`))
			return
		}
		var body struct {
			Tags []string `json:"tags"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil || len(body.Tags) == 0 || len(body.Tags) > 100 {
			s.fail("cloudflare: %d tags (%v)", len(body.Tags), err)
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"success":false,"errors":[{"code":1018,"message":"too many tags"}]}`))
			return
		}
		s.add(body.Tags)
		_, _ = w.Write([]byte(`{"success":true,"errors":[],"messages":[],"result":{"id":"023e105f4ecef8ad9ca31a8372d0c353"}}`))
	}))
	t.Cleanup(srv.Close)
	return s, srv, &calls
}

func start(t *testing.T, cfg Config) *Purger {
	t.Helper()
	p, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	p.Start()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = p.Close(ctx)
	})
	return p
}

func waitIdle(t *testing.T, p *Purger, d time.Duration) {
	t.Helper()
	done := make(chan struct{})
	go func() { p.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("purges still queued after %s", d)
	}
}

// TestFastlyBatchesAndCoalesces: 600 keys queued at once go in three
// calls of at most 256; the same key queued ten times goes once.
func TestFastlyBatchesAndCoalesces(t *testing.T) {
	s, srv := fastlyStandIn(t)
	p := start(t, Config{Kind: Fastly, URL: srv.URL + "/service/SU1Z0isxPaozGVKXdv0eY/purge", Token: "fastly-token", Rate: 100})
	var keys []string
	for i := range 600 {
		keys = append(keys, fmt.Sprintf("article:%d", i))
	}
	p.Purge(keys...)
	for range 10 {
		p.Purge("home")
	}
	waitIdle(t, p, 5*time.Second)
	s.check(t, "home", "article:0", "article:599")
	if s.requests != 3 || s.keys["home"] != 1 {
		t.Errorf("%d requests, home purged %d times; want 3 and 1", s.requests, s.keys["home"])
	}
}

// TestCloudflareRespectsRetryAfter: the first call is answered 429 with
// Retry-After: 1; the keys are sent again no sooner than a second later,
// in calls of at most 100 tags, within the configured rate.
func TestCloudflareRespectsRetryAfter(t *testing.T) {
	s, srv, calls := cloudflareStandIn(t)
	p := start(t, Config{Kind: Cloudflare, URL: srv.URL + "/client/v4/zones/023e105f4ecef8ad9ca31a8372d0c353/purge_cache", Token: "cf-token", Rate: 20, Burst: 1})
	var keys []string
	for i := range 150 {
		keys = append(keys, fmt.Sprintf("tag:t%d", i))
	}
	p.Purge(keys...)
	waitIdle(t, p, 10*time.Second)
	s.check(t, "tag:t0", "tag:t149")
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(*calls) != 3 || s.requests != 2 {
		t.Fatalf("%d calls (%d accepted), want 3 (2)", len(*calls), s.requests)
	}
	if gap := (*calls)[1].Sub((*calls)[0]); gap < time.Second {
		t.Errorf("retried %s after a 429 with Retry-After: 1", gap)
	}
}

// TestVarnishAndPlainPurge: Varnish gets PURGE with xkey-purge, a plain
// cache PURGE with Surrogate-Key; "*" becomes AllKey; a failing cache is
// retried until it answers.
func TestVarnishAndPlainPurge(t *testing.T) {
	for _, kind := range []string{Varnish, Plain} {
		t.Run(kind, func(t *testing.T) {
			s := &standIn{keys: map[string]int{}}
			var mu sync.Mutex
			fails := 2
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				defer mu.Unlock()
				if fails > 0 {
					fails--
					http.Error(w, "backend fetch failed", http.StatusBadGateway)
					return
				}
				h := "xkey-purge"
				if kind == Plain {
					h = "Surrogate-Key"
				}
				if r.Method != "PURGE" || r.Header.Get(h) == "" {
					s.fail("%s %s without %s", r.Method, r.URL, h)
				}
				s.add(strings.Fields(r.Header.Get(h)))
			}))
			defer srv.Close()
			p := start(t, Config{Kind: kind, URL: srv.URL + "/"})
			p.Changed(context.Background(), changeOf("home", "article:7"))
			waitIdle(t, p, 5*time.Second)
			p.Purge("*")
			waitIdle(t, p, 5*time.Second)
			s.check(t, "home", "article:7", AllKey)
		})
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	for _, c := range []Config{
		{Kind: "akamai", URL: "http://x/"},
		{Kind: Varnish, URL: "ftp://x/"},
		{Kind: Fastly, URL: "https://api.fastly.com/service/x/purge"},
	} {
		if _, err := New(c); err == nil {
			t.Errorf("New(%+v) accepted it", c)
		}
	}
}

func changeOf(keys ...string) newsroom.Change { return newsroom.Change{Keys: keys} }
