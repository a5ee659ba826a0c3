package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"newsdesk/internal/auth"
	"newsdesk/internal/media"
	"newsdesk/internal/media/mediatest"
	"newsdesk/internal/newsroom"
)

// weedBin returns the SeaweedFS binary (NEWSDESK_WEED, or where .ci/run
// builds it), or skips saying why (fails with NEWSDESK_REQUIRE_S3=1).
func weedBin(t *testing.T) string {
	t.Helper()
	p := os.Getenv("NEWSDESK_WEED")
	if p == "" {
		home, _ := os.UserHomeDir()
		p = filepath.Join(home, ".cache", "newsdesk", "weed-7506e5f91cd6", "weed")
	}
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("NEWSDESK_REQUIRE_S3") == "1" {
			t.Fatalf("NEWSDESK_REQUIRE_S3=1 but no SeaweedFS binary at %s (.ci/run builds it)", p)
		}
		t.Skipf("no SeaweedFS binary at %s (set NEWSDESK_WEED; .ci/run builds it); skipping the several-nodes test", p)
	}
	return p
}

// lowPort returns a free loopback port below 40000, so that SeaweedFS's
// gRPC port (the port + 10000) is a valid, likely free port too.
func lowPort(t *testing.T) int {
	t.Helper()
	for range 200 {
		p := 20000 + rand.IntN(20000)
		ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
		if err != nil {
			continue
		}
		ln2, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p+10000))
		ln.Close()
		if err != nil {
			continue
		}
		ln2.Close()
		return p
	}
	t.Fatal("no free low port")
	return 0
}

// startWeed runs "weed server -s3" on loopback with a bucket "news" and
// returns the S3 endpoint; it is stopped (by its PID) when the test ends.
func startWeed(t *testing.T, bin string) string {
	t.Helper()
	dir := t.TempDir()
	s3 := lowPort(t)
	cmd := exec.Command(bin, "server", "-dir="+dir, "-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-s3", "-s3.port="+strconv.Itoa(s3),
		"-master.port="+strconv.Itoa(lowPort(t)), "-volume.port="+strconv.Itoa(lowPort(t)), "-filer.port="+strconv.Itoa(lowPort(t)),
		"-volume.max=5")
	out, _ := startHelperServer(t, cmd, "weed")
	endpoint := "http://127.0.0.1:" + strconv.Itoa(s3)
	for deadline := time.Now().Add(90 * time.Second); ; time.Sleep(250 * time.Millisecond) {
		req, _ := http.NewRequest("PUT", endpoint+"/news", nil)
		if res, err := http.DefaultClient.Do(req); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 || res.StatusCode == 409 {
				return endpoint
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("SeaweedFS S3 did not answer at %s: %s", endpoint, tail(out.String(), 3000))
		}
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// TestThreeNodes is issue 18's proof on loopback: a PostgreSQL cluster of
// the test's own, SeaweedFS (weed server -s3), three newsdesk processes
// on the bucket and Varnish with the shipped VCL in front of them.
func TestThreeNodes(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL, SeaweedFS, Varnish and three nodes")
	}
	vbin, wbin := varnishBin(t), weedBin(t)
	pg := newPGCluster(t)
	endpoint := startWeed(t, wbin)
	spec := "s3://news/site?endpoint=" + url.QueryEscape(endpoint) + "&region=us-east-1"
	s := newSite(t, pg.dsn("postgres"))
	// A member of staff with a password, for the desk session.
	func() {
		st := s.open(t)
		defer st.Close()
		hash, err := auth.HashPassword("correct horse battery")
		must(t, err)
		must(t, st.CreateUser(context.Background(), &newsroom.User{Email: "ada@example.com", Name: "Ada Brenn", Role: newsroom.RoleEditor, PasswordHash: hash}))
	}()
	env := []string{"AWS_ACCESS_KEY_ID=newsdesk", "AWS_SECRET_ACCESS_KEY=secret-key-for-tests"}
	vport := freePort(t)
	var nodes []*serveProc
	var ports []int
	for range 3 {
		args := []string{"--data", t.TempDir(), "--db", s.dsn, "--no-demo", "--log-format", "json", "--trust-proxy",
			"--media", spec, "--purge-url", "http://127.0.0.1:" + strconv.Itoa(vport) + "/"}
		n := startServe(t, env, args...)
		nodes = append(nodes, n)
		p, _ := strconv.Atoi(n.addr[strings.LastIndex(n.addr, ":")+1:])
		ports = append(ports, p)
	}
	a, b, c := nodes[0], nodes[1], nodes[2]
	v := startVarnish(t, vbin, shippedVCL(t, ports...), vport)
	client := &http.Client{Timeout: 10 * time.Second}
	homeHas := func(base, text string) bool {
		_, body, _ := getVia(t, client, base+"/")
		return strings.Contains(body, text)
	}
	// Let Varnish's probes see every node healthy.
	time.Sleep(3 * time.Second)
	for range 3 {
		getVia(t, client, v+"/") // warm Varnish and the nodes
	}

	// 1. Published on A: on B's and C's home pages and through Varnish
	// within a second.
	story, ok := s.post(client, a.url, 1)
	if !ok {
		t.Fatal("publish on node A failed")
	}
	for name, base := range map[string]string{"B": b.url, "C": c.url, "Varnish": v} {
		took := waitFor(3*time.Second, func() bool { return homeHas(base, story.Headline) })
		if took < 0 || took > time.Second {
			t.Errorf("story published on A reached %s's home page after %s, want within 1s", name, took)
		} else {
			t.Logf("story published on A: on %s's home page after %s", name, took)
		}
	}

	// 2. A picture uploaded on A is served by B and lies in the bucket.
	code, body := postMediaTo(t, a.url, s.token, "quay.jpg", mediatest.JPEG(1200, 800))
	if code != http.StatusCreated {
		t.Fatalf("POST /api/v1/media on A = %d %s", code, body)
	}
	u := jsonField(t, body, "url")
	if code, _, h := getVia(t, client, b.url+u); code != 200 || h.Get("Content-Type") != "image/jpeg" || h.Get("ETag") == "" {
		t.Errorf("picture from A on node B: %d %v", code, h)
	}
	cfg, err := media.ParseS3URL(spec)
	must(t, err)
	t.Setenv("AWS_ACCESS_KEY_ID", "newsdesk")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret-key-for-tests")
	bucket, err := media.NewS3(cfg, "media/")
	must(t, err)
	if ok, err := bucket.Exists(context.Background(), strings.TrimPrefix(u, "/media/")); !ok || err != nil {
		t.Errorf("picture %s not in the bucket: %v %v", u, ok, err)
	}

	// 3. A desk session made on A works on B (the cookie jar ignores ports).
	desk := signInProcess(t, a.url, "ada@example.com", "correct horse battery")
	res, err := desk.http.Get(b.url + "/desk/media")
	must(t, err)
	res.Body.Close()
	if res.StatusCode != 200 || strings.Contains(res.Request.URL.Path, "signin") {
		t.Errorf("the session made on A, on B: %d at %s", res.StatusCode, res.Request.URL)
	}

	// 4. A story scheduled a few seconds ahead is published once.
	at := time.Now().Add(3 * time.Second).UTC().Format(time.RFC3339)
	r := sendJSON(t, client, "POST", c.url+"/api/v1/articles", s.token,
		fmt.Sprintf(`{"headline":"Harbour lights switch on tonight","body":"The new lamps along the quay light up at dusk.","status":"scheduled","published_at":%q,"categories":["harbour"],"authors":[{"id":%d}]}`, at, s.author))
	if r.status != http.StatusCreated {
		t.Fatalf("schedule: %d %s", r.status, r.body)
	}
	schedID := jsonField(t, []byte(r.body), "id")
	if took := waitFor(15*time.Second, func() bool { return homeHas(v, "Harbour lights switch on tonight") }); took < 0 {
		t.Error("the scheduled story never appeared through Varnish")
	}
	time.Sleep(2 * time.Second)
	func() {
		st := s.open(t)
		defer st.Close()
		var n int
		must(t, st.DB().QueryRowContext(context.Background(), `SELECT count(*) FROM revisions WHERE article_id = $1 AND reason = $2`,
			schedID, newsroom.ReasonScheduler).Scan(&n))
		if n != 1 {
			t.Errorf("the scheduled story was published %d times by the scheduler, want once", n)
		}
	}()

	// 5. Failed sign-ins spread over the three nodes lock the address out.
	for i := range 5 {
		n := nodes[i%3]
		if code := signInFrom(t, n.url, "ada@example.com", "wrong "+strconv.Itoa(i), "198.51.100.77"); code != 401 {
			t.Fatalf("failure %d on node %d: %d", i+1, i%3, code)
		}
	}
	for i, n := range nodes {
		if code := signInFrom(t, n.url, "ada@example.com", "correct horse battery", "198.51.100.77"); code != 429 {
			t.Errorf("after five failures over three nodes, node %d answers %d, want 429", i, code)
		}
	}

	// 6. Node B killed: A and C serve and publish.
	must(t, b.cmd.Process.Signal(syscall.SIGKILL))
	<-b.exited
	story2, ok := s.post(client, c.url, 2)
	if !ok {
		t.Fatal("publish on C after B was killed failed")
	}
	for name, base := range map[string]string{"A": a.url, "Varnish": v} {
		if took := waitFor(5*time.Second, func() bool { return homeHas(base, story2.Headline) }); took < 0 {
			t.Errorf("after B was killed, the story published on C is not on %s", name)
		}
	}

	// 7. PostgreSQL restarted: the nodes recover on their own, listen
	// again (their caches flushed) and publish.
	pg.stop(t, "fast")
	time.Sleep(500 * time.Millisecond)
	pg.start(t)
	for _, n := range []*serveProc{a, c} {
		if waitFor(30*time.Second, func() bool { code, _, _ := getStatus(t, n.url+"/readyz"); return code == 200 }) < 0 {
			t.Fatalf("node %s not ready 30 s after PostgreSQL came back", n.url)
		}
	}
	var story3 struct{ Headline string }
	if waitFor(20*time.Second, func() bool {
		st, ok := s.post(client, a.url, 3)
		story3.Headline = st.Headline
		return ok
	}) < 0 {
		t.Fatal("publishing on A never worked again after the restart")
	}
	if took := waitFor(10*time.Second, func() bool { return homeHas(c.url, story3.Headline) && homeHas(v, story3.Headline) }); took < 0 {
		t.Error("after the PostgreSQL restart, a story published on A does not reach C and Varnish")
	} else {
		t.Logf("after the PostgreSQL restart: story from A on C and through Varnish after %s", took)
	}
}

// signInFrom posts the desk's sign-in form from addr (X-Forwarded-For,
// the nodes trust the proxy) and returns the status.
func signInFrom(t *testing.T, base, email, password, addr string) int {
	t.Helper()
	req, _ := http.NewRequest("POST", base+"/desk/signin", strings.NewReader(url.Values{"email": {email}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", addr)
	res, err := (&http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	must(t, err)
	res.Body.Close()
	return res.StatusCode
}

// jsonField returns one top-level field of a JSON object as text.
func jsonField(t *testing.T, body []byte, name string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("not JSON: %s", body)
	}
	switch v := m[name].(type) {
	case string:
		return v
	case float64:
		return strconv.FormatInt(int64(v), 10)
	}
	t.Fatalf("no field %q in %s", name, body)
	return ""
}

// sendJSON sends a JSON request with a bearer token to the full URL u.
func sendJSON(t *testing.T, client *http.Client, method, u, token, body string) response {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	must(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := client.Do(req)
	must(t, err)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, body: string(b), header: res.Header}
}

// startHelperServer starts a server the test needs (SeaweedFS, varnishd) with its
// output collected, and stops it when the test ends: SIGTERM, then SIGKILL
// after 10 s. The output's tail is logged if the test failed; exited is
// closed when the process has ended.
func startHelperServer(t *testing.T, cmd *exec.Cmd, name string) (out *syncWriter, exited <-chan struct{}) {
	t.Helper()
	out = &syncWriter{w: &strings.Builder{}}
	cmd.Stdout, cmd.Stderr = out, out
	must(t, cmd.Start())
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			t.Logf("%s output (tail):\n%s", name, tail(out.String(), 3000))
		}
	})
	return out, done
}
