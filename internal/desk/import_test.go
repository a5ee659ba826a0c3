package desk_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/desk"
	"newsdesk/internal/newsroom"
)

func withImportLimit(n int64) envOption { return func(c *desk.Config) { c.MaxImport = n } }

// importPart is one part of the import form, in the order it is sent.
type importPart struct{ name, value string }

// importUpload posts the import form with its parts in the order given;
// a part named "file" carries data as the file.
func (c *client) importUpload(parts []importPart, data []byte) resp {
	c.e.t.Helper()
	return c.importUploadChunked(parts, data, false)
}

// importUploadChunked is importUpload; with chunked the body is sent
// without a declared length.
func (c *client) importUploadChunked(parts []importPart, data []byte, chunked bool) resp {
	c.e.t.Helper()
	if c.csrf == "" {
		c.get("/desk/")
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, p := range parts {
		if p.name == "file" {
			fw, _ := mw.CreateFormFile("file", p.value)
			_, _ = fw.Write(data)
			continue
		}
		v := p.value
		if p.name == "_csrf" && v == "" {
			v = c.csrf
		}
		_ = mw.WriteField(p.name, v)
	}
	mw.Close()
	var rd io.Reader = &body
	if chunked {
		rd = io.MultiReader(&body) // hides the length
	}
	req, err := http.NewRequest("POST", c.e.srv.URL+"/desk/import", rd)
	if err != nil {
		c.e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := c.http.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{status: res.StatusCode, header: res.Header, body: string(b)}
}

type importStatus struct {
	State    string `json:"state"`
	File     string `json:"file"`
	Error    string `json:"error"`
	Progress struct {
		Phase       string
		Done, Total int
	} `json:"progress"`
	Summary *struct {
		DryRun bool `json:"dry_run"`
		Posts  struct{ Imported, Unchanged int }
		Pages  struct{ Imported, Skipped, Unchanged int }
		Drafts int
	} `json:"summary"`
}

// waitImport polls the status endpoint until the import has ended.
func (c *client) waitImport() importStatus {
	c.e.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		r := c.do("GET", "/desk/import/status", nil, "Accept", "application/json")
		var st importStatus
		if err := json.Unmarshal([]byte(r.body), &st); err != nil {
			c.e.t.Fatalf("status: %d %s", r.status, r.body)
		}
		if st.State != "running" {
			return st
		}
		if time.Now().After(deadline) {
			c.e.t.Fatalf("the import did not end: %+v", st)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func importDirEmpty(t *testing.T, e *env) {
	t.Helper()
	ents, err := os.ReadDir(e.importDir())
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	if len(ents) > 0 {
		t.Errorf("the import folder keeps %d file(s): %s", len(ents), ents[0].Name())
	}
}

var good = []importPart{{"_csrf", ""}, {"dry_run", "0"}, {"file", "skerrow.xml"}}

// TestImportPage uploads a WordPress export through the Import page: the
// CSRF token must come before the file, which is kept on disk only while
// its import runs; the import runs in the background, the status endpoint
// follows it and the page shows the summary; a second run adds nothing; a
// malformed file fails with its line; a file over the limit is 413.
func TestImportPage(t *testing.T) { bothDBs(t, testImportPage) }

func testImportPage(t *testing.T, e *env) {
	wxr, err := os.ReadFile("testdata/desk-import.xml")
	if err != nil {
		t.Fatal(err)
	}
	admin, editor := e.as(newsroom.RoleAdmin), e.as(newsroom.RoleEditor)
	if r := editor.get("/desk/import"); r.status != http.StatusForbidden {
		t.Errorf("editor GET /desk/import: %d", r.status)
	}
	if r := admin.get("/desk/import"); r.status != http.StatusOK || r.doc.Find(`form[action="/desk/import"][enctype="multipart/form-data"] input[type=file][name=file]`).Length() != 1 {
		t.Fatalf("GET /desk/import: %d", r.status)
	}
	if r := admin.do("GET", "/desk/import/status", nil); !strings.Contains(r.body, `"state":"none"`) {
		t.Errorf("status before any import: %s", r.body)
	}

	// The token first, or nothing is kept.
	for name, parts := range map[string][]importPart{
		"wrong token":        {{"_csrf", "not-the-token"}, {"file", "a.xml"}},
		"file before token":  {{"file", "a.xml"}, {"_csrf", ""}},
		"no token":           {{"dry_run", "1"}, {"file", "a.xml"}},
		"editor's own token": nil,
	} {
		if parts == nil {
			if r := editor.importUpload(good, wxr); r.status != http.StatusForbidden {
				t.Errorf("%s: %d", name, r.status)
			}
			continue
		}
		if r := admin.importUpload(parts, wxr); r.status != http.StatusForbidden {
			t.Errorf("%s: %d %.200s", name, r.status, r.body)
		}
	}
	if r := admin.importUpload([]importPart{{"_csrf", ""}}, nil); r.status != http.StatusUnprocessableEntity || r.doc == nil && !strings.Contains(r.body, "Choose the export file") {
		t.Errorf("no file: %d", r.status)
	}
	importDirEmpty(t, e)

	// A dry run, then the import, then the same file again.
	r := admin.importUpload([]importPart{{"_csrf", ""}, {"dry_run", "1"}, {"file", "skerrow.xml"}}, wxr)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/desk/import?started=1" {
		t.Fatalf("upload: %d %s", r.status, r.body)
	}
	st := admin.waitImport()
	if st.State != "done" || st.Summary == nil || !st.Summary.DryRun || st.Summary.Posts.Imported != 2 {
		t.Fatalf("dry run: %+v %+v", st, st.Summary)
	}
	if _, n, _ := e.store.FindArticles(ctx, newsroom.ArticleFilter{}); n != 0 {
		t.Errorf("a dry run wrote %d articles", n)
	}
	importDirEmpty(t, e)

	if r := admin.importUpload(good, wxr); r.status != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", r.status, r.body)
	}
	st = admin.waitImport()
	if st.State != "done" || st.File != "skerrow.xml" || st.Summary.DryRun || st.Summary.Posts.Imported != 2 || st.Summary.Drafts != 1 {
		t.Fatalf("import: %+v %+v", st, st.Summary)
	}
	if _, n, _ := e.store.FindArticles(ctx, newsroom.ArticleFilter{}); n != 2 {
		t.Errorf("imported articles = %d; want 2", n)
	}
	if p, err := e.store.PageByPath(ctx, "/about/"); err != nil || p.Title != "About the Courier" || st.Summary.Pages.Imported != 1 {
		t.Errorf("imported page: %+v, %v (summary %+v)", p, err, st.Summary.Pages)
	}
	importDirEmpty(t, e)
	page := admin.get("/desk/import")
	if got := page.doc.Find(".import-summary tbody tr").First().Find("td").First().Text(); got != "2" {
		t.Errorf("summary table: posts imported %q\n%s", got, page.doc.Find(".import-last").Text())
	}
	if page.doc.Find(`form[action="/desk/import"]`).Length() != 1 {
		t.Errorf("the form is not offered again after the import")
	}
	if r := admin.importUpload(good, wxr); r.status != http.StatusSeeOther {
		t.Fatalf("second upload: %d", r.status)
	}
	if st = admin.waitImport(); st.State != "done" || st.Summary.Posts.Imported != 0 || st.Summary.Posts.Unchanged != 2 {
		t.Errorf("second run: %+v", st.Summary)
	}

	// A malformed file is refused with its line, and writes nothing.
	broken := bytes.Replace(wxr, []byte("</item>"), []byte("</itm>"), 1)
	if r := admin.importUpload(good, broken); r.status != http.StatusSeeOther {
		t.Fatalf("broken upload: %d", r.status)
	}
	where := regexp.MustCompile(`skerrow\.xml:\d+:\d+: element <item> closed by </itm>`)
	if st = admin.waitImport(); st.State != "failed" || !where.MatchString(st.Error) {
		t.Errorf("broken file: %+v", st)
	}
	page = admin.get("/desk/import")
	if !where.MatchString(page.doc.Find("#import-error").Text()) {
		t.Errorf("the page does not show the error: %q", page.doc.Find(".import-last").Text())
	}
	importDirEmpty(t, e)
}

func TestImportPageSizeLimit(t *testing.T) {
	e := newEnv(t, withImportLimit(2048))
	admin := e.as(newsroom.RoleAdmin)
	big := bytes.Repeat([]byte("<!-- padding -->\n"), 8000) // 136 KB: over the limit and the form's allowance
	for _, chunked := range []bool{false, true} {
		r := admin.importUploadChunked(good, big, chunked)
		if r.status != http.StatusRequestEntityTooLarge {
			t.Fatalf("over the limit (chunked %v): %d %.300s", chunked, r.status, r.body)
		}
		importDirEmpty(t, e)
	}
	if r := admin.do("GET", "/desk/import/status", nil); !strings.Contains(r.body, `"state":"none"`) {
		t.Errorf("an import started: %s", r.body)
	}
}

// splitExport cuts the test export into two files of one site, as `wp
// export` splits a big one: both carry the channel's head; the first the
// first post, the second the rest.
func splitExport(t *testing.T, wxr []byte) (first, second []byte) {
	t.Helper()
	s := string(wxr)
	head := s[:strings.Index(s, "\t<item>")]
	items := s[len(head):strings.Index(s, "</channel>")]
	cut := strings.Index(items, "\t</item>\n") + len("\t</item>\n")
	tail := "</channel>\n</rss>\n"
	return []byte(head + items[:cut] + tail), []byte(head + items[cut:] + tail)
}

// importUploadFiles posts the form with the token, the options and one
// "file" part per file, in order.
func (c *client) importUploadFiles(opts []importPart, files ...importFile) resp {
	c.e.t.Helper()
	if c.csrf == "" {
		c.get("/desk/")
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("_csrf", c.csrf)
	for _, p := range opts {
		_ = mw.WriteField(p.name, p.value)
	}
	for _, f := range files {
		fw, _ := mw.CreateFormFile("file", f.name)
		_, _ = fw.Write(f.data)
	}
	mw.Close()
	req, err := http.NewRequest("POST", c.e.srv.URL+"/desk/import", &body)
	if err != nil {
		c.e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := c.http.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{status: res.StatusCode, header: res.Header, body: string(b)}
}

type importFile struct {
	name string
	data []byte
}

// TestImportPageSeveralFiles: the files `wp export` split a site into come
// in one upload and are one import; a malformed one among them is named
// with its line, and nothing is written.
func TestImportPageSeveralFiles(t *testing.T) { bothDBs(t, testImportPageSeveralFiles) }

func testImportPageSeveralFiles(t *testing.T, e *env) {
	wxr, err := os.ReadFile("testdata/desk-import.xml")
	if err != nil {
		t.Fatal(err)
	}
	first, second := splitExport(t, wxr)
	admin := e.as(newsroom.RoleAdmin)
	if r := admin.get("/desk/import"); r.doc.Find(`input[type=file][name=file][multiple]`).Length() != 1 {
		t.Fatalf("the form does not take several files")
	}

	broken := bytes.Replace(second, []byte("</item>"), []byte("</itm>"), 1)
	if r := admin.importUploadFiles(nil, importFile{"skerrow.000.xml", first}, importFile{"skerrow.001.xml", broken}); r.status != http.StatusSeeOther {
		t.Fatalf("upload: %d %.300s", r.status, r.body)
	}
	where := regexp.MustCompile(`skerrow\.001\.xml:\d+:\d+: element <item> closed by </itm>`)
	if st := admin.waitImport(); st.State != "failed" || !where.MatchString(st.Error) {
		t.Errorf("one malformed file of two: %+v", st)
	}
	if _, n, _ := e.store.FindArticles(ctx, newsroom.ArticleFilter{}); n != 0 {
		t.Errorf("the refused upload wrote %d articles", n)
	}
	importDirEmpty(t, e)

	if r := admin.importUploadFiles(nil, importFile{"skerrow.000.xml", first}, importFile{"skerrow.001.xml", second}); r.status != http.StatusSeeOther {
		t.Fatalf("upload: %d %.300s", r.status, r.body)
	}
	st := admin.waitImport()
	if st.State != "done" || st.File != "skerrow.000.xml, skerrow.001.xml" || st.Summary == nil || st.Summary.Posts.Imported != 2 || st.Summary.Pages.Imported != 1 {
		t.Fatalf("two files: %+v %+v", st, st.Summary)
	}
	if _, n, _ := e.store.FindArticles(ctx, newsroom.ArticleFilter{}); n != 2 {
		t.Errorf("imported articles = %d; want 2", n)
	}
	importDirEmpty(t, e)
	page := admin.get("/desk/import")
	if got := page.doc.Find("#import-last").Text(); !strings.Contains(got, "skerrow.000.xml, skerrow.001.xml") {
		t.Errorf("the summary's heading: %q", got)
	}
	if r := admin.importUploadFiles(nil, importFile{"skerrow.000.xml", first}, importFile{"empty.xml", nil}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "empty.xml") {
		t.Errorf("an empty file among several: %d", r.status)
	}
	importDirEmpty(t, e)
}
