package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"newsdesk/internal/api"
	"newsdesk/internal/auth"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/sqlstore"
	"newsdesk/internal/storetest"
)

// serveProc is "newsdesk serve" in a process of its own (this test binary
// running main), so that it can be sent real signals.
type serveProc struct {
	cmd    *exec.Cmd
	url    string
	addr   string
	stderr *syncWriter
	exited chan struct{}
	err    error // from Wait, once exited is closed
}

// startServe runs "newsdesk serve args..." on a free loopback port and
// waits until it listens. env is added to the child's environment. The
// process is killed (by its PID) when the test ends if it still runs.
func startServe(t *testing.T, env []string, args ...string) *serveProc {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), "NEWSDESK_TEST_MAIN=1",
		"NEWSDESK_TEST_ARGS="+strings.Join(append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), " ")), env...)
	out, err := cmd.StdoutPipe()
	must(t, err)
	c := &serveProc{cmd: cmd, stderr: &syncWriter{w: &bytes.Buffer{}}, exited: make(chan struct{})}
	cmd.Stderr = c.stderr
	must(t, cmd.Start())
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "newsdesk: serving "); ok {
				found <- strings.Fields(rest)[0]
			}
		}
		_, _ = io.Copy(io.Discard, out)
	}()
	go func() {
		c.err = cmd.Wait()
		close(c.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-c.exited:
		default:
			_ = cmd.Process.Kill()
			<-c.exited
		}
		if t.Failed() {
			t.Logf("server log (pid %d):\n%s", cmd.Process.Pid, c.stderr.String())
		}
	})
	select {
	case u := <-found:
		c.url = u
		c.addr = strings.TrimPrefix(u, "http://")
		return c
	case <-c.exited:
		t.Fatalf("the server exited before listening (%v): %s", c.err, c.stderr.String())
	case <-time.After(90 * time.Second):
		t.Fatalf("the server did not start: %s", c.stderr.String())
	}
	return nil
}

// signal sends sig to the process.
func (c *serveProc) signal(t *testing.T, sig syscall.Signal) {
	t.Helper()
	must(t, c.cmd.Process.Signal(sig))
}

// wait waits up to d for the process to exit and returns its exit code.
func (c *serveProc) wait(t *testing.T, d time.Duration) int {
	t.Helper()
	select {
	case <-c.exited:
		return c.cmd.ProcessState.ExitCode()
	case <-time.After(d):
		t.Fatalf("the server (pid %d) did not exit within %s", c.cmd.Process.Pid, d)
		return -1
	}
}

// testSite is what the lifecycle tests need in a fresh database: an editor's
// API token, a section and an author.
type testSite struct {
	dir, dsn string
	token    string
	author   int64
}

// newSite prepares the data directory dir and the database dsn ("" for
// SQLite in dir) before a server process opens them.
func newSite(t *testing.T, dsn string) *testSite {
	t.Helper()
	s := &testSite{dir: t.TempDir(), dsn: dsn}
	st := s.open(t)
	defer st.Close()
	ctx := context.Background()
	u := &newsroom.User{Email: "desk@example.com", Name: "Desk Editor", Role: newsroom.RoleEditor, PasswordHash: "x"}
	must(t, st.CreateUser(ctx, u))
	s.token = auth.NewToken()
	must(t, st.CreateToken(ctx, u.ID, auth.HashToken(s.token)))
	must(t, st.CreateCategory(ctx, &newsroom.Category{Slug: "harbour", Name: "Harbour"}))
	au := &newsroom.Author{Slug: "ola-brenn", Name: "Ola Brenn", Label: newsroom.LabelOwnCorr}
	must(t, st.CreateAuthor(ctx, au))
	s.author = au.ID
	return s
}

// open opens the site's store (the server process must not be running).
func (s *testSite) open(t *testing.T) *sqlstore.Store {
	t.Helper()
	cfg := Config{Addr: "127.0.0.1:0", DataDir: s.dir, DB: s.dsn, Language: "en", Timezone: "UTC", NoDemo: true}
	must(t, cfg.validate())
	st, err := openStore(context.Background(), cfg, time.Now, nil)
	must(t, err)
	return st
}

// args are the serve flags for the site.
func (s *testSite) args(more ...string) []string {
	a := []string{"--data", s.dir, "--no-demo", "--log-format", "json"}
	if s.dsn != "" {
		a = append(a, "--db", s.dsn)
	}
	return append(a, more...)
}

// storyBody is the JSON of a published story numbered n.
func (s *testSite) storyBody(n int) string {
	return fmt.Sprintf(`{"headline":"Ferry timetable change %d","body":"The evening crossing leaves ten minutes later.","status":"published","categories":["harbour"],"authors":[{"id":%d}]}`, n, s.author)
}

// post publishes story n through the API of the server at base; it
// returns the stored article and whether the server acknowledged it (201).
func (s *testSite) post(client *http.Client, base string, n int) (api.ArticleJSON, bool) {
	var a api.ArticleJSON
	req, _ := http.NewRequest("POST", base+"/api/v1/articles", strings.NewReader(s.storyBody(n)))
	req.Header.Set("Authorization", "Bearer "+s.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return a, false
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusCreated || json.Unmarshal(b, &a) != nil || a.ID == 0 {
		return a, false
	}
	return a, true
}

// logLines decodes the JSON log lines of a server's standard error.
func logLines(t *testing.T, stderr string) []map[string]any {
	t.Helper()
	var lines []map[string]any
	for _, l := range strings.Split(stderr, "\n") {
		if !strings.HasPrefix(l, "{") {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Errorf("log line %q is not JSON: %v", l, err)
			continue
		}
		lines = append(lines, m)
	}
	return lines
}

// goroutinesLeft returns the goroutines of a dump (written by TestMain
// after main returned) that belong to newsdesk, the database or the HTTP
// server: after a clean shutdown there are none.
func goroutinesLeft(stderr string) (left []string, dumped bool) {
	_, dump, ok := strings.Cut(stderr, goroutineDumpMark)
	if !ok {
		return nil, false
	}
	for _, g := range strings.Split(dump, "\n\n") {
		g = strings.TrimSpace(g)
		if g == "" || strings.Contains(g, ".TestMain(") {
			continue
		}
		for _, mark := range []string{"newsdesk/", "\nmain.", "database/sql.", "net/http.", "jackc/pgx", "modernc.org/sqlite"} {
			if strings.Contains(g, mark) {
				left = append(left, g)
				break
			}
		}
	}
	return left, true
}

// TestGracefulShutdownOnSIGTERM sends SIGTERM to a serving process while a
// request is in flight: the listener closes at once, the request is
// answered and its write kept, every goroutine of ours (and the
// database's, and the HTTP server's) has stopped when main returns, the
// log has no error or warning (no "database is closed"), and the views
// and share clicks counted in memory are in the database.
func TestGracefulShutdownOnSIGTERM(t *testing.T) {
	forEachDSN(t, func(t *testing.T, dsn string) {
		s := newSite(t, dsn)
		// Views are flushed only at the end: one minute is longer than the test.
		c := startServe(t, []string{"NEWSDESK_TEST_GOROUTINES=1"}, s.args("--views-flush", "1m", "--metrics-addr", "127.0.0.2:0")...)
		client := &http.Client{Timeout: 30 * time.Second}
		var stories []api.ArticleJSON
		for i := range 3 {
			a, ok := s.post(client, c.url, i)
			if !ok {
				t.Fatalf("story %d was not created", i)
			}
			stories = append(stories, a)
		}
		for _, a := range stories {
			req, _ := http.NewRequest("GET", c.url+a.URL, nil)
			req.Header.Set("User-Agent", browserUA)
			resp, err := client.Do(req)
			must(t, err)
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("GET %s = %d", a.URL, resp.StatusCode)
			}
		}

		// A share click per story, counted in memory too.
		noRedirect := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		for _, a := range stories {
			resp, err := noRedirect.Post(fmt.Sprintf("%s/share/%d/%s", c.url, a.ID, newsroom.Networks[0]), "", nil)
			must(t, err)
			resp.Body.Close()
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("share click on %d = %d", a.ID, resp.StatusCode)
			}
		}

		// A request in flight: headers and half the body sent.
		conn, err := net.Dial("tcp", c.addr)
		must(t, err)
		defer conn.Close()
		body := s.storyBody(99)
		half := len(body) / 2
		fmt.Fprintf(conn, "POST /api/v1/articles HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
			c.addr, s.token, len(body), body[:half])
		time.Sleep(200 * time.Millisecond) // the server has read the headers

		c.signal(t, syscall.SIGTERM)
		// The listener closes: a new connection is refused while the
		// request in flight is still open.
		deadline := time.Now().Add(10 * time.Second)
		for {
			nc, err := net.DialTimeout("tcp", c.addr, time.Second)
			if err != nil {
				break
			}
			nc.Close()
			if time.Now().After(deadline) {
				t.Fatal("the server still accepts connections 10 s after SIGTERM")
			}
			time.Sleep(20 * time.Millisecond)
		}
		select {
		case <-c.exited:
			t.Fatal("the server exited with a request in flight")
		default:
		}
		_, err = io.WriteString(conn, body[half:])
		must(t, err)
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		must(t, err)
		var inFlight api.ArticleJSON
		must(t, json.NewDecoder(resp.Body).Decode(&inFlight))
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated || inFlight.ID == 0 {
			t.Fatalf("the request in flight got %d %+v, want 201", resp.StatusCode, inFlight)
		}
		if code := c.wait(t, 30*time.Second); code != 0 {
			t.Fatalf("exit status %d after SIGTERM, want 0", code)
		}

		stderr := c.stderr.String()
		left, dumped := goroutinesLeft(stderr)
		if !dumped {
			t.Fatal("no goroutine dump: main did not return")
		}
		for _, g := range left {
			t.Errorf("goroutine still running after shutdown:\n%s", g)
		}
		lines := logLines(t, stderr)
		var sawPost bool
		for _, l := range lines {
			// A slow query is the machine's load, not the shutdown's doing.
			if l["level"] == "ERROR" || (l["level"] == "WARN" && l["msg"] != "slow query") {
				t.Errorf("log during shutdown: %v", l)
			}
			if l["msg"] == "request" && l["method"] == "POST" && l["status"] == float64(201) {
				sawPost = true
			}
		}
		if strings.Contains(stderr, "database is closed") {
			t.Error(`the log says "database is closed"`)
		}
		if !sawPost {
			t.Error("no request line for the POSTs")
		}

		st := s.open(t)
		defer st.Close()
		if _, err := st.ArticleByID(context.Background(), inFlight.ID); err != nil {
			t.Errorf("the story written during the drain is not stored: %v", err)
		}
		var views int
		must(t, st.DB().QueryRow("SELECT COALESCE(SUM(count), 0) FROM article_views").Scan(&views))
		if views != len(stories) {
			t.Errorf("%d views stored after shutdown, want %d (the final flush)", views, len(stories))
		}
		var shares int
		must(t, st.DB().QueryRow("SELECT COALESCE(SUM(count), 0) FROM article_shares").Scan(&shares))
		if shares != len(stories) {
			t.Errorf("%d share clicks stored after shutdown, want %d (the final flush)", shares, len(stories))
		}
	})
}

// forEachDSN runs f on SQLite ("") and on a fresh PostgreSQL database
// (skipped, saying why, without NEWSDESK_TEST_POSTGRES).
func forEachDSN(t *testing.T, f func(t *testing.T, dsn string)) {
	t.Run("sqlite", func(t *testing.T) { f(t, "") })
	t.Run("postgres", func(t *testing.T) { f(t, storetest.PostgresDSN(t)) })
}

// writers posts stories from n goroutines to base until stop is closed,
// and returns what the server acknowledged.
type writers struct {
	mu    sync.Mutex
	acked []api.ArticleJSON
	tried int
	wg    sync.WaitGroup
}

func (w *writers) start(s *testSite, base string, n int, stop <-chan struct{}, from int) {
	for g := range n {
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			client := &http.Client{Timeout: 10 * time.Second}
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				a, ok := s.post(client, base, from+g*100000+i)
				w.mu.Lock()
				w.tried++
				if ok {
					w.acked = append(w.acked, a)
				}
				w.mu.Unlock()
				if !ok {
					time.Sleep(20 * time.Millisecond)
				}
			}
		}()
	}
}

func (w *writers) count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.acked)
}

// waitFor waits until n writes are acknowledged, or until deadline.
func (w *writers) waitFor(n int, deadline time.Time) {
	for w.count() < n && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
}

// get fetches an article through the API of the server at base.
func (s *testSite) get(t *testing.T, client *http.Client, base string, id int64) (int, api.ArticleJSON) {
	t.Helper()
	var a api.ArticleJSON
	req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/articles/%d", base, id), nil)
	req.Header.Set("Authorization", "Bearer "+s.token)
	resp, err := client.Do(req)
	must(t, err)
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		must(t, json.NewDecoder(resp.Body).Decode(&a))
	}
	return resp.StatusCode, a
}

// checkAcked restarts nothing: it checks, on the server at base, that
// every acknowledged story is there with its headline and its page.
func (s *testSite) checkAcked(t *testing.T, base string, acked []api.ArticleJSON) {
	t.Helper()
	client := &http.Client{Timeout: 30 * time.Second}
	lost := 0
	for _, want := range acked {
		code, got := s.get(t, client, base, want.ID)
		if code != http.StatusOK || got.Headline != want.Headline || got.Status != newsroom.Published {
			lost++
			t.Errorf("acknowledged story %d (%q): %d %q %s after restart", want.ID, want.Headline, code, got.Headline, got.Status)
			continue
		}
		resp, err := client.Get(base + want.URL)
		must(t, err)
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("page %s of an acknowledged story: %d after restart", want.URL, resp.StatusCode)
		}
	}
	t.Logf("%d acknowledged writes, %d lost", len(acked), lost)
}

// TestSIGKILLLosesNoAcknowledgedWrite kills the server process with
// SIGKILL while four writers publish through the API, starts it again on
// the same data, and finds every story that was answered 201.
func TestSIGKILLLosesNoAcknowledgedWrite(t *testing.T) {
	forEachDSN(t, func(t *testing.T, dsn string) {
		s := newSite(t, dsn)
		c := startServe(t, nil, s.args()...)
		stop := make(chan struct{})
		var w writers
		w.start(s, c.url, 4, stop, 0)
		w.waitFor(40, time.Now().Add(60*time.Second))
		c.signal(t, syscall.SIGKILL) // with writes in flight
		c.wait(t, 30*time.Second)
		close(stop)
		w.wg.Wait()
		if len(w.acked) < 40 {
			t.Fatalf("only %d of %d writes acknowledged in a minute", len(w.acked), w.tried)
		}
		t.Logf("%d writes tried, %d acknowledged before SIGKILL", w.tried, len(w.acked))

		c = startServe(t, nil, s.args()...)
		s.checkAcked(t, c.url, w.acked)
		c.signal(t, syscall.SIGTERM)
		if code := c.wait(t, 30*time.Second); code != 0 {
			t.Errorf("exit %d after SIGTERM", code)
		}
		if dsn == "" {
			st := s.open(t)
			defer st.Close()
			var check string
			must(t, st.DB().QueryRow("PRAGMA integrity_check").Scan(&check))
			if check != "ok" {
				t.Errorf("integrity_check after SIGKILL: %s", check)
			}
		}
	})
}

// pgCluster is a PostgreSQL server of the test's own: initdb in a temporary
// directory, listening on a free loopback port, run as the postgres user
// when the test runs as root (PostgreSQL refuses to run as root).
type pgCluster struct {
	bin, dir, port string
	cred           *syscall.Credential
	// opts are more server settings ("-c name=value ...") for start.
	opts string
}

// newPGCluster initialises the cluster, or skips saying why.
func newPGCluster(t *testing.T) *pgCluster {
	t.Helper()
	if os.Getenv(storetest.PostgresEnv) == "" {
		t.Skip(storetest.PostgresEnv + " not set; skipping the PostgreSQL restart test")
	}
	bin := ""
	for _, pattern := range []string{"/usr/lib/postgresql/*/bin/pg_ctl", "/usr/local/bin/pg_ctl", "/usr/bin/pg_ctl"} {
		if m, _ := filepath.Glob(pattern); len(m) > 0 {
			bin = filepath.Dir(m[len(m)-1])
			break
		}
	}
	if bin == "" {
		t.Skip("no pg_ctl/initdb here: skipping the PostgreSQL restart test")
	}
	c := &pgCluster{bin: bin}
	// Not under t.TempDir(): its parent is private to this user, and the
	// postgres user must reach the cluster's directory.
	parent, err := os.MkdirTemp("", "newsdesk-pg-")
	must(t, err)
	t.Cleanup(func() { os.RemoveAll(parent) })
	c.dir = filepath.Join(parent, "pgdata")
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Skipf("running as root and no postgres user to run a cluster as: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		c.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		must(t, os.Chmod(parent, 0o755))
		must(t, os.Mkdir(c.dir, 0o700))
		must(t, os.Chown(c.dir, uid, gid))
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	c.port = strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	c.run(t, "initdb", "-D", c.dir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
	c.start(t)
	t.Cleanup(func() {
		cmd := exec.Command(filepath.Join(c.bin, "pg_ctl"), "-D", c.dir, "-m", "immediate", "-w", "stop")
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
		_ = cmd.Run()
	})
	return c
}

func (c *pgCluster) run(t *testing.T, prog string, args ...string) {
	t.Helper()
	cmd := exec.Command(filepath.Join(c.bin, prog), args...)
	cmd.Dir = "/"
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v\n%s", prog, args, err, out)
	}
}

// start starts the server and waits until it accepts connections.
func (c *pgCluster) start(t *testing.T) {
	t.Helper()
	c.run(t, "pg_ctl", "-D", c.dir, "-w", "-t", "60", "-l", filepath.Join(c.dir, "server.log"),
		"-o", "-h 127.0.0.1 -p "+c.port+" -k '' -c fsync=on "+c.opts, "start")
}

// stop stops the server: "fast" rolls back open transactions and
// disconnects every client, as a restart by an operator does; "immediate"
// is a crash.
func (c *pgCluster) stop(t *testing.T, mode string) {
	t.Helper()
	c.run(t, "pg_ctl", "-D", c.dir, "-m", mode, "-w", "-t", "60", "stop")
}

func (c *pgCluster) dsn(db string) string {
	return "postgres://postgres@127.0.0.1:" + c.port + "/" + db + "?sslmode=disable"
}

// TestPostgresRestartUnderWrites serves from a PostgreSQL cluster of the
// test's own and, while four writers publish, stops the cluster (a crash:
// "immediate"), starts it again, and checks that the site answers again
// (readiness 503 while it is down, 200 after), that writing works again
// without restarting newsdesk, and that every acknowledged write is there.
func TestPostgresRestartUnderWrites(t *testing.T) {
	pg := newPGCluster(t)
	s := newSite(t, pg.dsn("postgres"))
	c := startServe(t, nil, s.args()...)
	stop := make(chan struct{})
	var w writers
	w.start(s, c.url, 4, stop, 0)
	w.waitFor(20, time.Now().Add(60*time.Second))
	pg.stop(t, "immediate")
	client := &http.Client{Timeout: 10 * time.Second}
	if code, body, _ := getStatus(t, c.url+"/readyz"); code != http.StatusServiceUnavailable {
		t.Errorf("readyz with PostgreSQL stopped = %d %v, want 503", code, body)
	}
	before := w.count()
	time.Sleep(500 * time.Millisecond) // the writers fail meanwhile
	pg.start(t)
	// The pool reconnects by itself: the site is ready again, and new
	// writes are acknowledged.
	deadline := time.Now().Add(30 * time.Second)
	for {
		code, _, _ := getStatus(t, c.url+"/readyz")
		if code == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("readyz = %d 30 s after PostgreSQL came back", code)
		}
		time.Sleep(100 * time.Millisecond)
	}
	w.waitFor(before+20, deadline)
	close(stop)
	w.wg.Wait()
	if w.count() < before+20 {
		t.Errorf("%d writes acknowledged after the restart, want 20", w.count()-before)
	}
	resp, err := client.Get(c.url + "/")
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("home page after the restart: %d", resp.StatusCode)
	}
	t.Logf("%d writes tried, %d acknowledged (%d before the crash)", w.tried, len(w.acked), before)
	s.checkAcked(t, c.url, w.acked)
	c.signal(t, syscall.SIGTERM)
	if code := c.wait(t, 30*time.Second); code != 0 {
		t.Errorf("exit %d after SIGTERM", code)
	}
}
