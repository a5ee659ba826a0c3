package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"newsdesk/internal/newsroom"
)

// nullWriter is a ResponseWriter that keeps nothing, so the benchmark sees
// only the handler chain's own cost.
type nullWriter struct{ h http.Header }

func (w *nullWriter) Header() http.Header         { return w.h }
func (w *nullWriter) WriteHeader(int)             {}
func (w *nullWriter) Write(p []byte) (int, error) { return len(p), nil }

// BenchmarkCachedPageHandler runs the whole handler chain (outermost
// middleware, security headers, cross-origin check, mux, page cache) for a
// cached demo article, without the network: what newsdesk adds to a bare
// server on a hit. BenchmarkBareHandler is the bare server's handler.
func BenchmarkCachedPageHandler(b *testing.B) {
	cfg := Config{Addr: "127.0.0.1:0", DataDir: b.TempDir(), Language: "en", Timezone: "UTC", CacheMB: 64}
	a := startApp(b, cfg, time.Now, io.Discard, slog.New(slog.NewTextHandler(io.Discard, nil)))
	arts, _, err := a.store.FindArticles(context.Background(), publicFilter())
	must(b, err)
	req := httptest.NewRequest("GET", arts[0].URL(), nil)
	rec := httptest.NewRecorder()
	a.handler.ServeHTTP(rec, req)
	if rec.Code != 200 {
		b.Fatalf("GET %s: %d", arts[0].URL(), rec.Code)
	}
	b.ReportAllocs()
	for b.Loop() {
		a.handler.ServeHTTP(&nullWriter{h: http.Header{}}, req)
	}
}

func BenchmarkBareHandler(b *testing.B) {
	body := make([]byte, 50000)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Length", "50000")
		_, _ = w.Write(body)
	})
	req := httptest.NewRequest("GET", "/world/a-story", nil)
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(&nullWriter{h: http.Header{}}, req)
	}
}

func publicFilter() newsroom.ArticleFilter {
	now := time.Now()
	return newsroom.ArticleFilter{PublicAt: &now, Limit: 1, NoTotal: true}
}
