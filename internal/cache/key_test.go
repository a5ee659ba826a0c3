package cache

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/admit"
)

func TestKeyNormalizesQueryAndBypasses(t *testing.T) {
	p := newPages(1000)
	c := New(Config{BypassCookies: []string{"nd_session", "nd_pending"}})
	h := c.Handler(p)
	get(h, "GET", "/p/1?b=2&a=1")
	if w := get(h, "GET", "/p/1?a=1&b=2"); w.Header().Get(HeaderStatus) != "hit" {
		t.Errorf("reordered query: X-Cache %q, want hit", w.Header().Get(HeaderStatus))
	}
	if w := get(h, "GET", "/p/1?a=1"); w.Header().Get(HeaderStatus) != "miss" {
		t.Errorf("other query: X-Cache %q, want miss", w.Header().Get(HeaderStatus))
	}
	for _, tt := range []struct {
		name   string
		method string
		hdr    []string
	}{
		{"session cookie", "GET", []string{"Cookie", "theme=dark; nd_session=abc"}},
		{"declared reader cookie", "GET", []string{"Cookie", "nd_pending=1"}},
		{"post", "POST", nil},
	} {
		before := p.count("/p/1")
		w := get(h, tt.method, "/p/1", tt.hdr...)
		if p.count("/p/1") != before+1 || w.Header().Get(HeaderStatus) != "" {
			t.Errorf("%s: did not bypass (X-Cache %q)", tt.name, w.Header().Get(HeaderStatus))
		}
		if tt.method == "GET" && w.Header().Get("Cache-Control") != "private, no-cache" {
			t.Errorf("%s: Cache-Control %q, want private, no-cache", tt.name, w.Header().Get("Cache-Control"))
		}
	}
	// A cookie whose name merely contains the session cookie's does not bypass.
	if w := get(h, "GET", "/p/1?a=1", "Cookie", "not_nd_session=1"); w.Header().Get(HeaderStatus) != "hit" {
		t.Errorf("unrelated cookie: X-Cache %q, want hit", w.Header().Get(HeaderStatus))
	}
	// No page reads Authorization, so it is no reason to render (it was
	// one before: any junk Authorization header switched the cache off).
	if w := get(h, "GET", "/p/1?a=1", "Authorization", "Bearer junk"); w.Header().Get(HeaderStatus) != "hit" {
		t.Errorf("junk Authorization: X-Cache %q, want hit", w.Header().Get(HeaderStatus))
	}
}

func TestTrackingParametersMakeNoEntries(t *testing.T) {
	p := newPages(1000)
	c := New(Config{})
	h := c.Handler(p)
	get(h, "GET", "/p/1")
	for i := range 200 {
		target := fmt.Sprintf("/p/1?utm_source=s%d&fbclid=%d&gclid=x%d&UTM_Medium=m", i, i, i)
		if w := get(h, "GET", target); w.Header().Get(HeaderStatus) != "hit" {
			t.Fatalf("%s: X-Cache %q, want hit", target, w.Header().Get(HeaderStatus))
		}
	}
	if s := c.Stats(); s.Entries != 1 || p.count("/p/1") != 1 {
		t.Fatalf("after 200 tracking links: %d entries, %d renders; want 1 and 1", s.Entries, p.count("/p/1"))
	}
	if got := CleanQuery("b=2&utm_campaign=x&a=1&%zz=1&a=0&gclid=9"); got != "a=1&a=0&b=2" {
		t.Errorf("CleanQuery: %q", got)
	}
}

func TestBypassCookiesAreCheckedNotJustNamed(t *testing.T) {
	p := newPages(1000)
	c := New(Config{BypassCookies: []string{"nd_session"},
		Private: func(r *http.Request) bool {
			ck, err := r.Cookie("nd_session")
			return err == nil && ck.Value == "valid"
		}})
	h := c.Handler(p)
	get(h, "GET", "/p/1")
	if w := get(h, "GET", "/p/1", "Cookie", "nd_session=forged"); w.Header().Get(HeaderStatus) != "hit" {
		t.Errorf("forged session cookie: X-Cache %q, want hit", w.Header().Get(HeaderStatus))
	}
	w := get(h, "GET", "/p/1", "Cookie", "nd_session=valid")
	if w.Header().Get(HeaderStatus) != "" || w.Header().Get("Cache-Control") != "private, no-cache" || p.count("/p/1") != 2 {
		t.Errorf("valid session: X-Cache %q, Cache-Control %q, renders %d; want a private render",
			w.Header().Get(HeaderStatus), w.Header().Get("Cache-Control"), p.count("/p/1"))
	}
}

func TestCustomQueryIsWhatThePageSees(t *testing.T) {
	var seen []string
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.URL.RawQuery)
		w.Header().Set(HeaderKeys, "x")
		fmt.Fprint(w, "<p>page</p>")
	})
	c := New(Config{Query: func(r *http.Request) (string, bool) {
		q := r.URL.Query()
		if q.Has("mine") {
			return "", false
		}
		if v := q.Get("page"); v != "" {
			return "page=" + v, true
		}
		return "", true
	}})
	h := c.Handler(next)
	get(h, "GET", "/list?junk=1&page=2")
	if w := get(h, "GET", "/list?page=2&other=3"); w.Header().Get(HeaderStatus) != "hit" {
		t.Errorf("unread parameter: X-Cache %q, want hit", w.Header().Get(HeaderStatus))
	}
	get(h, "GET", "/list?random=7")
	if w := get(h, "GET", "/list"); w.Header().Get(HeaderStatus) != "hit" {
		t.Errorf("/list after /list?random=7: X-Cache %q, want hit", w.Header().Get(HeaderStatus))
	}
	get(h, "GET", "/list?mine=1")
	if strings.Join(seen, "|") != "page=2||mine=1" {
		t.Errorf("queries rendered: %q, want page=2, \"\" and the personal one as sent", seen)
	}
}

// TestRendersQueueFairlyPerClient: the cache admits renders through its
// Admitter, keyed by Config.ClientKey: one place held, a client's second
// waiting render is refused with 429 and Retry-After, another client's
// waits and renders next, a bypassed render queues too, and hits of a
// client whose queue is full answer at once.
func TestRendersQueueFairlyPerClient(t *testing.T) {
	p := newPages(100)
	p.gate = make(chan struct{})
	c := New(Config{Admit: admit.New(admit.Config{Places: 1, PerClient: 1, Queue: 4, MaxWait: 5 * time.Second}),
		BypassCookies: []string{"s"},
		ClientKey:     func(r *http.Request) string { return r.Header.Get("X-Client") }})
	h := c.Handler(p)
	if w := get(h, "GET", "/p/0", "X-Client", "a"); w.Code != 200 {
		t.Fatalf("first render: %d", w.Code)
	}
	// a holds the one place on /slow and has one render waiting.
	done := make(chan *httptest.ResponseRecorder, 3)
	go func() { done <- get(h, "GET", "/slow", "X-Client", "a") }()
	waitStats(t, c, func(s Stats) bool { return s.Rendering == 1 })
	go func() { done <- get(h, "GET", "/p/1", "X-Client", "a") }()
	waitStats(t, c, func(s Stats) bool { return s.Waiting == 1 })
	// Its next one is past its share: 429 with a Retry-After at once,
	// bypassed or not.
	for _, hdr := range [][]string{{"X-Client", "a"}, {"X-Client", "a", "Cookie", "s=1"}} {
		w := get(h, "GET", "/p/2", hdr...)
		if n, err := strconv.Atoi(w.Header().Get("Retry-After")); w.Code != http.StatusTooManyRequests || err != nil || n < 1 {
			t.Fatalf("render past a's share (%v): %d Retry-After %q, want 429 with whole seconds", hdr, w.Code, w.Header().Get("Retry-After"))
		}
	}
	// Hits never wait, not even for a client whose queue is full.
	for range 20 {
		if w := get(h, "GET", "/p/0", "X-Client", "a"); w.Code != 200 || w.Header().Get(HeaderStatus) != "hit" {
			t.Fatalf("hit for a client with its queue full: %d %q", w.Code, w.Header().Get(HeaderStatus))
		}
	}
	// Another client waits in its own queue; both are served once the
	// place is free.
	go func() { done <- get(h, "GET", "/p/3", "X-Client", "b") }()
	waitStats(t, c, func(s Stats) bool { return s.Waiting == 2 })
	close(p.gate)
	for range 3 {
		if w := <-done; w.Code != 200 {
			t.Fatalf("queued render: %d", w.Code)
		}
	}
	if s := c.Stats(); s.Limited != 2 || s.Busy != 0 || s.Rendering != 0 || s.Waiting != 0 {
		t.Errorf("stats %+v: want 2 limited, none busy, nothing running or waiting", s)
	}
}

// waitStats waits until c's stats satisfy ok (at most 5 s).
func waitStats(t *testing.T, c *Cache, ok func(Stats) bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !ok(c.Stats()) {
		if time.Now().After(deadline) {
			t.Fatalf("stats never reached the state: %+v", c.Stats())
		}
		time.Sleep(time.Millisecond)
	}
}
