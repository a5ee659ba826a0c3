package site

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/web"
)

// queryRule is what one route reads from the query: the parameters, each
// written one way (clean returns "" to drop a value), and the parameters
// that make a page personal (the page cache bypasses for them).
type queryRule struct {
	clean    map[string]func(s *Server, v string) string
	personal []string
}

// pageParam is ?page=N on listings: a missing or first page is no
// parameter; anything that is not a whole number of at least 1 is one
// "page=0" (the same 404 for every bad value).
var pageParam = map[string]func(*Server, string) string{"page": func(_ *Server, v string) string {
	n, err := strconv.Atoi(v)
	switch {
	case err != nil || n < 1:
		return "0"
	case n == 1:
		return ""
	}
	return strconv.Itoa(n)
}}

// wholeAbove1 keeps a number the page uses only above 1 (and below max).
func wholeAbove1(max int) func(*Server, string) string {
	return func(_ *Server, v string) string {
		if n, err := strconv.Atoi(v); err == nil && n > 1 && n < max {
			return strconv.Itoa(n)
		}
		return ""
	}
}

var articleRule = queryRule{clean: map[string]func(*Server, string) string{"cpage": wholeAbove1(1 << 30)},
	personal: []string{"posted"}}

// listRule: ?page=N, and the day pages' ?until=DAY&skip=K (archive.go),
// each kept as written when valid, "0" (the same 404) when not.
var listRule = queryRule{clean: map[string]func(*Server, string) string{
	"page": pageParam["page"],
	"until": func(_ *Server, v string) string {
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			return "0"
		}
		return v
	},
	"skip": func(_ *Server, v string) string {
		if n, err := strconv.Atoi(v); err == nil && n > 0 && n%perPage == 0 && n < maxSkip {
			return strconv.Itoa(n)
		}
		return "0"
	},
}}

// queryRules maps the site's route patterns to what they read. Patterns
// not listed read nothing from the query.
var queryRules = map[string]queryRule{
	"GET /search": {clean: map[string]func(*Server, string) string{
		"q":       func(_ *Server, v string) string { return searchText(v) },
		"section": func(_ *Server, v string) string { return strings.TrimSpace(v) },
		"from":    (*Server).cleanDay,
		"to":      (*Server).cleanDay,
		"page":    wholeAbove1(10_000),
	}},
	"GET /tag/{slug}":           listRule,
	"GET /tag/{slug}/{$}":       listRule,
	"GET /author/{slug}":        listRule,
	"GET /author/{slug}/{$}":    listRule,
	"GET /{section}/{$}":        listRule,
	"GET /corrections":          {clean: pageParam},
	"GET /corrections/{$}":      {clean: pageParam},
	"GET /{section}/{slug}":     articleRule,
	"GET /{section}/{slug}/{$}": articleRule,
	"GET /report-error": {clean: map[string]func(*Server, string) string{
		"article": func(_ *Server, v string) string {
			if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 {
				return strconv.FormatInt(n, 10)
			}
			return "0"
		},
		"sent":   func(_ *Server, v string) string { return keepIf(v == "1", v) },
		"status": func(_ *Server, v string) string { return keepIf(v == string(newsroom.ReportFixedByEdit), v) },
	}},
}

func keepIf(ok bool, v string) string {
	if ok {
		return v
	}
	return ""
}

// searchText is the query text as the search reads it.
func searchText(v string) string {
	text := strings.TrimSpace(strings.ToValidUTF8(v, ""))
	if len(text) > 500 {
		text = strings.ToValidUTF8(text[:500], "")
	}
	return text
}

func (s *Server) cleanDay(v string) string {
	if d := parseDay(v, s.loc()); !d.IsZero() {
		return d.Format(time.DateOnly)
	}
	return ""
}

// CacheQuery is the page cache's Query: the query a GET's page depends
// on, built from the parameters its route reads, each written one way.
// Tracking and unknown parameters are dropped, so they make no new cache
// entries and the page is rendered without them. An unknown parameter is
// kept only when a stored redirect is keyed by it (old "/?p=123" links:
// the site answers those, and any page it does not find, with a redirect
// when one matches). ok is false for a personal page (?posted=).
func (s *Server) CacheQuery(r *http.Request) (query string, ok bool) {
	s, r = s.route(r)
	_, pattern := s.filesMux.Handler(r)
	if pattern == "/" { // the pages, mounted below the files
		_, pattern = s.pagesMux.Handler(r)
	}
	rule := queryRules[pattern]
	in := web.ParseQuery(r.URL.RawQuery)
	out := url.Values{}
	var unread []string
	for k, vs := range in {
		switch {
		case web.TrackingParam(k):
		case slices.Contains(rule.personal, k):
			return "", false
		case rule.clean[k] != nil:
			if v := rule.clean[k](s, vs[0]); v != "" {
				out.Set(k, v)
			}
		default:
			unread = append(unread, k)
		}
	}
	if len(unread) > 0 && s.cfg.Redirects != nil {
		q := url.Values{}
		for _, k := range unread {
			q[k] = in[k]
		}
		keys := newsroom.RequestRedirectKeys(r.URL.Path, q, true)
		if len(keys) > 0 {
			rd, err := s.cfg.Redirects.RedirectFor(r.Context(), keys)
			switch {
			case err == nil:
				if _, param, found := strings.Cut(rd.From, "?"); found {
					k, v, _ := strings.Cut(param, "=")
					k, _ = url.QueryUnescape(k)
					v, _ = url.QueryUnescape(v)
					out.Set(k, v)
				}
			case !newsroom.IsNotFound(err):
				s.log.Warn("site: redirect lookup for the cache key", "err", err)
				return "", false
			}
		}
	}
	return out.Encode(), true
}
