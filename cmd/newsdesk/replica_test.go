package main

import (
	"context"
	"database/sql"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"newsdesk/internal/sqlstore"
	"newsdesk/internal/storetest"
)

// ReplicaWindowForTest is how long after a change the test waits for
// public reads to leave the primary: the store's window and a check.
const ReplicaWindowForTest = sqlstore.ReplicaWindow + sqlstore.ReplicaCheck

// newPGReplica makes a streaming standby of primary (pg_basebackup -R, so
// it follows the primary by itself) and starts it on a port of its own;
// it is stopped when the test ends. It skips when pg_basebackup is not
// installed.
func newPGReplica(t *testing.T, primary *pgCluster) *pgCluster {
	t.Helper()
	if _, err := os.Stat(filepath.Join(primary.bin, "pg_basebackup")); err != nil {
		t.Skipf("no pg_basebackup in %s: skipping the read replica test", primary.bin)
	}
	r := &pgCluster{bin: primary.bin, cred: primary.cred}
	parent, err := os.MkdirTemp("", "newsdesk-pg-replica-")
	must(t, err)
	t.Cleanup(func() { os.RemoveAll(parent) })
	must(t, os.Chmod(parent, 0o755))
	r.dir = filepath.Join(parent, "pgdata")
	must(t, os.Mkdir(r.dir, 0o700))
	if r.cred != nil {
		must(t, os.Chown(r.dir, int(r.cred.Uid), int(r.cred.Gid)))
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	r.port = strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	r.run(t, "pg_basebackup", "-D", r.dir, "-R", "-X", "stream", "-c", "fast", "-h", "127.0.0.1", "-p", primary.port, "-U", "postgres")
	r.start(t)
	t.Cleanup(func() { r.stopQuietly() })
	return r
}

// stopQuietly stops the server if it runs (pg_ctl signals the PID in its
// postmaster.pid), ignoring errors.
func (c *pgCluster) stopQuietly() {
	cmd := exec.Command(filepath.Join(c.bin, "pg_ctl"), "-D", c.dir, "-m", "immediate", "-w", "stop")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	_ = cmd.Run()
}

// TestReadReplica runs a node with --db-read on a real streaming standby
// of a PostgreSQL primary of the test's own: public pages are read from
// the standby (counted in the standby's own statistics), a publish is on
// the pages at once (reads go to the primary right after a change), with
// the standby's replay paused the pages still show the newest story (the
// node found the standby behind and reads the primary, saying so once in
// its log, and once more when the standby caught up), and with the
// standby stopped the site keeps serving. A replica that cannot be
// reached at start stops the program with exit status 2.
func TestReadReplica(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two PostgreSQL servers")
	}
	if os.Getenv(storetest.PostgresEnv) == "" {
		t.Skip(storetest.PostgresEnv + " not set; skipping the read replica test")
	}
	pg := newPGCluster(t) // skips when initdb/pg_ctl are missing
	pg.opts = "-c wal_level=replica -c max_wal_senders=5"
	pg.stop(t, "fast")
	pg.start(t)
	rep := newPGReplica(t, pg)
	s := newSite(t, pg.dsn("postgres"))
	replicaDSN := rep.dsn("postgres")
	rdb, err := sql.Open("pgx", replicaDSN)
	must(t, err)
	defer rdb.Close()
	pdb, err := sql.Open("pgx", pg.dsn("postgres"))
	must(t, err)
	defer pdb.Close()
	ctx := context.Background()
	// The standby has the site's tables once it replayed their creation.
	var lastErr error
	if waitFor(20*time.Second, func() bool {
		var n int
		lastErr = rdb.QueryRowContext(ctx, "SELECT count(*) FROM authors WHERE id = $1", s.author).Scan(&n)
		return lastErr == nil && n == 1
	}) < 0 {
		log, _ := os.ReadFile(filepath.Join(rep.dir, "server.log"))
		t.Fatalf("the standby never showed the site's author (%v); its log:\n%s", lastErr, tail(string(log), 3000))
	}

	// --cache-mb 0: every page is read from the database.
	node := startServe(t, nil, s.args("--cache-mb", "0", "--db-read", replicaDSN)...)
	client := &http.Client{Timeout: 10 * time.Second}
	first, ok := s.post(client, node.url, 1)
	if !ok {
		t.Fatal("publish failed")
	}
	page := func(path string) (int, string) {
		code, body, _ := getVia(t, client, node.url+path)
		return code, body
	}
	if code, body := page(first.URL); code != 200 || !strings.Contains(body, first.Headline) {
		t.Fatalf("right after the publish, the story's page = %d without its headline", code)
	}

	// 1. Public reads come from the standby: its own statistics count them.
	time.Sleep(ReplicaWindowForTest)
	scans := func(db *sql.DB) int64 {
		var n int64
		must(t, db.QueryRowContext(ctx, `SELECT coalesce(sum(coalesce(seq_scan, 0) + coalesce(idx_scan, 0)), 0)
			FROM pg_stat_user_tables WHERE relname = 'articles'`).Scan(&n))
		return n
	}
	xacts := func(db *sql.DB) int64 {
		var n int64
		must(t, db.QueryRowContext(ctx, "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()").Scan(&n))
		return n
	}
	readsCounted := func(phase string, pages int) {
		t.Helper()
		rs, rx, ps := scans(rdb), xacts(rdb), scans(pdb)
		for i := range pages {
			p := "/"
			if i%2 == 1 {
				p = first.URL
			}
			if code, _ := page(p); code != 200 {
				t.Fatalf("%s: GET %s = %d", phase, p, code)
			}
		}
		// Statistics reach the views within a few seconds (an idle
		// backend flushes them after at most 10 s).
		var drs, drx int64
		waitFor(20*time.Second, func() bool {
			drs, drx = scans(rdb)-rs, xacts(rdb)-rx
			return drs >= int64(pages) && drx >= int64(pages)
		})
		dps := scans(pdb) - ps
		t.Logf("%s: %d public pages; on the standby %d scans of articles, %d transactions; on the primary %d scans of articles", phase, pages, drs, drx, dps)
		if drs < int64(pages) || drx < int64(pages) {
			t.Errorf("%s: %d pages read, but the standby counted %d scans of articles and %d transactions", phase, pages, drs, drx)
		}
		// The primary's statistics may still take in reads of the phase
		// before (a backend flushes its counts when it goes idle); most
		// of these reads are the standby's.
		if dps >= drs {
			t.Errorf("%s: the primary counted %d scans of articles, the standby %d: the public pages were not read from the standby", phase, dps, drs)
		}
	}
	readsCounted("standby in sync", 40)

	// 2. Replay paused: a new story is on the pages at once (read from the
	// primary right after the change), and still after the window (the
	// node found the standby behind).
	_, err = rdb.ExecContext(ctx, "SELECT pg_wal_replay_pause()")
	must(t, err)
	second, ok := s.post(client, node.url, 2)
	if !ok {
		t.Fatal("publish with replay paused failed")
	}
	if code, body := page("/"); code != 200 || !strings.Contains(body, second.Headline) {
		t.Errorf("right after a publish (replay paused), the home page = %d without the new story", code)
	}
	time.Sleep(ReplicaWindowForTest + time.Second)
	var onStandby int
	must(t, rdb.QueryRowContext(ctx, "SELECT count(*) FROM articles WHERE id = $1", second.ID).Scan(&onStandby))
	if onStandby != 0 {
		t.Fatal("the standby has the story published while its replay was paused: the test proves nothing")
	}
	for i := range 10 {
		if code, body := page("/"); code != 200 || !strings.Contains(body, second.Headline) {
			t.Fatalf("replay paused, %s after the publish, read %d: home page %d without the new story", ReplicaWindowForTest, i, code)
		}
	}
	fallbacks := func(reason string) int {
		n := 0
		for _, l := range logLines(t, node.stderr.String()) {
			if l["msg"] == "sqlstore: read replica not used: public reads go to the primary" &&
				strings.Contains(l["reason"].(string), reason) {
				n++
			}
		}
		return n
	}
	caughtUp := func() int {
		n := 0
		for _, l := range logLines(t, node.stderr.String()) {
			if l["msg"] == "sqlstore: read replica caught up: public reads go to it again" {
				n++
			}
		}
		return n
	}
	if n := fallbacks("behind the primary"); n != 1 {
		t.Errorf("replay paused: %d log lines saying the standby is behind, want 1", n)
	}

	// 3. Replay resumed: the standby catches up and takes the reads again.
	_, err = rdb.ExecContext(ctx, "SELECT pg_wal_replay_resume()")
	must(t, err)
	if waitFor(10*time.Second, func() bool { return caughtUp() == 1 }) < 0 {
		t.Fatalf("no log line saying the standby caught up (%d)", caughtUp())
	}
	readsCounted("standby caught up", 40)

	// 4. The standby stopped: every page is still served, and publishing works.
	rep.stop(t, "fast")
	for i := range 30 {
		if code, body := page("/"); code != 200 || !strings.Contains(body, second.Headline) {
			t.Fatalf("standby stopped, read %d: home page %d without the newest story", i, code)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if n := fallbacks(""); n != 2 {
		t.Errorf("%d log lines saying the standby is not used, want 2 (behind, then away)", n)
	}
	third, ok := s.post(client, node.url, 3)
	if !ok {
		t.Fatal("publish with the standby stopped failed")
	}
	time.Sleep(ReplicaWindowForTest)
	if code, body := page("/"); code != 200 || !strings.Contains(body, third.Headline) {
		t.Errorf("standby stopped: home page %d without the story published since", code)
	}
	node.signal(t, syscall.SIGTERM)
	if code := node.wait(t, 30*time.Second); code != 0 {
		t.Errorf("exit %d after SIGTERM", code)
	}

	// 5. A replica that does not answer at start: exit status 2, naming the flag.
	code, _, stderr := runMain(t, "serve --addr 127.0.0.1:0 --data "+t.TempDir()+" --no-demo --db "+pg.dsn("postgres")+
		" --db-read "+replicaDSN+"&connect_timeout=2")
	if code != 2 || !strings.Contains(stderr, "--db-read (NEWSDESK_DB_READ) postgres://postgres@127.0.0.1:"+rep.port) {
		t.Errorf("serve with a replica that does not answer: exit %d, stderr %q; want 2 naming --db-read", code, stderr)
	}
}
