package cache

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
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

func TestRendersAreBoundedPerClientAndInAll(t *testing.T) {
	p := newPages(100)
	p.gate = make(chan struct{})
	c := New(Config{MaxRenders: 1, RenderQueue: 1, RenderWait: 50 * time.Millisecond,
		BypassCookies: []string{"s"},
		ClientKey:     func(r *http.Request) string { return r.Header.Get("X-Client") },
		ClientRate:    1, ClientBurst: 3})
	h := c.Handler(p)
	// One client: three renders in a burst, then 429 with the wait.
	for i := range 3 {
		if w := get(h, "GET", fmt.Sprintf("/p/%d", i), "X-Client", "a"); w.Code != 200 {
			t.Fatalf("render %d: %d", i, w.Code)
		}
	}
	w := get(h, "GET", "/p/9", "X-Client", "a")
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "1" {
		t.Fatalf("4th render: %d Retry-After %q, want 429 and 1", w.Code, w.Header().Get("Retry-After"))
	}
	// A bypassed render counts too.
	if w := get(h, "GET", "/p/1", "X-Client", "a", "Cookie", "s=1"); w.Code != http.StatusTooManyRequests {
		t.Fatalf("bypassed render over the client's rate: %d, want 429", w.Code)
	}
	// Hits never wait and are never limited.
	for range 20 {
		if w := get(h, "GET", "/p/0", "X-Client", "a"); w.Header().Get(HeaderStatus) != "hit" {
			t.Fatalf("hit for a limited client: %d %q", w.Code, w.Header().Get(HeaderStatus))
		}
	}
	// All clients: one running (held), one waiting, the next refused 503.
	done := make(chan int, 2)
	go func() { done <- get(h, "GET", "/slow", "X-Client", "b").Code }()
	for c.Stats().Rendering == 0 {
		time.Sleep(time.Millisecond)
	}
	w = get(h, "GET", "/p/20", "X-Client", "c") // waits 50 ms, then refused
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" {
		t.Fatalf("render with the queue full: %d Retry-After %q, want 503 with a value", w.Code, w.Header().Get("Retry-After"))
	}
	close(p.gate)
	if code := <-done; code != 200 {
		t.Fatalf("held render: %d", code)
	}
	if s := c.Stats(); s.Limited != 2 || s.Busy != 1 {
		t.Errorf("stats %+v: want 2 limited, 1 busy", s)
	}
}
