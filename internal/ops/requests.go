package ops

import (
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
)

// HeaderRequestID carries a request's id: taken from the proxy in front
// when it sent a well-formed one, made up otherwise, and sent back.
const HeaderRequestID = "X-Request-Id"

// Requests logs one line per request and counts it in the metrics.
type Requests struct {
	Logger *slog.Logger
	// Lines, when set, is where Logger's handler writes (the process's
	// LogBuffer): the INFO request lines are then written there directly,
	// formatted as that handler would (JSON: slog's JSONHandler, else its
	// TextHandler), without going through slog; see requestLine. Lines
	// at WARN ("slow request") still go through Logger.
	Lines io.Writer
	JSON  bool
	// Routes is the handler whose ServeMux patterns name a request's route
	// (nested muxes are followed); "" when none matches. A handler inside
	// that already knows the route (the page cache, for a stored page)
	// says so with NoteRoute, and the lookup is skipped.
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

// Handler wraps next.
func (q *Requests) Handler(next http.Handler) http.Handler {
	slow := q.Slow
	if slow <= 0 {
		slow = time.Second
	}
	format := lineText
	if q.JSON {
		format = lineJSON
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := ""
		if v := r.Header[HeaderRequestID]; len(v) > 0 {
			id = v[0]
		}
		if !validRequestID(id) {
			id = newRequestID()
		}
		w.Header()[HeaderRequestID] = []string{id}
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
			route := sw.route
			if !sw.routed {
				route = RoutePattern(q.Routes, r)
			}
			cache := "-"
			if v := w.Header()[HeaderCache]; len(v) > 0 && v[0] != "" {
				cache = v[0]
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
			if d < slow && q.Lines != nil {
				if q.Logger.Enabled(r.Context(), slog.LevelInfo) {
					bp := lineBufs.Get().(*[]byte)
					*bp = format.appendLine((*bp)[:0], &requestLine{t: start.Add(d), method: r.Method, route: route,
						path: r.URL.Path, status: status, bytes: sw.bytes, duration: d, cache: cache, id: id, client: client})
					_, _ = q.Lines.Write(*bp)
					lineBufs.Put(bp)
				}
				return
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

// HeaderCache is the page cache's X-Cache header (hit, miss), which the
// request line and the metrics report.
const HeaderCache = "X-Cache"

// lineBufs holds the buffers request lines are formatted in.
var lineBufs = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// NoteRoute tells the request log around w the route pattern of the
// request w answers, sparing it RoutePattern's lookups (the page cache
// keeps each stored page's route). A writer with no request log around
// it ignores the call.
func NoteRoute(w http.ResponseWriter, route string) {
	for range 8 {
		switch x := w.(type) {
		case *statusWriter:
			x.route, x.routed = route, true
			return
		case interface{ Unwrap() http.ResponseWriter }:
			w = x.Unwrap()
		default:
			return
		}
	}
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

// newRequestID makes up an id: 96 random bits in hex. An id names a
// request in the logs and is no secret, so it comes from the runtime's
// per-thread generator (math/rand/v2), not from the kernel.
func newRequestID() string {
	var b [24]byte
	x, y := rand.Uint64(), rand.Uint32()
	for i := range 16 {
		b[i] = hexDigits[x>>(60-4*i)&0xF]
	}
	for i := range 8 {
		b[16+i] = hexDigits[y>>(28-4*i)&0xF]
	}
	return string(b[:])
}

// statusWriter remembers the status and counts the body bytes; it keeps
// sendfile (ReadFrom) and flushing working.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
	// route is the pattern NoteRoute gave (routed: it was called).
	route  string
	routed bool
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
