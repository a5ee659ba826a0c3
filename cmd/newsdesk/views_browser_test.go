package main

import (
	"encoding/json"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"newsdesk/internal/browsertest"
	"newsdesk/internal/newsroom"
)

// TestBrowserViewsCountedBehindVarnish: behind the real varnishd with the
// shipped VCL (the node started with --purge-url, so --count-views is
// beacon by default), a story page Varnish answers from its cache is
// still counted, once per reader: Chromium loads it through Varnish, the
// page's script posts its signed beacon (POST passes Varnish), the node
// counts it. The node's own serving of the page counts nothing, a
// beacon the site did not sign is refused (404), an oversized one gets
// 413, and a repeat by the same reader is a repeat.
func TestBrowserViewsCountedBehindVarnish(t *testing.T) {
	bin := varnishBin(t)
	ctx := browsertest.New(t)
	vport := freePort(t)
	ta := newTestAppWith(t, "", func(c *Config) {
		c.Nodes.PurgeURL = "http://127.0.0.1:" + strconv.Itoa(vport) + "/"
		c.TrustProxy = true
	})
	if ta.cfg.Nodes.CountViews != countBeacon {
		t.Fatalf("with --purge-url, --count-views defaults to %q, want beacon", ta.cfg.Nodes.CountViews)
	}
	ta.purger.Start()
	t.Cleanup(func() { _ = ta.purger.Close(t.Context()) })
	v := startVarnish(t, bin, shippedVCL(t, ta.srv.Listener.Addr().(*net.TCPAddr).Port), vport)
	token, _ := mustToken(t, ta, newsroom.RoleEditor)
	r := doJSON(t, ta.srv, "POST", "/api/v1/articles", token,
		`{"headline":"Lighthouse keepers count the winter storms","body":"Eleven gales since October.","status":"published"}`)
	if r.status != http.StatusCreated {
		t.Fatalf("publish: %d %s", r.status, r.body)
	}
	var a struct {
		ID  int64  `json:"id"`
		URL string `json:"url"`
	}
	must(t, json.Unmarshal([]byte(r.body), &a))
	if i := strings.Index(a.URL, "://"); i >= 0 { // an absolute address: keep its path
		a.URL = a.URL[strings.Index(a.URL[i+3:], "/")+i+3:]
	}
	ta.purger.Wait()

	// Varnish keeps the page; the node's serving of it counts nothing.
	const browserUA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36"
	client := &http.Client{Timeout: 10 * time.Second}
	getVia(t, client, v+a.URL, "User-Agent", browserUA)
	_, page, h := getVia(t, client, v+a.URL, "User-Agent", browserUA)
	if h.Get("X-Varnish-Cache") != "hit" {
		t.Fatalf("second GET of the story through Varnish: X-Varnish-Cache %q, want hit", h.Get("X-Varnish-Cache"))
	}
	getVia(t, client, ta.srv.URL+a.URL, "User-Agent", browserUA)
	if s := ta.views.Stats(); s.Counted != 0 {
		t.Fatalf("pages served counted %d views; with beacons, only beacons count", s.Counted)
	}
	i := strings.Index(page, `data-view="`)
	if i < 0 {
		t.Fatal("the story page carries no beacon address (data-view)")
	}
	beacon := page[i+len(`data-view="`):]
	beacon = strings.ReplaceAll(beacon[:strings.IndexByte(beacon, '"')], "&amp;", "&")
	if !strings.HasPrefix(beacon, "/views/"+strconv.FormatInt(a.ID, 10)+"?t=") {
		t.Fatalf("beacon address %q", beacon)
	}

	// A reader's browser (headless Chromium names itself so, which counts
	// as a robot; it is given a reader's name) loads the page from
	// Varnish's cache: its beacon is counted.
	if _, err := chromedp.Call(ctx, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{UserAgent: browserUA}); err != nil {
		t.Fatal(err)
	}
	browsertest.Run(t, ctx, chromedp.Navigate(v+a.URL), chromedp.WaitVisible(chromedp.CSS(`article h1`)))
	if waitFor(10*time.Second, func() bool { return ta.views.Stats().Counted == 1 }) < 0 {
		t.Fatalf("no view counted for the page Varnish answered: %+v", ta.views.Stats())
	}
	// The same reader again: a repeat, not a second view.
	browsertest.Run(t, ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`article h1`)))
	if waitFor(10*time.Second, func() bool { return ta.views.Stats().Repeats == 1 }) < 0 {
		t.Fatalf("the reload's beacon did not arrive as a repeat: %+v", ta.views.Stats())
	}
	if s := ta.views.Stats(); s.Counted != 1 {
		t.Fatalf("after a reload: %+v; want 1 counted", s)
	}

	// Beacons the site did not sign, and oversized ones, through Varnish.
	post := func(path, body string) int {
		t.Helper()
		req, _ := http.NewRequest("POST", v+path, strings.NewReader(body))
		req.Header.Set("User-Agent", browserUA)
		req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
		res, err := client.Do(req)
		must(t, err)
		res.Body.Close()
		return res.StatusCode
	}
	for _, p := range []string{"/views/" + strconv.FormatInt(a.ID+1, 10) + beacon[strings.IndexByte(beacon, '?'):],
		"/views/" + strconv.FormatInt(a.ID, 10) + "?t=0000000000000000", "/views/" + strconv.FormatInt(a.ID, 10)} {
		if code := post(p, ""); code != http.StatusNotFound {
			t.Errorf("POST %s = %d, want 404", p, code)
		}
	}
	if code := post(beacon, strings.Repeat("x", 3000)); code != http.StatusRequestEntityTooLarge {
		t.Errorf("a beacon of 3000 bytes = %d, want 413", code)
	}
	if s := ta.views.Stats(); s.Counted != 1 {
		t.Fatalf("refused beacons changed the counts: %+v", s)
	}
	must(t, ta.views.Flush(t.Context()))
	list, err := ta.store.MostRead(t.Context(), ta.clock.Now().Add(-24*time.Hour), ta.clock.Now().Add(time.Hour), 5)
	must(t, err)
	if len(list) != 1 || list[0].ID != a.ID {
		t.Fatalf("most read after the flush: %v, want the story", list)
	}
}
