package ops

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"time"
)

// HeaderRequestID carries a request's id: taken from the proxy in front
// when it sent a well-formed one, made up otherwise, and sent back.
const HeaderRequestID = "X-Request-Id"

// Requests logs one line per request and counts it in the metrics.
type Requests struct {
	Logger *slog.Logger
	// Routes is the handler whose ServeMux patterns name a request's route
	// (nested muxes are followed); "" when none matches.
	Routes http.Handler
	// ClientAddr is the address a request came from (the proxy rule).
	ClientAddr func(*http.Request) string
	// Metrics, when set, counts every request.
	Metrics *Metrics
	// Slow is the time from which a request is logged at WARN as a
	// "slow request", or a "slow render" when the page cache rendered the
	// page for it (default 1s).
	Slow time.Duration
}

type ctxKey struct{}

// RequestID returns the id of the request ctx belongs to, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(ctxKey{}).(string)
	return id
}

// Handler wraps next.
func (q *Requests) Handler(next http.Handler) http.Handler {
	slow := q.Slow
	if slow <= 0 {
		slow = time.Second
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get(HeaderRequestID)
		if !validRequestID(id) {
			id = newRequestID()
		}
		w.Header().Set(HeaderRequestID, id)
		r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, id))
		route := RoutePattern(q.Routes, r)
		sw := &statusWriter{ResponseWriter: w}
		if q.Metrics != nil {
			q.Metrics.inFlight.Inc()
		}
		defer func() {
			d := time.Since(start)
			status := sw.status
			if status == 0 {
				status = http.StatusOK
			}
			cache := w.Header().Get("X-Cache")
			if cache == "" {
				cache = "-"
			}
			if q.Metrics != nil {
				q.Metrics.inFlight.Dec()
				q.Metrics.observeRequest(r.Method, route, status, d, cache)
			}
			if q.Logger == nil {
				return
			}
			client := ""
			if q.ClientAddr != nil {
				client = q.ClientAddr(r)
			}
			level, msg := slog.LevelInfo, "request"
			if d >= slow {
				level, msg = slog.LevelWarn, "slow request"
				if cache == "miss" {
					// The page cache rendered the page for this request.
					msg = "slow render"
				}
			}
			q.Logger.LogAttrs(r.Context(), level, msg,
				slog.String("method", r.Method),
				slog.String("route", route),
				slog.String("path", r.URL.Path),
				slog.Int("status", status),
				slog.Int64("bytes", sw.bytes),
				slog.Float64("duration_ms", float64(d.Microseconds())/1000),
				slog.String("cache", cache),
				slog.String("request_id", id),
				slog.String("client", client),
			)
		}()
		next.ServeHTTP(sw, r)
	})
}

// Router is a handler that picks the handler a request goes to itself
// (the site's language editions), so that RoutePattern can follow it.
type Router interface {
	Route(r *http.Request) (http.Handler, *http.Request)
}

// RoutePattern returns the ServeMux pattern that h routes r to, following
// muxes registered inside muxes (and Routers) to the innermost one. It
// costs a lookup per mux and serves nothing.
func RoutePattern(h http.Handler, r *http.Request) string {
	pattern := ""
	for range 6 {
		if rt, ok := h.(Router); ok {
			h, r = rt.Route(r)
			continue
		}
		m, ok := h.(*http.ServeMux)
		if !ok {
			break
		}
		next, p := m.Handler(r)
		if p == "" {
			break
		}
		pattern, h = p, next
	}
	return pattern
}

func validRequestID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == ':') {
			return false
		}
	}
	return true
}

func newRequestID() string {
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// statusWriter remembers the status and counts the body bytes; it keeps
// sendfile (ReadFrom) and flushing working.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 && code >= 200 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) ReadFrom(src io.Reader) (int64, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	var n int64
	var err error
	if rf, ok := w.ResponseWriter.(io.ReaderFrom); ok {
		n, err = rf.ReadFrom(src)
	} else {
		n, err = io.Copy(struct{ io.Writer }{w.ResponseWriter}, src)
	}
	w.bytes += n
	return n, err
}

func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
