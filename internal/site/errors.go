package site

import (
	"net/http"
	"strings"

	"newsdesk/internal/i18n"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/web"
)

// handlerFunc is a page handler: it writes a response or returns an error
// for handle to turn into an error page.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle adapts a handlerFunc to http.Handler, mapping its error once.
func (s *Server) handle(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := h(w, r)
		if newsroom.IsNotFound(err) {
			// A static page or a stored redirect may answer instead.
			if handled, ferr := s.notFound(w, r); handled || ferr != nil {
				err = ferr
			}
		}
		if err != nil {
			s.RenderError(w, r, err)
		}
	})
}

type errorView struct {
	Page
	Status  int
	Heading string
	Text    string
	Detail  string
}

// errNotFound is the site's own not-found error, for paths it does not know.
var errNotFound = newsroom.Errorf(newsroom.NotFound, "", "page not found")

// newResponder is the site's use of the one error mapping (web.Responder):
// status and headers from the error, the page in the site's look.
func (s *Server) newResponder() *web.Responder {
	return &web.Responder{Name: "site", Log: s.log, Internal: i18n.T(s.lang, "site.error_text"),
		Page: s.errorPage, LogRequests: true}
}

// RenderError writes the friendly HTML error page for err in the site's
// look, with the status and headers web.Status and web.SetHeaders give it;
// any error that is not a *newsroom.Error is a 500 whose detail is logged
// and never shown. Other surfaces may call it to answer in the same look.
func (s *Server) RenderError(w http.ResponseWriter, r *http.Request, err error) {
	if r != nil && r.URL != nil && s.lang == s.def {
		// Another surface calling with a path of another edition.
		s, r = s.route(r)
	}
	s.errors.Error(w, r, err)
}

// errorPage renders p as the site's error page.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, p web.Problem) error {
	lang := s.lang
	v := errorView{Status: p.Status}
	switch p.Code {
	case newsroom.NotFound:
		v.Heading, v.Text = i18n.T(lang, "site.not_found_title"), i18n.T(lang, "site.not_found_text")
	case newsroom.TooLarge:
		v.Heading, v.Text = i18n.T(lang, "site.request_error_title"), i18n.T(lang, "error.too_large")
	case newsroom.RateLimited:
		v.Heading, v.Text = i18n.T(lang, "site.slow_down_title"), i18n.T(lang, "error.rate_limited")
	case newsroom.Forbidden, newsroom.Unauthorized:
		v.Heading, v.Text = i18n.T(lang, "site.forbidden_title"), i18n.T(lang, "site.forbidden_text")
	case newsroom.Invalid, newsroom.Conflict, newsroom.Unprocessable:
		v.Heading, v.Text = i18n.T(lang, "site.request_error_title"), i18n.T(lang, "site.request_error_text")
		v.Detail = p.Message
	default:
		v.Heading, v.Text = i18n.T(lang, "site.error_title"), i18n.T(lang, "site.error_text")
	}
	v.Page = s.page(r.Context(), nil, v.Heading)
	v.Robots = "noindex"
	// A not-found page may be cached until the next change; any other
	// error page must never be, so no keys survive from the handler.
	w.Header().Del(web.HeaderKeys)
	w.Header().Del(web.HeaderArticle)
	if p.Code == newsroom.NotFound && !strings.HasPrefix(r.URL.Path, "/media/") {
		// (Uploads announce no change, so a missing file is not cached.)
		tag(w, keyNotFound, keyNav)
	}
	return s.render(w, p.Status, "error.html", &v)
}
