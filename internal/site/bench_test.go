package site

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/render"
	"newsdesk/internal/sqlstore"
)

// benchSite is a SQLite store with a newsroom-sized corpus behind the
// site's real handler, for the render-path benchmarks (no page cache: the
// cache sits outside the site). NEWSDESK_BENCH_ARTICLES sets the corpus
// size (default 5,000).
type benchSite struct {
	h       http.Handler
	article string // path of an article in the middle of the corpus
	section string
}

func newBenchSite(b *testing.B) *benchSite {
	b.Helper()
	n := 5000
	if v, err := strconv.Atoi(os.Getenv("NEWSDESK_BENCH_ARTICLES")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	st, err := sqlstore.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), sqlstore.Options{Now: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	var top []newsroom.Category
	for i, name := range []string{"World", "Region", "Politics", "Economy", "Science", "Culture", "Sport", "Opinion"} {
		c := newsroom.Category{Slug: strings.ToLower(name), Name: name, Position: i + 1, Description: name + " news."}
		must(b, st.CreateCategory(ctx, &c))
		top = append(top, c)
	}
	cats := append([]newsroom.Category{}, top...)
	for i, name := range []string{"Harbours", "Islands"} {
		c := newsroom.Category{Slug: strings.ToLower(name), Name: name, ParentID: top[1].ID, Position: i}
		must(b, st.CreateCategory(ctx, &c))
		cats = append(cats, c)
	}
	var authors []newsroom.Author
	for i := range 20 {
		a := newsroom.Author{Slug: fmt.Sprintf("author-%d", i), Name: fmt.Sprintf("Author Number%d", i), Label: newsroom.LabelStaff}
		must(b, st.CreateAuthor(ctx, &a))
		authors = append(authors, a)
	}
	var tags []newsroom.Tag
	for i := range 50 {
		t, err := st.EnsureTag(ctx, fmt.Sprintf("tag-%d", i), fmt.Sprintf("Tag %d", i))
		must(b, err)
		tags = append(tags, *t)
	}
	model := &newsroom.Article{
		Standfirst: "The harbour master says crossings run to the winter timetable, and the council agrees.",
		Body: strings.Repeat("The first boat left at dawn, and the quay was full of people who had waited "+
			"three days for the crossing. Tickets bought for cancelled days stay valid.\n\n", 12) +
			"> We will keep the timetable as long as the weather lets us.\n>\n> — Ines Marr, harbour master\n",
	}
	model.Headline = "x"
	must(b, render.New().Article(model))
	var mid string
	for i := range n {
		a := *model
		a.Slug = fmt.Sprintf("story-%d", i)
		a.Headline = fmt.Sprintf("Ferry line %d resumes after the storm", i)
		a.HeadlineHTML = render.Inline(a.Headline)
		a.Status, a.Language, a.CommentsOpen = newsroom.Published, "en", true
		a.PublishedAt = now.Add(-time.Duration(n-i) * 30 * time.Minute)
		a.Authors = []newsroom.Byline{{AuthorID: authors[i%len(authors)].ID}}
		a.Categories = []newsroom.Category{{ID: cats[i%len(cats)].ID}}
		a.Tags = []newsroom.Tag{{ID: tags[i%len(tags)].ID}, {ID: tags[(i*7+3)%len(tags)].ID}}
		a.LeadImage = &newsroom.Image{URL: "/media/demo/ferry-960.jpg", Alt: "A ferry", Caption: "The ferry",
			Credit: "Oskar Lind", Width: 960, Height: 640,
			Srcset: "/media/demo/ferry-480.jpg 480w, /media/demo/ferry-960.jpg 960w"}
		must(b, st.CreateArticle(ctx, &a))
		if i == n/2 {
			mid = a.URL()
		}
	}
	srv, err := New(Config{Store: st, Language: "en", SiteName: "The Bench Courier", Tagline: "Measured daily",
		Now: func() time.Time { return now }, BaseURL: "https://news.example",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	must(b, err)
	return &benchSite{h: srv.Handler(), article: mid, section: "/region/"}
}

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

// discard is a ResponseWriter that keeps nothing but the status.
type discard struct {
	h      http.Header
	status int
	n      int
}

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) WriteHeader(code int)        { d.status = code }
func (d *discard) Write(p []byte) (int, error) { d.n += len(p); return len(p), nil }

func benchPath(b *testing.B, h http.Handler, path string) {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	w := &discard{h: http.Header{}}
	h.ServeHTTP(w, req)
	if w.status != http.StatusOK {
		b.Fatalf("GET %s: %d", path, w.status)
	}
	b.SetBytes(int64(w.n))
	b.ReportAllocs()
	for b.Loop() {
		w := &discard{h: http.Header{}}
		h.ServeHTTP(w, req)
	}
}

// BenchmarkArticlePage renders one article page from the database, as a
// cache miss does.
func BenchmarkArticlePage(b *testing.B) {
	s := newBenchSite(b)
	benchPath(b, s.h, s.article)
}

// BenchmarkHomePage renders the home page from the database.
func BenchmarkHomePage(b *testing.B) {
	s := newBenchSite(b)
	benchPath(b, s.h, "/")
}

// BenchmarkSectionPage renders a section's first page (with its child
// sections' articles).
func BenchmarkSectionPage(b *testing.B) {
	s := newBenchSite(b)
	benchPath(b, s.h, s.section)
}
