package desk

import (
	"context"
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/web"
)

// Access says who may use a route. The check runs on the server before the
// handler: a request without a valid session is sent to the sign-in page
// (GET) or answered 401 (anything else); a role that may not is answered
// 403. State-changing requests also carry the session's CSRF token (form
// field "_csrf" or header "X-CSRF-Token"), behind
// http.CrossOriginProtection.
type Access struct {
	Name  string
	allow func(u *newsroom.User) bool // nil: no session needed
}

// Allows reports whether u (nil when signed out) may use the route.
func (a Access) Allows(u *newsroom.User) bool {
	if a.allow == nil {
		return true
	}
	return u != nil && !u.Disabled && a.allow(u)
}

// Public reports whether the route needs no session.
func (a Access) Public() bool { return a.allow == nil }

// The access rules of desk routes.
var (
	Public     = Access{Name: "public"}
	Staff      = Access{Name: "staff", allow: func(u *newsroom.User) bool { return u.Role.Valid() }}
	Writers    = Access{Name: "writers", allow: func(u *newsroom.User) bool { return u.Role.CanWrite() }}
	Editors    = Access{Name: "editors", allow: func(u *newsroom.User) bool { return u.Role.CanPublish() }}
	Moderators = Access{Name: "moderators", allow: func(u *newsroom.User) bool { return u.Role.CanModerate() }}
	Admins     = Access{Name: "admins", allow: func(u *newsroom.User) bool { return u.Role == newsroom.RoleAdmin }}
)

// Route is a registered desk route and who may use it.
type Route struct {
	Pattern string // ServeMux pattern, e.g. "POST /desk/articles/{id}"
	Access  Access
}

// Method and Path split the pattern.
func (r Route) Method() string { m, _, _ := strings.Cut(r.Pattern, " "); return m }

// Path is the pattern's path part.
func (r Route) Path() string { _, p, _ := strings.Cut(r.Pattern, " "); return p }

// maxFormBody bounds the body of a desk request other than a multipart
// upload (whose handler sets its own limit): an article body is at most
// 200 KB, and the form carries it with its other fields.
const maxFormBody = 2 << 20

type ctxKey int

const (
	userKey ctxKey = iota
	sessionKey
)

// CurrentUser returns the signed-in user of a desk request, or nil.
func CurrentUser(ctx context.Context) *newsroom.User {
	u, _ := ctx.Value(userKey).(*newsroom.User)
	return u
}

func currentSession(ctx context.Context) *newsroom.Session {
	ss, _ := ctx.Value(sessionKey).(*newsroom.Session)
	return ss
}

// handlerFunc is a desk handler: it writes a response or returns an error.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// route registers h at pattern behind the access check (and, for requests
// that change state, the CSRF check).
func (s *Server) route(pattern string, access Access, h handlerFunc) {
	s.routeWith(pattern, access, 0, h)
}

// streamRoute registers a route that takes a multipart upload of up to
// limit bytes as a stream (the WordPress import): the form is not parsed
// before the handler, which reads its parts in order and must check the
// CSRF token (csrfMatches) from the "_csrf" part before it keeps anything.
func (s *Server) streamRoute(pattern string, access Access, limit int64, h handlerFunc) {
	s.routeWith(pattern, access, limit, h)
}

func (s *Server) routeWith(pattern string, access Access, stream int64, h handlerFunc) {
	rt := Route{Pattern: pattern, Access: access}
	s.routes = append(s.routes, rt)
	if rt.Method() == http.MethodGet && !strings.Contains(rt.Path(), "{") {
		s.getPaths[rt.Path()] = access
	}
	s.mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Robots-Tag", "noindex, nofollow")
		// Nothing of the body is read before the session and the role are
		// known: a declared length over the limit is refused unread, the
		// body is cut off at the limit, and a multipart form is parsed only
		// for a member of staff the route admits (see parseUpload).
		upload := !access.Public() && strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/")
		streamed := upload && stream > 0 && !safeMethod(r.Method)
		if streamed {
			if r.ContentLength > stream {
				s.fail(w, r, newsroom.Errorf(newsroom.TooLarge, "file", "%s", s.t("desk.import.too_large", stream>>20)))
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, stream)
		} else if err := s.limitBody(w, r, upload); err != nil {
			s.fail(w, r, err)
			return
		}
		r, err := s.loadSession(w, r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		u := CurrentUser(r.Context())
		if !access.Allows(u) {
			if u == nil {
				s.needSignIn(w, r)
				return
			}
			s.fail(w, r, newsroom.Errorf(newsroom.Forbidden, "", "%s", s.t("desk.error.forbidden")))
			return
		}
		if s.mustEnrol(r, u) {
			if safeMethod(r.Method) {
				http.Redirect(w, r, "/desk/twofactor", http.StatusSeeOther)
				return
			}
			s.fail(w, r, newsroom.Errorf(newsroom.Forbidden, "", "%s", s.t("desk.twofactor.required")))
			return
		}
		if upload && !safeMethod(r.Method) && !streamed {
			if err := s.parseUpload(r); err != nil {
				s.fail(w, r, err) // 413 before the CSRF check reads the form
				return
			}
		}
		if !access.Public() && !safeMethod(r.Method) && !streamed && !s.csrfOK(r) {
			s.log.Warn("desk: CSRF token missing or wrong", "method", r.Method, "path", r.URL.Path, "user", u.ID)
			s.fail(w, r, newsroom.Errorf(newsroom.Forbidden, "", "%s", s.t("desk.error.csrf")))
			return
		}
		if err := h(w, r); err != nil {
			s.fail(w, r, err)
		}
	}))
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// csrfOK checks the session's token in the form field _csrf or the header
// X-CSRF-Token.
func (s *Server) csrfOK(r *http.Request) bool {
	got := r.Header.Get(web.HeaderCSRF)
	if got == "" {
		got = r.PostFormValue("_csrf")
	}
	return s.csrfMatches(r, got)
}

// csrfMatches reports whether got is the session's CSRF token (for
// streamed forms, whose handler reads the token itself).
func (s *Server) csrfMatches(r *http.Request, got string) bool {
	ss := currentSession(r.Context())
	return ss != nil && ss.CSRFToken != "" && subtle.ConstantTimeCompare([]byte(got), []byte(ss.CSRFToken)) == 1
}

// needSignIn sends a signed-out GET to the sign-in page (coming back
// afterwards); anything else is answered 401.
func (s *Server) needSignIn(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && !wantsJSON(r) {
		http.Redirect(w, r, "/desk/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	s.fail(w, r, newsroom.Errorf(newsroom.Unauthorized, "", "%s", s.t("desk.error.signin")))
}

func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json") ||
		strings.HasPrefix(r.Header.Get("Content-Type"), "application/json")
}

// redirect answers a form POST with 303 See Other.
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, to string) error {
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}
