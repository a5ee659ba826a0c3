package site

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/newsroom"
)

// Static pages (About us, Contacts, policies) are served at their own
// path, "/about-us/" or "/about-us/team/", wherever no other page of the
// site answers; stored redirects are consulted after them, just before a
// 404. Both come in through notFound, so every route's 404 gets them.
// Each edition serves its own pages (a Russian page's path is
// "/ru/o-nas/") and the redirects from addresses under its prefix.

type staticPageView struct {
	Page
	ID      int64
	Heading string
	Body    template.HTML
	Updated time.Time
	Parents []navItem // the pages above it, outermost first
	Below   []navItem // the published pages right below it
}

// keyRedirects tags answers that a stored redirect may change: a
// redirect itself, and the home page with a query ("/?p=123").
const keyRedirects = "redirects"

func pageKey(id int64) string { return "page:" + strconv.FormatInt(id, 10) }

// notFound answers a GET or HEAD that a route found nothing for: the
// static page at the path (or a 301 to it when only the trailing slash is
// missing), then a stored redirect; handled reports whether it answered.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) (handled bool, err error) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead || strings.HasPrefix(r.URL.Path, "/media/") {
		return false, nil
	}
	ctx := r.Context()
	// r's path is the edition's; pages and redirects keep the full one.
	path := s.path(r.URL.Path)
	if s.cfg.Pages != nil && len(r.URL.Path) > 1 {
		want := path
		if !strings.HasSuffix(want, "/") {
			want += "/"
		}
		p, err := s.cfg.Pages.PageByPath(ctx, want)
		if err == nil && !s.ownPage(p.Language) {
			// Another edition's page, whose edition is not open.
			err = newsroom.Errorf(newsroom.NotFound, "", "no page")
		}
		switch {
		case err == nil && p.IsPublic() && want == path:
			return true, s.servePage(w, r, p)
		case err == nil && p.IsPublic():
			tag(w, pageKey(p.ID))
			http.Redirect(w, r, want, http.StatusMovedPermanently)
			return true, nil
		case err != nil && !newsroom.IsNotFound(err):
			return false, err
		}
	}
	return s.storedRedirect(w, r, false)
}

// storedRedirect answers r with the stored redirect it matches, if any;
// with queryOnly only query-keyed ones count (the home page).
func (s *Server) storedRedirect(w http.ResponseWriter, r *http.Request, queryOnly bool) (bool, error) {
	if s.cfg.Redirects == nil {
		return false, nil
	}
	keys := newsroom.RequestRedirectKeys(s.path(r.URL.Path), r.URL.Query(), queryOnly)
	if len(keys) == 0 {
		return false, nil
	}
	rd, err := s.cfg.Redirects.RedirectFor(r.Context(), keys)
	if newsroom.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	tag(w, keyRedirects)
	// The status is one of 301, 302, 307, 308 (Normalize); only 301s are
	// kept by the page cache.
	http.Redirect(w, r, rd.To, rd.Status)
	return true, nil
}

// servePage shows a published static page.
func (s *Server) servePage(w http.ResponseWriter, r *http.Request, p *newsroom.Page) error {
	ctx := r.Context()
	v := staticPageView{Page: s.page(ctx, r, p.Title), ID: p.ID, Heading: p.Title,
		Body: template.HTML(s.mediaHTML(p.BodyHTML)), Updated: p.UpdatedAt} // sanitized on save by render
	keys := []string{pageKey(p.ID), keyNav, newsroom.PageGroupKey(p.TranslationGroup)}
	s.setPageAlternates(r, &v.Page, p)
	// The pages above, for the breadcrumb, and those right below.
	for rest := strings.TrimSuffix(p.Path, p.Slug+"/"); len(rest) > len(newsroom.PagePrefix(p.Language))+1; {
		up, err := s.cfg.Pages.PageByPath(ctx, rest)
		if err != nil {
			if newsroom.IsNotFound(err) {
				break
			}
			return err
		}
		keys = append(keys, pageKey(up.ID))
		if up.IsPublic() {
			v.Parents = append([]navItem{{Name: up.Title, URL: up.Path}}, v.Parents...)
		}
		rest = strings.TrimSuffix(rest, up.Slug+"/")
	}
	below, err := s.cfg.Pages.PagesBelow(ctx, p.ID)
	if err != nil {
		return err
	}
	for _, b := range below {
		keys = append(keys, pageKey(b.ID))
		if b.IsPublic() {
			v.Below = append(v.Below, navItem{Name: b.Title, URL: b.Path})
		}
	}
	tag(w, keys...)
	return s.render(w, http.StatusOK, "page.html", &v)
}

// ownPage reports whether a page of the stored edition lang ("" the
// default language) belongs to this edition.
func (s *Server) ownPage(lang string) bool {
	if lang == "" {
		lang = s.def
	}
	return lang == s.lang
}

// setPageAlternates fills a static page's switcher and hreflang links:
// each public member of its translation group whose edition is open,
// itself included, and x-default (the default language's member, else
// the original); a language with no public member leads to its edition's
// home, with no hreflang link.
func (s *Server) setPageAlternates(r *http.Request, p *Page, pg *newsroom.Page) {
	norm := func(l string) string {
		if l == "" {
			return s.def
		}
		return l
	}
	members := []groupMember{{lang: norm(pg.Language), path: pg.Path, original: pg.TranslationGroup == pg.ID, self: true}}
	for _, t := range pg.Translations {
		if t.Status == newsroom.Published {
			members = append(members, groupMember{lang: norm(t.Language), path: t.Path, original: t.Original})
		}
	}
	live := s.live(reqContext(r))
	if len(members) == 1 || len(live) == 0 {
		return // the switcher page() made: the editions' homes
	}
	home := p.Switch
	p.Switch, p.Alternates, p.XDefault = s.groupAlternates(r, live, members)
	if len(p.Alternates) < 2 {
		// Its translations' editions are not open: no links between them.
		p.Alternates, p.Switch, p.XDefault = nil, home, ""
		return
	}
}
