package desk_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"newsdesk/internal/desk"
	"newsdesk/internal/media"
	"newsdesk/internal/media/mediatest"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/sqlstore"
)

// testLibraries remembers each store's library directory, so tests can
// look at the files served.
var testLibraries = map[*sqlstore.Store]string{}

// newTestLibrary is a media library on disk in the test's temporary
// directory, with the default size limit.
func newTestLibrary(t testing.TB, st *sqlstore.Store) *media.Library {
	return newSizedLibrary(t, st, 0)
}

func newSizedLibrary(t testing.TB, st *sqlstore.Store, maxBytes int64) *media.Library {
	t.Helper()
	dir := t.TempDir()
	pub, err := media.NewDisk(filepath.Join(dir, "media"))
	if err != nil {
		t.Fatal(err)
	}
	orig, err := media.NewDisk(filepath.Join(dir, "originals"))
	if err != nil {
		t.Fatal(err)
	}
	lib, err := media.New(media.Config{Public: pub, Originals: orig, Store: st, MaxBytes: maxBytes})
	if err != nil {
		t.Fatal(err)
	}
	testLibraries[st] = dir
	return lib
}

// withUploadLimit gives the desk a library that takes at most n bytes.
func withUploadLimit(t *testing.T, n int64) envOption {
	return func(c *desk.Config) { c.Media = newSizedLibrary(t, c.Store.(*sqlstore.Store), n) }
}

// taxonomyFixture creates a picture, a section, a tag and an author for
// the role matrix.
func (e *env) taxonomyFixture(f *matrixFixture) {
	e.t.Helper()
	m := &newsroom.MediaItem{Hash: strings.Repeat("ab", 32), Type: "image/jpeg", Ext: "jpg", Width: 1200, Height: 800,
		Sizes: []int{480, 960, 1200}, Caption: "Ferry at dawn"}
	if err := e.store.CreateMedia(ctx, m); err != nil {
		e.t.Fatal(err)
	}
	c := &newsroom.Category{Slug: "coast", Name: "Coast"}
	if err := e.store.CreateCategory(ctx, c); err != nil {
		e.t.Fatal(err)
	}
	tag, err := e.store.EnsureTag(ctx, "ferries", "Ferries")
	if err != nil {
		e.t.Fatal(err)
	}
	a := &newsroom.Author{Name: "Ada Brenn"}
	if err := e.store.CreateAuthor(ctx, a); err != nil {
		e.t.Fatal(err)
	}
	f.media, f.section = strconv.FormatInt(m.ID, 10), strconv.FormatInt(c.ID, 10)
	f.tag, f.author = strconv.FormatInt(tag.ID, 10), strconv.FormatInt(a.ID, 10)
}

// upload posts a multipart form with a file, the session's CSRF token as
// a form field (as a browser without scripts does) and extra fields.
// header pairs are added to the request.
func (c *client) upload(name string, data []byte, fields url.Values, header ...string) resp {
	c.e.t.Helper()
	if c.csrf == "" {
		c.get("/desk/")
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("_csrf", c.csrf)
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(data)
	mw.Close()
	req, err := http.NewRequest("POST", c.e.srv.URL+"/desk/media", &body)
	if err != nil {
		c.e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	r := resp{status: res.StatusCode, header: res.Header, body: string(b)}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		if r.doc, err = goquery.NewDocumentFromReader(bytes.NewReader(b)); err != nil {
			c.e.t.Fatal(err)
		}
	}
	return r
}

type uploadJSON struct {
	Item struct {
		ID      int64  `json:"id"`
		URL     string `json:"url"`
		Srcset  string `json:"srcset"`
		Width   int    `json:"width"`
		Height  int    `json:"height"`
		Caption string `json:"caption"`
		Alt     string `json:"alt"`
	} `json:"item"`
	Created bool `json:"created"`
	Error   struct {
		Code, Message, Field string
	} `json:"error"`
}

func decodeJSON(t *testing.T, r resp) uploadJSON {
	t.Helper()
	var out uploadJSON
	if err := json.Unmarshal([]byte(r.body), &out); err != nil {
		t.Fatalf("response is not JSON: %v\n%.300s", err, r.body)
	}
	return out
}

// TestUploadWithoutScript: a correspondent uploads a phone photo through
// the plain form; it lands in the library without its GPS block, and its
// page lets the caption and credit be set.
func TestUploadWithoutScript(t *testing.T) {
	e := newEnv(t)
	c := e.as(newsroom.RoleCorrespondent)
	photo := mediatest.WithEXIF(mediatest.JPEG(2000, 1500), 1, true)
	r := c.upload("IMG_2041.JPG", photo, url.Values{"caption": {"Quay at dusk"}, "alt": {"Lamps along a quay"}})
	wantStatus(t, "upload", r, http.StatusSeeOther)
	loc := r.header.Get("Location")
	if !strings.HasPrefix(loc, "/desk/media/") || !strings.HasSuffix(loc, "?uploaded=1") {
		t.Fatalf("upload redirects to %q", loc)
	}
	page := c.get(loc)
	wantStatus(t, "picture page", page, http.StatusOK)
	if page.doc.Find(".notice").Length() != 1 {
		t.Error("no notice that the picture was uploaded")
	}
	img := page.doc.Find(".media-item img")
	if srcset, _ := img.Attr("srcset"); strings.Count(srcset, "w,")+1 != 3 {
		t.Errorf("picture page srcset = %q, want 3 widths", srcset)
	}
	if v, _ := page.doc.Find("#mf-caption").Html(); v != "Quay at dusk" {
		t.Errorf("caption field = %q", v)
	}
	// Nothing served carries the GPS position.
	dir := testLibraries[e.store]
	served := 0
	_ = filepath.Walk(filepath.Join(dir, "media"), func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			served++
			b, _ := os.ReadFile(p)
			if bytes.Contains(b, mediatest.GPSMarkerBytes()) || bytes.Contains(b, []byte("Exif")) {
				t.Errorf("served file %s keeps EXIF data", p)
			}
		}
		return nil
	})
	if served != 3 {
		t.Errorf("%d files served, want 3", served)
	}

	// Edit the text fields.
	form := url.Values{"caption": {"The quay at dusk"}, "credit": {"Ada Brenn"}, "alt": {"Lamps along a quay"},
		"source_name": {"Harbour office"}, "source_url": {"https://harbour.example/"}, "licence": {"CC BY 4.0"}}
	path := strings.TrimSuffix(loc, "?uploaded=1")
	wantStatus(t, "save", c.post(path, form), http.StatusSeeOther)
	form.Set("source_url", "javascript:alert(1)")
	bad := c.post(path, form)
	wantStatus(t, "save a bad link", bad, http.StatusUnprocessableEntity)
	if bad.doc.Find(".alert").Length() != 1 {
		t.Error("no error shown for a bad source link")
	}

	// The library lists and finds it.
	lib := c.get("/desk/media?q=dusk")
	wantStatus(t, "library", lib, http.StatusOK)
	if n := lib.doc.Find(".media-grid li").Length(); n != 1 {
		t.Errorf("search found %d pictures, want 1", n)
	}
	if n := c.get("/desk/media?q=nothing-like-this").doc.Find(".media-grid li").Length(); n != 0 {
		t.Errorf("search for nothing found %d", n)
	}
	// The form posts without a script: multipart, a plain file input.
	up := lib.doc.Find("form#upload-form")
	if et, _ := up.Attr("enctype"); et != "multipart/form-data" || up.Find(`input[type=file][name=file]`).Length() != 1 {
		t.Error("upload form is not a plain multipart form with a file input")
	}
}

// TestUploadJSON: the editor's picker uploads with a script and gets the
// picture back; the same file again is the same picture.
func TestUploadJSON(t *testing.T) {
	e := newEnv(t)
	c := e.as(newsroom.RoleCorrespondent)
	data := mediatest.PNG(1200, 600, true)
	r := c.upload("logo.png", data, url.Values{"alt": {"The harbour office logo"}}, "Accept", "application/json", "X-CSRF-Token", c.csrf)
	wantStatus(t, "upload", r, http.StatusCreated)
	first := decodeJSON(t, r)
	if !first.Created || first.Item.ID == 0 || !strings.HasSuffix(first.Item.URL, "-960.png") || first.Item.Width != 960 || first.Item.Height != 480 {
		t.Errorf("upload answered %+v", first)
	}
	if got := strings.Count(first.Item.Srcset, "w"); got != 3 {
		t.Errorf("srcset %q lists %d widths", first.Item.Srcset, got)
	}
	r = c.upload("logo copy.png", data, nil, "Accept", "application/json")
	wantStatus(t, "same file again", r, http.StatusOK)
	if again := decodeJSON(t, r); again.Created || again.Item.ID != first.Item.ID {
		t.Errorf("second upload: %+v, want the first picture", again)
	}
	list := c.do("GET", "/desk/media", nil, "Accept", "application/json")
	var body struct {
		Items []struct{ ID int64 }
		Total int
	}
	if err := json.Unmarshal([]byte(list.body), &body); err != nil || body.Total != 1 || len(body.Items) != 1 {
		t.Errorf("library JSON = %.300s (%v)", list.body, err)
	}
}

// TestUploadRejects: each wrong type is refused with a clear message
// naming the field, as 422; too large is 413, on the page and in JSON.
func TestUploadRejects(t *testing.T) {
	e := newEnv(t, withUploadLimit(t, 200<<10))
	c := e.as(newsroom.RoleEditor)
	for _, tt := range []struct {
		name string
		data []byte
		want string
	}{
		{"notes.txt", []byte("Minutes of the harbour council"), "text/plain"},
		{"photo.jpg", []byte("<html><body>not a photo</body></html>"), "text/html"},
		{"report.pdf", []byte("%PDF-1.7\n1 0 obj\n"), "application/pdf"},
		{"scan.bmp", append([]byte("BM"), make([]byte, 100)...), "image/bmp"},
		{"broken.jpg", mediatest.JPEG(100, 100)[:60], "cannot be read"},
	} {
		r := c.upload(tt.name, tt.data, url.Values{"caption": {"kept"}})
		wantStatus(t, tt.name, r, http.StatusUnprocessableEntity)
		msg := strings.TrimSpace(r.doc.Find(".alert").Text())
		if !strings.Contains(msg, "JPEG, PNG, WebP") && !strings.Contains(msg, "damaged") {
			t.Errorf("%s: message %q does not say what is accepted", tt.name, msg)
		}
		if tt.want != "cannot be read" && !strings.Contains(msg, tt.want) {
			t.Errorf("%s: message %q does not name the type found (%s)", tt.name, msg, tt.want)
		}
		if inv, _ := r.doc.Find("#up-file").Attr("aria-invalid"); inv != "true" {
			t.Errorf("%s: the file field is not marked invalid", tt.name)
		}
		if v, _ := r.doc.Find("#mf-caption").Html(); v != "kept" {
			t.Errorf("%s: caption typed was lost: %q", tt.name, v)
		}
		j := decodeJSON(t, c.upload(tt.name, tt.data, nil, "Accept", "application/json"))
		if j.Error.Code != "unprocessable" || j.Error.Field != "file" || j.Error.Message == "" {
			t.Errorf("%s: JSON error = %+v", tt.name, j.Error)
		}
	}
	big := mediatest.JPEG(1600, 1200) // well over 200 KB of noise
	if len(big) < 250<<10 {
		t.Fatalf("test picture is only %d bytes", len(big))
	}
	r := c.upload("big.jpg", big, nil)
	wantStatus(t, "too large", r, http.StatusRequestEntityTooLarge)
	if msg := r.doc.Find("main").Text(); !strings.Contains(msg, "up to 1 MB") {
		t.Errorf("too large: message %q does not give the limit", msg)
	}
	j := decodeJSON(t, c.upload("big.jpg", big, nil, "Accept", "application/json", "X-CSRF-Token", c.csrf))
	if j.Error.Code != "too_large" || j.Error.Field != "file" {
		t.Errorf("too large JSON = %+v", j.Error)
	}
	// No file at all.
	r = c.do("POST", "/desk/media", url.Values{"_csrf": {c.csrf}})
	wantStatus(t, "no file", r, http.StatusUnprocessableEntity)
	// A forged form (no token) is refused before anything is stored.
	c.csrf = "forged"
	wantStatus(t, "no CSRF token", c.upload("ok.jpg", mediatest.JPEG(64, 64), nil), http.StatusForbidden)
	if _, n, _ := e.store.FindMedia(ctx, newsroom.MediaFilter{}); n != 0 {
		t.Errorf("%d pictures stored by rejected uploads", n)
	}
}

// TestUploadRoles: writers upload, moderators may not, nobody signed out.
func TestUploadRoles(t *testing.T) {
	e := newEnv(t)
	for role, want := range map[newsroom.Role]int{
		newsroom.RoleAdmin: http.StatusSeeOther, newsroom.RoleEditor: http.StatusSeeOther,
		newsroom.RoleCorrespondent: http.StatusSeeOther, newsroom.RoleModerator: http.StatusForbidden,
	} {
		c := e.session(e.users[role])
		wantStatus(t, string(role), c.upload(string(role)+".jpg", mediatest.JPEG(80+len(role), 60), nil), want)
	}
	wantStatus(t, "signed out", e.client().upload("x.jpg", mediatest.JPEG(64, 64), nil), http.StatusUnauthorized)
}

// TestTaxonomyPages: editors create and reorder sections, rename and
// merge tags, and edit author profiles with a library photo;
// correspondents may not.
func TestTaxonomyPages(t *testing.T) {
	e := newEnv(t)
	var f matrixFixture
	e.taxonomyFixture(&f)
	ed := e.as(newsroom.RoleEditor)

	// Sections.
	r := ed.post("/desk/sections", url.Values{"name": {"Desk news"}, "slug": {"desk"}})
	wantStatus(t, "reserved slug", r, http.StatusUnprocessableEntity)
	if inv, _ := r.doc.Find("#s-slug").Attr("aria-invalid"); inv != "true" || r.doc.Find(".alert").Length() != 1 {
		t.Error("reserved slug: no error on the slug field")
	}
	if v, _ := r.doc.Find("#s-name").Attr("value"); v != "Desk news" {
		t.Errorf("typed name lost: %q", v)
	}
	wantStatus(t, "create section", ed.post("/desk/sections", url.Values{"name": {"Harbour Life"}, "position": {"5"}, "parent_id": {f.section}}), http.StatusSeeOther)
	hl, err := e.store.CategoryBySlug(ctx, "harbour-life")
	if err != nil || hl.Position != 5 || strconv.FormatInt(hl.ParentID, 10) != f.section {
		t.Fatalf("created section = %+v, %v", hl, err)
	}
	page := ed.get("/desk/sections")
	if rows := page.doc.Find("table.list tbody tr"); rows.Length() != 2 || !strings.Contains(rows.Eq(1).Text(), "Harbour Life") {
		t.Errorf("sections list: %q", rows.Text())
	}
	wantStatus(t, "move section", ed.post("/desk/sections/"+strconv.FormatInt(hl.ID, 10), url.Values{"name": {"Harbour life"}, "position": {"0"}}), http.StatusSeeOther)
	hl, _ = e.store.CategoryBySlug(ctx, "harbour-life")
	if hl.Name != "Harbour life" || hl.ParentID != 0 || hl.Position != 0 {
		t.Errorf("after edit: %+v", hl)
	}
	r = ed.post("/desk/sections/"+f.section, url.Values{"name": {"Coast"}, "parent_id": {f.section}})
	wantStatus(t, "own parent", r, http.StatusUnprocessableEntity)

	// Tags: rename, then merge.
	boats, _ := e.store.EnsureTag(ctx, "boats", "Boats")
	wantStatus(t, "rename tag", ed.post("/desk/tags/"+f.tag, url.Values{"name": {"Ferry lines"}, "slug": {"ferry-lines"}}), http.StatusSeeOther)
	r = ed.post("/desk/tags/"+f.tag, url.Values{"name": {"Boats"}, "slug": {"boats"}})
	wantStatus(t, "rename onto a taken slug", r, http.StatusConflict)
	wantStatus(t, "merge", ed.post("/desk/tags/merge", url.Values{"from": {strconv.FormatInt(boats.ID, 10)}, "into": {f.tag}}), http.StatusSeeOther)
	for _, old := range []string{"ferries", "boats"} {
		if tg, err := e.store.TagBySlug(ctx, old); err != nil || tg.Slug != "ferry-lines" {
			t.Errorf("TagBySlug(%s) = %+v, %v", old, tg, err)
		}
	}
	tags := ed.get("/desk/tags")
	if n := tags.doc.Find("table.list tbody tr").Length(); n != 1 {
		t.Errorf("%d tags listed after the merge, want 1", n)
	}
	wantStatus(t, "merge into itself", ed.post("/desk/tags/merge", url.Values{"from": {f.tag}, "into": {f.tag}}), http.StatusUnprocessableEntity)

	// Authors: label and a photo from the library.
	wantStatus(t, "author with an unknown photo", ed.post("/desk/authors/"+f.author, url.Values{"name": {"Ada Brenn"}, "label": {newsroom.LabelOwnCorr}, "photo_media_id": {"999"}}), http.StatusUnprocessableEntity)
	wantStatus(t, "edit author", ed.post("/desk/authors/"+f.author, url.Values{"name": {"Ada Brenn"}, "label": {newsroom.LabelOwnCorr},
		"bio": {"Covers the northern ports."}, "photo_media_id": {f.media}}), http.StatusSeeOther)
	id, _ := strconv.ParseInt(f.author, 10, 64)
	a, _ := e.store.AuthorByID(ctx, id)
	if a.Label != newsroom.LabelOwnCorr || a.Bio != "Covers the northern ports." || !strings.HasSuffix(a.PhotoURL, "-480.jpg") {
		t.Errorf("author after edit = %+v", a)
	}
	if text := ed.get("/desk/authors").doc.Find("table.list").Text(); !strings.Contains(text, "Own correspondent") {
		t.Errorf("authors list does not show the byline label: %q", text)
	}
	wantStatus(t, "create author", ed.post("/desk/authors", url.Values{"name": {"Coast Wire"}, "label": {newsroom.LabelAgency}}), http.StatusSeeOther)
	if _, err := e.store.AuthorBySlug(ctx, "coast-wire"); err != nil {
		t.Errorf("created author: %v", err)
	}

	// Correspondents may not manage taxonomy (and do not see it in the nav).
	co := e.as(newsroom.RoleCorrespondent)
	wantStatus(t, "correspondent creates a section", co.post("/desk/sections", url.Values{"name": {"Mine"}}), http.StatusForbidden)
	wantStatus(t, "correspondent merges tags", co.post("/desk/tags/merge", url.Values{"from": {f.tag}, "into": {f.tag}}), http.StatusForbidden)
	front := co.get("/desk/")
	if front.doc.Find(`nav a[href="/desk/sections"]`).Length() != 0 || front.doc.Find(`nav a[href="/desk/media"]`).Length() != 1 {
		t.Error("correspondent's nav: want Media and no Sections")
	}
}

// TestLeadImageFromLibrary: without a script, pasting the address of a
// library picture into the editor's lead image gives the article every
// width, the dimensions and the library's text where the form had none;
// an unknown library address is refused on the field.
func TestLeadImageFromLibrary(t *testing.T) {
	e := newEnv(t)
	sec, au := e.taxonomy()
	c := e.as(newsroom.RoleCorrespondent)
	r := c.upload("quay.jpg", mediatest.JPEG(1800, 1200), url.Values{"caption": {"Library caption"}, "credit": {"Lena Ots"}, "alt": {"A quay"}},
		"Accept", "application/json", "X-CSRF-Token", c.csrf)
	item := decodeJSON(t, r).Item
	f := storyForm(sec, au, "save", 0)
	f.Set("image_url", item.URL)
	f.Set("image_caption", "")
	f.Set("image_credit", "")
	f.Set("image_alt", "The quay at dusk")
	r = c.post("/desk/articles", f)
	wantStatus(t, "save", r, http.StatusSeeOther)
	a, err := e.store.ArticleByID(ctx, idFromLocation(t, r))
	if err != nil {
		t.Fatal(err)
	}
	img := a.LeadImage
	if img == nil || img.MediaID != item.ID || img.Srcset != item.Srcset || img.Width != 960 || img.Height != 640 {
		t.Fatalf("lead image = %+v", img)
	}
	if img.Alt != "The quay at dusk" || img.Caption != "Library caption" || img.Credit != "Lena Ots" {
		t.Errorf("text: alt %q caption %q credit %q; want the typed alt and the library's caption and credit", img.Alt, img.Caption, img.Credit)
	}
	// An address from elsewhere is just an address.
	f.Set("headline", "A second story about the quay")
	f.Set("image_url", "/media/demo/ferry-960.jpg")
	f.Set("image_media_id", strconv.FormatInt(item.ID, 10))
	r = c.post("/desk/articles", f)
	wantStatus(t, "save with another address", r, http.StatusSeeOther)
	b, _ := e.store.ArticleByID(ctx, idFromLocation(t, r))
	if b.LeadImage.MediaID != 0 || b.LeadImage.Srcset != "" {
		t.Errorf("a hand-typed address kept the library picture: %+v", b.LeadImage)
	}
	f.Set("headline", "A third story about the quay")
	f.Set("image_url", "/media/i/ab/"+strings.Repeat("ab", 32)+"-960.jpg")
	r = c.post("/desk/articles", f)
	wantStatus(t, "unknown library address", r, http.StatusUnprocessableEntity)
}
