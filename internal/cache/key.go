package cache

import (
	"net/http"
	"net/url"
	"strings"
)

// key returns the cache key of r, or false when r bypasses the cache.
//
// Only GET and HEAD without an Authorization header and without any of
// the bypass cookies (Config.BypassCookies) are keyed.
// The key is the escaped path plus the query with its parameters sorted by
// name (values keep their order), so "?b=1&a=2" and "?a=2&b=1" share an
// entry; an unparsable query bypasses.
func (c *Cache) key(r *http.Request) (string, bool) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return "", false
	}
	if len(r.Header["Authorization"]) > 0 {
		return "", false
	}
	if cookies := r.Header["Cookie"]; len(cookies) > 0 && hasCookie(cookies, c.bypass) {
		return "", false
	}
	p := r.URL.EscapedPath()
	if r.URL.RawQuery == "" {
		return p, true
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return "", false
	}
	if len(q) == 0 {
		return p, true
	}
	return p + "?" + q.Encode(), true
}

// hasCookie reports whether any Cookie header line names one of names.
func hasCookie(lines []string, names []string) bool {
	for _, line := range lines {
		for line != "" {
			var part string
			part, line, _ = strings.Cut(line, ";")
			name, _, _ := strings.Cut(strings.TrimSpace(part), "=")
			for _, n := range names {
				if name == n {
					return true
				}
			}
		}
	}
	return false
}
