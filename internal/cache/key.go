package cache

import (
	"net/http"
	"strings"

	"newsdesk/internal/web"
)

// key returns the cache key of r and the query the page is rendered
// with, or false when r bypasses the cache.
//
// Only GET and HEAD are keyed. A request carrying one of the bypass
// cookies (Config.BypassCookies) bypasses only when Config.Private says
// the cookie is really someone's (a live session, a reader's own pending
// comments); a forged one is served from the cache like no cookie at all.
// No other header bypasses: no page reads Authorization.
//
// The key is the escaped path plus the query Config.Query gives, by
// default the parameters sorted by name without tracking ones
// (web.TrackingParam), so "?b=1&a=2" and "?a=2&b=1&utm_source=x" share
// an entry.
func (c *Cache) key(r *http.Request) (key, query string, ok bool) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return "", "", false
	}
	if cookies := r.Header["Cookie"]; len(cookies) > 0 && hasCookie(cookies, c.bypass) {
		if c.private == nil || c.private(r) {
			return "", "", false
		}
	}
	p := r.URL.EscapedPath()
	if r.URL.RawQuery == "" {
		return p, "", true
	}
	if c.query != nil {
		query, ok = c.query(r)
	} else {
		query, ok = CleanQuery(r.URL.RawQuery), true
	}
	if !ok {
		return "", "", false
	}
	if query == "" {
		return p, "", true
	}
	return p + "?" + query, query, true
}

// CleanQuery returns raw without tracking parameters and pairs that do
// not parse, the rest sorted by name (values keep their order) and
// written one way.
func CleanQuery(raw string) string {
	q := web.ParseQuery(raw)
	for k := range q {
		if web.TrackingParam(k) {
			delete(q, k)
		}
	}
	return q.Encode()
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
