package cache

import (
	"net/http/httptest"
	"testing"
	"time"
)

// TestSurrogateKeys: a stored page carries its keys and KeyAll as
// Surrogate-Key and xkey (and Cache-Tag, comma-separated, when asked),
// on the miss and on hits; SharedMaxAge replaces s-maxage.
func TestSurrogateKeys(t *testing.T) {
	c := New(Config{CacheTag: true, SharedMaxAge: time.Hour})
	h := StripInternal(c.Handler(newPages(100)), nil)
	for i := range 2 {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/p/7", nil))
		got := rec.Header()
		if got.Get("Surrogate-Key") != "page:7 all newsdesk" || got.Get("Xkey") != "page:7 all newsdesk" ||
			got.Get("Cache-Tag") != "page:7,all,newsdesk" || got.Get(HeaderKeys) != "" {
			t.Errorf("request %d: Surrogate-Key %q xkey %q Cache-Tag %q internal %q", i, got.Get("Surrogate-Key"),
				got.Get("Xkey"), got.Get("Cache-Tag"), got.Get(HeaderKeys))
		}
		if cc := got.Get("Cache-Control"); cc != "public, max-age=0, must-revalidate, s-maxage=3600, stale-while-revalidate=600, stale-if-error=300" {
			t.Errorf("Cache-Control %q", cc)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/untagged", nil))
	if rec.Header().Get("Surrogate-Key") != "" {
		t.Errorf("an uncacheable response carries Surrogate-Key %q", rec.Header().Get("Surrogate-Key"))
	}
}

func TestWithSharedMaxAge(t *testing.T) {
	for cc, want := range map[string]string{
		"public, max-age=0, s-maxage=60":                 "public, max-age=0, s-maxage=86400",
		"s-maxage=60, public":                            "s-maxage=86400, public",
		"public, max-age=0, must-revalidate":             "public, max-age=0, must-revalidate, s-maxage=86400",
		"public, no-cache, s-maxage=5, stale-if-error=1": "public, no-cache, s-maxage=86400, stale-if-error=1",
	} {
		if got := withSharedMaxAge(cc, 24*time.Hour); got != want {
			t.Errorf("withSharedMaxAge(%q) = %q, want %q", cc, got, want)
		}
	}
}
