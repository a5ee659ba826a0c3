package ops

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestRequestLineMatchesSlog: the request line written by hand is, byte
// for byte, what slog's TextHandler and JSONHandler write for the same
// record, over values that need quoting or escaping in either format.
func TestRequestLineMatchesSlog(t *testing.T) {
	zones := []*time.Location{time.UTC, time.FixedZone("", 3*3600+30*60), time.FixedZone("", -5*3600)}
	values := []string{"", "GET", "/science/a-story", "GET /{section}/{slug}", "a=b", `quo"te`, `back\slash`,
		"tab\there", "new\nline", "\x00\x1f\x7f", "Москва", "caf\u00e9 \u2028\u2029", "bad\xffutf8", "emoji \U0001F600",
		"\u00a0nbsp", "x\u200by", "127.0.0.1", "2001:db8::1", "-", "hit", "<html>&amp;"}
	durations := []time.Duration{0, time.Microsecond, 1234567 * time.Nanosecond, 999 * time.Millisecond, 3 * time.Hour, 1500 * time.Microsecond}
	n := 0
	for zi, zone := range zones {
		for i, v := range values {
			w := values[(i+zi+1)%len(values)]
			at := time.Date(2026, 12, 3, 17, 4, 5, (i*37+zi)*1000003%1e9, zone)
			l := requestLine{t: at, method: v, route: w, path: v + w, status: 200 + i, bytes: int64(i) * 1e6,
				duration: durations[i%len(durations)], cache: w, id: v, client: w}
			for _, f := range []lineFormat{lineText, lineJSON} {
				var want bytes.Buffer
				var h slog.Handler = slog.NewTextHandler(&want, nil)
				if f == lineJSON {
					h = slog.NewJSONHandler(&want, nil)
				}
				rec := slog.NewRecord(at, slog.LevelInfo, "request", 0)
				rec.AddAttrs(slog.String("method", l.method), slog.String("route", l.route), slog.String("path", l.path),
					slog.Int("status", l.status), slog.Int64("bytes", l.bytes),
					slog.Float64("duration_ms", float64(l.duration.Microseconds())/1000),
					slog.String("cache", l.cache), slog.String("request_id", l.id), slog.String("client", l.client))
				if err := h.Handle(context.Background(), rec); err != nil {
					t.Fatal(err)
				}
				got := f.appendLine(nil, &l)
				if string(got) != want.String() {
					t.Errorf("format %d, value %q:\n got %s\nwant %s", f, v, got, want.String())
				}
				n++
			}
		}
	}
	if n < 100 {
		t.Fatalf("only %d lines compared", n)
	}
}

// TestRequestLinesWrittenToLines: with Lines set, a quick request's INFO
// line goes there in the logger's format, with the route the mux names
// or the one NoteRoute gave; a slow one still goes through the logger.
func TestRequestLinesWrittenToLines(t *testing.T) {
	var lines, logged bytes.Buffer
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{slug}", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Has("noted") {
			NoteRoute(w, "GET /noted/{x}")
		}
		if r.URL.Query().Has("slow") {
			time.Sleep(5 * time.Millisecond)
		}
		w.Header().Set("X-Cache", "hit")
		w.Write([]byte("page"))
	})
	q := &Requests{Logger: slog.New(slog.NewTextHandler(&logged, nil)), Lines: &lines, Routes: mux, Slow: 4 * time.Millisecond,
		ClientAddr: func(*http.Request) string { return "192.0.2.7" }}
	h := q.Handler(mux)
	for _, target := range []string{"/story", "/story?noted=1", "/story?slow=1"} {
		req := httptest.NewRequest("GET", target, nil)
		req.Header.Set(HeaderRequestID, "abc-123")
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	got := strings.Split(strings.TrimSuffix(lines.String(), "\n"), "\n")
	if len(got) != 2 {
		t.Fatalf("lines = %q, want two", lines.String())
	}
	for i, route := range []string{`route="GET /{slug}"`, `route="GET /noted/{x}"`} {
		for _, part := range []string{"level=INFO msg=request method=GET", route, "path=/story status=200 bytes=4", "cache=hit request_id=abc-123 client=192.0.2.7"} {
			if !strings.Contains(got[i], part) {
				t.Errorf("line %d = %s, want %s in it", i, got[i], part)
			}
		}
	}
	if !strings.Contains(logged.String(), `level=WARN msg="slow request"`) || strings.Count(logged.String(), "\n") != 1 {
		t.Errorf("logger got %q, want the one slow line", logged.String())
	}
}

// TestRequestIDs: a well-formed id from the proxy is kept; anything else
// is replaced by 24 hex digits, a new one each time.
func TestRequestIDs(t *testing.T) {
	q := &Requests{}
	h := q.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	seen := map[string]bool{}
	for _, sent := range []string{"", "bad id", strings.Repeat("x", 129), "", ""} {
		req := httptest.NewRequest("GET", "/", nil)
		if sent != "" {
			req.Header.Set(HeaderRequestID, sent)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		id := rec.Header().Get(HeaderRequestID)
		if len(id) != 24 || strings.Trim(id, "0123456789abcdef") != "" || seen[id] {
			t.Errorf("sent %q: id %q, want 24 new hex digits", sent, id)
		}
		seen[id] = true
	}
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set(HeaderRequestID, "lb-7f3a:2")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if id := rec.Header().Get(HeaderRequestID); id != "lb-7f3a:2" {
		t.Errorf("proxy's id came back as %q", id)
	}
}
