package main

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"newsdesk/internal/cache"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/purge"
)

// varnishBin returns Debian's varnishd, or skips saying why (fails with
// NEWSDESK_REQUIRE_VARNISH=1, as in CI).
func varnishBin(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/sbin/varnishd", "/usr/local/sbin/varnishd"} {
		if _, err := os.Stat(p); err == nil {
			if _, err := os.Stat("/usr/lib/x86_64-linux-gnu/varnish/vmods/libvmod_xkey.so"); err == nil || os.Getenv("NEWSDESK_REQUIRE_VARNISH") == "1" {
				return p
			}
		}
	}
	if os.Getenv("NEWSDESK_REQUIRE_VARNISH") == "1" {
		t.Fatal("NEWSDESK_REQUIRE_VARNISH=1 but varnishd with vmod xkey is not installed (apt-get install varnish varnish-modules)")
	}
	t.Skip("varnishd or vmod xkey not installed (apt-get install varnish varnish-modules); skipping the Varnish test")
	return ""
}

// shippedVCL returns deploy/varnish/newsdesk.vcl with its one backend
// (written for operators as 127.0.0.1:8080) replaced by one per port.
func shippedVCL(t *testing.T, ports ...int) string {
	t.Helper()
	b, err := os.ReadFile("../../deploy/varnish/newsdesk.vcl")
	must(t, err)
	vcl := string(b)
	const backend = "backend node1 {\n    .host = \"127.0.0.1\";\n    .port = \"8080\";\n    .probe = ready;\n}\n"
	const add = "    nodes.add_backend(node1);\n"
	if strings.Count(vcl, backend) != 1 || strings.Count(vcl, add) != 1 {
		t.Fatalf("deploy/varnish/newsdesk.vcl no longer has the backend node1 at 127.0.0.1:8080 and its add_backend line")
	}
	var backends, adds strings.Builder
	for i, p := range ports {
		fmt.Fprintf(&backends, "backend node%d {\n    .host = \"127.0.0.1\";\n    .port = \"%d\";\n    .probe = ready;\n}\n", i+1, p)
		fmt.Fprintf(&adds, "    nodes.add_backend(node%d);\n", i+1)
	}
	vcl = strings.Replace(vcl, backend, backends.String(), 1)
	return strings.Replace(vcl, add, adds.String(), 1)
}

// startVarnish runs varnishd in the foreground on 127.0.0.1:port with vcl
// and waits until it answers; it is stopped (by its PID) when the test
// ends.
func startVarnish(t *testing.T, bin, vcl string, port int) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "newsdesk-varnish-")
	must(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	must(t, os.Chmod(dir, 0o755))
	file := filepath.Join(dir, "newsdesk.vcl")
	must(t, os.WriteFile(file, []byte(vcl), 0o644))
	addr := "127.0.0.1:" + strconv.Itoa(port)
	cmd := exec.Command(bin, "-F", "-a", addr, "-T", "127.0.0.1:"+strconv.Itoa(freePort(t)), "-f", file,
		"-n", filepath.Join(dir, "work"), "-s", "malloc,128m", "-p", "thread_pool_min=20")
	out, exited := startHelperServer(t, cmd, "varnishd")
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		select {
		case <-exited:
			t.Fatalf("varnishd exited: %s", out.String())
		default:
		}
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return "http://" + addr
		}
		if time.Now().After(deadline) {
			t.Fatalf("varnishd does not listen on %s: %s", addr, out.String())
		}
	}
}

// getVia GETs u with client and returns the status, body and header.
func getVia(t *testing.T, client *http.Client, u string, header ...string) (int, string, http.Header) {
	t.Helper()
	req, err := http.NewRequest("GET", u, nil)
	must(t, err)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b), res.Header
}

// waitFor polls cond every 20 ms until it holds or d passes, and returns
// how long it took (or -1).
func waitFor(d time.Duration, cond func() bool) time.Duration {
	start := time.Now()
	for time.Since(start) < d {
		if cond() {
			return time.Since(start)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return -1
}

// TestBehindVarnish puts the real varnishd with the shipped VCL in front
// of a node sending purges (--purge-url, kind varnish): public pages are
// cached there (a second request is a hit) with the keys kept from the
// reader, one copy per encoding (br, gzip, none; Accept-Encoding
// normalized), a story published through the API is on the home page
// through Varnish within a second in every encoding (the purge by key
// dropped every copy), the desk, the
// API and signed-in readers pass, and a purge from an address outside the
// ACL is refused.
func TestBehindVarnish(t *testing.T) {
	bin := varnishBin(t)
	if cache.KeyAll != purge.AllKey {
		t.Fatalf("cache.KeyAll %q and purge.AllKey %q differ", cache.KeyAll, purge.AllKey)
	}
	vport := freePort(t)
	ta := newTestAppWith(t, "", func(c *Config) {
		c.Nodes.PurgeURL = "http://127.0.0.1:" + strconv.Itoa(vport) + "/"
		c.TrustProxy = true
	})
	ta.purger.Start()
	t.Cleanup(func() { _ = ta.purger.Close(context.Background()) })
	nodePort := ta.srv.Listener.Addr().(*net.TCPAddr).Port
	v := startVarnish(t, bin, shippedVCL(t, nodePort), vport)
	client := &http.Client{Timeout: 10 * time.Second}
	token, _ := mustToken(t, ta, newsroom.RoleEditor)
	ta.purger.Wait() // the purges of the setup, sent once Varnish listens

	// The node itself tags the home page and grows s-maxage.
	_, _, h := getVia(t, client, ta.srv.URL+"/")
	if !strings.Contains(" "+h.Get("Surrogate-Key")+" ", " home ") || h.Get("Xkey") != h.Get("Surrogate-Key") ||
		!strings.Contains(h.Get("Cache-Control"), "s-maxage=3600") {
		t.Errorf("node: Surrogate-Key %q xkey %q Cache-Control %q", h.Get("Surrogate-Key"), h.Get("Xkey"), h.Get("Cache-Control"))
	}
	// Through Varnish: a miss, then hits, the keys not shown.
	var code int
	code, _, h = getVia(t, client, v+"/")
	if code != 200 || h.Get("Surrogate-Key") != "" || h.Get("Xkey") != "" {
		t.Fatalf("varnish / = %d, keys shown: %q %q", code, h.Get("Surrogate-Key"), h.Get("Xkey"))
	}
	if _, _, h = getVia(t, client, v+"/"); h.Get("X-Varnish-Cache") != "hit" {
		t.Errorf("second GET / through Varnish: X-Varnish-Cache %q, want hit", h.Get("X-Varnish-Cache"))
	}
	// A stored copy does not repeat the node's request id or cache verdict
	// of the fetch to every reader.
	if h.Get("X-Request-Id") != "" || h.Get("X-Cache") != "" {
		t.Errorf("a hit through Varnish carries the fetch's X-Request-Id %q / X-Cache %q", h.Get("X-Request-Id"), h.Get("X-Cache"))
	}
	// One copy per encoding the node sends, kept as the node made it (a
	// client taking no compression gets the plain page, not a gunzipped
	// one), each a hit on its second request.
	encodings := []struct{ accept, want string }{
		{"", ""}, {"identity", ""}, {"gzip", "gzip"}, {"br", "br"}, {"gzip, deflate, br", "br"}, {"br;q=0, gzip", "gzip"}, {"br;q=0, gzip;q=0", ""},
	}
	raw := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableCompression: true}}
	variant := func(accept string) (string, http.Header) {
		t.Helper()
		req, _ := http.NewRequest("GET", v+"/", nil)
		if accept != "" {
			req.Header.Set("Accept-Encoding", accept)
		}
		res, err := raw.Do(req)
		must(t, err)
		defer res.Body.Close()
		var body io.Reader = res.Body
		switch res.Header.Get("Content-Encoding") {
		case "gzip":
			zr, err := gzip.NewReader(res.Body)
			must(t, err)
			body = zr
		case "br":
			body = brotli.NewReader(res.Body)
		}
		b, err := io.ReadAll(body)
		must(t, err)
		return string(b), res.Header
	}
	for _, e := range encodings {
		variant(e.accept)
		body, h := variant(e.accept)
		if h.Get("Content-Encoding") != e.want || h.Get("X-Varnish-Cache") != "hit" || !strings.Contains(body, "</html>") {
			t.Errorf("Accept-Encoding %q through Varnish, second time: Content-Encoding %q (want %q), X-Varnish-Cache %q, %d bytes",
				e.accept, h.Get("Content-Encoding"), e.want, h.Get("X-Varnish-Cache"), len(body))
		}
	}
	// A story published on the node is on the home page through Varnish
	// within a second, in every encoding.
	r := doJSON(t, ta.srv, "POST", "/api/v1/articles", token,
		`{"headline":"Night ferry returns to the timetable","body":"The late crossing runs again from Monday.","status":"published"}`)
	if r.status != http.StatusCreated {
		t.Fatalf("publish: %d %s", r.status, r.body)
	}
	took := waitFor(5*time.Second, func() bool {
		_, body, _ := getVia(t, client, v+"/")
		return strings.Contains(body, "Night ferry returns to the timetable")
	})
	if took < 0 || took > time.Second {
		t.Errorf("the published story reached the home page through Varnish after %s, want within 1s", took)
	}
	t.Logf("published story through Varnish after %s", took)
	for _, e := range encodings {
		body, h := variant(e.accept)
		if !strings.Contains(body, "Night ferry returns to the timetable") {
			t.Errorf("Accept-Encoding %q after the publish: the story is not on the page (the purge missed this copy)", e.accept)
		}
		if h.Get("Content-Encoding") != e.want {
			t.Errorf("Accept-Encoding %q after the publish: Content-Encoding %q, want %q", e.accept, h.Get("Content-Encoding"), e.want)
		}
	}
	// The desk, the API and signed-in requests are passed, never kept.
	for _, p := range []string{"/desk/signin", "/api/v1/articles"} {
		getVia(t, client, v+p)
		if _, _, h := getVia(t, client, v+p); h.Get("X-Varnish-Cache") == "hit" {
			t.Errorf("%s was served from Varnish", p)
		}
	}
	getVia(t, client, v+"/", "Cookie", "nd_session=abc")
	if _, _, h := getVia(t, client, v+"/", "Cookie", "nd_session=abc"); h.Get("X-Varnish-Cache") == "hit" {
		t.Error("a request with a session cookie was served from Varnish")
	}
	// Purges: allowed from the nodes' address, refused from another.
	outsider := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DialContext: (&net.Dialer{
		LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 9)}}).DialContext}}
	req, _ := http.NewRequest("PURGE", v+"/", nil)
	req.Header.Set("xkey-purge", "home")
	res, err := outsider.Do(req)
	must(t, err)
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("PURGE from 127.0.0.9 = %d, want 403", res.StatusCode)
	}
	req, _ = http.NewRequest("PURGE", v+"/", nil)
	req.Header.Set("xkey-purge", "home")
	res, err = client.Do(req)
	must(t, err)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("PURGE from 127.0.0.1 = %d, want 200", res.StatusCode)
	}
}
