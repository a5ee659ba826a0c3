package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
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
)

// freePort returns a loopback port nobody listens on now.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// selfSigned writes a certificate for 127.0.0.1 and news.example.org and
// returns the paths and a pool that trusts it.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "news.example.org"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		DNSNames: []string{"news.example.org"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	must(t, os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644))
	must(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600))
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// shippedNginx returns deploy/nginx/newsdesk.conf with only its ports,
// upstream and certificate paths replaced; every replacement must apply,
// so the test breaks if the shipped file drifts from what it checks.
func shippedNginx(t *testing.T, upstream string, httpPort, httpsPort int, cert, key string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "deploy", "nginx", "newsdesk.conf"))
	if err != nil {
		t.Fatal(err)
	}
	conf := string(b)
	for _, r := range [][2]string{
		{"server 127.0.0.1:8080;", "server " + upstream + ";"},
		{"listen 80;", fmt.Sprintf("listen 127.0.0.1:%d;", httpPort)},
		{"listen [::]:80;", ""},
		{"listen 443 ssl http2;", fmt.Sprintf("listen 127.0.0.1:%d ssl http2;", httpsPort)},
		{"listen [::]:443 ssl http2;", ""},
		{"/etc/letsencrypt/live/news.example.org/fullchain.pem", cert},
		{"/etc/letsencrypt/live/news.example.org/privkey.pem", key},
	} {
		if !strings.Contains(conf, r[0]) {
			t.Fatalf("deploy/nginx/newsdesk.conf no longer contains %q; update the test's template", r[0])
		}
		conf = strings.ReplaceAll(conf, r[0], r[1])
	}
	return conf
}

// startNginx runs Debian's nginx with the shipped site configuration in a
// minimal main configuration, until the test ends.
func startNginx(t *testing.T, dir, site string, httpsPort int) {
	t.Helper()
	bin, err := exec.LookPath("nginx")
	if err != nil {
		bin = "/usr/sbin/nginx"
	}
	if _, err := os.Stat(bin); err != nil {
		if os.Getenv("NEWSDESK_REQUIRE_NGINX") == "1" {
			t.Fatalf("nginx is required (NEWSDESK_REQUIRE_NGINX=1) but not installed: %v", err)
		}
		t.Skip("nginx not installed (apt-get install nginx-light); skipping the deployment test")
	}
	must(t, os.WriteFile(filepath.Join(dir, "newsdesk.conf"), []byte(site), 0o644))
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;" // workers write the temp paths below
	}
	main := fmt.Sprintf(`%s
daemon off;
worker_processes 1;
pid %[2]s/nginx.pid;
error_log %[2]s/error.log warn;
events { worker_connections 256; }
http {
	access_log %[2]s/access.log;
	client_body_temp_path %[2]s/body;
	proxy_temp_path %[2]s/proxy;
	fastcgi_temp_path %[2]s/fastcgi;
	uwsgi_temp_path %[2]s/uwsgi;
	scgi_temp_path %[2]s/scgi;
	include %[2]s/newsdesk.conf;
}
`, user, dir)
	conf := filepath.Join(dir, "nginx.conf")
	must(t, os.WriteFile(conf, []byte(main), 0o644))
	if out, err := exec.Command(bin, "-t", "-c", conf, "-p", dir, "-e", filepath.Join(dir, "error.log")).CombinedOutput(); err != nil {
		t.Fatalf("nginx -t rejects the shipped configuration: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-c", conf, "-p", dir, "-e", filepath.Join(dir, "error.log"))
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	must(t, cmd.Start())
	t.Cleanup(func() {
		stopProcess(cmd, syscall.SIGQUIT)
	})
	waitListening(t, fmt.Sprintf("127.0.0.1:%d", httpsPort))
}

func waitListening(t *testing.T, addr string) {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
	}
	t.Fatalf("nothing listens on %s", addr)
}

// clientFrom returns an HTTPS client that connects from a loopback
// address of its own (127.0.0.2, 127.0.0.3, ...), as separate readers
// would, and trusts pool.
func clientFrom(ip string, pool *x509.CertPool) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	return &http.Client{
		Transport:     &http.Transport{DialContext: d.DialContext, TLSClientConfig: &tls.Config{RootCAs: pool}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       15 * time.Second,
	}
}

// TestBehindNginx starts newsdesk as the systemd unit does (--trust-proxy
// --secure-cookies, on loopback) and Debian's nginx in front with the
// shipped configuration and a self-signed certificate, and checks pages
// over HTTPS, the redirect from HTTP, HSTS, a Secure session cookie, and
// that rate limits see each reader's own address (not nginx's, and not
// one a client made up).
func TestBehindNginx(t *testing.T) {
	app := startProxied(t)
	httpPort, httpsPort := freePort(t), freePort(t)
	ngx := filepath.Join(app.dir, "nginx")
	must(t, os.MkdirAll(ngx, 0o755))
	cert, key, pool := selfSigned(t, ngx)
	startNginx(t, ngx, shippedNginx(t, app.addr, httpPort, httpsPort, cert, key), httpsPort)
	checkProxied(t, app, fmt.Sprintf("https://127.0.0.1:%d", httpsPort), fmt.Sprintf("http://127.0.0.1:%d", httpPort),
		clientFrom("127.0.0.2", pool), clientFrom("127.0.0.3", pool))
}

// proxied is newsdesk serving as the systemd unit starts it, with an
// editor and an API token.
type proxied struct {
	dir, addr, token string
	logs             *syncWriter
}

func startProxied(t *testing.T) *proxied {
	t.Helper()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	env := func(string) string { return "" }
	ctx := context.Background()
	must(t, run(ctx, []string{"user", "add", "--data", data, "--email", "ed@example.com", "--name", "Ed Nor", "--role", "editor"},
		env, strings.NewReader("harbour-lights-2026\n"), io.Discard, io.Discard))
	var tokenOut strings.Builder
	must(t, run(ctx, []string{"token", "create", "--data", data, "--email", "ed@example.com"}, env, nil, &tokenOut, io.Discard))
	p := &proxied{dir: dir, token: strings.TrimSpace(tokenOut.String()), logs: &syncWriter{w: &strings.Builder{}}}
	p.addr = fmt.Sprintf("127.0.0.1:%d", freePort(t))
	sctx, stop := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() {
		served <- run(sctx, []string{"serve", "--addr", p.addr, "--data", data, "--no-demo",
			"--trust-proxy", "--secure-cookies", "--base-url", "https://news.example.org"}, env, nil, io.Discard, p.logs)
	}()
	t.Cleanup(func() {
		stop()
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	waitListening(t, p.addr)
	return p
}

// checkProxied checks newsdesk through the proxy at base (HTTPS) and
// plain (HTTP), with two readers' clients from different addresses.
func checkProxied(t *testing.T, app *proxied, base, plain string, ada, bo *http.Client) {
	t.Helper()
	token := app.token
	lw := app.logs
	// Pages over HTTPS, with HSTS; plain HTTP is sent to HTTPS.
	resp, err := ada.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || resp.TLS == nil {
		t.Fatalf("GET / over HTTPS = %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	hsts := resp.Header.Get("Strict-Transport-Security")
	if age, _ := strconv.Atoi(strings.TrimPrefix(strings.Split(hsts, ";")[0], "max-age=")); age < 180*24*3600 {
		t.Errorf("Strict-Transport-Security = %q, want a max-age of at least six months", hsts)
	}
	resp, err = ada.Get(plain + "/harbour/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if (resp.StatusCode != http.StatusMovedPermanently && resp.StatusCode != http.StatusPermanentRedirect) ||
		!strings.HasPrefix(resp.Header.Get("Location"), "https://") {
		t.Errorf("plain HTTP = %d Location %q, want 301 or 308 to https://", resp.StatusCode, resp.Header.Get("Location"))
	}

	// The desk's session cookie is Secure.
	resp, err = ada.PostForm(base+"/desk/signin", url.Values{"email": {"ed@example.com"}, "password": {"harbour-lights-2026"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var session *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "nd_session" && c.Value != "" {
			session = c
		}
	}
	if session == nil || !session.Secure || !session.HttpOnly {
		t.Errorf("sign-in over HTTPS: %d, session cookie %+v, want it Secure and HttpOnly", resp.StatusCode, session)
	}

	// An article to comment on, through the API behind nginx.
	req, _ := http.NewRequest("POST", base+"/api/v1/articles", strings.NewReader(
		`{"headline":"Lighthouse keeper retires","body":"After thirty winters on the rock.","status":"published"}`))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err = ada.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var created struct{ ID int64 }
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create article through nginx: %d %s", resp.StatusCode, b)
	}
	fmt.Sscanf(string(b), `{"id":%d`, &created.ID)
	if created.ID == 0 {
		t.Fatalf("no id in %s", b)
	}
	comment := func(c *http.Client, spoof string) int {
		req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/articles/%d/comments", base, created.ID),
			strings.NewReader(`{"name":"Reader","email":"reader@example.com","body":"He kept the light burning through the storm of 2019."}`))
		req.Header.Set("Content-Type", "application/json")
		if spoof != "" {
			req.Header.Set("X-Forwarded-For", spoof)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	// The flood rule (one comment per address every 15 s) must see each
	// reader's own address: Ada is stopped, Bo is not, and an address Ada
	// makes up does not get her through.
	if code := comment(ada, ""); code != 201 && code != 202 {
		t.Fatalf("first comment from 127.0.0.2 = %d", code)
	}
	if code := comment(ada, ""); code != http.StatusTooManyRequests {
		t.Errorf("second comment from 127.0.0.2 = %d, want 429", code)
	}
	if code := comment(ada, "198.51.100.7"); code != http.StatusTooManyRequests {
		t.Errorf("comment from 127.0.0.2 claiming X-Forwarded-For 198.51.100.7 = %d, want 429", code)
	}
	if code := comment(bo, ""); code != 201 && code != 202 {
		t.Errorf("first comment from 127.0.0.3 = %d, want it accepted (its own address)", code)
	}
	// The request log names the readers, not nginx.
	time.Sleep(100 * time.Millisecond)
	text := lw.String()
	if !strings.Contains(text, "client=127.0.0.2") || !strings.Contains(text, "client=127.0.0.3") {
		t.Errorf("the request log does not name the readers' addresses:\n%s", text)
	}
}

// shippedCaddyfile returns deploy/caddy/Caddyfile with global options for
// loopback ports and storage in dir prepended, and only its upstream and
// log path replaced and a certificate given (Caddy would fetch one from a
// public CA for news.example.org otherwise); every replacement must apply.
func shippedCaddyfile(t *testing.T, dir, upstream string, httpPort, httpsPort int, cert, key string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "deploy", "caddy", "Caddyfile"))
	must(t, err)
	conf := string(b)
	for _, r := range [][2]string{
		{"reverse_proxy 127.0.0.1:8080 {", "reverse_proxy " + upstream + " {"},
		{"output file /var/log/caddy/newsdesk.log", "output file " + filepath.Join(dir, "access.log")},
		{"\tencode zstd gzip\n", fmt.Sprintf("\ttls %s %s\n\tencode zstd gzip\n", cert, key)},
	} {
		if !strings.Contains(conf, r[0]) {
			t.Fatalf("deploy/caddy/Caddyfile no longer contains %q; update the test's template", r[0])
		}
		conf = strings.ReplaceAll(conf, r[0], r[1])
	}
	return fmt.Sprintf("{\n\thttp_port %d\n\thttps_port %d\n\tdefault_bind 127.0.0.1\n\tadmin off\n\tstorage file_system %s\n}\n\n",
		httpPort, httpsPort, filepath.Join(dir, "storage")) + conf
}

// clientVia is clientFrom for a URL with a host name: it connects to
// 127.0.0.1 on the URL's port whatever the name.
func clientVia(ip string, pool *x509.CertPool) *http.Client {
	c := clientFrom(ip, pool)
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	c.Transport.(*http.Transport).DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		_, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		return d.DialContext(ctx, network, net.JoinHostPort("127.0.0.1", port))
	}
	return c
}

// TestBehindCaddy is TestBehindNginx with Debian's Caddy and the shipped
// Caddyfile (checked with caddy validate first) in front.
func TestBehindCaddy(t *testing.T) {
	bin, err := exec.LookPath("caddy")
	if err != nil {
		if os.Getenv("NEWSDESK_REQUIRE_CADDY") == "1" {
			t.Fatalf("caddy is required (NEWSDESK_REQUIRE_CADDY=1) but not installed: %v", err)
		}
		t.Skip("caddy not installed (apt-get install caddy); skipping the Caddy deployment test")
	}
	app := startProxied(t)
	httpPort, httpsPort := freePort(t), freePort(t)
	dir := filepath.Join(app.dir, "caddy")
	must(t, os.MkdirAll(dir, 0o755))
	cert, key, pool := selfSigned(t, dir)
	conf := filepath.Join(dir, "Caddyfile")
	must(t, os.WriteFile(conf, []byte(shippedCaddyfile(t, dir, app.addr, httpPort, httpsPort, cert, key)), 0o644))
	env := append(os.Environ(), "HOME="+dir, "XDG_DATA_HOME="+filepath.Join(dir, "data"), "XDG_CONFIG_HOME="+filepath.Join(dir, "config"))
	validate := exec.Command(bin, "validate", "--config", conf, "--adapter", "caddyfile")
	validate.Env = env
	if out, err := validate.CombinedOutput(); err != nil {
		t.Fatalf("caddy validate rejects the shipped Caddyfile: %v\n%s", err, out)
	}
	var logs strings.Builder
	cmd := exec.Command(bin, "run", "--config", conf, "--adapter", "caddyfile")
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = &logs, &logs
	must(t, cmd.Start())
	t.Cleanup(func() {
		stopProcess(cmd, syscall.SIGTERM)
		if t.Failed() {
			t.Logf("caddy:\n%s", logs.String())
		}
	})
	waitListening(t, fmt.Sprintf("127.0.0.1:%d", httpsPort))
	checkProxied(t, app, fmt.Sprintf("https://news.example.org:%d", httpsPort), fmt.Sprintf("http://news.example.org:%d", httpPort),
		clientVia("127.0.0.2", pool), clientVia("127.0.0.3", pool))
}

// TestSystemdUnit checks deploy/systemd/newsdesk.service with systemd's
// own tools: systemd-analyze verify must print nothing (an unknown key or
// a bad value is only a warning there), and the offline security review
// must rate the unit's exposure 2.0 or lower ("OK"). The binary path is
// replaced by this test binary, which exists.
func TestSystemdUnit(t *testing.T) {
	bin, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("no systemd-analyze here; skipping the systemd unit check")
	}
	b, err := os.ReadFile(filepath.Join("..", "..", "deploy", "systemd", "newsdesk.service"))
	must(t, err)
	unit := string(b)
	if !strings.Contains(unit, "ExecStart=/usr/local/bin/newsdesk serve") {
		t.Fatal("deploy/systemd/newsdesk.service no longer starts /usr/local/bin/newsdesk serve; update the test")
	}
	self, err := os.Executable()
	must(t, err)
	path := filepath.Join(t.TempDir(), "newsdesk.service")
	must(t, os.WriteFile(path, []byte(strings.ReplaceAll(unit, "/usr/local/bin/newsdesk", self)), 0o644))
	out, err := exec.Command(bin, "verify", "--man=no", path).CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
	out, err = exec.Command(bin, "security", "--offline=yes", "--threshold=20", path).CombinedOutput()
	if err != nil {
		t.Errorf("systemd-analyze security rates the unit above 2.0: %v\n%s", err, out)
	}
	for _, want := range []string{"--trust-proxy", "--secure-cookies", "--addr 127.0.0.1:", "--metrics-addr 127.0.0.1:", "RestartPreventExitStatus=2"} {
		if !strings.Contains(unit, want) {
			t.Errorf("the unit lacks %q", want)
		}
	}
}

// stopProcess asks the server cmd runs to stop with sig (the graceful
// signal it knows) and kills it if it has not exited 10 s later.
func stopProcess(cmd *exec.Cmd, sig syscall.Signal) {
	cmd.Process.Signal(sig)
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		<-done
	}
}
