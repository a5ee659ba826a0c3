package ops

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
)

// Paths of the health endpoints.
const (
	PathHealth = "/healthz"
	PathReady  = "/readyz"
)

// Health answers /healthz (the process is up) and /readyz (Ready returns
// nil: the database answers and its schema is the one this binary knows).
// Both are never cached and cost one check each.
type Health struct {
	// Ready reports why the server cannot serve, or nil.
	Ready func(ctx context.Context) error
	// Timeout bounds one readiness check (default 2s).
	Timeout time.Duration
}

var noStore = []string{"no-store"}

// Handler serves the two paths and passes every other request to next.
func (h *Health) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case PathHealth:
			h.serveHealth(w, r)
		case PathReady:
			h.serveReady(w, r)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

func (h *Health) serveHealth(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		methodNotAllowed(w)
		return
	}
	writeJSON(w, r, http.StatusOK, map[string]string{"status": "ok"})
}

func (h *Health) serveReady(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		methodNotAllowed(w)
		return
	}
	timeout := h.Timeout
	if timeout <= 0 {
		timeout = 2 * time.Second
	}
	ctx, cancel := context.WithTimeout(r.Context(), timeout)
	defer cancel()
	var err error
	if h.Ready != nil {
		err = h.Ready(ctx)
	}
	if err != nil {
		writeJSON(w, r, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "reason": err.Error()})
		return
	}
	writeJSON(w, r, http.StatusOK, map[string]string{"status": "ready"})
}

func methodNotAllowed(w http.ResponseWriter) {
	w.Header().Set("Allow", "GET, HEAD")
	w.Header()["Cache-Control"] = noStore
	http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
}

func writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	b, _ := json.Marshal(v)
	h := w.Header()
	h["Cache-Control"] = noStore
	h.Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(append(b, '\n'))
	}
}
