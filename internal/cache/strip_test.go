package cache

import (
	"fmt"
	"net/http"
	"testing"
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
