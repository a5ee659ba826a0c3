package desk

import (
	"context"
	"net/http"

	"newsdesk/internal/newsroom"
)

// NavLink is one item of the desk's left navigation.
type NavLink struct {
	Key     string
	Label   string
	URL     string
	Count   int
	Current bool
}

// navItems is the left navigation, in order. An item is shown once a GET
// route for its path is registered and the user passes that route's access
// rule; a count function registered with navCount puts a number beside it.
var navItems = []struct {
	key, label, path, query string
}{
	{"stories", "desk.nav.stories", "/desk/stories", ""},
	{"review", "desk.nav.review", "/desk/stories", "?status=review"},
	{"scheduled", "desk.nav.scheduled", "/desk/stories", "?status=scheduled"},
	{"error-reports", "desk.nav.error_reports", "/desk/error-reports", ""},
	{"comments", "desk.nav.comments", "/desk/comments", ""},
	{"media", "desk.nav.media", "/desk/media", ""},
	{"sections", "desk.nav.sections", "/desk/sections", ""},
	{"pages", "desk.nav.pages", "/desk/pages", ""},
	{"redirects", "desk.nav.redirects", "/desk/redirects", ""},
	{"legal", "desk.nav.legal", "/desk/legal", ""},
	{"glossary", "desk.nav.glossary", "/desk/glossary", ""},
	{"people", "desk.nav.people", "/desk/people", ""},
	{"activity", "desk.nav.activity", "/desk/activity", ""},
	{"import", "desk.nav.import", "/desk/import", ""},
	{"settings", "desk.nav.settings", "/desk/settings", ""},
}

// navCount registers the function that counts what waits behind a nav
// item (articles in review, comments to moderate, ...). Call it in
// registerRoutes.
func (s *Server) navCount(key string, count func(ctx context.Context) (int, error)) {
	s.navCounts[key] = count
}

// nav builds the navigation u may see, with counts; active marks the
// current item. A failing count is logged and shown as no count.
func (s *Server) nav(r *http.Request, u *newsroom.User, active string) []NavLink {
	var out []NavLink
	for _, it := range navItems {
		access, ok := s.getPaths[it.path]
		if !ok || !access.Allows(u) {
			continue
		}
		l := NavLink{Key: it.key, Label: s.t(it.label), URL: it.path + it.query, Current: it.key == active}
		if f := s.navCounts[it.key]; f != nil {
			n, err := f(r.Context())
			if err != nil {
				s.log.Warn("desk: nav count", "item", it.key, "err", err)
			}
			l.Count = n
		}
		out = append(out, l)
	}
	return out
}

// countStatus counts the articles in a workflow status that the signed-in
// user may read.
func (s *Server) countStatus(st newsroom.Status) func(ctx context.Context) (int, error) {
	return func(ctx context.Context) (int, error) {
		f := newsroom.ArticleFilter{Status: &st, Limit: 1}
		newsroom.ScopeFor(CurrentUser(ctx), s.now(), &f)
		_, n, err := s.store.FindArticles(ctx, f)
		return n, err
	}
}
