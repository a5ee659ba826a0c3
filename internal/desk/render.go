package desk

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/auth"
	"newsdesk/internal/i18n"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/web"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets/*
var assetFS embed.FS

// sharedFiles are parsed with every page; every other file in templates/
// is a page and must define "main".
var sharedFiles = []string{"layout.html", "partials.html", "languages.html"}

// Page is what the layout needs on every desk page; each page's view
// struct embeds it. Build it with s.page.
type Page struct {
	Lang     string
	Title    string
	SiteName string
	User     *newsroom.User
	CSRF     string
	Nav      []NavLink
	Active   string // key of the nav item to mark current
	Now      time.Time
}

func (p *Page) base() *Page { return p }

// viewer is any view struct that embeds Page.
type viewer interface{ base() *Page }

// page starts the common part of a view: the title (an i18n key) and the
// nav item to mark. render fills the rest.
func (s *Server) page(r *http.Request, titleKey, active string) Page {
	return Page{Title: s.t(titleKey), Active: active}
}

// AssetURL returns the fingerprinted path of an embedded desk asset, or "".
func (s *Server) AssetURL(name string) string {
	u, _ := s.assets.URL(name)
	return u
}

func (s *Server) parseTemplates() error {
	entries, err := fs.ReadDir(templateFS, "templates")
	if err != nil {
		return fmt.Errorf("desk: read templates: %w", err)
	}
	shared := map[string]bool{}
	var files []string
	for _, f := range sharedFiles {
		shared[f] = true
		files = append(files, "templates/"+f)
	}
	base, err := template.New("layout.html").Funcs(s.funcs()).ParseFS(templateFS, files...)
	if err != nil {
		return fmt.Errorf("desk: parse layout: %w", err)
	}
	s.pages = map[string]*template.Template{}
	for _, e := range entries {
		name := e.Name()
		if shared[name] || !strings.HasSuffix(name, ".html") {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(templateFS, "templates/"+name)
		if err != nil {
			return fmt.Errorf("desk: parse %s: %w", name, err)
		}
		if t.Lookup("main") == nil {
			return fmt.Errorf("desk: %s defines no \"main\" block", name)
		}
		s.pages[name] = t
	}
	return nil
}

func (s *Server) t(key string, args ...any) string { return i18n.T(s.lang, key, args...) }

func (s *Server) n(key string, n int, args ...any) string { return i18n.N(s.lang, key, n, args...) }

func (s *Server) funcs() template.FuncMap {
	lang := s.lang
	in := func(t time.Time) time.Time { return t.In(s.loc()) }
	return template.FuncMap{
		"t": func(key string, args ...any) string { return i18n.T(lang, key, args...) },
		"n": func(key string, n int, args ...any) string { return i18n.N(lang, key, n, args...) },
		"asset": func(name string) (string, error) {
			if p, ok := s.assets.URL(name); ok {
				return p, nil
			}
			return "", fmt.Errorf("desk: unknown asset %q", name)
		},
		"iso":      func(t time.Time) string { return in(t).Format(time.RFC3339) },
		"date":     func(t time.Time) string { return i18n.Date(lang, in(t)) },
		"datetime": func(t time.Time) string { return i18n.DateTime(lang, in(t)) },
		// when is a list's time: the clock for today, else date and time.
		"when": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			t, now := in(t), in(s.now())
			if t.Year() == now.Year() && t.YearDay() == now.YearDay() {
				return i18n.Clock(t)
			}
			return i18n.DateTime(lang, t)
		},
		// local formats a time for an <input type="datetime-local">.
		"local":  func(t time.Time) string { return localInput(t, s.loc()) },
		"role":   func(r newsroom.Role) string { return i18n.T(lang, "desk.role."+string(r)) },
		"status": func(st newsroom.Status) string { return i18n.T(lang, "desk.status."+string(st)) },
		"label": func(l string) string {
			if l == "" {
				return ""
			}
			return i18n.T(lang, "site.label."+l)
		},
		"kind": func(k newsroom.CorrectionKind) string { return i18n.T(lang, "site.kind."+string(k)) },
		"itoa": func(n int64) string { return strconv.FormatInt(n, 10) },
		"eq2":  func(a, b any) bool { return fmt.Sprint(a) == fmt.Sprint(b) },
		// ferr is the message of err if it names field, else "".
		"ferr": func(err *newsroom.Error, field string) string {
			if err != nil && err.Field == field {
				return err.Message
			}
			return ""
		},
		// safe marks HTML that render sanitized at save or preview time.
		"safe": func(s string) template.HTML { return template.HTML(s) },
	}
}

// localInput is the value of a datetime-local input for t in loc.
func localInput(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format("2006-01-02T15:04")
}

// render executes a page into a buffer and writes it with status.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, view viewer) error {
	t := s.pages[name]
	if t == nil {
		return fmt.Errorf("desk: no template %s", name)
	}
	p := view.base()
	p.Lang, p.SiteName, p.Now = s.lang, s.cfg.SiteName, s.now()
	p.User = CurrentUser(r.Context())
	if ss := currentSession(r.Context()); ss != nil {
		p.CSRF = ss.CSRFToken
	}
	if p.User != nil {
		p.Nav = s.nav(r, p.User, p.Active)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", view); err != nil {
		return fmt.Errorf("desk: execute %s: %w", name, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if _, err := w.Write(buf.Bytes()); err != nil {
		s.log.Debug("desk: write page", "page", name, "err", err)
	}
	return nil
}

// writeJSON writes v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	return web.WriteJSON(w, status, v)
}

type errorView struct {
	Page
	Status  int
	Heading string
	Text    string
}

// newResponder is the desk's use of the one error mapping (web.Responder):
// JSON for requests that accept JSON, else the desk's error page. Internal
// errors are logged and shown as a generic sentence.
func (s *Server) newResponder() *web.Responder {
	return &web.Responder{Name: "desk", Log: s.log, Internal: s.t("desk.error.internal"),
		TooLarge: func(int64) string { return s.t("error.too_large") },
		Page:     s.errorPage, JSON: wantsJSON}
}

// fail is the one place desk errors become responses (see newResponder).
// A full password pool is 503 with the pool's Retry-After.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var busy *auth.BusyError
	if errors.As(err, &busy) {
		err = &newsroom.Error{Code: newsroom.Unavailable, Retry: busy.RetryAfter,
			Message: s.n("desk.signin.busy", web.RetrySeconds(busy.RetryAfter))}
	}
	s.errors.Error(w, r, err)
}

// errorPage renders p as the desk's error page.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, p web.Problem) error {
	v := &errorView{Page: Page{Title: http.StatusText(p.Status)}, Status: p.Status, Text: p.Message}
	switch p.Code {
	case newsroom.NotFound:
		v.Heading = s.t("desk.error.not_found")
	case newsroom.Forbidden:
		v.Heading = s.t("desk.error.forbidden_title")
	case newsroom.Unauthorized:
		v.Heading = s.t("desk.signin.title")
	default:
		v.Heading = s.t("desk.error.title")
	}
	v.Title = v.Heading
	return s.render(w, r, p.Status, "error.html", v)
}

// handleAsset serves a fingerprinted desk asset for a year.
func (s *Server) handleAsset(w http.ResponseWriter, r *http.Request) error {
	if !s.assets.Serve(w, r, r.PathValue("name")) {
		return newsroom.Errorf(newsroom.NotFound, "", "no such file")
	}
	return nil
}
