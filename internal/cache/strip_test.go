package cache

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"newsdesk/internal/ops"
)

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

// TestCacheTellsArticleAndRoute: with Config.OnArticle the cache tells the
// hook about its own answers (a miss, hits, a 304) and StripInternal about
// the rest, each once, and no X-Newsdesk-Article leaves; Config.Route is
// asked once per stored page and every answer from the page names it to
// the request log.
func TestCacheTellsArticleAndRoute(t *testing.T) {
	p := newPages(1000)
	var seen []string
	hook := func(r *http.Request, status int, id int64) {
		seen = append(seen, fmt.Sprintf("%s:%d:%d", r.URL.Path, status, id))
	}
	routes := 0
	c := New(Config{OnArticle: hook, Route: func(r *http.Request) string { routes++; return "GET /p/{n}" }})
	var logged bytes.Buffer
	q := &ops.Requests{Logger: slog.New(slog.NewTextHandler(&logged, nil)), Lines: &logged,
		Routes: http.NewServeMux()} // a mux that names no route: the lines' routes are the cache's
	h := q.Handler(StripInternal(c.Handler(p), hook))
	var etag string
	for i, path := range []string{"/p/7", "/p/7", "/p/7", "/untagged"} {
		var w *httptest.ResponseRecorder
		if i == 2 {
			w = get(h, "GET", path, "If-None-Match", etag)
		} else {
			w = get(h, "GET", path)
		}
		etag = w.Header().Get("Etag")
		if v := w.Header().Get(HeaderArticle); v != "" {
			t.Errorf("%s: %s = %q left the server", path, HeaderArticle, v)
		}
	}
	if got := strings.Join(seen, " "); got != "/p/7:200:7 /p/7:200:7 /p/7:304:7" {
		t.Errorf("hook saw %s, want the miss, the hit and the 304 of article 7", got)
	}
	if routes != 1 {
		t.Errorf("Route asked %d times, want once for the stored page", routes)
	}
	lines := strings.Split(strings.TrimSpace(logged.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("log = %q, want 4 lines", logged.String())
	}
	for i, l := range lines[:3] {
		if !strings.Contains(l, `route="GET /p/{n}"`) {
			t.Errorf("line %d = %s, want the cache's route", i, l)
		}
	}
	if !strings.Contains(lines[3], `route=""`) {
		t.Errorf("uncached line = %s, want the mux's (none)", lines[3])
	}
}
