package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/media/mediatest"
	"newsdesk/internal/newsroom"
)

// postMedia sends a multipart body to POST /api/v1/media with the picture
// (when data is not nil) in "file" and the text fields of form.
func postMedia(t *testing.T, ta *testApp, token, name string, data []byte, form map[string]string) response {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range form {
		must(t, mw.WriteField(k, v))
	}
	if data != nil {
		fw, err := mw.CreateFormFile("file", name)
		must(t, err)
		_, _ = fw.Write(data)
	}
	must(t, mw.Close())
	req, err := http.NewRequest("POST", ta.srv.URL+"/api/v1/media", &b)
	must(t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := ta.srv.Client().Do(req)
	must(t, err)
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, body: string(body), header: res.Header}
}

// TestAPIMediaUpload adds pictures through POST /api/v1/media on both
// databases: every writer may (201 with the item and its url, which then
// serves the picture), the same bytes again are 200 with the same item,
// moderators get 403 and no token 401, a wrong field is 422 naming it.
func TestAPIMediaUpload(t *testing.T) {
	forEachStore(t, func(t *testing.T, ta *testApp) {
		tokens, users := roleTokens(t, ta)
		for i, role := range []newsroom.Role{newsroom.RoleAdmin, newsroom.RoleEditor, newsroom.RoleCorrespondent} {
			res := postMedia(t, ta, tokens[role], fmt.Sprintf("harbour-%d.jpg", i), mediatest.JPEG(1200+i*10, 800), map[string]string{
				"caption": "The harbour at dawn", "credit": "Ada Lovelace", "source": "Courier archive",
				"source_url": "https://example.org/archive", "alt": "Fishing boats at a quay",
			})
			if res.status != http.StatusCreated {
				t.Fatalf("%s upload: %d %s", role, res.status, res.body)
			}
			var m struct {
				ID                                   int64
				URL, Srcset, Caption, Credit, Source string
				SourceURL                            string `json:"source_url"`
				Alt                                  string
				UploadedBy                           int64 `json:"uploaded_by"`
				Width, Height                        int
				Created                              bool
			}
			res.decode(t, &m)
			if m.ID == 0 || !strings.HasPrefix(m.URL, "/media/i/") || m.Width != 960 || !m.Created ||
				m.Caption != "The harbour at dawn" || m.Credit != "Ada Lovelace" || m.Source != "Courier archive" ||
				m.SourceURL != "https://example.org/archive" || m.Alt != "Fishing boats at a quay" || m.UploadedBy != users[role].ID ||
				strings.Count(m.Srcset, "w") < 3 {
				t.Errorf("%s upload answered %+v", role, m)
			}
			p := fetch(t, ta, "GET", m.URL)
			if p.status != http.StatusOK || p.header.Get("Content-Type") != "image/jpeg" {
				t.Errorf("GET %s: %d %s", m.URL, p.status, p.header.Get("Content-Type"))
			}
			stored, err := ta.store.MediaByID(t.Context(), m.ID)
			must(t, err)
			if stored.SourceName != "Courier archive" || stored.Alt != "Fishing boats at a quay" {
				t.Errorf("stored item %+v", stored)
			}
			again := postMedia(t, ta, tokens[role], "copy.jpg", mediatest.JPEG(1200+i*10, 800), nil)
			if again.status != http.StatusOK || !strings.Contains(again.body, fmt.Sprintf(`"id":%d,`, m.ID)) || !strings.Contains(again.body, `"created":false`) {
				t.Errorf("%s same bytes again: %d %s", role, again.status, again.body)
			}
		}
		if res := postMedia(t, ta, tokens[newsroom.RoleModerator], "m.jpg", mediatest.JPEG(300, 200), nil); res.status != http.StatusForbidden {
			t.Errorf("moderator: %d %s", res.status, res.body)
		}
		if res := postMedia(t, ta, "", "m.jpg", mediatest.JPEG(300, 200), nil); res.status != http.StatusUnauthorized {
			t.Errorf("no token: %d %s", res.status, res.body)
		}
		ed := tokens[newsroom.RoleEditor]
		for _, c := range []struct {
			name  string
			data  []byte
			form  map[string]string
			field string
		}{
			{"no file", nil, map[string]string{"caption": "x"}, "file"},
			{"not a picture", []byte("%PDF-1.7 not a picture at all"), nil, "file"},
			{"alt too long", mediatest.PNG(64, 64, false), map[string]string{"alt": strings.Repeat("a", newsroom.MaxMediaAlt+1)}, "alt"},
			{"source too long", mediatest.PNG(65, 64, false), map[string]string{"source": strings.Repeat("a", newsroom.MaxMediaShort+1)}, "source"},
			{"bad source link", mediatest.PNG(66, 64, false), map[string]string{"source_url": "javascript:alert(1)"}, "source_url"},
			{"unknown field", mediatest.PNG(67, 64, false), map[string]string{"licence_text": "CC"}, "licence_text"},
		} {
			res := postMedia(t, ta, ed, "x.png", c.data, c.form)
			if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `"field":"`+c.field+`"`) {
				t.Errorf("%s: %d %s, want 422 naming %s", c.name, res.status, res.body, c.field)
			}
		}
		// A JSON body is not a picture.
		if res := doJSON(t, ta.srv, "POST", "/api/v1/media", ed, `{"file":"x"}`); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `"field":"file"`) {
			t.Errorf("JSON body: %d %s", res.status, res.body)
		}
	})
}

// TestAPIMediaTooLargeBeforeReading declares a body over the upload limit
// on a raw connection and sends none of it: the answer is 413 at once,
// so the server read nothing. A body that lies about its length is cut off
// at the limit, also 413.
func TestAPIMediaTooLargeBeforeReading(t *testing.T) {
	ta := newTestAppWith(t, "", func(c *Config) { c.MaxUploadMB = 1 })
	tokens, _ := roleTokens(t, ta)
	conn, err := net.Dial("tcp", strings.TrimPrefix(ta.srv.URL, "http://"))
	must(t, err)
	defer conn.Close()
	must(t, conn.SetDeadline(time.Now().Add(10*time.Second)))
	fmt.Fprintf(conn, "POST /api/v1/media HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: %d\r\n\r\n",
		tokens[newsroom.RoleEditor], 50<<20)
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	must(t, err)
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(body), `"field":"file"`) {
		t.Errorf("declared 50 MiB: %d %s", res.StatusCode, body)
	}
	big := bytes.Repeat([]byte{0xff}, 2<<20)
	if r := postMedia(t, ta, tokens[newsroom.RoleEditor], "big.jpg", big, nil); r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("2 MiB picture: %d %s", r.status, r.body)
	}
}

// TestAPILeadImageFromLibrary: a lead image sent through the API as a
// library picture (its media_id, or the address of one of its renditions)
// gets the library's srcset, size and text, as in the desk, and the page
// shows every width; an unknown library address is 422. A library picture
// in the body reaches the RSS feed with its srcset absolute.
func TestAPILeadImageFromLibrary(t *testing.T) {
	forEachStore(t, func(t *testing.T, ta *testApp) {
		token, _ := mustToken(t, ta, newsroom.RoleEditor)
		mustSection(t, ta, "harbour", "Harbour")
		res := postMedia(t, ta, token, "quay.jpg", mediatest.JPEG(1600, 1000), map[string]string{
			"caption": "The quay at dusk", "credit": "Ola Brenn", "alt": "Lamps along a quay"})
		if res.status != http.StatusCreated {
			t.Fatalf("upload: %d %s", res.status, res.body)
		}
		var m struct {
			ID            int64
			URL, Srcset   string
			Width, Height int
		}
		res.decode(t, &m)
		for i, lead := range []string{fmt.Sprintf(`{"media_id":%d}`, m.ID), fmt.Sprintf(`{"url":%q,"alt":"Our own alt"}`, m.URL)} {
			r := doJSON(t, ta.srv, "POST", "/api/v1/articles", token, `{"headline":"Quay lamps lit `+strconv.Itoa(i+1)+`","body":"The lamps came on at six.\n\n![The quay](`+m.URL+` \"The quay at dusk\")",
				"status":"published","categories":["harbour"],"lead_image":`+lead+`}`)
			if r.status != http.StatusCreated {
				t.Fatalf("create with lead image %s: %d %s", lead, r.status, r.body)
			}
			var a struct {
				URL       string         `json:"url"`
				LeadImage newsroom.Image `json:"lead_image"`
			}
			r.decode(t, &a)
			img := a.LeadImage
			if img.MediaID != m.ID || img.URL != m.URL || img.Srcset != m.Srcset || img.Width != m.Width || img.Height != m.Height ||
				img.Caption != "The quay at dusk" || img.Credit != "Ola Brenn" || img.Srcset == "" {
				t.Errorf("lead image %s answered %+v; want the library's (%+v)", lead, img, m)
			}
			if want := "Lamps along a quay"; strings.Contains(lead, "Our own alt") {
				if img.Alt != "Our own alt" {
					t.Errorf("alt sent %q came back %q", "Our own alt", img.Alt)
				}
			} else if img.Alt != want {
				t.Errorf("alt = %q, want the library's %q", img.Alt, want)
			}
			p := fetch(t, ta, "GET", a.URL)
			if p.status != 200 || !strings.Contains(string(p.body), `srcset="`+m.Srcset+`"`) {
				t.Errorf("article page %s: %d, lead image srcset %q not on it", a.URL, p.status, m.Srcset)
			}
		}
		r := doJSON(t, ta.srv, "POST", "/api/v1/articles", token, `{"headline":"Missing picture","body":"x","status":"draft",
			"lead_image":{"url":"/media/i/ab/`+strings.Repeat("ab", 32)+`-960.jpg"}}`)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `"field":"lead_image.url"`) {
			t.Errorf("an unknown library address: %d %s; want 422 naming lead_image.url", r.status, r.body)
		}

		// The body's library picture in the feed: every candidate absolute.
		feed := fetch(t, ta, "GET", "/feed.xml")
		abs := strings.ReplaceAll(m.Srcset, "/media/", ta.cfg.BaseURL+"/media/")
		if feed.status != 200 || !strings.Contains(string(feed.body), "srcset=&#34;"+abs+"&#34;") && !strings.Contains(string(feed.body), `srcset="`+abs+`"`) {
			t.Errorf("feed: %d; the body picture's srcset is not absolute (want %q) in:\n%s", feed.status, abs, feed.body)
		}
	})
}
