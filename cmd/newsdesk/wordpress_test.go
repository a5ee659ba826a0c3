package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"newsdesk/internal/api"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/storetest"
)

// wxrFixture is an export of the fictional Skerrow Courier shaped like
// WordPress 6.x's: block and classic posts, a draft, a future post, a
// category tree, threaded comments in every status, pictures (one
// missing, one not a picture), pages, a guest author, a menu.
const wxrFixture = "../../internal/wordpress/testdata/skerrow-courier.xml"

// writeUploads makes the pictures the fixture's attachments name, as a
// copy of wp-content/uploads (lost-gull.jpg is missing on purpose).
func writeUploads(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for i, f := range []string{"2024/03/ferry.jpg", "2019/03/pier.jpg"} {
		p := filepath.Join(dir, filepath.FromSlash(f))
		must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		img := image.NewRGBA(image.Rect(0, 0, 1200, 800))
		for y := 0; y < 800; y += 4 {
			for x := 0; x < 1200; x += 4 {
				img.Set(x, y, color.RGBA{uint8(x/5 + i*60), uint8(y / 4), 140, 255})
			}
		}
		var b bytes.Buffer
		must(t, jpeg.Encode(&b, img, nil))
		must(t, os.WriteFile(p, b.Bytes(), 0o644))
	}
	// Files that are not pictures: a PDF and a recording (an MP3 frame
	// header after an ID3 tag is what the type check reads).
	for name, data := range map[string]string{
		"2024/03/timetable.pdf":      "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
		"2024/03/harbour-report.mp3": "ID3\x04\x00\x00\x00\x00\x00\x00\xff\xfb\x90\x00" + strings.Repeat("\x00", 400),
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		must(t, os.WriteFile(p, []byte(data), 0o644))
	}
	return dir
}

// uploadedFile is a file as writeUploads made it.
func uploadedFile(t *testing.T, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	must(t, err)
	return b
}

// importCLI runs `newsdesk import wordpress` against the test app's data.
func importCLI(t *testing.T, ta *testApp, args ...string) (string, error) {
	t.Helper()
	full := append([]string{"import", "wordpress"}, args...)
	full = append(full, "--data", ta.cfg.DataDir)
	if ta.cfg.DB != "" {
		full = append(full, "--db", ta.cfg.DB)
	}
	var out, errb bytes.Buffer
	err := run(context.Background(), full, func(string) string { return "" }, nil, &out, &errb)
	return out.String(), err
}

func noRedirects(srv *httptest.Server) *http.Client {
	c := *srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

func getWPPage(t *testing.T, srv *httptest.Server, path string) (int, *goquery.Document, string) {
	t.Helper()
	res, err := srv.Client().Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(res.Body)
	doc, _ := goquery.NewDocumentFromReader(bytes.NewReader(b.Bytes()))
	return res.StatusCode, doc, b.String()
}

func TestImportWordPress(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testImportWordPress(t, newTestApp(t, "", false), false) })
	t.Run("postgres", func(t *testing.T) { testImportWordPress(t, newTestApp(t, storetest.PostgresDSN(t), false), true) })
}

func testImportWordPress(t *testing.T, ta *testApp, fetch bool) {
	ctx := context.Background()
	editor, _ := mustToken(t, ta, newsroom.RoleEditor)
	users, err := ta.store.CountUsers(ctx)
	must(t, err)
	// The registry knows the organization the old posts mark by hand.
	trust := newsroom.LegalEntity{Name: "Skell Islanders Trust", Forms: map[string][]string{"en": {"Skell Islanders Trust"}},
		Marker: "*", Notes: map[string]string{"en": "* A fictional designated organization."},
		Listings: []newsroom.LegalListing{{List: "Test list", From: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)}}}
	must(t, ta.store.CreateLegalEntity(ctx, &trust))
	must(t, ta.legal.Load(ctx))

	fixture, err := os.ReadFile(wxrFixture)
	must(t, err)
	dir := t.TempDir()
	source := []string{"--uploads", writeUploads(t)}
	site := "https://skerrowcourier.example" // as the ledger names it
	if fetch {
		// The old site is a local server serving the uploads folder; the
		// export is rewritten to name it.
		files := http.StripPrefix("/wp-content/uploads/", http.FileServer(http.Dir(source[1])))
		old := httptest.NewServer(files)
		t.Cleanup(old.Close)
		fixture = bytes.ReplaceAll(fixture, []byte("https://skerrowcourier.example"), []byte(old.URL))
		source = []string{"--fetch"}
		site = old.URL
	}
	file := filepath.Join(dir, "skerrowcourier.wordpress.2024-04-02.000.xml")
	must(t, os.WriteFile(file, fixture, 0o644))

	counts := func() (articles, comments, redirects int) {
		_, articles, err := ta.store.FindArticles(ctx, newsroom.ArticleFilter{Limit: 1})
		must(t, err)
		cs, err := ta.store.CountComments(ctx)
		must(t, err)
		for _, n := range cs {
			comments += n
		}
		_, redirects, err = ta.store.Redirects(ctx, newsroom.RedirectFilter{Limit: 1})
		must(t, err)
		return
	}

	// A malformed copy is refused with file, line and column, and nothing
	// is written.
	broken := bytes.Replace(fixture, []byte("</wp:comment_content>"), []byte("</wp:comment_contnet>"), 1)
	brokenFile := filepath.Join(dir, "broken.xml")
	must(t, os.WriteFile(brokenFile, broken, 0o644))
	line := bytes.Count(broken[:bytes.Index(broken, []byte("</wp:comment_contnet>"))], []byte("\n")) + 1
	_, err = importCLI(t, ta, file, brokenFile)
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("broken.xml:%d:", line)) || !strings.Contains(err.Error(), "nothing was written") {
		t.Fatalf("malformed import: %v, want broken.xml:%d:column and nothing written", err, line)
	}
	if a, c, r := counts(); a+c+r != 0 {
		t.Fatalf("after the refused file: %d articles, %d comments, %d redirects; want none", a, c, r)
	}

	// A dry run writes nothing and tells what would come.
	out, err := importCLI(t, ta, append([]string{file, "--dry-run"}, source...)...)
	must(t, err)
	if !strings.Contains(out, "Dry run") || !strings.Contains(out, "posts          9 imported") {
		t.Errorf("dry run printed:\n%s", out)
	}
	if a, c, r := counts(); a+c+r != 0 {
		t.Fatalf("after the dry run: %d articles, %d comments, %d redirects; want none", a, c, r)
	}

	out, err = importCLI(t, ta, append([]string{file}, source...)...)
	must(t, err)
	for _, want := range []string{
		"posts          9 imported       0 updated       0 unchanged       1 skipped       0 failed",
		"pages          3 imported", "sections       4 imported", "tags           3 imported",
		"authors        3 imported", "comments       7 imported       0 updated       0 unchanged       1 skipped",
		"images         2 imported       0 updated       0 unchanged       0 skipped       1 failed",
		"files          2 imported       0 updated       0 unchanged       0 skipped       0 failed",
		"repaired: 1 bytes that were not UTF-8, 1 characters XML forbids",
		"block wp:latest-posts ×1", "shortcode [contact-form-7] ×1",
		"attachment 103", "lost-gull.jpg",
		"post 19 “Birds of the north shore”", "picture not found",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	articles, comments, redirects := counts()
	if articles != 9 || comments != 7 || redirects < 60 {
		t.Errorf("imported %d articles, %d comments, %d redirects; want 9, 7, 60+", articles, comments, redirects)
	}
	if n, _ := ta.store.CountUsers(ctx); n != users {
		t.Errorf("users %d → %d: authors must not get accounts", users, n)
	}

	// Every post through the API.
	var list struct{ Articles []api.ArticleJSON }
	doJSON(t, ta.srv, "GET", "/api/v1/articles?page=1", editor, "").decode(t, &list)
	bySlug := map[string]api.ArticleJSON{}
	for _, a := range list.Articles {
		full := api.ArticleJSON{}
		doJSON(t, ta.srv, "GET", fmt.Sprintf("/api/v1/articles/%d", a.ID), editor, "").decode(t, &full)
		bySlug[a.Slug] = full
	}
	slugs := make([]string, 0, len(bySlug))
	for s := range bySlug {
		slugs = append(slugs, s)
	}
	sort.Strings(slugs)
	want := []string{"birds-of-the-north-shore", "council-meets", "council-meets-2", "ferry-service-returns", "gull-numbers-fall",
		"staff-rota", "storm-notes", "summer-timetable-announced", "why-the-old-pier-matters"}
	if strings.Join(slugs, " ") != strings.Join(want, " ") {
		t.Fatalf("articles %v, want %v (two posts titled \"Council meets\" are two articles)", slugs, want)
	}
	ferry := bySlug["ferry-service-returns"]
	if ferry.URL != "/harbour/ferry-service-returns" || ferry.Status != newsroom.Published || ferry.PublishedAt == nil ||
		!ferry.PublishedAt.Equal(time.Date(2024, 3, 14, 9, 30, 0, 0, time.UTC)) ||
		ferry.Standfirst != "The first crossing in four months brought post, fuel and visitors." || !ferry.CommentsOpen || ferry.CommentCount != 3 ||
		strings.Join(ferry.Categories, ",") != "harbour,islands" || strings.Join(ferry.Tags, ",") != "ferries" ||
		len(ferry.Authors) != 1 || ferry.Authors[0].Name != "Mairi Dunn" {
		t.Errorf("ferry post: %+v", ferry)
	}
	if li := ferry.LeadImage; li == nil || !strings.HasPrefix(li.URL, "/media/") || li.Credit != "Ailsa Rendall" ||
		li.Alt != "A white ferry leaving a stone pier" || li.Caption != "The Skerrow Lass leaves Kelby for the first time since December." {
		t.Errorf("featured image → lead image: %+v", ferry.LeadImage)
	}
	// The picture's library entry keeps the attachment's text: caption
	// (the excerpt), alt, credit (image_meta) and description (the content).
	if rec, err := ta.store.ImportedItem(ctx, site, "attachment", "101"); err != nil {
		t.Errorf("ledger of attachment 101: %v", err)
	} else if m, err := ta.store.MediaByID(ctx, rec.LocalID); err != nil || m.Description != "The MV Skerrow Lass at Kelby pier on the first crossing after the winter lay-up." ||
		m.Credit != "Ailsa Rendall" || m.Alt != "A white ferry leaving a stone pier" || m.Caption != "The Skerrow Lass leaves Kelby for the first time since December." {
		t.Errorf("library entry of attachment 101: %+v %v", m, err)
	}
	if len(ferry.LegalMarks) != 1 || ferry.LegalMarks[0].Entity != "Skell Islanders Trust" || strings.Count(ferry.BodyHTML, "Trust*") != 1 || strings.Contains(ferry.BodyHTML, "Trust*\u00a0*") || strings.Contains(ferry.BodyHTML, "**") {
		t.Errorf("hand-typed mark: marks %+v in %s", ferry.LegalMarks, ferry.BodyHTML)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(ferry.BodyHTML))
	must(t, err)
	for sel, n := range map[string]int{
		"figure img[src^='/media/']": 1, "figure:not(.embed) figcaption": 1, "blockquote p.attribution": 1, "ul li": 2, "table th": 2,
		"hr": 1, "h2": 1, "a[href='https://www.youtube.com/watch?v=skerrow01']": 1, "a[href='/2024/03/10/council-meets/']": 1, "pre code": 1,
		"figure.embed.embed-youtube > a.embed-card[href='https://www.youtube.com/watch?v=skerrow01'] .embed-provider": 1,
	} {
		if got := doc.Find(sel).Length(); got != n {
			t.Errorf("ferry body: %d × %s, want %d", got, sel, n)
		}
	}
	if got := doc.Find("figure:not(.embed) figcaption").Text(); got != "First sailing of the year. Photo: Ailsa Rendall" {
		t.Errorf("inline picture caption %q", got)
	}
	if got := doc.Find("figure.embed-youtube figcaption").Text(); got != "The crossing, filmed from the bridge" {
		t.Errorf("embed caption %q", got)
	}
	if got := doc.Find("blockquote p.attribution").Text(); got != "— Morag Flett, Skell shopkeeper" {
		t.Errorf("quote attribution %q", got)
	}
	for _, a := range bySlug {
		if strings.Contains(a.BodyHTML, "<!-- wp:") || strings.Contains(a.BodyHTML, `class="wp-`) || strings.Contains(a.BodyHTML, "wp-block") {
			t.Errorf("%s keeps WordPress markup: %s", a.Slug, a.BodyHTML)
		}
	}
	pier := bySlug["why-the-old-pier-matters"]
	if pier.URL != "/opinion/why-the-old-pier-matters" || pier.CommentsOpen || len(pier.Authors) != 2 ||
		pier.Authors[0].Name != "Tom Reid" || pier.Authors[1].Name != "Ishbel Mackay" ||
		!strings.Contains(pier.BodyHTML, "<figcaption>The old pier in 1998, before the rebuild</figcaption>") ||
		!strings.Contains(pier.BodyHTML, "nobody expected it to last thirty years.<br>") ||
		!strings.Contains(pier.BodyHTML, `href="https://vimeo.com/76979871"`) || !strings.Contains(pier.BodyHTML, "£400,000. That") {
		t.Errorf("classic post: %+v\n%s", pier, pier.BodyHTML)
	}
	for slug, st := range map[string]newsroom.Status{"storm-notes": newsroom.Draft, "summer-timetable-announced": newsroom.Scheduled,
		"gull-numbers-fall": newsroom.Review, "staff-rota": newsroom.Unpublished} {
		if bySlug[slug].Status != st {
			t.Errorf("%s: status %q, want %q", slug, bySlug[slug].Status, st)
		}
	}
	if s := bySlug["summer-timetable-announced"].ScheduledAt; s == nil || !s.Equal(time.Date(2035, 6, 1, 7, 0, 0, 0, time.UTC)) {
		t.Errorf("future post scheduled at %v, want 2035-06-01 07:00 UTC (post_date_gmt)", s)
	}
	if bySlug["council-meets"].URL == bySlug["council-meets-2"].URL {
		t.Error("the two council posts share a URL")
	}

	// Sections with their tree and descriptions, author profiles.
	skell, err := ta.store.CategoryBySlug(ctx, "skell")
	must(t, err)
	harbour, err := ta.store.CategoryBySlug(ctx, "harbour")
	must(t, err)
	islands, err := ta.store.CategoryBySlug(ctx, "islands")
	must(t, err)
	if skell.ParentID != harbour.ID || harbour.ParentID != islands.ID || islands.ParentID != 0 ||
		harbour.Name != "Harbour & Ferries" || harbour.Description != "Boats, piers and the people who run them" {
		t.Errorf("sections: skell %+v harbour %+v islands %+v", skell, harbour, islands)
	}
	ishbel, err := ta.store.AuthorBySlug(ctx, "ishbel-mackay")
	must(t, err)
	if ishbel.Name != "Ishbel Mackay" || ishbel.Bio != "Crofter on Skell and occasional columnist." || ishbel.UserID != 0 {
		t.Errorf("guest author: %+v", ishbel)
	}

	// Comments: threads, every status, dates, staff; e-mails only for moderators.
	var cl struct{ Comments []api.CommentJSON }
	doJSON(t, ta.srv, "GET", fmt.Sprintf("/api/v1/comments?article=%d", ferry.ID), editor, "").decode(t, &cl)
	byName := map[string][]api.CommentJSON{}
	statuses := map[newsroom.CommentStatus]int{}
	for _, c := range cl.Comments {
		byName[c.Name] = append(byName[c.Name], c)
		statuses[c.Status]++
	}
	if statuses[newsroom.CommentApproved] != 3 || statuses[newsroom.CommentPending] != 1 || statuses[newsroom.CommentSpam] != 1 || statuses[newsroom.CommentTrash] != 1 {
		t.Errorf("comment statuses %v", statuses)
	}
	staff := byName["Mairi Dunn"]
	if len(staff) != 1 || !staff[0].Staff || staff[0].Depth != 1 || staff[0].ParentID == nil {
		t.Errorf("staff reply: %+v", staff)
	}
	for _, c := range byName["Peigi Sinclair"] {
		if c.Depth == 2 && (!c.CreatedAt.Equal(time.Date(2024, 3, 14, 12, 0, 0, 0, time.UTC)) || c.Body != "Good to know, thank you.\n\nWe will aim for Friday." || c.Email != "peigi@example.net") {
			t.Errorf("reply to the reply: %+v", c)
		}
		if c.Depth == 0 && (c.Website != "https://peigi.example" || c.Body != "At last! My mother has been waiting to visit since Christmas.") {
			t.Errorf("first comment: %+v", c)
		}
	}

	// A date the export gives only in local time (comment_date_gmt
	// 0000-00-00) takes the old site's offset on that day, which the
	// export's own dates show: +01:00 in May 2019 (the post beside it),
	// though the export's first dates are +00:00.
	birds := bySlug["birds-of-the-north-shore"]
	var bl struct{ Comments []api.CommentJSON }
	doJSON(t, ta.srv, "GET", fmt.Sprintf("/api/v1/comments?article=%d", birds.ID), editor, "").decode(t, &bl)
	if len(bl.Comments) != 1 || !bl.Comments[0].CreatedAt.Equal(time.Date(2019, 5, 4, 19, 15, 0, 0, time.UTC)) {
		t.Errorf("local-time comment: %+v, want 2019-05-04 19:15 UTC", bl.Comments)
	}

	// The public pages.
	code, page, html := getWPPage(t, ta.srv, ferry.URL)
	// Files that are not pictures are kept and served as they came; the
	// body plays the recording from our copy and links to our PDF.
	for name, typ := range map[string]string{"2024/03/timetable.pdf": "application/pdf", "2024/03/harbour-report.mp3": "audio/mpeg"} {
		res, err := ta.srv.Client().Get(ta.srv.URL + "/media/files/" + name)
		must(t, err)
		var got bytes.Buffer
		got.ReadFrom(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != typ || res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET /media/files/%s: %d %q", name, res.StatusCode, res.Header.Get("Content-Type"))
		}
		if !fetch && !bytes.Equal(got.Bytes(), uploadedFile(t, source[1], name)) {
			t.Errorf("/media/files/%s differs from the old site's file", name)
		}
	}
	if player := page.Find(".body figure.embed-audio audio[controls][preload='none'][src='/media/files/2024/03/harbour-report.mp3']"); player.Length() != 1 ||
		page.Find(".body figure.embed-audio figcaption").Text() != "The harbour master’s report" {
		t.Errorf("the recording's player: %d", player.Length())
	}
	if page.Find(".body a[href='/media/files/2024/03/timetable.pdf']").Text() != "full timetable" {
		t.Error("the body's link to the PDF does not lead to our copy")
	}

	// The embed is our embed: a card linking to the video, nothing loaded
	// from YouTube until the reader clicks it.
	if card := page.Find(".body figure.embed-youtube a.embed-card"); card.Length() != 1 || card.Find(".embed-provider").Text() != "YouTube" ||
		card.AttrOr("href", "") != "https://www.youtube.com/watch?v=skerrow01" || strings.Contains(html, "<iframe") ||
		page.Find("script[src]").FilterFunction(func(_ int, s *goquery.Selection) bool { return !strings.HasPrefix(s.AttrOr("src", ""), "/") }).Length() != 0 {
		t.Errorf("embed on the article page: %d cards; iframe in page: %v", card.Length(), strings.Contains(html, "<iframe"))
	}
	if res, err := ta.srv.Client().Get(ta.srv.URL + pier.URL); err != nil {
		t.Fatal(err)
	} else {
		res.Body.Close()
		if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-src https://www.youtube-nocookie.com https://player.vimeo.com;") || !strings.Contains(csp, "default-src 'self'") {
			t.Errorf("article CSP %q: frames only from the two players", csp)
		}
	}
	if _, pierPage, _ := getWPPage(t, ta.srv, pier.URL); pierPage.Find(".body figure.embed-vimeo a.embed-card[href='https://vimeo.com/76979871']").Length() != 1 {
		t.Errorf("[embed] shortcode: no Vimeo card on the page")
	}
	if code != 200 || page.Find("figure figcaption").Length() < 1 || strings.Contains(html, "wp-block") || strings.Contains(html, "<!-- wp:") || strings.Contains(html, `class="wp-`) ||
		strings.Contains(html, "peigi@example.net") || page.Find(".comment").Length() != 3 || page.Find(".by-staff .staff-badge").Length() != 1 {
		t.Errorf("article page: %d, %d comments shown, %d staff", code, page.Find(".comment").Length(), page.Find(".by-staff .staff-badge").Length())
	}
	if res, err := ta.srv.Client().Get(ta.srv.URL + ferry.LeadImage.URL); err != nil || res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/jpeg" {
		t.Errorf("lead image %s: %v %v", ferry.LeadImage.URL, err, res)
	}
	_, home, _ := getWPPage(t, ta.srv, "/")
	if got := strings.TrimSpace(home.Find(".lead-title").Text()); got != "Ferry service returns to Skell" {
		t.Errorf("home lead %q, want the sticky post", got)
	}
	if home.Find("a[href='/about-us/']").Length() == 0 {
		t.Error("the footer menu lacks About us (it was in the old site's menu)")
	}
	for path, want := range map[string]int{"/about-us/": 200, "/about-us/team/": 200, "/corrections-policy/": 404, "/skell/": 200} {
		if code, _, _ := getWPPage(t, ta.srv, path); code != want {
			t.Errorf("GET %s: %d, want %d", path, code, want)
		}
	}

	// Every old link answers 301 to its page (or is served at its path).
	media := ferry.LeadImage.URL[:strings.LastIndex(ferry.LeadImage.URL, "-")]
	old := map[string]string{
		"/2024/03/14/ferry-service-returns/":                ferry.URL,
		"/2024/03/14/ferry-service-returns":                 ferry.URL,
		"/?p=10":                                            ferry.URL,
		"/?p=10&utm_source=x":                               ferry.URL,
		"/archives/10":                                      ferry.URL,
		"/2024/03/14/ferries-back/":                         ferry.URL,
		"/2024/03/14/ferry-service-returns/feed/":           fmt.Sprintf("/comments/feed/%d", ferry.ID),
		"/2019/03/02/why-the-old-pier-matters/":             pier.URL,
		"/category/islands/harbour/":                        "/harbour/",
		"/category/islands/harbour/skell/":                  "/skell/",
		"/category/harbour/":                                "/harbour/",
		"/category/islands/feed/":                           "/feeds/section/islands/rss.xml",
		"/?cat=3":                                           "/harbour/",
		"/tag/ferries/":                                     "/tag/ferries",
		"/tag/ferries/feed/":                                "/feeds/tag/ferries/rss.xml",
		"/author/mairi/":                                    "/author/mairi",
		"/author/tom.reid/":                                 "/author/tom-reid",
		"/author/tom.reid/feed/":                            "/feeds/author/tom-reid/rss.xml",
		"/2024/":                                            "/search?from=2024-01-01&to=2024-12-31",
		"/2024/03/":                                         "/search?from=2024-03-01&to=2024-03-31",
		"/2024/03/14/":                                      "/search?from=2024-03-14&to=2024-03-14",
		"/feed/":                                            "/feed.xml",
		"/feed/atom/":                                       "/atom.xml",
		"/comments/feed/":                                   "/comments/feed",
		"/2024/03/14/ferry-service-returns/ferry/":          media,
		"/?attachment_id=102":                               "/media/",
		"/wp-content/uploads/2024/03/ferry.jpg":             media,
		"/wp-content/uploads/2024/03/ferry-1024x683.jpg":    media,
		"/wp-content/uploads/2019/03/pier-640x427.jpg":      "/media/",
		"/?page_id=31":                                      "/about-us/team/",
		"/harbour/ferry-service-returns/":                   ferry.URL,
		"/about-us":                                         "/about-us/",
		"/2024/03/17/council-meets-2/":                      bySlug["council-meets-2"].URL,
		"/wp-content/uploads/2024/03/timetable.pdf":         "/media/files/2024/03/timetable.pdf",
		"/?attachment_id=104":                               "/media/files/2024/03/timetable.pdf",
		"/wp-content/uploads/2024/03/harbour-report.mp3":    "/media/files/2024/03/harbour-report.mp3",
		"/2024/03/14/ferry-service-returns/harbour-report/": "/media/files/2024/03/harbour-report.mp3",
	}
	client := noRedirects(ta.srv)
	for from, to := range old {
		res, err := client.Get(ta.srv.URL + from)
		must(t, err)
		res.Body.Close()
		loc := res.Header.Get("Location")
		if res.StatusCode != http.StatusMovedPermanently || !strings.HasPrefix(loc, to) {
			t.Errorf("GET %s: %d → %q, want 301 → %s", from, res.StatusCode, loc, to)
			continue
		}
		if res, err := srv(ta).Get(ta.srv.URL + loc); err != nil || res.StatusCode != 200 {
			t.Errorf("GET %s → %s: %v %v, want 200", from, loc, err, res.Status)
		} else {
			res.Body.Close()
		}
	}

	// Date archives lead to the stories of that period, newest first.
	for _, period := range []struct{ from, day string }{{"/2024/03/14/", "2024-03-14"}, {"/2024/03/", "2024-03"}, {"/2024/", "2024"}} {
		var in []api.ArticleJSON
		for _, a := range list.Articles {
			if a.Status == newsroom.Published && a.PublishedAt != nil && strings.HasPrefix(a.PublishedAt.UTC().Format(time.DateOnly), period.day) {
				in = append(in, a)
			}
		}
		sort.Slice(in, func(i, j int) bool { return in[i].PublishedAt.After(*in[j].PublishedAt) })
		var want []string
		for _, a := range in {
			want = append(want, a.Headline)
		}
		res, err := client.Get(ta.srv.URL + period.from)
		must(t, err)
		res.Body.Close()
		code, doc, _ := getWPPage(t, ta.srv, res.Header.Get("Location"))
		var got []string
		doc.Find(".results .result-title").Each(func(_ int, s *goquery.Selection) { got = append(got, strings.TrimSpace(s.Text())) })
		if code != 200 || len(want) == 0 || strings.Join(got, "|") != strings.Join(want, "|") || !strings.HasPrefix(doc.Find("h1").Text(), "Stories") {
			t.Errorf("%s → %s: %d, h1 %q, stories %q, want %q (newest first)", period.from, res.Header.Get("Location"), code, doc.Find("h1").Text(), got, want)
		}
	}

	// A second run of the same export adds nothing.
	out, err = importCLI(t, ta, append([]string{file}, source...)...)
	must(t, err)
	for _, want := range []string{"posts          0 imported       0 updated       9 unchanged", "pages          0 imported       0 updated       3 unchanged",
		"comments       0 imported       0 updated       7 unchanged", "images         0 imported       0 updated       2 unchanged",
		"files          0 imported       0 updated       2 unchanged",
		"sections       0 imported       0 updated       4 unchanged", "redirects      0 old links added"} {
		if !strings.Contains(out, want) {
			t.Errorf("second run lacks %q:\n%s", want, out)
		}
	}
	if a, c, r := counts(); a != articles || c != comments || r != redirects {
		t.Errorf("second run: %d/%d/%d articles/comments/redirects, first %d/%d/%d", a, c, r, articles, comments, redirects)
	}

	// A later export of the same site: one post edited, one comment more.
	later := bytes.Replace(fixture, []byte("Notes for the storm piece."), []byte("Notes for the storm piece, with the council's reply."), 1)
	later = bytes.Replace(later, []byte("\t\t<wp:comment>\n\t\t\t<wp:comment_id>201</wp:comment_id>"),
		[]byte("\t\t<wp:comment>\n\t\t\t<wp:comment_id>299</wp:comment_id>\n\t\t\t<wp:comment_author><![CDATA[Ruaridh]]></wp:comment_author>\n\t\t\t<wp:comment_date_gmt><![CDATA[2024-04-01 09:00:00]]></wp:comment_date_gmt>\n\t\t\t<wp:comment_content><![CDATA[See you on the boat.]]></wp:comment_content>\n\t\t\t<wp:comment_approved><![CDATA[1]]></wp:comment_approved>\n\t\t\t<wp:comment_parent>201</wp:comment_parent>\n\t\t</wp:comment>\n\t\t<wp:comment>\n\t\t\t<wp:comment_id>201</wp:comment_id>"), 1)
	laterFile := filepath.Join(dir, "skerrowcourier.wordpress.2024-04-10.000.xml")
	must(t, os.WriteFile(laterFile, later, 0o644))
	out, err = importCLI(t, ta, append([]string{laterFile}, source...)...)
	must(t, err)
	for _, want := range []string{"posts          0 imported       1 updated       8 unchanged", "comments       1 imported       0 updated       7 unchanged"} {
		if !strings.Contains(out, want) {
			t.Errorf("later export lacks %q:\n%s", want, out)
		}
	}
	if a, c, _ := counts(); a != articles || c != comments+1 {
		t.Errorf("later export: %d articles, %d comments; want %d, %d", a, c, articles, comments+1)
	}
}

// srv returns a client that follows redirects (the default).
func srv(ta *testApp) *http.Client { return ta.srv.Client() }

// TestImportWordPressFetch downloads the pictures from a local server
// standing in for the old site: a file that fails twice is tried again, a
// missing one is reported and the import goes on, and a host other than
// the export's own is refused until --fetch-host names it.
func TestImportWordPressFetch(t *testing.T) {
	ta := newTestApp(t, "", false)
	uploads := writeUploads(t)
	var ferryTries int
	var mu sync.Mutex
	files := http.StripPrefix("/wp-content/uploads/", http.FileServer(http.Dir(uploads)))
	old := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/ferry.jpg") {
			mu.Lock()
			ferryTries++
			n := ferryTries
			mu.Unlock()
			if n <= 2 {
				http.Error(w, "busy", http.StatusServiceUnavailable)
				return
			}
		}
		files.ServeHTTP(w, r)
	}))
	defer old.Close()
	fixture, err := os.ReadFile(wxrFixture)
	must(t, err)
	fixture = bytes.ReplaceAll(fixture, []byte("https://skerrowcourier.example"), []byte(old.URL))
	// The pier picture lives on another name of the server: a CDN host.
	other := strings.Replace(old.URL, "127.0.0.1", "localhost", 1)
	fixture = bytes.ReplaceAll(fixture, []byte(old.URL+"/wp-content/uploads/2019/03/pier.jpg"), []byte(other+"/wp-content/uploads/2019/03/pier.jpg"))
	file := filepath.Join(t.TempDir(), "export.xml")
	must(t, os.WriteFile(file, fixture, 0o644))

	out, err := importCLI(t, ta, file, "--fetch")
	must(t, err)
	for _, want := range []string{
		"images         1 imported       0 updated       0 unchanged       0 skipped       2 failed", "files          2 imported",
		"attachment 102 “pier”", "is on localhost, not on the old site; add --fetch-host localhost",
		"attachment 103 “lost”", "file not found on the old site", "404 Not Found",
		"posts          9 imported",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	if ferryTries != 3 {
		t.Errorf("the ferry picture was asked for %d times, want 3 (two 503s, then the file)", ferryTries)
	}
	out, err = importCLI(t, ta, file, "--fetch", "--fetch-host", "localhost")
	must(t, err)
	if !strings.Contains(out, "images         1 imported       0 updated       1 unchanged       0 skipped       1 failed") {
		t.Errorf("with --fetch-host the pier picture comes too:\n%s", out)
	}
	// The posts that show it are updated to show it from the library.
	if !strings.Contains(out, "posts          0 imported       2 updated       7 unchanged") { // the pier post and the gallery
		t.Errorf("the posts showing the late picture are not updated:\n%s", out)
	}
	a, err := ta.store.ArticleBySlug(context.Background(), "why-the-old-pier-matters")
	must(t, err)
	if !strings.Contains(a.BodyHTML, `<figure><img src="/media/`) {
		t.Errorf("the pier picture is not served by us: %s", a.BodyHTML)
	}
}
