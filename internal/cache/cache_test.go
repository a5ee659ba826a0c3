package cache

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
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
