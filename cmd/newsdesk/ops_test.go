package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"newsdesk/internal/sqlstore"
	"newsdesk/internal/storetest"
)

// getStatus fetches url and returns the status, the decoded JSON body and
// the Cache-Control header.
func getStatus(t *testing.T, url string) (int, map[string]string, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]string
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &body); err != nil {
		t.Fatalf("GET %s: body %q is not JSON: %v", url, b, err)
	}
	return resp.StatusCode, body, resp.Header.Get("Cache-Control")
}

func TestHealthAndReadinessOnSQLite(t *testing.T) {
	ta := newTestApp(t, "", false)
	for _, p := range []string{"/healthz", "/readyz"} {
		code, body, cc := getStatus(t, ta.srv.URL+p)
		if code != 200 || cc != "no-store" {
			t.Errorf("GET %s = %d %v (Cache-Control %q), want 200 no-store", p, code, body, cc)
		}
	}
	// The file is gone (an operator's mistake, a lost volume): not ready,
	// saying why; still alive.
	path := filepath.Join(ta.cfg.DataDir, "newsdesk.db")
	if err := os.Rename(path, path+".away"); err != nil {
		t.Fatal(err)
	}
	code, body, cc := getStatus(t, ta.srv.URL+"/readyz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body["reason"], "missing") || cc != "no-store" {
		t.Errorf("readyz without the file = %d %v %q, want 503 saying the file is missing", code, body, cc)
	}
	if code, _, _ := getStatus(t, ta.srv.URL+"/healthz"); code != 200 {
		t.Errorf("healthz without the file = %d, want 200 (the process is up)", code)
	}
	if err := os.Rename(path+".away", path); err != nil {
		t.Fatal(err)
	}
	if code, body, _ := getStatus(t, ta.srv.URL+"/readyz"); code != 200 {
		t.Errorf("readyz with the file back = %d %v, want 200", code, body)
	}
	// A second call is not served from the page cache.
	if n := ta.cache.Stats().Hits; n != 0 {
		t.Errorf("page cache answered %d health requests", n)
	}
}

func TestReadinessWhenSchemaIsBehind(t *testing.T) {
	ta := newTestApp(t, "", false)
	latest := sqlstore.LatestVersion("sqlite")
	if _, err := ta.store.DB().Exec("DELETE FROM schema_migrations WHERE version = $1", latest); err != nil {
		t.Fatal(err)
	}
	code, body, _ := getStatus(t, ta.srv.URL+"/readyz")
	if code != 503 || !strings.Contains(body["reason"], "schema") {
		t.Errorf("readyz on a stale schema = %d %v, want 503 naming the schema", code, body)
	}
}

func TestJSONRequestLog(t *testing.T) {
	var logs bytes.Buffer
	lw := &syncWriter{w: &logs}
	cfg := Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), Language: "en", Timezone: "UTC", NoDemo: true, CacheMB: 16}
	a := startApp(t, cfg, nil, io.Discard, newLogger("json", lw))
	srv := newLocalServer(t, a.handler)
	for i := 0; i < 2; i++ {
		req, _ := http.NewRequest("GET", srv+"/", nil)
		req.Header.Set("X-Request-Id", "probe-42")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if got := resp.Header.Get("X-Request-Id"); got != "probe-42" {
			t.Errorf("X-Request-Id echoed as %q", got)
		}
	}
	resp, err := http.Get(srv + "/no-such-section/no-such-story")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	generated := resp.Header.Get("X-Request-Id")
	// The line is written as the handler returns, which may be just
	// after the client has read the response.
	text := ""
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if text = lw.String(); strings.Count(text, `"request_id"`) >= 3 {
			break
		}
	}
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(text), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q is not JSON: %v", l, err)
		}
		if m["msg"] == "request" || m["msg"] == "slow request" || m["msg"] == "slow render" {
			lines = append(lines, m)
		}
	}
	if len(lines) != 3 {
		t.Fatalf("got %d request lines, want 3 (one per request):\n%s", len(lines), text)
	}
	for _, k := range []string{"method", "route", "status", "bytes", "duration_ms", "cache", "request_id", "client"} {
		if _, ok := lines[0][k]; !ok {
			t.Errorf("request line lacks %q: %v", k, lines[0])
		}
	}
	if lines[0]["route"] != "GET /{$}" || lines[0]["status"] != float64(200) || lines[0]["request_id"] != "probe-42" ||
		lines[0]["client"] != "127.0.0.1" || lines[0]["cache"] != "miss" || lines[0]["bytes"].(float64) < 200 {
		t.Errorf("first line = %v", lines[0])
	}
	if lines[1]["cache"] != "hit" {
		t.Errorf("second request's cache = %v, want hit", lines[1]["cache"])
	}
	if lines[2]["route"] != "GET /{section}/{slug}" || lines[2]["status"] != float64(404) || lines[2]["request_id"] != generated || len(generated) < 16 {
		t.Errorf("404 line = %v (header id %q)", lines[2], generated)
	}
}

func TestMigrateStatusAndNewerSchemaRefused(t *testing.T) {
	dir := t.TempDir()
	code, out, stderr := runMain(t, "migrate --status --data "+dir)
	if code != 2 || !strings.Contains(stderr, "no database") {
		t.Errorf("status of no database: %d %q %q", code, out, stderr)
	}
	if code, out, stderr := runMain(t, "migrate --data "+dir); code != 0 || !strings.Contains(out, "up to date") {
		t.Fatalf("migrate: %d %q %q", code, out, stderr)
	}
	code, out, _ = runMain(t, "migrate --status --data "+dir)
	latest := sqlstore.LatestVersion("sqlite")
	if code != 0 || !strings.Contains(out, "up to date") || !strings.Contains(out, "0001_core.sql") || !strings.Contains(out, "search:    FTS5") {
		t.Errorf("status after migrate: %d %q", code, out)
	}
	// A newer release migrated this database: this binary refuses to
	// serve it, saying so, with exit status 2.
	db, err := sql.Open("sqlite", filepath.Join(dir, "newsdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)", latest+100, time.Now().UTC().Format(time.RFC3339)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	code, _, stderr = runMain(t, "serve --addr 127.0.0.1:0 --no-demo --data "+dir)
	if code != 2 || !strings.Contains(stderr, "newer than this newsdesk knows") {
		t.Errorf("serve on a newer schema: exit %d, stderr %q; want 2 and a clear message", code, stderr)
	}
	code, out, stderr = runMain(t, "migrate --status --data "+dir)
	if code != 2 || !strings.Contains(out, "unknown to this binary") || !strings.Contains(stderr, "newer than this binary") {
		t.Errorf("status of a newer schema: %d %q %q", code, out, stderr)
	}
}

// TestMigrateStatusNamesSearchIndex: on PostgreSQL migrate --status says
// which index searches use, RUM where the server has the extension (the start creates it and its
// indexes), else GIN and why.
func TestMigrateStatusNamesSearchIndex(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	if code, out, stderr := runMain(t, "migrate --db "+dsn); code != 0 {
		t.Fatalf("migrate: %d %q %q", code, out, stderr)
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var rum bool
	if err := db.QueryRow("SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'rum')").Scan(&rum); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runMain(t, "migrate --status --db "+dsn)
	want := "search:    RUM indexes"
	if !rum {
		want = "search:    GIN index over date windows (the RUM extension is not installed"
	}
	if code != 0 || !strings.Contains(out, want) {
		t.Errorf("status: %d %q %q; want a line %q", code, out, stderr, want)
	}
	if !rum {
		return
	}
	// Without its indexes (dropped by hand), the status says GIN and why.
	if _, err := db.Exec("DROP INDEX article_search_lead_rum"); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runMain(t, "migrate --status --db "+dsn)
	if want := "search:    GIN index over date windows (the RUM indexes"; code != 0 || !strings.Contains(out, want) {
		t.Errorf("status without a RUM index: %d %q; want %q", code, out, want)
	}
}

// TestConcurrentStartsMigrateOnce starts several stores on one fresh
// PostgreSQL database at the same moment: the advisory lock lets exactly
// one apply each migration.
func TestConcurrentStartsMigrateOnce(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	const nodes = 5
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&syncWriter{w: &logs}, nil))
	errs := make(chan error, nodes)
	start := make(chan struct{})
	for range nodes {
		go func() {
			<-start
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			st, err := sqlstore.Open(ctx, dsn, sqlstore.Options{Logger: logger})
			if err == nil {
				st.Close()
			}
			errs <- err
		}()
	}
	close(start)
	for range nodes {
		if err := <-errs; err != nil {
			t.Errorf("node start: %v", err)
		}
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var rows, distinct int
	if err := db.QueryRow("SELECT count(*), count(DISTINCT version) FROM schema_migrations").Scan(&rows, &distinct); err != nil {
		t.Fatal(err)
	}
	if rows != distinct || distinct == 0 {
		t.Errorf("schema_migrations has %d rows for %d versions, want each once", rows, distinct)
	}
	if n := strings.Count(logs.String(), "applied migration"); n != distinct {
		t.Errorf("%d nodes applied %d migrations between them, want %d (each once)", nodes, n, distinct)
	}
	// The optional RUM indexes, likewise built by one node under the lock,
	// and every node searches through them.
	var rum bool
	if err := db.QueryRow("SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'rum')").Scan(&rum); err != nil {
		t.Fatal(err)
	}
	if rum {
		if n := strings.Count(logs.String(), "building a RUM index"); n != 2 {
			t.Errorf("the nodes built %d RUM indexes between them, want 2 (each once)", n)
		}
		if n := strings.Count(logs.String(), "index="+sqlstore.SearchRUM); n != nodes {
			t.Errorf("%d of %d nodes said they search through RUM:\n%s", n, nodes, logs.String())
		}
	}
}

// syncWriter serializes writes from the server's goroutines.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

func (s *syncWriter) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.(fmt.Stringer).String()
}

// newLocalServer serves h on a loopback port until the test ends.
func newLocalServer(t *testing.T, h http.Handler) string {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}
