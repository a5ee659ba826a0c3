package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"time"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/throttle"
	"newsdesk/internal/web"
)

// costlyClient is the client a costly request (below) is counted
// against: its address (an IPv6 /64 as one), or none for loopback (health
// checks, a proxy on the same host that is not trusted to name the
// client).
func costlyClient(trustProxy bool) func(*http.Request) string {
	return func(r *http.Request) string {
		ip := web.ClientIP(r, trustProxy)
		if !ip.IsValid() || ip.IsLoopback() {
			return ""
		}
		return web.ClientKey(r, trustProxy)
	}
}

// admitClient is the client a page render queues as (internal/admit):
// its address (an IPv6 /64 as one), taken from X-Forwarded-For with
// --trust-proxy. Requests from loopback, and any without an address, are
// one client: behind a proxy on the same host that is not trusted they
// all share one queue, which is why a benchmark on loopback runs with
// --trust-proxy and sets X-Forwarded-For per connection.
func admitClient(trustProxy bool) func(*http.Request) string {
	return func(r *http.Request) string {
		ip := web.ClientIP(r, trustProxy)
		if !ip.IsValid() || ip.IsLoopback() {
			return "local"
		}
		return web.ClientKey(r, trustProxy)
	}
}

// costly bounds the anonymous requests that cost more than a page render:
// searches (the site's and the API's ?q=), comment posts and error-report
// posts, each kind with its own place in a Gate and a rate per client
// address. It sits behind the page cache, so a cached search page never
// waits on it; beyond the bounds a request gets 429 (the client's rate) or
// 503 (everyone's), with Retry-After, before any work is done.
type costly struct {
	search, comments, reports *throttle.Guard
	client                    func(*http.Request) string
	// site answers refused site requests in the site's look.
	site func(http.ResponseWriter, *http.Request, error)
}

// newCostly sizes the bounds to the machine: per CPU, 2 searches run and
// 8 wait, 2 comment or report posts run and 4 wait, none longer than 2 s.
// Each address may search once a second (bursts of 20) and post a comment
// or a report every 5 seconds (bursts of 5); the services' own limits on
// accepted comments and reports stay as they are.
func newCostly(trustProxy bool, site func(http.ResponseWriter, *http.Request, error), counters newsroom.Counters, logger *slog.Logger) *costly {
	n := runtime.GOMAXPROCS(0)
	c := &costly{
		search: &throttle.Guard{PerClient: throttle.NewLimiter(1, 20, 0),
			Gate: throttle.NewGate(2*n, 8*n, 2*time.Second)},
		comments: &throttle.Guard{PerClient: throttle.NewLimiter(0.2, 5, 0),
			Gate: throttle.NewGate(2*n, 4*n, 2*time.Second)},
		reports: &throttle.Guard{PerClient: throttle.NewLimiter(0.2, 5, 0),
			Gate: throttle.NewGate(2*n, 4*n, 2*time.Second)},
		client: costlyClient(trustProxy),
		site:   site,
	}
	if counters != nil {
		// The same rates, counted where every node sees them.
		c.comments.PerClient = throttle.SharedRate(counters, "comment-post:", 0.2, 5, logger)
		c.reports.PerClient = throttle.SharedRate(counters, "report-post:", 0.2, 5, logger)
	}
	return c
}

// guard returns the bound r falls under, and what to call it, or nil.
func (c *costly) guard(r *http.Request) (*throttle.Guard, string) {
	p := r.URL.Path
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		if p == "/search" || editionSearch(p) || p == "/api/v1/articles" && r.URL.Query().Get("q") != "" {
			return c.search, "searches"
		}
	case http.MethodPost:
		switch {
		case p == "/comments" || strings.HasPrefix(p, "/api/v1/articles/") && strings.HasSuffix(p, "/comments"):
			return c.comments, "comments"
		case p == "/report-error" || p == "/api/v1/error-reports":
			return c.reports, "error reports"
		}
	}
	return nil, ""
}

// Handler wraps next with the bounds.
func (c *costly) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g, what := c.guard(r)
		if g == nil {
			next.ServeHTTP(w, r)
			return
		}
		release, err := g.Enter(r.Context(), c.client(r))
		if err == nil {
			defer release()
			next.ServeHTTP(w, r)
			return
		}
		var lim *throttle.Limited
		var full *throttle.Full
		var refusal *newsroom.Error
		switch {
		case errors.As(err, &lim):
			refusal = newsroom.RateLimitedf(lim.Retry, "too many %s from your address; wait %d seconds and try again", what, web.RetrySeconds(lim.Retry))
		case errors.As(err, &full):
			refusal = &newsroom.Error{Code: newsroom.Unavailable, Retry: full.Retry,
				Message: fmt.Sprintf("the site is busy with %s; try again in %d seconds", what, web.RetrySeconds(full.Retry))}
		default:
			refusal = &newsroom.Error{Code: newsroom.Unavailable, Retry: time.Second, Message: "the site is busy; try again in a moment"}
		}
		w.Header().Set("Cache-Control", "no-store")
		if strings.HasPrefix(r.URL.Path, "/api/") || c.site == nil {
			p := web.ProblemOf(refusal, "", nil)
			web.SetHeaders(w, p, "")
			_ = web.WriteJSON(w, p.Status, web.BodyOf(p))
			return
		}
		c.site(w, r, refusal)
	})
}

// editionSearch reports whether p is the search of a language edition
// ("/ru/search").
func editionSearch(p string) bool {
	for _, l := range newsroom.Languages {
		if p == "/"+l+"/search" {
			return true
		}
	}
	return false
}
