package site

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/render"
	"newsdesk/internal/sqlstore"
)

// maxArticlePageQueries is the most database calls a never-viewed article
// page may make (a ceiling against regressions): the article, its
// relations (authors, sections, tags, shares, corrections, legal
// exclusions and translations in one query), the related stories (weighed
// from the tags and sections the article already has) and theirs.
// Navigation, settings and Most read come from memory (memo.go; the block
// is loaded apart, mostread.go). It was 18, then 13 before the relations
// came in one query. Counted through a real SQLite store's observer, not
// a mock.
const maxArticlePageQueries = 4

func TestArticlePageQueryCount(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	var counting bool
	var queries []string
	obs := func(pool, kind, query string, d time.Duration) {
		mu.Lock()
		defer mu.Unlock()
		if counting && (kind == "query" || kind == "exec") {
			queries = append(queries, query)
		}
	}
	// The site hears every change, as newsdesk serve wires it.
	var site atomic.Pointer[Server]
	hear := newsroom.NotifierFunc(func(ctx context.Context, c newsroom.Change) {
		if s := site.Load(); s != nil {
			s.Changed(ctx, c)
		}
	})
	st, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "q.db"), sqlstore.Options{Now: func() time.Time { return now }, Observe: obs, Notifier: hear})
	must(t, err)
	t.Cleanup(func() { st.Close() })
	c := newsroom.Category{Slug: "coast", Name: "Coast", Position: 1}
	must(t, st.CreateCategory(ctx, &c))
	au := newsroom.Author{Slug: "ada-brenn", Name: "Ada Brenn", Label: newsroom.LabelStaff}
	must(t, st.CreateAuthor(ctx, &au))
	var tags []newsroom.Tag
	for i := range 3 {
		tg, err := st.EnsureTag(ctx, fmt.Sprintf("tag-%d", i), fmt.Sprintf("Tag %d", i))
		must(t, err)
		tags = append(tags, *tg)
	}
	var paths []string
	for i := range 40 {
		a := &newsroom.Article{Slug: fmt.Sprintf("story-%d", i), Headline: fmt.Sprintf("Ferry line %d resumes", i),
			Standfirst: "Crossings run to the winter timetable.", Body: "The first boat left at dawn.",
			Status: newsroom.Published, Language: "en", CommentsOpen: true, PublishedAt: now.Add(-time.Duration(40-i) * time.Hour),
			Authors:    []newsroom.Byline{{AuthorID: au.ID}},
			Categories: []newsroom.Category{{ID: c.ID}},
			Tags:       []newsroom.Tag{{ID: tags[i%3].ID}, {ID: tags[(i+1)%3].ID}},
			LeadImage:  &newsroom.Image{URL: "/media/demo/ferry-960.jpg", Alt: "A ferry", Width: 960, Height: 640}}
		must(t, render.New().Article(a))
		must(t, st.CreateArticle(ctx, a))
		paths = append(paths, a.URL())
	}
	srv, err := New(Config{Store: st, Language: "en", SiteName: "The Count Courier", Now: func() time.Time { return now },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), HearsChanges: true})
	must(t, err)
	site.Store(srv)
	h := srv.Handler()
	get := func(path string) {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		if w.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, w.Code)
		}
	}
	// Each kind of page is asked once before it is counted (the
	// process's first page warms statement caches and templates, a list's
	// first page the store's note of how dense the list is), then a page
	// of that kind nobody asked for.
	count := func(warm, path string) []string {
		get(warm)
		mu.Lock()
		counting, queries = true, nil
		mu.Unlock()
		get(path)
		mu.Lock()
		defer mu.Unlock()
		counting = false
		return queries
	}
	for _, p := range []struct {
		what, warm, path string
		max              int
	}{
		{"article", paths[0], paths[20], maxArticlePageQueries},
		// The stream and every section's block in one query, the
		// relations of the stories shown (not of all read) in another.
		{"home", "/", "/", 2},
		// The section from memory, its page and the page's relations.
		{"section", "/coast/", "/coast/", 2},
		// The tag, whether it is dense (kept a minute per list: a
		// never-viewed tag is also a list not asked about), its page and
		// the page's relations.
		{"tag", "/tag/tag-1", "/tag/tag-2", 4},
		{"author", "/author/ada-brenn", "/author/ada-brenn", 3},
	} {
		queries := count(p.warm, p.path)
		t.Logf("%s page %s: %d database calls", p.what, p.path, len(queries))
		if len(queries) > p.max {
			for i, q := range queries {
				t.Logf("%2d %.120s", i+1, q)
			}
			t.Errorf("a never-viewed %s page made %d database calls, want at most %d", p.what, len(queries), p.max)
		}
	}
}
