package main

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"newsdesk/internal/media/mediatest"
	"newsdesk/internal/newsroom"
)

// upload posts one picture to the desk's library as a script does.
func (c *deskClient) upload(t *testing.T, name string, data []byte) (int, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(data)
	_ = mw.WriteField("alt", "a test picture")
	_ = mw.Close()
	req, _ := http.NewRequest("POST", c.base+"/desk/media", &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("X-CSRF-Token", c.csrf)
	req.Header.Set("Accept", "application/json")
	res, err := c.http.Do(req)
	if err != nil {
		t.Errorf("upload %s: %v", name, err)
		return 0, ""
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// TestImageBombsKeepTheServerUnder1GB uploads image bombs, small files with
// huge canvases (59-megapixel 16-bit PNG and progressive JPEG, a few
// hundred KB each), four at a time to a real server process, with two
// heavy pictures that fit the decoding budget. The bombs are refused with
// 413 naming the file, the others are decoded one or two at a time, and
// the process's peak RSS stays under 1 GB.
func TestImageBombsKeepTheServerUnder1GB(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes several hundred megapixels")
	}
	dir := t.TempDir()
	addStaffToData(t, dir, "ed@example.org", "correct horse battery", newsroom.RoleEditor)
	srv := startServerProcess(t, "--data", dir, "--no-demo")
	c := signInProcess(t, srv.url, "ed@example.org", "correct horse battery")
	idle := srv.peakRSS(t)

	type pic struct {
		name string
		data []byte
		want int
	}
	rounds := [][]pic{{
		{"bomb16.png", mediatest.PNG16(7700, 7700), http.StatusRequestEntityTooLarge},
		{"bomb-progressive.jpg", mediatest.ProgressiveJPEG(7700, 7700), http.StatusRequestEntityTooLarge},
		{"heavy16.png", mediatest.PNG16(5000, 5000), http.StatusCreated},
		{"heavy-progressive.jpg", mediatest.ProgressiveJPEG(4500, 4500), http.StatusCreated},
	}, {
		{"bomb16-b.png", mediatest.PNG16(7600, 7600), http.StatusRequestEntityTooLarge},
		{"heavy16-b.png", mediatest.PNG16(3600, 3600), http.StatusCreated},
		{"heavy-progressive-b.jpg", mediatest.ProgressiveJPEG(3400, 3400), http.StatusCreated},
		{"bomb-progressive-b.jpg", mediatest.ProgressiveJPEG(7600, 7600), http.StatusRequestEntityTooLarge},
	}}
	start := time.Now()
	for i, round := range rounds {
		var wg sync.WaitGroup
		for _, p := range round {
			wg.Go(func() {
				st, body := c.upload(t, p.name, p.data)
				if st != p.want {
					t.Errorf("round %d, %s (%d KB): %d %.300s; want %d", i+1, p.name, len(p.data)>>10, st, body, p.want)
					return
				}
				if st == http.StatusRequestEntityTooLarge {
					var e struct{ Error newsroom.Error }
					_ = json.Unmarshal([]byte(body), &e)
					if e.Error.Field != "file" || !strings.HasPrefix(e.Error.Message, p.name+": ") {
						t.Errorf("%s: error %s does not name the file", p.name, body)
					}
				}
			})
		}
		wg.Wait()
	}
	peak := srv.peakRSS(t)
	t.Logf("server process peak RSS: %d MB idle, %d MB after %d uploads four at a time (%v)",
		idle>>20, peak>>20, 8, time.Since(start).Round(100*time.Millisecond))
	if peak >= 1<<30 {
		t.Errorf("peak RSS %d MB; want under 1 GB", peak>>20)
	}
}
