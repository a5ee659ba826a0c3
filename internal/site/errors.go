package site

import (
	"errors"
	"net/http"
	"strings"

	"newsdesk/internal/i18n"
	"newsdesk/internal/newsroom"
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

// status maps an error code to the HTTP status the site answers with.
func status(code newsroom.Code) int {
	switch code {
	case newsroom.NotFound:
		return http.StatusNotFound
	case newsroom.Invalid:
		return http.StatusBadRequest
	case newsroom.Unprocessable:
		return http.StatusUnprocessableEntity
	case newsroom.TooLarge:
		return http.StatusRequestEntityTooLarge
	case newsroom.RateLimited:
		return http.StatusTooManyRequests
	case newsroom.Forbidden:
		return http.StatusForbidden
	case newsroom.Unauthorized:
		return http.StatusUnauthorized
	case newsroom.Conflict:
		return http.StatusConflict
	}
	return http.StatusInternalServerError
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

// RenderError writes the friendly HTML error page for err in the site's
// look. A *newsroom.Error's code decides the status (not_found 404, invalid
// 400, too_large 413, rate_limited 429, forbidden 403, unauthorized 401,
// conflict 409); any other error is a 500 whose detail is logged and never
// shown. Other surfaces may call it to answer in the same look.
func (s *Server) RenderError(w http.ResponseWriter, r *http.Request, err error) {
	code := newsroom.ErrorCode(err)
	st := status(code)
	lang := s.lang
	v := errorView{Status: st}
	switch code {
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
		if e := newsroom.AsError(err); e != nil {
			v.Detail = e.Message
		}
	default:
		v.Heading, v.Text = i18n.T(lang, "site.error_title"), i18n.T(lang, "site.error_text")
		s.log.Error("site: internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if code != newsroom.NotFound && code != newsroom.Internal {
		s.log.Info("site: request error", "method", r.Method, "path", r.URL.Path, "status", st, "err", err)
	}
	v.Page = s.page(r.Context(), nil, v.Heading)
	v.Robots = "noindex"
	// A not-found page may be cached until the next change; any other
	// error page must never be, so no keys survive from the handler.
	w.Header().Del(keysHeader)
	w.Header().Del(articleHeader)
	if code == newsroom.NotFound && !strings.HasPrefix(r.URL.Path, "/media/") {
		// (Uploads announce no change, so a missing file is not cached.)
		tag(w, keyNotFound, keyNav)
	}
	if st == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", "60")
	}
	if rerr := s.render(w, st, "error.html", &v); rerr != nil {
		s.log.Error("site: render error page", "err", errors.Join(err, rerr))
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(st)
		_, _ = w.Write([]byte(http.StatusText(st) + "\n"))
	}
}
