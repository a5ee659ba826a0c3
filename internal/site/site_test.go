package site

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"newsdesk/internal/clocktest"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/render"
	"newsdesk/internal/sqlstore"
	"newsdesk/internal/views"
)

// fixture is a real SQLite store with a few sections, authors and tags, and
// the site's handler on top of it.
type fixture struct {
	t     *testing.T
	st    *sqlstore.Store
	clock *clocktest.Clock
	srv   *Server
	h     http.Handler
	media string
	views *views.Counter // share clicks
	// languageProbes counts the store's PublicLanguages queries.
	languageProbes atomic.Int64
}

var start = time.Date(2021, 10, 7, 9, 12, 0, 0, time.UTC)

func newFixture(t *testing.T, lang string) *fixture {
	t.Helper()
	ctx := context.Background()
	c := clocktest.New(start)
	dir := t.TempDir()
	f := &fixture{t: t, clock: c, media: filepath.Join(dir, "media")}
	// The site hears the store's changes as in newsdesk serve (which
	// languages are published), and the probes for them are counted.
	st, err := sqlstore.Open(ctx, filepath.Join(dir, "t.db"), sqlstore.Options{Now: c.Now,
		Notifier: newsroom.NotifierFunc(func(ctx context.Context, ch newsroom.Change) {
			if f.srv != nil {
				f.srv.Changed(ctx, ch)
			}
		}),
		Observe: func(_, _, query string, _ time.Duration) {
			if strings.Contains(query, "WHERE language = $1 AND status = $2") {
				f.languageProbes.Add(1)
			}
		}})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	f.st = st
	if err := os.MkdirAll(filepath.Join(f.media, "demo"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, cat := range []newsroom.Category{
		{Slug: "world", Name: "World", Position: 1, Description: "Reports from abroad."},
		{Slug: "coast", Name: "Coast", Position: 2},
		{Slug: "sport", Name: "Sport", Position: 3},
	} {
		if err := st.CreateCategory(ctx, &cat); err != nil {
			t.Fatalf("create category: %v", err)
		}
	}
	world, _ := st.CategoryBySlug(ctx, "world")
	child := newsroom.Category{Slug: "harbours", Name: "Harbours", ParentID: world.ID, Position: 1}
	if err := st.CreateCategory(ctx, &child); err != nil {
		t.Fatalf("create child category: %v", err)
	}
	for _, a := range []newsroom.Author{
		{Slug: "ada-brenn", Name: "Ada Brenn", Label: newsroom.LabelOwnCorr, Bio: "Covers the northern ports from Varde."},
		{Slug: "coastwire", Name: "CoastWire", Label: newsroom.LabelAgency},
	} {
		if err := st.CreateAuthor(ctx, &a); err != nil {
			t.Fatalf("create author: %v", err)
		}
	}
	if _, err := st.EnsureTag(ctx, "ferries", "Ferries"); err != nil {
		t.Fatal(err)
	}
	f.views = views.New(views.Config{Store: st, Now: c.Now, Announce: st.Announce})
	srv, err := New(Config{
		Store: st, Language: lang, SiteName: "The Test Courier", Tagline: "Tested daily",
		MediaDir: f.media, Now: c.Now, BaseURL: "https://news.example", Shares: f.views,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), HearsChanges: true,
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	f.srv, f.h = srv, srv.Handler()
	return f
}

// mustCreateArticle stores a published article in section "world" by Ada
// Brenn, an hour before now, after applying mods.
func (f *fixture) mustCreateArticle(slug string, mods ...func(a *newsroom.Article)) *newsroom.Article {
	f.t.Helper()
	a := &newsroom.Article{
		Slug:         slug,
		Status:       newsroom.Published,
		Headline:     "Ferry line to Varde \"resumes\" after storm " + slug,
		Standfirst:   "The harbour master says crossings run to the winter timetable.",
		Body:         "The first boat left at dawn.\n\n> We will keep the timetable as long as the weather lets us.\n>\n> — Ines Marr, harbour master\n\nTickets bought for cancelled days stay valid.",
		Language:     "en",
		PublishedAt:  f.clock.At(-time.Hour),
		Authors:      []newsroom.Byline{{Slug: "ada-brenn", Label: newsroom.LabelOwnCorr}},
		Categories:   []newsroom.Category{{Slug: "world"}},
		CommentsOpen: true,
	}
	for _, m := range mods {
		m(a)
	}
	if err := render.New().Article(a); err != nil {
		f.t.Fatalf("render: %v", err)
	}
	if err := f.st.CreateArticle(context.Background(), a); err != nil {
		f.t.Fatalf("create article %s: %v", slug, err)
	}
	return a
}

func withImage(a *newsroom.Article) {
	a.LeadImage = &newsroom.Image{
		URL: "/media/demo/ferry-960.jpg", Alt: "A ferry at the Varde quay", Caption: "The ferry at Varde quay",
		Credit: "Oskar Lind", SourceName: "CoastWire", SourceURL: "https://coastwire.example/photo/1",
		Width: 960, Height: 640, Srcset: "/media/demo/ferry-480.jpg 480w, /media/demo/ferry-960.jpg 960w",
	}
}

// get runs a GET and returns the response.
func (f *fixture) get(path string) *http.Response {
	f.t.Helper()
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Result()
}

// page GETs path, wants status, and parses the HTML.
func (f *fixture) page(path string, want int) *goquery.Document {
	f.t.Helper()
	res := f.get(path)
	defer res.Body.Close()
	if res.StatusCode != want {
		f.t.Fatalf("GET %s: status %d, want %d", path, res.StatusCode, want)
	}
	doc, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		f.t.Fatalf("GET %s: parse: %v", path, err)
	}
	return doc
}

func text(s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text()), " ") }

// wantOne fails unless sel matches exactly n elements in doc.
func wantCount(t *testing.T, doc *goquery.Document, sel string, n int) *goquery.Selection {
	t.Helper()
	s := doc.Find(sel)
	if s.Length() != n {
		t.Errorf("%q: %d elements, want %d", sel, s.Length(), n)
	}
	return s
}

func TestHome(t *testing.T) {
	f := newFixture(t, "en")
	f.mustCreateArticle("older-with-image", withImage, func(a *newsroom.Article) { a.PublishedAt = f.clock.At(-5 * time.Hour) })
	f.mustCreateArticle("newest-no-image", func(a *newsroom.Article) { a.PublishedAt = f.clock.At(-time.Minute) })
	f.mustCreateArticle("sport-story", withImage, func(a *newsroom.Article) {
		a.Categories = []newsroom.Category{{Slug: "sport"}}
		a.PublishedAt = f.clock.At(-10 * time.Hour)
		a.CommentCount = 3
	})
	f.mustCreateArticle("draft-story", withImage, func(a *newsroom.Article) { a.Status = newsroom.Draft; a.PublishedAt = time.Time{} })

	doc := f.page("/", http.StatusOK)
	lead := wantCount(t, doc, ".lead .lead-title a", 1)
	if href, _ := lead.Attr("href"); href != "/world/older-with-image" {
		t.Errorf("lead links to %q, want the newest article with an image", href)
	}
	if img := doc.Find(".lead img"); img.AttrOr("loading", "") == "lazy" || img.AttrOr("width", "") != "960" || img.AttrOr("srcset", "") == "" || img.AttrOr("sizes", "") == "" {
		t.Errorf("lead image: loading=%q width=%q srcset=%q", img.AttrOr("loading", ""), img.AttrOr("width", ""), img.AttrOr("srcset", ""))
	}
	stream := doc.Find(".latest .stream .item-title a")
	if stream.Length() != 2 || stream.First().AttrOr("href", "") != "/world/newest-no-image" {
		t.Errorf("stream: %d items, first %q", stream.Length(), stream.First().AttrOr("href", ""))
	}
	if doc.Find(`a[href="/world/draft-story"]`).Length() != 0 {
		t.Error("home links to a draft")
	}
	blocks := doc.Find("section.block")
	if blocks.Length() != 2 {
		t.Errorf("%d section blocks, want 2 (world, sport)", blocks.Length())
	}
	sport := doc.Find(`section.block:has(h2 a[href="/sport/"]) .card`)
	if sport.Length() != 1 {
		t.Fatalf("sport block: %d cards", sport.Length())
	}
	if got := text(sport.Find(".meta a")); got != "3 comments" {
		t.Errorf("card comment count %q", got)
	}
	if sport.Find("img").AttrOr("loading", "") != "lazy" {
		t.Error("section card image should load lazily")
	}
	if got := text(sport.Find(".kicker a")); got != "Sport" {
		t.Errorf("card section label %q", got)
	}
	if got := text(doc.Find("h1.brand")); got != "The Test Courier" {
		t.Errorf("masthead %q", got)
	}
	if got := doc.Find(".tagline time").AttrOr("datetime", ""); !strings.HasPrefix(got, "2021-10-07") {
		t.Errorf("masthead date %q", got)
	}
	nav := doc.Find(`nav.sections a`)
	if nav.Length() != 4 { // home + three top-level sections; no child sections
		t.Errorf("nav has %d links, want 4", nav.Length())
	}
	wantCount(t, doc, `form[role=search][action="/search"] input[name=q]#search-q`, 1)
	wantCount(t, doc, `label[for=search-q]`, 1)
	wantCount(t, doc, `a.skip[href="#main"]`, 1)
	wantCount(t, doc, `main#main`, 1)
	css := doc.Find(`link[rel=stylesheet]`).AttrOr("href", "")
	res := f.get(css)
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") {
		t.Errorf("GET %s: %d %q %q", css, res.StatusCode, res.Header.Get("Cache-Control"), res.Header.Get("Content-Type"))
	}
}

func TestArticlePage(t *testing.T) {
	f := newFixture(t, "en")
	a := f.mustCreateArticle("ferries-resume", withImage, func(a *newsroom.Article) {
		a.Authors = append(a.Authors, newsroom.Byline{Slug: "coastwire", Label: newsroom.LabelAgency})
		a.Categories = append(a.Categories, newsroom.Category{Slug: "coast"})
		a.Tags = []newsroom.Tag{{Slug: "ferries"}}
		a.Sources = []newsroom.Source{{Name: "Varde Harbour Office", URL: "https://harbour.example/notice"}, {Name: "Radio Skerrow"}}
		a.PublishedAt = time.Date(2021, 10, 7, 9, 12, 0, 0, time.UTC)
	})
	ctx := context.Background()
	f.clock.Set(time.Date(2021, 10, 8, 11, 40, 0, 0, time.UTC))
	if err := f.st.AddCorrection(ctx, &newsroom.Correction{ArticleID: a.ID, Kind: newsroom.KindCorrection, Text: "The quay is in Varde, not Lund.", At: f.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := f.st.AddShares(ctx, map[newsroom.ShareKey]int{{ArticleID: a.ID, Network: "telegram"}: 1}); err != nil {
		t.Fatal(err)
	}

	doc := f.page("/world/ferries-resume", http.StatusOK)
	if got := doc.Find("html").AttrOr("lang", ""); got != "en" {
		t.Errorf("html lang %q", got)
	}
	story := wantCount(t, doc, "main article.story", 1)
	if got := story.Find("header .kicker a").AttrOr("href", ""); got != "/world/" {
		t.Errorf("kicker links to %q", got)
	}
	h1 := wantCount(t, doc, "article.story header h1", 1)
	if got := text(h1); got != "Ferry line to Varde “resumes” after storm ferries-resume" {
		t.Errorf("h1 %q", got)
	}
	if got := text(story.Find("header .standfirst")); !strings.HasPrefix(got, "The harbour master says") {
		t.Errorf("standfirst %q", got)
	}
	author := story.Find(".byline .author").First()
	if author.Find("a").AttrOr("href", "") != "/author/ada-brenn" || text(author.Find(".role")) != "Own correspondent" {
		t.Errorf("byline %q -> %q", text(author), author.Find("a").AttrOr("href", ""))
	}
	if got := text(story.Find(".byline .author").Eq(1).Find(".role")); got != "News agency" {
		t.Errorf("second byline label %q", got)
	}
	times := story.Find(".dateline time")
	if times.Length() != 2 {
		t.Fatalf("dateline has %d times, want published and updated", times.Length())
	}
	if got := times.First().AttrOr("datetime", ""); got != "2021-10-07T09:12:00Z" {
		t.Errorf("datetime %q", got)
	}
	if got := text(times.First()); got != "Oct 7, 2021, 09:12" {
		t.Errorf("dateline %q", got)
	}
	if got := text(times.Eq(1)); got != "updated Oct 8, 2021, 11:40" {
		t.Errorf("updated %q", got)
	}
	fig := wantCount(t, doc, "article.story figure.lead-figure", 1)
	if img := fig.Find("img"); img.AttrOr("alt", "") != "A ferry at the Varde quay" || img.AttrOr("height", "") != "640" || img.AttrOr("srcset", "") == "" {
		t.Errorf("lead img alt=%q height=%q", img.AttrOr("alt", ""), img.AttrOr("height", ""))
	}
	if got := text(fig.Find("figcaption")); got != "Photo: The ferry at Varde quay, Oskar Lind, source – CoastWire" {
		t.Errorf("figcaption %q", got)
	}
	if got := fig.Find("figcaption a").AttrOr("href", ""); got != "https://coastwire.example/photo/1" {
		t.Errorf("photo source link %q", got)
	}
	bq := wantCount(t, doc, ".body blockquote", 1)
	if got := text(bq.Find("p.attribution")); got != "— Ines Marr, harbour master" {
		t.Errorf("attribution %q", got)
	}
	src := doc.Find(".sources li")
	if src.Length() != 2 || src.First().Find("a").AttrOr("rel", "") != "noopener" || src.Eq(1).Find("a").Length() != 0 {
		t.Errorf("sources: %d, first rel %q", src.Length(), src.First().Find("a").AttrOr("rel", ""))
	}
	if got := text(doc.Find(".corrections .correction")); got != "Correction, 8 October 2021: The quay is in Varde, not Lund." {
		t.Errorf("correction %q", got)
	}
	wantCount(t, doc, `.story-foot .terms a[href="/world/"]`, 1)
	wantCount(t, doc, `.story-foot .terms a[href="/coast/"]`, 1)
	wantCount(t, doc, `.story-foot .terms a[href="/tag/ferries"][rel=tag]`, 1)
	forms := wantCount(t, doc, ".share form", len(newsroom.Networks))
	tg := doc.Find(fmt.Sprintf(`.share form[action="/share/%d/telegram"][method=post][target=_blank]`, a.ID))
	if got := text(tg.Find(".count")); got != "1" {
		t.Errorf("telegram count %q", got)
	}
	if got := text(doc.Find(".share-total")); got != "1 share" {
		t.Errorf("share total %q", got)
	}
	_ = forms
	hint := wantCount(t, doc, "#error-hint", 1)
	if got := text(hint); !strings.Contains(got, "Select it and press Ctrl+Enter") {
		t.Errorf("error hint %q", got)
	}
	if got := hint.Find("a").AttrOr("href", ""); got != fmt.Sprintf("/report-error?article=%d", a.ID) {
		t.Errorf("report link %q", got)
	}
	comments := wantCount(t, doc, "section#comments", 1)
	if got := text(comments.Find("h2")); got != "Leave a Reply 0 comments" {
		t.Errorf("comments heading %q", got)
	}
	if comments.Find(".closed").Length() != 0 {
		t.Error("comments are open but the page says closed")
	}
	if got := doc.Find(`link[rel=canonical]`).AttrOr("href", ""); got != "https://news.example/world/ferries-resume" {
		t.Errorf("canonical %q", got)
	}
	ids := map[string]bool{}
	doc.Find("[id]").Each(func(_ int, s *goquery.Selection) {
		id := s.AttrOr("id", "")
		if ids[id] {
			t.Errorf("duplicate id %q", id)
		}
		ids[id] = true
	})
}

func TestArticleSameDayUpdateAndClosedComments(t *testing.T) {
	f := newFixture(t, "en")
	a := f.mustCreateArticle("closed", func(a *newsroom.Article) {
		a.CommentsOpen = false
		a.PublishedAt = time.Date(2021, 10, 7, 8, 0, 0, 0, time.UTC)
	})
	f.clock.Set(time.Date(2021, 10, 7, 11, 40, 0, 0, time.UTC))
	if err := f.st.AddCorrection(context.Background(), &newsroom.Correction{ArticleID: a.ID, Kind: newsroom.KindUpdate, Text: "Later boats added.", At: f.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	doc := f.page(a.URL(), http.StatusOK)
	if got := text(doc.Find(".dateline time.updated")); got != "updated 11:40" {
		t.Errorf("same-day update %q", got)
	}
	if got := text(doc.Find("#comments .closed")); got != "Comments are closed." {
		t.Errorf("closed note %q", got)
	}
	if doc.Find("figure").Length() != 0 {
		t.Error("figure without a lead image")
	}
}

func TestShare(t *testing.T) {
	f := newFixture(t, "en")
	a := f.mustCreateArticle("share-me")
	draft := f.mustCreateArticle("draft", func(a *newsroom.Article) { a.Status = newsroom.Draft; a.PublishedAt = time.Time{} })
	post := func(path string) *http.Response {
		rec := httptest.NewRecorder()
		f.h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, path, nil))
		return rec.Result()
	}
	res := post(fmt.Sprintf("/share/%d/telegram", a.ID))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("share: status %d", res.StatusCode)
	}
	loc, err := url.Parse(res.Header.Get("Location"))
	if err != nil || loc.Host != "t.me" || loc.Query().Get("url") != "https://news.example/world/share-me" || !strings.HasPrefix(loc.Query().Get("text"), "Ferry line") {
		t.Errorf("share redirect %q", res.Header.Get("Location"))
	}
	res = post(fmt.Sprintf("/share/%d/email", a.ID))
	if got := res.Header.Get("Location"); !strings.HasPrefix(got, "mailto:?subject=Ferry%20line") {
		t.Errorf("email redirect %q", got)
	}
	post(fmt.Sprintf("/share/%d/telegram", a.ID))
	if err := f.views.Flush(context.Background()); err != nil { // clicks are written in batches
		t.Fatal(err)
	}
	doc := f.page(a.URL(), http.StatusOK)
	if got := text(doc.Find(fmt.Sprintf(`form[action="/share/%d/telegram"] .count`, a.ID))); got != "2" {
		t.Errorf("telegram count after two shares %q", got)
	}
	if got := text(doc.Find(".share-total")); got != "3 shares" {
		t.Errorf("total %q", got)
	}
	for _, path := range []string{
		fmt.Sprintf("/share/%d/myspace", a.ID),
		fmt.Sprintf("/share/%d/x", draft.ID),
		"/share/999/x",
		"/share/abc/x",
	} {
		if res := post(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("POST %s: status %d, want 404", path, res.StatusCode)
		}
	}
	if res := f.get(fmt.Sprintf("/share/%d/x", a.ID)); res.StatusCode != http.StatusNotFound {
		t.Errorf("GET share: status %d, want 404", res.StatusCode)
	}
}

func TestArchives(t *testing.T) {
	f := newFixture(t, "en")
	for i := range 23 {
		f.mustCreateArticle(fmt.Sprintf("story-%02d", i), func(a *newsroom.Article) {
			a.PublishedAt = f.clock.At(-time.Duration(100-i) * time.Minute)
			if i%2 == 0 {
				a.Categories = []newsroom.Category{{Slug: "harbours"}}
				a.Tags = []newsroom.Tag{{Slug: "ferries"}}
			}
		})
	}
	doc := f.page("/world/", http.StatusOK)
	if got := text(doc.Find("h1")); got != "World" {
		t.Errorf("section h1 %q", got)
	}
	cards := wantCount(t, doc, ".list-grid .card", 20)
	if got := cards.First().Find("h3 a").AttrOr("href", ""); got != "/harbours/story-22" {
		t.Errorf("first card %q, want newest (a child section's story included)", got)
	}
	wantCount(t, doc, `nav.children a[href="/harbours/"]`, 1)
	// All 23 stories are of one day: the older page is the rest of it.
	wantCount(t, doc, `nav.pager a[rel=next][href="/world/?until=2021-10-07&skip=20"]`, 1)
	wantCount(t, doc, `nav.pager a[rel=prev]`, 0)

	doc = f.page("/world/?until=2021-10-07&skip=20", http.StatusOK)
	wantCount(t, doc, ".list-grid .card", 3)
	wantCount(t, doc, `nav.pager a[rel=prev][href="/world/?until=2021-10-07"]`, 1)
	wantCount(t, doc, `nav.pager a[rel=next]`, 0)
	if got := doc.Find("title").Text(); !strings.HasPrefix(got, "World, to 7 October 2021") && !strings.HasPrefix(got, "World, to") {
		t.Errorf("title %q", got)
	}
	// The numbered pages printed before are still served.
	doc = f.page("/world/?page=2", http.StatusOK)
	wantCount(t, doc, ".list-grid .card", 3)
	wantCount(t, doc, `nav.pager a[rel=prev][href="/world/"]`, 1)
	if got := doc.Find("title").Text(); !strings.HasPrefix(got, "World, page 2") {
		t.Errorf("title %q", got)
	}
	for _, p := range []string{"/world/?page=3", "/world/?page=0", "/world/?page=-1", "/world/?page=two", "/nowhere/",
		"/world/?until=2021-10-07&skip=40", "/world/?until=2021-10-07&skip=7", "/world/?until=yesterday", "/world/?until=2021-10-06"} {
		f.page(p, http.StatusNotFound)
	}

	doc = f.page("/harbours/", http.StatusOK)
	wantCount(t, doc, ".list-grid .card", 12)
	wantCount(t, doc, `.archive-head .kicker a[href="/world/"]`, 1)

	doc = f.page("/tag/ferries", http.StatusOK)
	wantCount(t, doc, ".list-grid .card", 12)
	if got := text(doc.Find("h1")); got != "Ferries" {
		t.Errorf("tag h1 %q", got)
	}
	f.page("/tag/ferries?page=2", http.StatusNotFound)
	f.page("/tag/nothing", http.StatusNotFound)

	doc = f.page("/author/ada-brenn", http.StatusOK)
	if got := text(doc.Find(".intro")); got != "Covers the northern ports from Varde." {
		t.Errorf("bio %q", got)
	}
	if got := text(doc.Find(".author-card .role")); got != "Own correspondent" {
		t.Errorf("author label %q", got)
	}
	wantCount(t, doc, ".list-grid .card", 20)
	wantCount(t, doc, `a[rel=next][href="/author/ada-brenn?until=2021-10-07&skip=20"]`, 1)
	f.page("/author/ada-brenn?page=2", http.StatusOK)
	f.page("/author/ada-brenn?page=3", http.StatusNotFound)
	f.page("/author/nobody", http.StatusNotFound)

	// An empty section still has a first page.
	doc = f.page("/sport/", http.StatusOK)
	wantCount(t, doc, ".empty", 1)
}

func TestRedirects(t *testing.T) {
	f := newFixture(t, "en")
	a := f.mustCreateArticle("old-slug")
	ctx := context.Background()
	res := f.get("/coast/old-slug")
	if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/world/old-slug" {
		t.Errorf("wrong section: %d -> %q", res.StatusCode, res.Header.Get("Location"))
	}
	cur, err := f.st.ArticleByID(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	cur.Slug = "new-slug"
	if err := f.st.UpdateArticle(ctx, cur, cur.Revision); err != nil {
		t.Fatal(err)
	}
	res = f.get("/world/old-slug")
	if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/world/new-slug" {
		t.Errorf("old path: %d -> %q", res.StatusCode, res.Header.Get("Location"))
	}
	f.page("/world/new-slug", http.StatusOK)
	res = f.get("/world")
	if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/world/" {
		t.Errorf("/world: %d -> %q", res.StatusCode, res.Header.Get("Location"))
	}
}

func TestNotFound(t *testing.T) {
	f := newFixture(t, "en")
	f.mustCreateArticle("draft", func(a *newsroom.Article) { a.Status = newsroom.Draft; a.PublishedAt = time.Time{} })
	future := f.mustCreateArticle("future", func(a *newsroom.Article) { a.PublishedAt = f.clock.At(time.Hour) })
	for _, p := range []string{"/world/draft", "/world/future", "/no/such/page", "/world/nothing", "/assets/site.css", "/media/demo", "/media/demo/", "/tag/"} {
		doc := f.page(p, http.StatusNotFound)
		if got := text(doc.Find("main h1")); got != "Page not found" {
			t.Errorf("%s: h1 %q", p, got)
		}
		wantCount(t, doc, `main a[href="/"]`, 1)
		wantCount(t, doc, `meta[name=robots][content=noindex]`, 1)
	}
	f.clock.Add(2 * time.Hour)
	f.page(future.URL(), http.StatusOK)
}

func TestRenderError(t *testing.T) {
	f := newFixture(t, "en")
	tests := []struct {
		err  error
		want int
	}{
		{newsroom.Errorf(newsroom.NotFound, "", "x"), 404},
		// Invalid naming a field is 422 on every surface (the site said 400).
		{newsroom.Errorf(newsroom.Invalid, "q", "query is odd"), 422},
		{newsroom.Errorf(newsroom.Invalid, "", "the request is odd"), 400},
		{newsroom.Errorf(newsroom.TooLarge, "", "x"), 413},
		{newsroom.Errorf(newsroom.RateLimited, "", "x"), 429},
		{newsroom.Errorf(newsroom.Forbidden, "", "x"), 403},
		{newsroom.Errorf(newsroom.Unauthorized, "", "x"), 401},
		{newsroom.Errorf(newsroom.Conflict, "", "x"), 409},
		{fmt.Errorf("db on fire: %w", io.ErrUnexpectedEOF), 500},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		f.srv.RenderError(rec, httptest.NewRequest(http.MethodGet, "/x", nil), tt.err)
		if rec.Code != tt.want {
			t.Errorf("%v: status %d, want %d", tt.err, rec.Code, tt.want)
		}
		doc, _ := goquery.NewDocumentFromReader(rec.Body)
		if doc.Find("main h1").Length() != 1 {
			t.Errorf("%v: no heading", tt.err)
		}
		if strings.Contains(doc.Text(), "db on fire") {
			t.Error("internal error detail shown to the reader")
		}
	}
}

func TestFiles(t *testing.T) {
	f := newFixture(t, "en")
	if err := os.WriteFile(filepath.Join(f.media, "demo", "a.txt"), []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	res := f.get("/media/demo/a.txt")
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || string(body) != "hello" || !strings.Contains(res.Header.Get("Cache-Control"), "max-age=") {
		t.Errorf("media: %d %q %q", res.StatusCode, body, res.Header.Get("Cache-Control"))
	}
	res = f.get("/robots.txt")
	body, _ = io.ReadAll(res.Body)
	for _, want := range []string{"Disallow: /desk/", "Disallow: /api/", "Sitemap: https://news.example/sitemap.xml"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("robots.txt lacks %q:\n%s", want, body)
		}
	}
	entries, err := fs.ReadDir(assetFS, "assets")
	if err != nil || len(entries) == 0 {
		t.Fatalf("no embedded assets: %v", err)
	}
	for _, e := range entries {
		name := e.Name()
		p, ok := f.srv.assets.URL(name)
		if !ok {
			t.Errorf("asset %s has no fingerprinted URL", name)
			continue
		}
		res := f.get(p)
		if res.StatusCode != 200 || res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
			t.Errorf("%s at %s: %d %q", name, p, res.StatusCode, res.Header.Get("Cache-Control"))
		}
	}
}

func TestRussian(t *testing.T) {
	f := newFixture(t, "ru")
	a := f.mustCreateArticle("parom", withImage, func(a *newsroom.Article) {
		a.Headline = "Паром до Варде снова ходит"
		a.Standfirst = "Капитан порта говорит, что рейсы идут по зимнему расписанию."
		a.Language = "ru"
		a.CommentCount = 5
		a.PublishedAt = time.Date(2021, 10, 7, 8, 5, 0, 0, time.UTC)
	})
	doc := f.page(a.URL(), http.StatusOK)
	if got := doc.Find("html").AttrOr("lang", ""); got != "ru" {
		t.Errorf("lang %q", got)
	}
	if got := text(doc.Find(".dateline time").First()); got != "7 октября 2021, 08:05" {
		t.Errorf("dateline %q", got)
	}
	if got := text(doc.Find(".byline .role").First()); got != "Собственный корреспондент" {
		t.Errorf("label %q", got)
	}
	if got := text(doc.Find("#comments h2")); got != "Оставить комментарий 5 комментариев" {
		t.Errorf("comments heading %q", got)
	}
	if got := text(doc.Find("figcaption")); !strings.HasPrefix(got, "Фото: ") || !strings.Contains(got, "источник – CoastWire") {
		t.Errorf("caption %q", got)
	}
	if got := text(doc.Find("#error-hint")); !strings.HasPrefix(got, "Заметили ошибку?") {
		t.Errorf("hint %q", got)
	}
	doc = f.page("/missing", http.StatusNotFound)
	if got := text(doc.Find("main h1")); got != "Страница не найдена" {
		t.Errorf("404 %q", got)
	}
}

// TestEnglishArticleOnRussianSite: on a site whose default language is
// Russian, an English story lives in the English edition under /en/, with
// English chrome; its plain path leads there.
func TestEnglishArticleOnRussianSite(t *testing.T) {
	f := newFixture(t, "ru")
	a := f.mustCreateArticle("english")
	res := f.get(a.URL())
	if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/en"+a.URL() {
		t.Errorf("GET %s: %d to %q; want 301 to /en%s", a.URL(), res.StatusCode, res.Header.Get("Location"), a.URL())
	}
	doc := f.page("/en"+a.URL(), http.StatusOK)
	if got := doc.Find("html").AttrOr("lang", ""); got != "en" {
		t.Errorf("html lang %q", got)
	}
	if got := doc.Find("header.masthead").AttrOr("lang", ""); got != "" {
		t.Errorf("masthead lang %q; want none (the chrome is the page's language)", got)
	}
	if got := text(doc.Find(".byline .role").First()); got != "Own correspondent" {
		t.Errorf("label %q", got)
	}
}
