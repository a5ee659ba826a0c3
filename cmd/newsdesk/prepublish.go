package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

// siteResolves reports whether a reader following a link to path on our
// site reaches a page: the public site's handler answers 200 (or 304),
// after at most three redirects to our own paths. It is what the
// pre-publish check asks about each link to our own pages in a story;
// nothing is written, the page cache is not in the way, and no view is
// counted (the view hook is outside the site's handler).
func siteResolves(ctx context.Context, h http.Handler, path string) bool {
	for range 4 {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, path, nil)
		if err != nil {
			return false
		}
		req.RemoteAddr = "127.0.0.1:0"
		w := &statusOnly{h: http.Header{}}
		h.ServeHTTP(w, req)
		switch {
		case w.status == 0 || w.status == http.StatusOK || w.status == http.StatusNotModified:
			return true
		case w.status >= 300 && w.status < 400:
			loc, err := url.Parse(w.h.Get("Location"))
			if err != nil || loc.Host != "" || !strings.HasPrefix(loc.Path, "/") {
				return err == nil && loc.Host != "" // a redirect elsewhere leads somewhere
			}
			path = loc.RequestURI()
		default:
			return false
		}
	}
	return false
}

// statusOnly is a ResponseWriter that keeps the status and headers and
// throws the body away.
type statusOnly struct {
	h      http.Header
	status int
}

func (w *statusOnly) Header() http.Header { return w.h }
func (w *statusOnly) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}
func (w *statusOnly) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return len(p), nil
}
