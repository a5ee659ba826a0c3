package cache

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"newsdesk/internal/newsroom"
)

// pages is a small real handler: /p/N answers a page of size bytes tagged
// "page:N" (and "all"), /untagged and /cookie are never cacheable, /gone
// is a tagged 404 and /moved a tagged 301. Renders are counted per path.
type pages struct {
	size    int
	mu      sync.Mutex
	renders map[string]int
	// gate, when set, holds a render of /slow until it is closed.
	gate chan struct{}
	// version is written into every page, so tests can tell renders apart.
	version atomic.Int64
}

func newPages(size int) *pages { return &pages{size: size, renders: map[string]int{}} }

func (p *pages) count(path string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.renders[path]
}

func (p *pages) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.renders[r.URL.Path]++
	gate := p.gate
	p.mu.Unlock()
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	switch {
	case r.URL.Path == "/slow":
		v := p.version.Load()
		<-gate
		h.Set(HeaderKeys, "slow")
		fmt.Fprintf(w, "<p>version %d</p>", v)
	case r.URL.Path == "/untagged":
		fmt.Fprint(w, "<p>untagged</p>")
	case r.URL.Path == "/cookie":
		h.Set(HeaderKeys, "cookie")
		http.SetCookie(w, &http.Cookie{Name: "x", Value: "1"})
		fmt.Fprint(w, "<p>cookie</p>")
	case r.URL.Path == "/gone":
		h.Set(HeaderKeys, KeyNotFound)
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, "<p>not here</p>")
	case r.URL.Path == "/moved":
		h.Set(HeaderKeys, "moved")
		http.Redirect(w, r, "/p/1", http.StatusMovedPermanently)
	case r.URL.Path == "/boom":
		h.Set(HeaderKeys, "boom")
		w.WriteHeader(http.StatusInternalServerError)
	case strings.HasPrefix(r.URL.Path, "/p/"):
		n := strings.TrimPrefix(r.URL.Path, "/p/")
		h.Set(HeaderKeys, "page:"+n+" all")
		h.Set(HeaderArticle, n)
		fmt.Fprintf(w, "<p>page %s version %d query %s</p>", n, p.version.Load(), r.URL.RawQuery)
		// Repetitive filler compresses well, like real HTML does.
		filler := strings.Repeat("<li>news of the day</li>", p.size/24+1)
		fmt.Fprint(w, filler[:max(p.size-60, 0)])
	default:
		http.NotFound(w, r)
	}
}

// get serves one request through h and returns the recorder.
func get(h http.Handler, method, target string, hdr ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Add(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestStoresOnlyWhatMayBeShared(t *testing.T) {
	p := newPages(2000)
	c := New(Config{})
	h := c.Handler(p)
	tests := []struct {
		path   string
		status int
		cached bool
	}{
		{"/p/1", 200, true},
		{"/gone", 404, true},
		{"/moved", 301, true},
		{"/untagged", 200, false},
		{"/cookie", 200, false},
		{"/boom", 500, false},
	}
	for _, tt := range tests {
		first := get(h, "GET", tt.path)
		second := get(h, "GET", tt.path)
		if first.Code != tt.status || second.Code != tt.status {
			t.Errorf("%s: status %d then %d, want %d", tt.path, first.Code, second.Code, tt.status)
		}
		wantRenders := 2
		if tt.cached {
			wantRenders = 1
		}
		if got := p.count(tt.path); got != wantRenders {
			t.Errorf("%s: rendered %d times, want %d", tt.path, got, wantRenders)
		}
		if tt.cached && second.Header().Get(HeaderStatus) != "hit" {
			t.Errorf("%s: second answer X-Cache = %q, want hit", tt.path, second.Header().Get(HeaderStatus))
		}
		if !bytes.Equal(first.Body.Bytes(), second.Body.Bytes()) {
			t.Errorf("%s: cached body differs", tt.path)
		}
	}
	if loc := get(h, "GET", "/moved").Header().Get("Location"); loc != "/p/1" {
		t.Errorf("cached redirect Location = %q", loc)
	}
}

func TestKeyNormalizesQueryAndBypasses(t *testing.T) {
	p := newPages(1000)
	c := New(Config{BypassCookies: []string{"nd_pending"}})
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

func TestNegotiate(t *testing.T) {
	tests := []struct {
		ae   string
		want int
	}{
		{"", encIdentity},
		{"gzip", encGzip},
		{"gzip, deflate, br, zstd", encBrotli},
		{"br;q=0.5, gzip", encGzip},
		{"br;q=0, gzip;q=0", encIdentity},
		{"*", encBrotli},
		{"*;q=0.1, gzip;q=0.5", encGzip},
		{"identity", encIdentity},
		{"GZIP;Q=1", encGzip},
		{"br;q=nonsense", encIdentity},
	}
	for _, tt := range tests {
		var lines []string
		if tt.ae != "" {
			lines = []string{tt.ae}
		}
		if got := negotiate(lines); got != tt.want {
			t.Errorf("negotiate(%q) = %s, want %s", tt.ae, encNames[got], encNames[tt.want])
		}
	}
}

func TestETagAndNotModified(t *testing.T) {
	p := newPages(3000)
	h := New(Config{}).Handler(p)
	id := get(h, "GET", "/p/1")
	gz := get(h, "GET", "/p/1", "Accept-Encoding", "gzip")
	etag, gzTag := id.Header().Get("ETag"), gz.Header().Get("ETag")
	if etag == "" || gzTag == "" || etag == gzTag || strings.HasPrefix(etag, "W/") {
		t.Fatalf("ETags %q and %q: want two different strong tags", etag, gzTag)
	}
	w := get(h, "GET", "/p/1", "If-None-Match", `"other", `+etag)
	if w.Code != http.StatusNotModified || w.Body.Len() != 0 || w.Header().Get("ETag") != etag {
		t.Errorf("If-None-Match: %d with %d bytes, ETag %q; want 304, empty", w.Code, w.Body.Len(), w.Header().Get("ETag"))
	}
	if w := get(h, "GET", "/p/1", "If-None-Match", gzTag); w.Code != http.StatusOK {
		t.Errorf("gzip ETag on an identity request: %d, want 200", w.Code)
	}
	if w := get(h, "HEAD", "/p/1"); w.Code != 200 || w.Body.Len() != 0 || w.Header().Get("Content-Length") != id.Header().Get("Content-Length") {
		t.Errorf("HEAD: %d, %d bytes, Content-Length %q", w.Code, w.Body.Len(), w.Header().Get("Content-Length"))
	}
	// A new version gets a new ETag.
	p.version.Add(1)
	New(Config{}) // unrelated cache: no effect
	c := New(Config{})
	h2 := c.Handler(p)
	if w := get(h2, "GET", "/p/1"); w.Header().Get("ETag") == etag {
		t.Errorf("changed page kept ETag %q", etag)
	}
}

func TestInvalidateIsPrecise(t *testing.T) {
	p := newPages(1000)
	c := New(Config{})
	h := c.Handler(p)
	for _, path := range []string{"/p/1", "/p/2", "/gone"} {
		get(h, "GET", path)
	}
	c.Changed(context.Background(), newsroom.Change{Keys: []string{"page:1"}})
	for path, want := range map[string]string{"/p/1": "miss", "/p/2": "hit", "/gone": "miss"} {
		if got := get(h, "GET", path).Header().Get(HeaderStatus); got != want {
			t.Errorf("after change of page:1, %s is a %s, want %s", path, got, want)
		}
	}
	if n := c.Invalidate("all"); n != 2 {
		t.Errorf("Invalidate(all) dropped %d entries, want 2", n)
	}
	c.Changed(context.Background(), newsroom.Change{Keys: []string{"*"}})
	if st := c.Stats(); st.Entries != 0 || st.Bytes != 0 {
		t.Errorf("after a flush: %d entries, %d bytes", st.Entries, st.Bytes)
	}
}

// TestRenderOlderThanInvalidationIsNotStored: a render that read its data
// before a change and finishes after the change's invalidation must not
// be stored, or the page would be stale after the write returned.
func TestRenderOlderThanInvalidationIsNotStored(t *testing.T) {
	p := newPages(100)
	p.gate = make(chan struct{})
	c := New(Config{})
	h := c.Handler(p)
	done := make(chan *httptest.ResponseRecorder)
	go func() { done <- get(h, "GET", "/slow") }()
	for p.count("/slow") == 0 {
		time.Sleep(time.Millisecond)
	}
	p.version.Add(1) // the write...
	c.Invalidate("slow")
	close(p.gate) // ...then the old render finishes
	if w := <-done; !strings.Contains(w.Body.String(), "version 0") {
		t.Fatalf("the racing request got %q", w.Body.String())
	}
	if st := c.Stats(); st.Refused != 1 || st.Entries != 0 {
		t.Errorf("refused %d, entries %d; want the old render refused", st.Refused, st.Entries)
	}
	if w := get(h, "GET", "/slow"); !strings.Contains(w.Body.String(), "version 1") {
		t.Errorf("after the write: %q, want version 1", w.Body.String())
	}
}

func TestHerdRendersOnce(t *testing.T) {
	p := newPages(100)
	p.gate = make(chan struct{})
	c := New(Config{})
	h := c.Handler(p)
	const n = 50
	var wg sync.WaitGroup
	bodies := make([]string, n)
	for i := range n {
		wg.Go(func() { bodies[i] = get(h, "GET", "/slow").Body.String() })
	}
	// Let every request arrive while the first render is held.
	deadline := time.Now().Add(5 * time.Second)
	for c.Stats().Misses < n && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	close(p.gate)
	wg.Wait()
	if got := p.count("/slow"); got != 1 {
		t.Errorf("%d concurrent misses rendered %d times, want 1", n, got)
	}
	for i, b := range bodies {
		if b != bodies[0] || b == "" {
			t.Fatalf("request %d got %q, first got %q", i, b, bodies[0])
		}
	}
}

func TestEvictsByBytesWithClock(t *testing.T) {
	p := newPages(10 << 10)
	c := New(Config{MaxBytes: 100 << 10})
	h := c.Handler(p)
	get(h, "GET", "/p/hot")
	for i := range 40 {
		get(h, "GET", fmt.Sprintf("/p/%d", i))
		get(h, "GET", "/p/hot") // referenced between every insertion
	}
	st := c.Stats()
	if st.Bytes > 100<<10 || st.Evictions == 0 || st.Entries < 5 {
		t.Errorf("after 41 pages of 10 KiB in 100 KiB: %d bytes in %d entries, %d evictions", st.Bytes, st.Entries, st.Evictions)
	}
	if got := p.count("/p/hot"); got != 1 {
		t.Errorf("the hot page was rendered %d times; CLOCK should have kept it", got)
	}
	// Compressed bodies count too.
	before := c.Stats().Bytes
	get(h, "GET", "/p/hot", "Accept-Encoding", "br")
	if after := c.Stats().Bytes; after <= before && c.Stats().Evictions == st.Evictions {
		t.Errorf("a Brotli body did not add to the size: %d then %d", before, after)
	}
	if c.Stats().Bytes > 100<<10 {
		t.Errorf("over the bound after compressing: %d", c.Stats().Bytes)
	}
}

func TestExpiresAfterTTL(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	p := newPages(100)
	h := New(Config{TTL: time.Minute, Now: clock}).Handler(p)
	get(h, "GET", "/p/1")
	mu.Lock()
	now = now.Add(59 * time.Second)
	mu.Unlock()
	get(h, "GET", "/p/1")
	mu.Lock()
	now = now.Add(2 * time.Second)
	mu.Unlock()
	get(h, "GET", "/p/1")
	if got := p.count("/p/1"); got != 2 {
		t.Errorf("rendered %d times over 61 s with a 60 s TTL, want 2", got)
	}
}

func TestStripInternal(t *testing.T) {
	p := newPages(1000)
	c := New(Config{})
	var seen []int64
	var statuses []int
	h := StripInternal(c.Handler(p), func(r *http.Request, status int, id int64) {
		seen = append(seen, id)
		statuses = append(statuses, status)
	})
	for _, path := range []string{"/p/7", "/p/7", "/gone", "/untagged"} {
		w := get(h, "GET", path)
		for _, k := range []string{HeaderKeys, HeaderArticle} {
			if v := w.Header().Get(k); v != "" {
				t.Errorf("%s: %s = %q left the server", path, k, v)
			}
		}
	}
	if fmt.Sprint(seen) != "[7 7]" || fmt.Sprint(statuses) != "[200 200]" {
		t.Errorf("hook saw articles %v with statuses %v, want the miss and the hit of 7", seen, statuses)
	}
}
