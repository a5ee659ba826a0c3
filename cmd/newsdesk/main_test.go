package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/newsroom"
)

// TestMain lets a test run the real main (to see exit codes) by re-running
// the test binary with NEWSDESK_TEST_MAIN=1.
func TestMain(m *testing.M) {
	if os.Getenv("NEWSDESK_TEST_MAIN") == "1" {
		os.Args = append([]string{"newsdesk"}, strings.Fields(os.Getenv("NEWSDESK_TEST_ARGS"))...)
		main()
		if os.Getenv("NEWSDESK_TEST_GOROUTINES") == "1" {
			// What is still running once main has returned (see
			// goroutinesLeft): a clean shutdown leaves nothing of ours.
			// A goroutine that is already on its way out (database/sql's
			// connection opener returns just after Close, when the
			// scheduler gets to it) gets up to three seconds to go; a
			// leaked one is still there then.
			var dump bytes.Buffer
			for deadline := time.Now().Add(3 * time.Second); ; time.Sleep(20 * time.Millisecond) {
				dump.Reset()
				_ = pprof.Lookup("goroutine").WriteTo(&dump, 2)
				if left, _ := goroutinesLeft(goroutineDumpMark + dump.String()); len(left) == 0 || time.Now().After(deadline) {
					break
				}
			}
			fmt.Fprint(os.Stderr, goroutineDumpMark, dump.String())
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// goroutineDumpMark starts the goroutine dump a child process writes to
// standard error after main returned, with NEWSDESK_TEST_GOROUTINES=1.
const goroutineDumpMark = "\n=== goroutines after main returned ===\n"

// runMain runs main in a child process and returns its exit code and output.
func runMain(t *testing.T, args string, env ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), append([]string{"NEWSDESK_TEST_MAIN=1", "NEWSDESK_TEST_ARGS=" + args}, env...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-ctx.Done():
		cmd.Process.Kill()
		t.Fatalf("newsdesk %s did not exit", args)
	}
	return cmd.ProcessState.ExitCode(), stdout.String(), stderr.String()
}

func TestBadConfigurationExitsWithTwo(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a-file")
	os.WriteFile(file, []byte("x"), 0o644)
	tests := []struct {
		name, args, want string
	}{
		{"unknown database scheme", "--data " + dir + " --db mysql://root@127.0.0.1/x", "--db must be"},
		{"replica not on PostgreSQL", "--data " + dir + " --db postgres://postgres@127.0.0.1:1/x --db-read mysql://root:secret@127.0.0.1/x", "--db-read (NEWSDESK_DB_READ) must be the postgres:// URL"},
		{"unknown way of counting views", "--data " + dir + " --count-views clicks", "--count-views (NEWSDESK_COUNT_VIEWS) must be pages or beacon, not \"clicks\""},
		{"replica of SQLite", "--data " + dir + " --db-read postgres://postgres@127.0.0.1:1/x", "--db-read (NEWSDESK_DB_READ) needs a PostgreSQL --db"},
		{"unreachable postgres", "--data " + dir + " --db postgres://postgres:secret@127.0.0.1:1/none?sslmode=disable&connect_timeout=2", "cannot open database postgres://postgres:***@127.0.0.1:1"},
		{"data dir under a file", "--data " + file + "/sub", "data directory " + file + "/sub cannot be created"},
		{"bad language", "--data " + dir + " --language de", "--language must be en or ru"},
		{"bad timezone", "--data " + dir + " --timezone Mars/Olympus", "is not a known time zone"},
		{"unknown flag", "--colour blue", "flag provided but not defined"},
		{"unknown command", "launch", "unknown command"},
		{"profiler on every interface", "--data " + dir + " --debug-addr 0.0.0.0:6060", "--debug-addr (NEWSDESK_DEBUG_ADDR) must be a loopback address"},
		{"profiler on a public address", "--data " + dir + " --debug-addr :6060", "must be a loopback address"},
		{"memory limit too small", "--data " + dir + " --memory-limit 20", "--memory-limit (NEWSDESK_MEMORY_LIMIT) must be a whole number of MiB, at least 48"},
		{"memory limit below -1", "--data " + dir + " --memory-limit -5", "--memory-limit (NEWSDESK_MEMORY_LIMIT)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runMain(t, tt.args)
			if code != 2 {
				t.Errorf("exit code = %d, want 2 (stderr %q)", code, stderr)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr = %q, want it to mention %q", stderr, tt.want)
			}
			if strings.Contains(stderr, "secret") {
				t.Errorf("stderr leaks the password: %q", stderr)
			}
		})
	}
}

func TestFirstStartSeedsOnceAndPrintsAdminPassword(t *testing.T) {
	dir := t.TempDir()
	cfg := Config{Addr: "127.0.0.1:0", DataDir: dir, Language: "en", Timezone: "UTC"}
	cfg.validate()
	start := func() (string, int) {
		var out bytes.Buffer
		a, err := newApp(context.Background(), cfg, nil, &out, testLogger(t))
		if err != nil {
			t.Fatal(err)
		}
		defer a.store.Close()
		_, total, err := a.store.FindArticles(context.Background(), newsroom.ArticleFilter{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		return out.String(), total
	}
	out1, n1 := start()
	if !strings.Contains(out1, "admin@example.com with password ") || !strings.Contains(out1, "Loaded demo content") {
		t.Errorf("first start printed %q", out1)
	}
	if n1 < 40 {
		t.Errorf("first start loaded %d articles, want at least 40", n1)
	}
	out2, n2 := start()
	if strings.Contains(out2, "password") || strings.Contains(out2, "demo") {
		t.Errorf("second start printed %q; want no re-seeding and no password", out2)
	}
	if n2 != n1 {
		t.Errorf("second start has %d articles, first had %d", n2, n1)
	}
}

func TestUserAddAndTokenCreate(t *testing.T) {
	dir := t.TempDir()
	env := func(string) string { return "" }
	var out, errb bytes.Buffer
	args := []string{"user", "add", "--data", dir, "--email", "Ines@Example.com", "--name", "Ines Laar", "--role", "editor"}
	if err := run(context.Background(), args, env, strings.NewReader("long enough secret\n"), &out, &errb); err != nil {
		t.Fatalf("user add: %v", err)
	}
	if !strings.Contains(out.String(), "added Ines Laar <ines@example.com> as editor") {
		t.Errorf("user add printed %q", out.String())
	}
	err := run(context.Background(), args, env, strings.NewReader("long enough secret\n"), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("second user add: %v, want already exists", err)
	}
	err = run(context.Background(), []string{"user", "add", "--data", dir, "--email", "x@example.com", "--name", "X", "--role", "editor"}, env, strings.NewReader("short\n"), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "at least 10 characters") {
		t.Errorf("short password: %v", err)
	}
	err = run(context.Background(), []string{"user", "add", "--data", dir, "--email", "not-an-address", "--name", "X", "--role", "editor"}, env, strings.NewReader("long enough secret\n"), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "--email") {
		t.Errorf("bad e-mail: %v, want it to name --email", err)
	}
	out.Reset()
	if err := run(context.Background(), []string{"token", "create", "--data", dir, "--email", "ines@example.com"}, env, nil, &out, io.Discard); err != nil {
		t.Fatalf("token create: %v", err)
	}
	token := strings.TrimSpace(out.String())
	if !strings.HasPrefix(token, "nd_") {
		t.Fatalf("token = %q", token)
	}
	err = run(context.Background(), []string{"token", "create", "--data", dir, "--email", "nobody@example.com"}, env, nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "no user") {
		t.Errorf("token for unknown user: %v", err)
	}

	// The token works against the API of a server on the same data.
	ta := newTestAppWith(t, "", func(c *Config) { c.DataDir = dir })
	res := doJSON(t, ta.srv, "POST", "/api/v1/articles", token, `{"headline":"Tide tables move online","body":"The harbour office publishes tides."}`)
	if res.status != http.StatusCreated {
		t.Errorf("create with CLI token: %d %s", res.status, res.body)
	}
}

type response struct {
	status int
	body   string
	header http.Header
}

func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.body), v); err != nil {
		t.Fatalf("decode %q: %v", r.body, err)
	}
}

func doJSON(t *testing.T, srv *httptest.Server, method, path, token, body string) response {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, body: string(b), header: res.Header}
}

// must is a tiny helper for setup steps in tests.
func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
