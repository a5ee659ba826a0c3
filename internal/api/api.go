// Package api is newsdesk's JSON API under /api/v1: articles for other
// programs, and the public endpoints readers' browsers call. Staff
// authenticate with "Authorization: Bearer TOKEN"; errors are always
// {"error":{"code","message","field"}} with a status from newsroom.Code.
package api

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/auth"
	"newsdesk/internal/comments"
	"newsdesk/internal/editorial"
	"newsdesk/internal/legal/registry"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/pages"
	"newsdesk/internal/redirects"
	"newsdesk/internal/reports"
	"newsdesk/internal/translate"
	"newsdesk/internal/web"
)

// Store is what the API reads directly; writes go through Editorial.
type Store interface {
	newsroom.ArticleReader
	newsroom.Taxonomy
	newsroom.Users
	newsroom.TokenStore
	Revisions(ctx context.Context, articleID int64) ([]newsroom.Revision, error)
}

// Config holds the API's dependencies.
type Config struct {
	Store     Store
	Editorial *editorial.Service
	// Language is the site's default language (its edition keeps the
	// plain paths; the others' are under /LANG).
	Language string
	Now      newsroom.Clock
	Logger   *slog.Logger
	// MaxBody is the largest request body accepted, in bytes (default 1 MiB).
	MaxBody int64
	// Comments receives and moderates comments; nil disables those endpoints.
	Comments *comments.Service
	// Reports files and resolves readers' error reports (nil: the
	// endpoints answer 404).
	Reports *reports.Service
	// ReportBody is the largest error report accepted, in bytes (default
	// DefaultReportBody).
	ReportBody int64
	// TrustProxy takes the client address from X-Forwarded-For.
	TrustProxy bool
	// TokenTTL is the oldest a token may be, counted from its creation
	// (--token-ttl; 0: only the token's own expiry counts).
	TokenTTL time.Duration
	// Legal is the legal registry; nil leaves its routes answering 404.
	Legal *registry.Service
	// Pages manages static pages and Redirects stored redirects; nil
	// leaves their routes answering 404.
	Pages     *pages.Service
	Redirects *redirects.Service
	// Media takes pictures into the media library (POST /api/v1/media);
	// nil leaves that route answering 404.
	Media Uploader
	// MediaStore finds library pictures, so that a lead image sent as one
	// (media_id, or a rendition's address) gets its srcset and size; nil
	// keeps lead images as sent.
	MediaStore newsroom.MediaFinder
	// Translate keeps the glossary and makes machine translations; nil
	// leaves its routes answering 404.
	Translate *translate.Service
	// Sections changes sections (name, per-edition names, parent,
	// position); nil leaves its routes answering 404 (sections.go).
	Sections newsroom.TaxonomyAdmin
}

// Server serves the JSON API.
type Server struct {
	Config
	mux    *http.ServeMux
	errors *web.Responder
}

// New returns an API server with its routes registered.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MaxBody == 0 {
		cfg.MaxBody = 1 << 20
	}
	s := &Server{Config: cfg, mux: http.NewServeMux(), errors: &web.Responder{
		Name: "api", Log: cfg.Logger, Internal: "Something went wrong on our side.",
		Challenge: `Bearer realm="newsdesk"`,
	}}
	s.routes()
	return s
}

// Handler returns the API's handler; main mounts it at /api/.
func (s *Server) Handler() http.Handler { return s.mux }

// handlerFunc is an API handler that returns an error instead of writing one.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle adapts h: it limits the body, and writes any returned error as JSON.
func (s *Server) handle(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, s.MaxBody)
		if err := h(w, r); err != nil {
			s.errors.Error(w, r, err)
		}
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	_ = web.WriteJSON(w, status, v)
}

// decode reads one JSON object of at most the API's MaxBody into v (see
// web.DecodeJSON).
func (s *Server) decode(w http.ResponseWriter, r *http.Request, v any) error {
	return web.DecodeJSON(w, r, v, s.MaxBody)
}

type ctxKey struct{}

// authenticate resolves the bearer token, if any. A malformed or unknown
// token is an error; no token gives a nil user.
func (s *Server) authenticate(r *http.Request) (*newsroom.User, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return nil, nil
	}
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || strings.TrimSpace(token) == "" {
		return nil, newsroom.Errorf(newsroom.Unauthorized, "", "use Authorization: Bearer TOKEN")
	}
	t, err := s.Store.TokenByHash(r.Context(), auth.HashToken(strings.TrimSpace(token)))
	if err != nil {
		if c := newsroom.ErrorCode(err); c == newsroom.NotFound || c == newsroom.Unauthorized {
			return nil, newsroom.Errorf(newsroom.Unauthorized, "", "the token is not valid")
		}
		return nil, fmt.Errorf("authenticate: %w", err)
	}
	now := s.Now()
	if t.User.Disabled {
		return nil, newsroom.Errorf(newsroom.Unauthorized, "", "this account is disabled")
	}
	if !t.Usable(now, s.TokenTTL) {
		return nil, newsroom.Errorf(newsroom.Unauthorized, "", "the token has expired; ask for a new one (newsdesk token create)")
	}
	// The last use is written at most once a minute per token.
	if now.Sub(t.LastUsedAt) >= newsroom.TokenTouchEvery {
		if err := s.Store.TouchToken(r.Context(), t.ID, now); err != nil {
			s.Logger.Warn("api: record token use", "token", t.ID, "err", err)
		}
	}
	return t.User, nil
}

// withUser runs h with the authenticated user (possibly nil) in the context.
func (s *Server) withUser(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		u, err := s.authenticate(r)
		if err != nil {
			return err
		}
		return h(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, u)))
	}
}

// requireUser is withUser, but anonymous requests get 401.
func (s *Server) requireUser(h handlerFunc) handlerFunc {
	return s.withUser(func(w http.ResponseWriter, r *http.Request) error {
		if User(r.Context()) == nil {
			return newsroom.Errorf(newsroom.Unauthorized, "", "this needs a staff token: Authorization: Bearer TOKEN")
		}
		return h(w, r)
	})
}

// User returns the authenticated staff user of the request, or nil.
func User(ctx context.Context) *newsroom.User {
	u, _ := ctx.Value(ctxKey{}).(*newsroom.User)
	return u
}

// pageParam reads ?page= (default 1); anything but a whole number from 1 is
// an error naming the field.
func pageParam(q url.Values) (int, error) {
	p := q.Get("page")
	if p == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 {
		return 0, newsroom.Errorf(newsroom.Invalid, "page", "page must be a whole number from 1")
	}
	return n, nil
}

// articleParam reads an optional ?article= filter (0 when absent).
func articleParam(q url.Values) (int64, error) {
	v := q.Get("article")
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 1 {
		return 0, newsroom.Errorf(newsroom.Invalid, "article", "article must be an article id")
	}
	return id, nil
}
