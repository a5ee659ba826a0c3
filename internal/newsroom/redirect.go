package newsroom

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Redirect sends readers from an old address to where the page is now
// (301): old WordPress permalinks, a moved page, an editor's short link.
// The public site consults redirects only where it would otherwise answer
// 404, and on the home page for query-keyed ones ("/?p=123").
//
// From is kept in a canonical form (see Normalize) so that a request finds
// it whatever trailing slash or percent-encoding it carries:
//
//   - a path, percent-decoded, without a trailing slash ("/2021/10/07/harbour-opens");
//   - or a path with exactly one query parameter, "/?p=123": it matches a
//     request for that path carrying p=123, whatever other parameters come
//     with it (utm_source, replytocom); the rest of the query is dropped.
type Redirect struct {
	ID int64 `json:"id"`
	// From is the old address, canonical (see above).
	From string `json:"from"`
	// To is where readers are sent: a path on this site, with an optional
	// query and fragment. Other hosts are refused.
	To string `json:"to"`
	// Status is 301 (moved permanently, the default), 302, 307 or 308.
	Status int `json:"status"`
	// Source says who made it: "manual" (an editor), "wordpress" (the
	// importer), "page" (a static page moved).
	Source    string    `json:"source"`
	CreatedAt time.Time `json:"created_at"`
}

// Redirect sources.
const (
	RedirectManual    = "manual"
	RedirectWordPress = "wordpress"
	RedirectPage      = "page"
)

// MaxRedirectPath bounds From and To, in bytes.
const MaxRedirectPath = 2000

// RedirectKey returns the canonical form of a path and an optional single
// query parameter, as From is stored and as requests are looked up.
// ok is false when path is not a site path.
func RedirectKey(path, param, value string) (string, bool) {
	if !strings.HasPrefix(path, "/") || strings.HasPrefix(path, "//") {
		return "", false
	}
	if len(path) > 1 {
		path = strings.TrimRight(path, "/")
		if path == "" {
			path = "/"
		}
	}
	if param == "" {
		return path, true
	}
	return path + "?" + url.QueryEscape(param) + "=" + url.QueryEscape(value), true
}

// RequestRedirectKeys returns the keys a request for path with query may
// match, the most specific first: one per query parameter (at most eight),
// then the bare path unless queryOnly.
func RequestRedirectKeys(path string, query url.Values, queryOnly bool) []string {
	var keys []string
	names := make([]string, 0, len(query))
	for k := range query {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		if len(keys) == 8 {
			break
		}
		if v := query[k]; len(v) > 0 {
			if key, ok := RedirectKey(path, k, v[0]); ok {
				keys = append(keys, key)
			}
		}
	}
	if !queryOnly {
		if key, ok := RedirectKey(path, "", ""); ok {
			keys = append(keys, key)
		}
	}
	return keys
}

// Normalize puts From in canonical form and checks every field, filling
// the defaults (status 301, source manual). ownHosts are the host names of
// this site: an absolute From or To on one of them is reduced to its path;
// any other host is refused. Errors are Invalid and name the field.
func (r *Redirect) Normalize(ownHosts ...string) error {
	if r.Status == 0 {
		r.Status = 301
	}
	r.Source = strings.TrimSpace(r.Source)
	if r.Source == "" {
		r.Source = RedirectManual
	}
	from, err := siteRef(r.From, "from", ownHosts)
	if err != nil {
		return err
	}
	q, err := url.ParseQuery(from.RawQuery)
	if err != nil {
		return Errorf(Invalid, "from", "the old address has a malformed query")
	}
	var key string
	var ok bool
	switch len(q) {
	case 0:
		if from.Path == "/" {
			return Errorf(Invalid, "from", "the home page itself cannot be redirected")
		}
		key, ok = RedirectKey(from.Path, "", "")
	case 1:
		for k, v := range q {
			if len(v) != 1 {
				return Errorf(Invalid, "from", "the old address may carry one query parameter, once")
			}
			key, ok = RedirectKey(from.Path, k, v[0])
		}
	default:
		return Errorf(Invalid, "from", "the old address may carry one query parameter (such as ?p=123), not several")
	}
	if !ok {
		return Errorf(Invalid, "from", "the old address must be a path on this site, starting with /")
	}
	r.From = key

	to, err := siteRef(r.To, "to", ownHosts)
	if err != nil {
		return err
	}
	r.To = to.String()
	switch {
	case r.Status != 301 && r.Status != 302 && r.Status != 307 && r.Status != 308:
		return Errorf(Invalid, "status", "status must be 301, 302, 307 or 308")
	case !ValidSlug(r.Source) || len(r.Source) > 40:
		return Errorf(Invalid, "source", "source must be a short lower-case word such as manual or wordpress")
	case r.ToKey() == r.From:
		return Errorf(Invalid, "to", "a redirect cannot lead to its own address")
	}
	return nil
}

// ToKey returns the canonical key of To, as it would be looked up if a
// reader asked for it: how loops are found.
func (r *Redirect) ToKey() string {
	u, err := url.Parse(r.To)
	if err != nil {
		return ""
	}
	q := u.Query()
	if len(q) == 1 {
		for k, v := range q {
			key, _ := RedirectKey(u.Path, k, v[0])
			return key
		}
	}
	if len(q) == 0 {
		key, _ := RedirectKey(u.Path, "", "")
		return key
	}
	return "" // several parameters: no redirect can match it exactly
}

// siteRef parses a From or To value: a site path ("/x?y#z"), or an
// absolute http(s) URL on one of ownHosts, reduced to its path.
func siteRef(raw, field string, ownHosts []string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	what := "the old address"
	if field == "to" {
		what = "the new address"
	}
	switch {
	case raw == "":
		return nil, Errorf(Invalid, field, "%s is required", what)
	case len(raw) > MaxRedirectPath:
		return nil, Errorf(Invalid, field, "%s is longer than %d characters", what, MaxRedirectPath)
	case !utf8.ValidString(raw) || strings.ContainsAny(raw, " \t\r\n\x00\\<>\""):
		return nil, Errorf(Invalid, field, "%s may not contain spaces, quotes or control characters", what)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, Errorf(Invalid, field, "%s is not a valid address", what)
	}
	if u.Scheme != "" || u.Host != "" {
		own := false
		for _, h := range ownHosts {
			if h != "" && strings.EqualFold(u.Hostname(), h) {
				own = true
			}
		}
		if (u.Scheme != "http" && u.Scheme != "https") || !own {
			return nil, Errorf(Invalid, field, "%s must be on this site: redirects to other hosts are refused", what)
		}
		u.Scheme, u.Host, u.User = "", "", nil
		if u.Path == "" {
			u.Path = "/"
		}
	}
	if !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return nil, Errorf(Invalid, field, "%s must be a path on this site, starting with /", what)
	}
	if field == "from" {
		u.Fragment, u.RawFragment = "", ""
	}
	return u, nil
}

// RedirectFilter selects a page of redirects. Zero fields do not filter.
type RedirectFilter struct {
	Query  string // part of From or To
	Source string
	Limit  int // 0 means 50
	Offset int
}

// RedirectReader finds the redirect for a request. The public site gets
// only this.
type RedirectReader interface {
	// RedirectFor returns the redirect whose From is the first of keys
	// that has one (see RequestRedirectKeys), or NotFound.
	RedirectFor(ctx context.Context, keys []string) (*Redirect, error)
}

// RedirectStore reads and writes redirects. Every change is reported to
// the Notifier with the key "redirects" (cached redirects and 404s drop).
type RedirectStore interface {
	RedirectReader
	// Redirects returns one page of redirects, newest first, and the total.
	Redirects(ctx context.Context, f RedirectFilter) ([]Redirect, int, error)
	// RedirectByID returns the redirect or NotFound.
	RedirectByID(ctx context.Context, id int64) (*Redirect, error)
	// CreateRedirect stores r and sets its ID and CreatedAt. r is
	// normalized and checked first (see Normalize; no host is this
	// site's). A From already taken is a Conflict on "from"; a To that
	// leads back to From through other redirects is Invalid on "to".
	CreateRedirect(ctx context.Context, r *Redirect) error
	// UpdateRedirect changes r.ID's From, To, Status and Source, with the
	// checks of CreateRedirect; NotFound if there is none.
	UpdateRedirect(ctx context.Context, r *Redirect) error
	// DeleteRedirect removes the redirect; NotFound if there is none.
	DeleteRedirect(ctx context.Context, id int64) error
	// AddRedirects stores many redirects in one transaction, for imports.
	// Each is normalized and checked first; an invalid one is Invalid
	// naming "redirects[i].field" and nothing is stored. A From that
	// already has a redirect is left as it is (a second run of an import
	// adds nothing, an editor's change is kept); loops are refused as in
	// CreateRedirect. It returns how many were added.
	AddRedirects(ctx context.Context, rs []Redirect) (int, error)
}
