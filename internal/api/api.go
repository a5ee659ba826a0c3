// Package api is newsdesk's JSON API under /api/v1: articles for other
// programs, and the public endpoints readers' browsers call. Staff
// authenticate with "Authorization: Bearer TOKEN"; errors are always
// {"error":{"code","message","field"}} with a status from newsroom.Code.
package api

import (
	"context"
	"encoding/json"
	"errors"
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
)

// Store is what the API reads directly; writes go through Editorial.
type Store interface {
	newsroom.ArticleReader
	newsroom.Taxonomy
	newsroom.Users
	newsroom.TokenStore
}

// Config holds the API's dependencies.
type Config struct {
	Store     Store
	Editorial *editorial.Service
	Now       newsroom.Clock
	Logger    *slog.Logger
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
}

// Server serves the JSON API.
type Server struct {
	Config
	mux *http.ServeMux
}

// New returns an API server with its routes registered.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MaxBody == 0 {
		cfg.MaxBody = 1 << 20
	}
	s := &Server{Config: cfg, mux: http.NewServeMux()}
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
			s.writeError(w, r, err)
		}
	})
}

type errorBody struct {
	Error struct {
		Code    newsroom.Code `json:"code"`
		Message string        `json:"message"`
		Field   string        `json:"field,omitempty"`
	} `json:"error"`
}

// writeError is the one place API errors become responses.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var body errorBody
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) {
		err = newsroom.Errorf(newsroom.TooLarge, "", "the request body is larger than %d bytes", maxErr.Limit)
	}
	e := newsroom.AsError(err)
	if e == nil || e.Code == newsroom.Internal {
		s.Logger.Error("api request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		e = &newsroom.Error{Code: newsroom.Internal, Message: "Something went wrong on our side."}
	}
	body.Error.Code, body.Error.Message, body.Error.Field = e.Code, e.Message, e.Field
	status := e.Code.HTTPStatus()
	if e.Code == newsroom.Invalid && e.Field != "" {
		status = http.StatusUnprocessableEntity
	}
	if e.Code == newsroom.Unauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="newsdesk"`)
	}
	if e.Code == newsroom.RateLimited {
		w.Header().Set("Retry-After", "60")
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}

// decode reads one JSON object into v, rejecting unknown fields and naming
// the field at fault.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var maxErr *http.MaxBytesError
		var typeErr *json.UnmarshalTypeError
		var syntaxErr *json.SyntaxError
		switch {
		case errors.As(err, &maxErr):
			return err
		case errors.As(err, &typeErr):
			return newsroom.Errorf(newsroom.Invalid, typeErr.Field, "%s must be %s", typeErr.Field, jsonKind(typeErr.Type.Kind().String()))
		case errors.As(err, &syntaxErr):
			return newsroom.Errorf(newsroom.Invalid, "", "the body is not valid JSON (at byte %d)", syntaxErr.Offset)
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return newsroom.Errorf(newsroom.Invalid, f, "unknown field %q", f)
		case err.Error() == "EOF":
			return newsroom.Errorf(newsroom.Invalid, "", "the body is empty; send a JSON object")
		default:
			return newsroom.Errorf(newsroom.Invalid, "", "the body is not valid JSON: %v", err)
		}
	}
	if dec.More() {
		return newsroom.Errorf(newsroom.Invalid, "", "send one JSON object, not several")
	}
	return nil
}

func jsonKind(k string) string {
	switch k {
	case "string":
		return "a string"
	case "int", "int64", "int32", "float64":
		return "a number"
	case "bool":
		return "true or false"
	case "slice":
		return "an array"
	case "struct", "map", "ptr":
		return "an object"
	}
	return "of another type"
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
