package ops

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestSlowLines: a request past the threshold is a WARN "slow request", or
// a "slow render" when the page cache rendered the page for it; a quick
// one is a plain "request" line.
func TestSlowLines(t *testing.T) {
	for _, tc := range []struct {
		name  string
		cache string
		slow  time.Duration
		level string
		msg   string
	}{
		{"rendered and slow", "miss", time.Nanosecond, "WARN", "slow render"},
		{"from the cache and slow", "hit", time.Nanosecond, "WARN", "slow request"},
		{"not cached and slow", "", time.Nanosecond, "WARN", "slow request"},
		{"rendered and quick", "miss", time.Hour, "INFO", "request"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			mux := http.NewServeMux()
			mux.HandleFunc("GET /{slug}", func(w http.ResponseWriter, r *http.Request) {
				if tc.cache != "" {
					w.Header().Set("X-Cache", tc.cache)
				}
				time.Sleep(time.Millisecond)
				w.Write([]byte("page"))
			})
			q := &Requests{Logger: slog.New(slog.NewJSONHandler(&buf, nil)), Routes: mux, Slow: tc.slow}
			q.Handler(mux).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/story", nil))
			var line map[string]any
			if err := json.Unmarshal([]byte(strings.TrimSpace(buf.String())), &line); err != nil {
				t.Fatalf("log %q: %v", buf.String(), err)
			}
			if line["level"] != tc.level || line["msg"] != tc.msg || line["route"] != "GET /{slug}" || line["duration_ms"].(float64) < 1 {
				t.Errorf("line = %v, want %s %q", line, tc.level, tc.msg)
			}
		})
	}
}
