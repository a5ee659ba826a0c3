package cache

import "testing"

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
		{"authorization", "GET", []string{"Authorization", "Bearer x"}},
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
}
