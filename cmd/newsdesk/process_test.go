package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"newsdesk/internal/auth"
	"newsdesk/internal/newsroom"
)

// serverProcess is newsdesk serving in a child process of its own (this
// test binary running main), so that its memory can be measured alone.
type serverProcess struct {
	url string
	pid int
}

// startServerProcess runs "newsdesk serve" with args in a child process
// on 127.0.0.1 (startServe) and waits until it listens. The process is
// stopped (by its PID) when the test ends.
func startServerProcess(t *testing.T, args ...string) *serverProcess {
	t.Helper()
	c := startServe(t, nil, args...)
	return &serverProcess{url: c.url, pid: c.cmd.Process.Pid}
}

// peakRSS is the process's peak resident memory (VmHWM) in bytes.
func (p *serverProcess) peakRSS(t *testing.T) int64 {
	t.Helper()
	return procStatus(t, p.pid, "VmHWM")
}

// procStatus reads a "kB" line of /proc/PID/status, in bytes.
func procStatus(t *testing.T, pid int, field string) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no /proc here to measure memory: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			must(t, err)
			return kb << 10
		}
	}
	t.Fatalf("no %s in /proc/%d/status", field, pid)
	return 0
}

// addStaffToData creates a member of staff in the database of the data
// directory dir before a server process opens it.
func addStaffToData(t *testing.T, dir, email, password string, role newsroom.Role) {
	t.Helper()
	cfg := Config{Addr: "127.0.0.1:0", DataDir: dir, Language: "en", Timezone: "UTC", NoDemo: true}
	must(t, cfg.validate())
	st, err := openStore(context.Background(), cfg, time.Now, nil)
	must(t, err)
	defer st.Close()
	hash, err := auth.HashPassword(password)
	must(t, err)
	must(t, st.CreateUser(context.Background(), &newsroom.User{Email: email, Name: "Staff " + string(role), Role: role, PasswordHash: hash}))
}

// deskClient is a signed-in desk session on a server process.
type deskClient struct {
	base string
	http *http.Client
	csrf string
}

func signInProcess(t *testing.T, base, email, password string) *deskClient {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &deskClient{base: base, http: &http.Client{Jar: jar, Timeout: 2 * time.Minute}}
	res, err := c.http.PostForm(base+"/desk/signin", url.Values{"email": {email}, "password": {password}, "next": {"/desk/media"}})
	must(t, err)
	defer res.Body.Close()
	doc, err := goquery.NewDocumentFromReader(res.Body)
	must(t, err)
	tok, ok := doc.Find(`meta[name="csrf-token"]`).Attr("content")
	if res.StatusCode != http.StatusOK || !ok {
		t.Fatalf("sign in: %d, csrf token found: %v", res.StatusCode, ok)
	}
	c.csrf = tok
	return c
}
