package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"newsdesk/internal/media"
	"newsdesk/internal/media/mediatest"
	"newsdesk/internal/newsroom"
)

// postMediaTo uploads one picture through POST /api/v1/media and returns
// the answer's status and body.
func postMediaTo(t *testing.T, base, token, name string, data []byte) (int, []byte) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(data)
	_ = mw.WriteField("alt", "a quay at dusk")
	_ = mw.Close()
	req, _ := http.NewRequest("POST", base+"/api/v1/media", &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	must(t, err)
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, body
}

// bucketKeys lists the whole bucket prefix of an s3:// --media address.
func bucketKeys(t *testing.T, spec string) []string {
	t.Helper()
	c, err := media.ParseS3URL(spec)
	must(t, err)
	s, err := media.NewS3(c, "")
	must(t, err)
	keys, err := s.List(context.Background(), "")
	must(t, err)
	return keys
}

// TestMediaInBucket: with --media s3://… (gofakes3 in process), a picture
// uploaded on one node lies in the bucket and is served by another node
// that shares only the bucket: streamed with a strong ETag, immutable
// cache lifetime, a range answered 206 and a revalidation 304.
func TestMediaInBucket(t *testing.T) {
	spec, _ := mediatest.FakeS3(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "newsdesk")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret-key-for-tests")
	onBucket := func(c *Config) { c.Nodes.Media = spec }
	a := newTestAppWith(t, "", onBucket)
	b := newTestAppWith(t, "", onBucket)
	token, _ := mustToken(t, a, newsroom.RoleEditor)
	code, body := postMediaTo(t, a.srv.URL, token, "quay.jpg", mediatest.JPEG(1600, 1000))
	if code != http.StatusCreated {
		t.Fatalf("POST /api/v1/media = %d %s", code, body)
	}
	var item struct{ URL, Hash string }
	must(t, json.Unmarshal(body, &item))
	if !strings.HasPrefix(item.URL, "/media/i/") {
		t.Fatalf("url %q", item.URL)
	}
	var renditions, originals int
	for _, k := range bucketKeys(t, spec) {
		switch {
		case strings.HasPrefix(k, "media/i/"):
			renditions++
		case strings.HasPrefix(k, "originals/"):
			originals++
		}
	}
	if renditions != 3 || originals != 1 {
		t.Errorf("bucket holds %d renditions and %d originals, want 3 and 1", renditions, originals)
	}
	res, err := http.Get(b.srv.URL + item.URL)
	must(t, err)
	whole, _ := io.ReadAll(res.Body)
	res.Body.Close()
	etag := res.Header.Get("ETag")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/jpeg" || len(whole) < 1000 ||
		res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || !strings.HasPrefix(etag, `"`) ||
		res.Header.Get("Accept-Ranges") != "bytes" {
		t.Fatalf("GET %s on node B = %d %v (%d bytes)", item.URL, res.StatusCode, res.Header, len(whole))
	}
	req, _ := http.NewRequest("GET", b.srv.URL+item.URL, nil)
	req.Header.Set("Range", "bytes=100-199")
	res, err = http.DefaultClient.Do(req)
	must(t, err)
	part, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusPartialContent || !bytes.Equal(part, whole[100:200]) {
		t.Errorf("range 100-199 = %d, %d bytes equal=%v", res.StatusCode, len(part), bytes.Equal(part, whole[100:200]))
	}
	req, _ = http.NewRequest("GET", b.srv.URL+item.URL, nil)
	req.Header.Set("If-None-Match", etag)
	res, err = http.DefaultClient.Do(req)
	must(t, err)
	res.Body.Close()
	if res.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match %s = %d, want 304", etag, res.StatusCode)
	}
	if res, err := http.Get(b.srv.URL + "/media/i/00/missing-960.jpg"); err != nil || res.StatusCode != 404 {
		t.Errorf("missing file: %v %v", res.StatusCode, err)
	}
}

// TestMediaPublicURL: with --media-public-url, /media/KEY is a permanent
// redirect to the same key there.
func TestMediaPublicURL(t *testing.T) {
	a := newTestAppWith(t, "", func(c *Config) { c.Nodes.MediaPublicURL = "https://cdn.example/media/" })
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Get(a.srv.URL + "/media/i/ab/" + strings.Repeat("ab", 32) + "-960.jpg")
	must(t, err)
	res.Body.Close()
	if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "https://cdn.example/media/i/ab/"+strings.Repeat("ab", 32)+"-960.jpg" {
		t.Errorf("got %d Location %q", res.StatusCode, res.Header.Get("Location"))
	}
}

// TestMediaMigrate: "newsdesk media migrate --to s3://…" copies the
// public files and the originals of a site on the disk into the bucket
// with progress, and a second run copies nothing; a node started on the
// bucket then serves the picture.
func TestMediaMigrate(t *testing.T) {
	spec, _ := mediatest.FakeS3(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "newsdesk")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret-key-for-tests")
	a := newTestAppWith(t, "", nil)
	token, _ := mustToken(t, a, newsroom.RoleEditor)
	code, body := postMediaTo(t, a.srv.URL, token, "quay.jpg", mediatest.JPEG(1600, 1000))
	if code != http.StatusCreated {
		t.Fatalf("POST /api/v1/media = %d %s", code, body)
	}
	var item struct{ URL string }
	must(t, json.Unmarshal(body, &item))
	getenv := func(string) string { return "" }
	var out bytes.Buffer
	must(t, run(context.Background(), []string{"media", "migrate", "--data", a.cfg.DataDir, "--to", spec}, getenv, nil, &out, io.Discard))
	if !strings.Contains(out.String(), "public files: 3/3 files, 3 copied") || !strings.Contains(out.String(), "originals: 1/1 files, 1 copied") ||
		!strings.Contains(out.String(), "4 files copied, 0 already in") {
		t.Errorf("first run said:\n%s", out.String())
	}
	out.Reset()
	must(t, run(context.Background(), []string{"media", "migrate", "--data", a.cfg.DataDir, "--to", spec}, getenv, nil, &out, io.Discard))
	if !strings.Contains(out.String(), "0 files copied, 4 already in") {
		t.Errorf("second run said:\n%s", out.String())
	}
	if len(bucketKeys(t, spec)) != 4 {
		t.Errorf("bucket: %v", bucketKeys(t, spec))
	}
	b := newTestAppWith(t, "", func(c *Config) { c.Nodes.Media = spec })
	res, err := http.Get(b.srv.URL + item.URL)
	must(t, err)
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("node on the bucket: GET %s = %d", item.URL, res.StatusCode)
	}
	if err := run(context.Background(), []string{"media", "migrate", "--data", a.cfg.DataDir}, getenv, nil, &out, io.Discard); err == nil {
		t.Error("migrate without --to succeeded")
	}
}

// TestMediaPublicURLLinks: with --media-public-url, rendered pages point
// readers' browsers at the bucket itself: the lead picture's src and
// srcset, a picture in the body (src and srcset), og:image, the JSON-LD
// images and the feeds' enclosures and bodies all name the public URL,
// no /media/ path is left in them, and the address they name answers the
// picture straight from the bucket (gofakes3 here, read anonymously).
func TestMediaPublicURLLinks(t *testing.T) {
	spec, endpoint := mediatest.FakeS3(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "newsdesk")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret-key-for-tests")
	public := endpoint + "/news/site/media/"
	a := newTestAppWith(t, "", func(c *Config) { c.Nodes.Media, c.Nodes.MediaPublicURL = spec, public })
	token, _ := mustToken(t, a, newsroom.RoleEditor)
	code, body := postMediaTo(t, a.srv.URL, token, "quay.jpg", mediatest.JPEG(1600, 1000))
	if code != http.StatusCreated {
		t.Fatalf("POST /api/v1/media = %d %s", code, body)
	}
	var item struct{ URL, Srcset string }
	must(t, json.Unmarshal(body, &item))
	key := strings.TrimPrefix(item.URL, "/media/")
	mustSectionOnce(t, a)
	res := doJSON(t, a.srv, "POST", "/api/v1/articles", token, fmt.Sprintf(`{"headline":"Quay lights return","standfirst":"The harbour is lit again.",
		"body":"The lamps came back on at dusk.\n\n![The north quay at night](%s \"The north quay\")\n\nMore to come.","status":"published","categories":["region"],
		"lead_image":{"url":%q,"srcset":%q,"alt":"The quay at dusk","caption":"The quay"}}`, item.URL, item.URL, item.Srcset))
	if res.status != http.StatusCreated {
		t.Fatalf("publish: %d %s", res.status, res.body)
	}
	var art struct{ URL string }
	res.decode(t, &art)
	get := func(path string) string {
		t.Helper()
		r, err := http.Get(a.srv.URL + path)
		must(t, err)
		b, _ := io.ReadAll(r.Body)
		r.Body.Close()
		if r.StatusCode != 200 {
			t.Fatalf("GET %s = %d", path, r.StatusCode)
		}
		if strings.HasPrefix(path, "/20") || path == "/" {
			if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self' data: https: "+strings.TrimSuffix(endpoint, "/")) {
				t.Errorf("GET %s: CSP %q does not allow the plain-HTTP media origin", path, csp)
			}
		}
		return string(b)
	}
	page := get(art.URL)
	for _, want := range []string{
		`src="` + public + key + `"`,                                    // lead picture and body picture
		`srcset="` + public + strings.Replace(key, "-960.", "-480.", 1), // srcset starts at the smallest width
		`, ` + public + strings.Replace(key, "-960.", "-1600.", 1) + ` 1600w`,
		`<meta property="og:image" content="` + public + key + `">`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("article page lacks %q", want)
		}
	}
	if n := strings.Count(page, `src="`+public+key+`"`); n < 2 {
		t.Errorf("article page names the public picture in %d src attributes, want the lead and the body's (2)", n)
	}
	if n := strings.Count(page, `srcset="`+public); n < 2 {
		t.Errorf("article page has %d srcset attributes on the public URL, want the lead's and the body figure's (2)", n)
	}
	if strings.Contains(page, `"/media/`) || strings.Contains(page, ` /media/`) || strings.Contains(page, `"`+a.srv.URL+"/media/") {
		t.Errorf("article page still links a picture through /media/:\n%s", page)
	}
	home := get("/")
	if !strings.Contains(home, public) || strings.Contains(home, `"/media/i/`) {
		t.Errorf("home page card does not link the public picture")
	}
	for _, feedPath := range []string{"/feed.xml", "/atom.xml", "/feed.json"} {
		f := get(feedPath)
		if !strings.Contains(f, public+key) {
			t.Errorf("%s does not name %s", feedPath, public+key)
		}
		if strings.Contains(f, "/media/i/") && strings.Contains(f, a.srv.URL+"/media/") {
			t.Errorf("%s still links a picture through the node's /media/", feedPath)
		}
	}
	// What the page names is the picture, answered by the bucket itself.
	r, err := http.Get(public + key)
	must(t, err)
	pic, _ := io.ReadAll(r.Body)
	r.Body.Close()
	if r.StatusCode != 200 || len(pic) < 1000 || !bytes.HasPrefix(pic, []byte{0xff, 0xd8}) {
		t.Errorf("GET %s%s from the bucket = %d, %d bytes", public, key, r.StatusCode, len(pic))
	}
}
