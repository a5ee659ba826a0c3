package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"newsdesk/internal/newsroom"
)

// Run runs the conformance suite against stores made by open. open must
// return a fresh, empty store for every call and close it when t ends. The
// store's clock should be near real time and must not stand still.
func Run(t *testing.T, open func(t *testing.T) newsroom.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, st newsroom.Store)
	}{
		{"CreateAndRead", testCreateAndRead},
		{"CreateDefaults", testCreateDefaults},
		{"CreateRejects", testCreateRejects},
		{"NotFound", testNotFound},
		{"Update", testUpdate},
		{"UpdateStaleRevision", testUpdateStaleRevision},
		{"UpdateConcurrent", testUpdateConcurrent},
		{"OldPaths", testOldPaths},
		{"Revisions", testRevisions},
		{"Corrections", testCorrections},
		{"FindFilters", testFindFilters},
		{"FindPublicAt", testFindPublicAt},
		{"FindPagination", testFindPagination},
		{"FindQuery", testFindQuery},
		{"Shares", testShares},
		{"Taxonomy", testTaxonomy},
		{"Users", testUsers},
		{"Tokens", testTokens},
		{"Settings", testSettings},
		{"ConcurrentWriters", testConcurrentWriters},
		{"Desk", testDesk},
		{"Discovery", testDiscovery},
		{"Comments", testComments},
		{"ErrorReports", testErrorReports},
		{"MediaAndTaxonomy", testMediaAndTaxonomy},
	}
	tests = append(tests, legalTests()...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fn(t, open(t))
		})
	}
}

var ctx = context.Background()

// fixture is a small newsroom: World with its child Europe, Sport, two
// authors and a tag.
type fixture struct {
	world, europe, sport newsroom.Category
	mira, agency         newsroom.Author
	harbour              newsroom.Tag
}

func newFixture(t *testing.T, st newsroom.Store) *fixture {
	t.Helper()
	f := &fixture{}
	f.world = mustCreateCategory(t, st, newsroom.Category{Slug: "world", Name: "World", Position: 1})
	f.europe = mustCreateCategory(t, st, newsroom.Category{Slug: "europe", Name: "Europe", ParentID: f.world.ID, Position: 2})
	f.sport = mustCreateCategory(t, st, newsroom.Category{Slug: "sport", Name: "Sport", Position: 3})
	f.mira = mustCreateAuthor(t, st, newsroom.Author{Slug: "mira-kask", Name: "Mira Kask", Label: newsroom.LabelOwnCorr})
	f.agency = mustCreateAuthor(t, st, newsroom.Author{Slug: "coast-wire", Name: "Coast Wire", Label: newsroom.LabelAgency})
	tag, err := st.EnsureTag(ctx, "harbour", "Harbour")
	if err != nil {
		t.Fatalf("EnsureTag: %v", err)
	}
	f.harbour = *tag
	return f
}

func mustCreateCategory(t *testing.T, st newsroom.Store, c newsroom.Category) newsroom.Category {
	t.Helper()
	if err := st.CreateCategory(ctx, &c); err != nil {
		t.Fatalf("CreateCategory(%q): %v", c.Slug, err)
	}
	if c.ID == 0 {
		t.Fatalf("CreateCategory(%q) left ID zero", c.Slug)
	}
	return c
}

func mustCreateAuthor(t *testing.T, st newsroom.Store, a newsroom.Author) newsroom.Author {
	t.Helper()
	if err := st.CreateAuthor(ctx, &a); err != nil {
		t.Fatalf("CreateAuthor(%q): %v", a.Slug, err)
	}
	return a
}

// mustCreateArticle stores a and returns it as the store left it.
func mustCreateArticle(t *testing.T, st newsroom.Store, a *newsroom.Article) *newsroom.Article {
	t.Helper()
	if err := st.CreateArticle(ctx, a); err != nil {
		t.Fatalf("CreateArticle(%q): %v", a.Headline, err)
	}
	return a
}

func mustGet(t *testing.T, st newsroom.Store, id int64) *newsroom.Article {
	t.Helper()
	a, err := st.ArticleByID(ctx, id)
	if err != nil {
		t.Fatalf("ArticleByID(%d): %v", id, err)
	}
	return a
}

func mustUpdate(t *testing.T, st newsroom.Store, a *newsroom.Article) {
	t.Helper()
	if err := st.UpdateArticle(ctx, a, a.Revision); err != nil {
		t.Fatalf("UpdateArticle(%d, rev %d): %v", a.ID, a.Revision, err)
	}
}

// draft returns a minimal draft in section c.
func draft(headline string, c newsroom.Category) *newsroom.Article {
	return &newsroom.Article{
		Headline:   headline,
		Body:       "Text of " + headline + ".",
		BodyHTML:   "<p>Text of " + headline + ".</p>",
		Categories: []newsroom.Category{{ID: c.ID}},
	}
}

// published returns a published article in section c, public since at.
func published(headline string, c newsroom.Category, at time.Time) *newsroom.Article {
	a := draft(headline, c)
	a.Status = newsroom.Published
	a.PublishedAt = at
	return a
}

func wantCode(t *testing.T, what string, err error, code newsroom.Code, field string) {
	t.Helper()
	e := newsroom.AsError(err)
	if e == nil {
		t.Errorf("%s: error = %v; want a newsroom error %s", what, err, code)
		return
	}
	if e.Code != code || (field != "" && e.Field != field) {
		t.Errorf("%s: error = %s/%s (%v); want %s/%s", what, e.Code, e.Field, err, code, field)
	}
}

func ids(list []*newsroom.Article) []int64 {
	out := []int64{}
	for _, a := range list {
		out = append(out, a.ID)
	}
	return out
}

func find(t *testing.T, st newsroom.Store, f newsroom.ArticleFilter) ([]*newsroom.Article, int) {
	t.Helper()
	list, total, err := st.FindArticles(ctx, f)
	if err != nil {
		t.Fatalf("FindArticles(%+v): %v", f, err)
	}
	return list, total
}

// sameTime compares times by instant.
var sameTime = cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })

var articleOpts = []cmp.Option{sameTime, cmpopts.EquateEmpty()}

func testCreateAndRead(t *testing.T, st newsroom.Store) {
	f := newFixture(t, st)
	pub := time.Date(2026, 10, 7, 8, 30, 15, 123456000, time.UTC)
	a := &newsroom.Article{
		Slug:           "ferry-strike-ends",
		Status:         newsroom.Published,
		Headline:       "Ferry strike ends after nine days",
		Standfirst:     "Crews return to the island route on Monday.",
		Body:           "The **union** said ...",
		BodyHTML:       "<p>The <strong>union</strong> said ...</p>",
		HeadlineHTML:   "Ferry strike ends after nine days",
		StandfirstHTML: "Crews return to the island route on Monday.",
		Language:       "en",
		PublishedAt:    pub,
		Authors: []newsroom.Byline{
			{AuthorID: f.mira.ID, Label: newsroom.LabelStaff},
			{AuthorID: f.agency.ID}, // default label
		},
		Categories:   []newsroom.Category{{ID: f.europe.ID}, {ID: f.world.ID}},
		Tags:         []newsroom.Tag{{ID: f.harbour.ID}},
		LeadImage:    &newsroom.Image{URL: "/media/ferry.jpg", Caption: "The ferry at dawn", Credit: "Ann Lepp", SourceName: "Harbour Archive", SourceURL: "https://example.org/archive", Alt: "A white ferry", Width: 1200, Height: 800},
		Sources:      []newsroom.Source{{Name: "Coast Radio", URL: "https://example.org/radio"}},
		CommentsOpen: true,
		LegalMarks:   []newsroom.LegalMark{{Entity: "Example Front", Marker: "*", Where: "body"}},
	}
	before := time.Now().Add(-time.Minute)
	mustCreateArticle(t, st, a)
	if a.ID == 0 || a.Revision != 1 {
		t.Errorf("after create: ID %d, Revision %d; want ID set, Revision 1", a.ID, a.Revision)
	}
	if a.CreatedAt.IsZero() || !a.CreatedAt.Equal(a.UpdatedAt) || a.CreatedAt.Before(before) {
		t.Errorf("after create: CreatedAt %v, UpdatedAt %v; want equal, near now", a.CreatedAt, a.UpdatedAt)
	}
	if !a.PublishedAt.Equal(pub) {
		t.Errorf("PublishedAt = %v; want %v", a.PublishedAt, pub)
	}
	wantAuthors := []newsroom.Byline{
		{AuthorID: f.mira.ID, Name: "Mira Kask", Slug: "mira-kask", Label: newsroom.LabelStaff},
		{AuthorID: f.agency.ID, Name: "Coast Wire", Slug: "coast-wire", Label: newsroom.LabelAgency},
	}
	if diff := cmp.Diff(wantAuthors, a.Authors); diff != "" {
		t.Errorf("Authors after create (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]newsroom.Category{f.europe, f.world}, a.Categories); diff != "" {
		t.Errorf("Categories after create, in given order (-want +got):\n%s", diff)
	}
	if got, want := a.URL(), "/europe/ferry-strike-ends"; got != want {
		t.Errorf("URL() = %q; want %q", got, want)
	}

	got := mustGet(t, st, a.ID)
	if diff := cmp.Diff(a, got, articleOpts...); diff != "" {
		t.Errorf("ArticleByID (-created +read):\n%s", diff)
	}
	if got.CreatedAt.Location() != time.UTC {
		t.Errorf("CreatedAt location = %v; want UTC", got.CreatedAt.Location())
	}
	bySlug, err := st.ArticleBySlug(ctx, "ferry-strike-ends")
	if err != nil {
		t.Fatalf("ArticleBySlug: %v", err)
	}
	if diff := cmp.Diff(got, bySlug, articleOpts...); diff != "" {
		t.Errorf("ArticleBySlug differs from ArticleByID (-id +slug):\n%s", diff)
	}

	list, total := find(t, st, newsroom.ArticleFilter{})
	if total != 1 || len(list) != 1 {
		t.Fatalf("FindArticles: %d of %d; want 1 of 1", len(list), total)
	}
	l := list[0]
	if diff := cmp.Diff(a, l, append(articleOpts, cmpopts.IgnoreFields(newsroom.Article{}, "Body", "BodyHTML", "ShareCounts", "Corrections"))...); diff != "" {
		t.Errorf("listing (-created +listed):\n%s", diff)
	}
}

func testCreateDefaults(t *testing.T, st newsroom.Store) {
	f := newFixture(t, st)
	a := mustCreateArticle(t, st, &newsroom.Article{Headline: "  Lighthouse keeper retires  ", Categories: []newsroom.Category{{Slug: "sport"}}, Tags: []newsroom.Tag{{Slug: "harbour"}}, Authors: []newsroom.Byline{{Slug: "mira-kask"}}})
	got := mustGet(t, st, a.ID)
	if got.Slug != "lighthouse-keeper-retires" || got.Status != newsroom.Draft || got.Language != "en" || got.Headline != "Lighthouse keeper retires" {
		t.Errorf("defaults: slug %q, status %q, language %q, headline %q", got.Slug, got.Status, got.Language, got.Headline)
	}
	if !got.PublishedAt.IsZero() || !got.EditedAt.IsZero() || !got.ScheduledAt.IsZero() {
		t.Errorf("draft times: published %v, edited %v, scheduled %v; want zero", got.PublishedAt, got.EditedAt, got.ScheduledAt)
	}
	if len(got.Categories) != 1 || got.Categories[0].ID != f.sport.ID || len(got.Tags) != 1 || got.Tags[0].ID != f.harbour.ID || len(got.Authors) != 1 || got.Authors[0].AuthorID != f.mira.ID {
		t.Errorf("relations by slug: %+v %+v %+v", got.Categories, got.Tags, got.Authors)
	}
	if got.Authors[0].Label != newsroom.LabelOwnCorr {
		t.Errorf("byline label = %q; want the author's default %q", got.Authors[0].Label, newsroom.LabelOwnCorr)
	}
	if got.LeadImage != nil || got.Sources != nil || got.Corrections != nil {
		t.Errorf("empty fields: lead %v, sources %v, corrections %v; want nil", got.LeadImage, got.Sources, got.Corrections)
	}
	if len(got.ShareCounts) != 0 {
		t.Errorf("ShareCounts = %v; want empty", got.ShareCounts)
	}

	// Published without a time: now.
	p := mustCreateArticle(t, st, &newsroom.Article{Headline: "Storm warning", Status: newsroom.Published})
	if p.PublishedAt.IsZero() || !p.PublishedAt.Equal(p.CreatedAt) {
		t.Errorf("published without time: PublishedAt %v, CreatedAt %v; want equal", p.PublishedAt, p.CreatedAt)
	}
	if p.URL() != "/news/storm-warning" {
		t.Errorf("URL without category = %q", p.URL())
	}
}

func testCreateRejects(t *testing.T, st newsroom.Store) {
	f := newFixture(t, st)
	mustCreateArticle(t, st, draft("Taken", f.world))
	tests := []struct {
		name  string
		a     *newsroom.Article
		code  newsroom.Code
		field string
	}{
		{"no headline", &newsroom.Article{Slug: "x"}, newsroom.Invalid, "headline"},
		{"bad slug", &newsroom.Article{Headline: "H", Slug: "Not A Slug"}, newsroom.Invalid, "slug"},
		{"taken slug", &newsroom.Article{Headline: "Another", Slug: "taken"}, newsroom.Conflict, "slug"},
		{"unknown author", &newsroom.Article{Headline: "A1", Authors: []newsroom.Byline{{AuthorID: 9999}}}, newsroom.Invalid, "authors"},
		{"unknown author slug", &newsroom.Article{Headline: "A2", Authors: []newsroom.Byline{{Slug: "nobody"}}}, newsroom.Invalid, "authors"},
		{"author twice", &newsroom.Article{Headline: "A3", Authors: []newsroom.Byline{{AuthorID: f.mira.ID}, {AuthorID: f.mira.ID}}}, newsroom.Invalid, "authors"},
		{"unknown category", &newsroom.Article{Headline: "C1", Categories: []newsroom.Category{{ID: 9999}}}, newsroom.Invalid, "categories"},
		{"unknown category slug", &newsroom.Article{Headline: "C2", Categories: []newsroom.Category{{Slug: "nowhere"}}}, newsroom.Invalid, "categories"},
		{"unknown tag", &newsroom.Article{Headline: "T1", Tags: []newsroom.Tag{{ID: 9999}}}, newsroom.Invalid, "tags"},
		{"unknown tag slug", &newsroom.Article{Headline: "T2", Tags: []newsroom.Tag{{Slug: "nothing"}}}, newsroom.Invalid, "tags"},
		{"scheduled without time", &newsroom.Article{Headline: "S", Status: newsroom.Scheduled}, newsroom.Invalid, "scheduled_at"},
		{"body too large", &newsroom.Article{Headline: "B", Body: string(make([]byte, newsroom.MaxBody+1))}, newsroom.TooLarge, "body"},
	}
	for _, tt := range tests {
		err := st.CreateArticle(ctx, tt.a)
		wantCode(t, tt.name, err, tt.code, tt.field)
		if tt.a.ID != 0 {
			t.Errorf("%s: failed create left ID %d", tt.name, tt.a.ID)
		}
	}
	if _, total := find(t, st, newsroom.ArticleFilter{}); total != 1 {
		t.Errorf("after rejected creates: %d articles; want 1", total)
	}
}

func testNotFound(t *testing.T, st newsroom.Store) {
	checks := map[string]func() error{
		"ArticleByID":        func() error { _, err := st.ArticleByID(ctx, 4242); return err },
		"ArticleBySlug":      func() error { _, err := st.ArticleBySlug(ctx, "no-such-story"); return err },
		"ArticleIDByOldPath": func() error { _, err := st.ArticleIDByOldPath(ctx, "/world/old"); return err },
		"UpdateArticle": func() error {
			return st.UpdateArticle(ctx, &newsroom.Article{ID: 4242, Headline: "Ghost"}, 1)
		},
		"AddCorrection": func() error {
			return st.AddCorrection(ctx, &newsroom.Correction{ArticleID: 4242, Kind: newsroom.KindUpdate, Text: "x"})
		},
		"Revisions":      func() error { _, err := st.Revisions(ctx, 4242); return err },
		"CountShare":     func() error { return st.CountShare(ctx, 4242, "x") },
		"CategoryBySlug": func() error { _, err := st.CategoryBySlug(ctx, "nowhere"); return err },
		"TagBySlug":      func() error { _, err := st.TagBySlug(ctx, "nothing"); return err },
		"AuthorBySlug":   func() error { _, err := st.AuthorBySlug(ctx, "nobody"); return err },
		"AuthorByID":     func() error { _, err := st.AuthorByID(ctx, 4242); return err },
		"UserByID":       func() error { _, err := st.UserByID(ctx, 4242); return err },
		"UserByEmail":    func() error { _, err := st.UserByEmail(ctx, "nobody@example.org"); return err },
		"CreateToken":    func() error { return st.CreateToken(ctx, 4242, "hash") },
	}
	for name, fn := range checks {
		wantCode(t, name, fn(), newsroom.NotFound, "")
	}
}

func testUpdate(t *testing.T, st newsroom.Store) {
	f := newFixture(t, st)
	a := mustCreateArticle(t, st, draft("Harbour fees rise", f.world))
	created := *a
	time.Sleep(2 * time.Millisecond)

	a.Headline = "Harbour fees rise by a tenth"
	a.Standfirst = "The council voted on Tuesday."
	a.Tags = []newsroom.Tag{{ID: f.harbour.ID}}
	a.Authors = []newsroom.Byline{{AuthorID: f.agency.ID, Label: newsroom.LabelGuest}}
	a.Categories = []newsroom.Category{{ID: f.europe.ID}}
	a.LeadImage = &newsroom.Image{URL: "/media/fees.jpg", Alt: "Boats"}
	a.CommentsOpen = true
	a.CreatedAt = time.Time{} // store-owned; must be kept
	mustUpdate(t, st, a)
	if a.Revision != 2 {
		t.Errorf("Revision after update = %d; want 2", a.Revision)
	}
	if !a.UpdatedAt.After(created.UpdatedAt) {
		t.Errorf("UpdatedAt %v not after %v", a.UpdatedAt, created.UpdatedAt)
	}
	if !a.EditedAt.IsZero() {
		t.Errorf("EditedAt of a draft = %v; want zero", a.EditedAt)
	}
	got := mustGet(t, st, a.ID)
	if diff := cmp.Diff(a, got, articleOpts...); diff != "" {
		t.Errorf("after update (-updated +read):\n%s", diff)
	}
	if !got.CreatedAt.Equal(created.CreatedAt) {
		t.Errorf("CreatedAt changed: %v -> %v", created.CreatedAt, got.CreatedAt)
	}

	// Slug taken by another article.
	other := mustCreateArticle(t, st, draft("Other story", f.sport))
	other.Slug = a.Slug
	wantCode(t, "update to taken slug", st.UpdateArticle(ctx, other, other.Revision), newsroom.Conflict, "slug")
	if other.Slug != a.Slug || other.Revision != 1 {
		t.Errorf("failed update changed the caller's article: slug %q, revision %d", other.Slug, other.Revision)
	}
	if g := mustGet(t, st, other.ID); g.Slug != "other-story" || g.Revision != 1 {
		t.Errorf("failed update stored slug %q revision %d", g.Slug, g.Revision)
	}

	// Invalid fields change nothing.
	bad := *got
	bad.Headline = ""
	wantCode(t, "update without headline", st.UpdateArticle(ctx, &bad, bad.Revision), newsroom.Invalid, "headline")
	bad = *got
	bad.Categories = []newsroom.Category{{ID: 9999}}
	wantCode(t, "update to unknown category", st.UpdateArticle(ctx, &bad, bad.Revision), newsroom.Invalid, "categories")
	if g := mustGet(t, st, a.ID); g.Revision != 2 || len(g.Categories) != 1 || g.Categories[0].ID != f.europe.ID {
		t.Errorf("rejected update changed stored article: revision %d, categories %v", g.Revision, g.Categories)
	}

	// Removing all relations.
	a.Tags, a.Authors, a.Categories, a.LeadImage = nil, nil, nil, nil
	mustUpdate(t, st, a)
	got = mustGet(t, st, a.ID)
	if len(got.Tags)+len(got.Authors)+len(got.Categories) != 0 || got.LeadImage != nil {
		t.Errorf("relations not cleared: %+v", got)
	}
}

func testUpdateStaleRevision(t *testing.T, st newsroom.Store) {
	f := newFixture(t, st)
	a := mustCreateArticle(t, st, draft("Bridge closes", f.world))
	first := *a
	a.Headline = "Bridge closes for repairs"
	mustUpdate(t, st, a) // now at revision 2

	first.Headline = "Bridge closes tonight"
	first.Slug = "bridge-closes-tonight"
	err := st.UpdateArticle(ctx, &first, 1)
	wantCode(t, "stale update", err, newsroom.Conflict, "")
	got := mustGet(t, st, a.ID)
	if got.Headline != "Bridge closes for repairs" || got.Revision != 2 || got.Slug != "bridge-closes" {
		t.Errorf("stale update changed the article: %q rev %d slug %q", got.Headline, got.Revision, got.Slug)
	}
	if _, err := st.ArticleIDByOldPath(ctx, "/world/bridge-closes"); !newsroom.IsNotFound(err) {
		t.Errorf("stale update recorded an old path: %v", err)
	}
	// Future revision is stale too.
	wantCode(t, "future revision", st.UpdateArticle(ctx, got, 7), newsroom.Conflict, "")
}

func testUpdateConcurrent(t *testing.T, st newsroom.Store) {
	f := newFixture(t, st)
	a := mustCreateArticle(t, st, draft("Regatta postponed", f.sport))
	const n = 6
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := *a
			b.Headline = fmt.Sprintf("Regatta postponed, version %d", i)
			errs[i] = st.UpdateArticle(ctx, &b, 1)
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case newsroom.ErrorCode(err) != newsroom.Conflict:
			t.Errorf("concurrent update: %v; want success or conflict", err)
		}
	}
	if ok != 1 {
		t.Errorf("%d concurrent updates from revision 1 succeeded; want exactly 1", ok)
	}
	if got := mustGet(t, st, a.ID); got.Revision != 2 {
		t.Errorf("revision after concurrent updates = %d; want 2", got.Revision)
	}
}

func testOldPaths(t *testing.T, st newsroom.Store) {
	f := newFixture(t, st)
	a := mustCreateArticle(t, st, published("Market day moves", f.world, time.Now().Add(-time.Hour)))
	b := mustCreateArticle(t, st, draft("Unrelated", f.world))

	a.Slug = "market-day-moves-to-friday"
	mustUpdate(t, st, a)
	wantOldPath(t, st, "/world/market-day-moves", a.ID)

	a.Categories = []newsroom.Category{{ID: f.europe.ID}, {ID: f.world.ID}}
	mustUpdate(t, st, a)
	wantOldPath(t, st, "/world/market-day-moves-to-friday", a.ID)
	wantOldPath(t, st, "/world/market-day-moves", a.ID)

	// Unchanged URL records nothing new; secondary category changes do not
	// change the URL.
	a.Categories = []newsroom.Category{{ID: f.europe.ID}}
	a.Headline = "Market day moves to Friday"
	mustUpdate(t, st, a)
	if _, err := st.ArticleIDByOldPath(ctx, "/europe/market-day-moves-to-friday"); !newsroom.IsNotFound(err) {
		t.Errorf("current URL is listed as an old path: %v", err)
	}

	// Moving back to an old URL drops it from the old paths.
	a.Categories = []newsroom.Category{{ID: f.world.ID}}
	mustUpdate(t, st, a)
	if _, err := st.ArticleIDByOldPath(ctx, "/world/market-day-moves-to-friday"); !newsroom.IsNotFound(err) {
		t.Errorf("URL in use again is still an old path: %v", err)
	}
	wantOldPath(t, st, "/europe/market-day-moves-to-friday", a.ID)

	// A path freed by one article and used as old path by another now
	// points to the latest one.
	b.Slug = "market-day-moves"
	mustUpdate(t, st, b)
	b.Slug = "unrelated-again"
	mustUpdate(t, st, b)
	wantOldPath(t, st, "/world/market-day-moves", b.ID)
}

func wantOldPath(t *testing.T, st newsroom.Store, path string, want int64) {
	t.Helper()
	got, err := st.ArticleIDByOldPath(ctx, path)
	if err != nil || got != want {
		t.Errorf("ArticleIDByOldPath(%q) = %d, %v; want %d", path, got, err, want)
	}
}

func testRevisions(t *testing.T, st newsroom.Store) {
	f := newFixture(t, st)
	a := mustCreateArticle(t, st, draft("Tide tables", f.world))
	a.Body = "Second draft."
	mustUpdate(t, st, a)
	if revs, err := st.Revisions(ctx, a.ID); err != nil || len(revs) != 0 {
		t.Fatalf("Revisions of a draft = %v, %v; want none", revs, err)
	}
	a.Status = newsroom.Published
	a.Body = "Published text."
	a.BodyHTML = "<p>Published text.</p>"
	mustUpdate(t, st, a) // rev 3
	if !a.EditedAt.IsZero() {
		t.Errorf("EditedAt on first publication = %v; want zero", a.EditedAt)
	}
	if a.PublishedAt.IsZero() {
		t.Errorf("PublishedAt not set on publication")
	}
	publishedAt := a.PublishedAt
	time.Sleep(2 * time.Millisecond)
	a.Body = "Published text, corrected."
	a.PublishedAt = time.Time{} // kept from the stored article
	mustUpdate(t, st, a)        // rev 4
	if a.EditedAt.IsZero() || !a.EditedAt.Equal(a.UpdatedAt) {
		t.Errorf("EditedAt after edit of published = %v; want UpdatedAt %v", a.EditedAt, a.UpdatedAt)
	}
	if !a.PublishedAt.Equal(publishedAt) {
		t.Errorf("PublishedAt moved on edit: %v -> %v", publishedAt, a.PublishedAt)
	}
	a.Status = newsroom.Unpublished
	mustUpdate(t, st, a) // rev 5, recorded: was published

	revs, err := st.Revisions(ctx, a.ID)
	if err != nil {
		t.Fatalf("Revisions: %v", err)
	}
	var nums []int
	for _, r := range revs {
		nums = append(nums, r.Number)
		if r.ArticleID != a.ID || r.SavedAt.IsZero() {
			t.Errorf("revision %d: article %d, saved %v", r.Number, r.ArticleID, r.SavedAt)
		}
	}
	if diff := cmp.Diff([]int{5, 4, 3}, nums); diff != "" {
		t.Errorf("revision numbers, newest first (-want +got):\n%s", diff)
	}
	if len(revs) == 3 && (revs[1].Body != "Published text, corrected." || revs[2].BodyHTML != "<p>Published text.</p>" || revs[2].Headline != "Tide tables") {
		t.Errorf("revision contents: %+v", revs)
	}

	p := mustCreateArticle(t, st, published("Born published", f.world, time.Now()))
	if revs, err := st.Revisions(ctx, p.ID); err != nil || len(revs) != 1 || revs[0].Number != 1 {
		t.Errorf("Revisions of an article created published = %v, %v; want revision 1", revs, err)
	}
}

func testCorrections(t *testing.T, st newsroom.Store) {
	f := newFixture(t, st)
	a := mustCreateArticle(t, st, published("Council budget", f.world, time.Now().Add(-time.Hour)))
	wantCode(t, "bad kind", st.AddCorrection(ctx, &newsroom.Correction{ArticleID: a.ID, Kind: "erratum", Text: "x"}), newsroom.Invalid, "kind")
	wantCode(t, "empty text", st.AddCorrection(ctx, &newsroom.Correction{ArticleID: a.ID, Kind: newsroom.KindCorrection, Text: "  "}), newsroom.Invalid, "text")

	c1 := &newsroom.Correction{ArticleID: a.ID, Kind: newsroom.KindCorrection, Text: "The budget is 4 million, not 40."}
	if err := st.AddCorrection(ctx, c1); err != nil {
		t.Fatalf("AddCorrection: %v", err)
	}
	if c1.ID == 0 || c1.At.IsZero() {
		t.Errorf("correction ID %d, At %v; want both set", c1.ID, c1.At)
	}
	got := mustGet(t, st, a.ID)
	if !got.UpdatedAt.Equal(c1.At) || !got.EditedAt.Equal(c1.At) {
		t.Errorf("article UpdatedAt %v, EditedAt %v; want correction time %v", got.UpdatedAt, got.EditedAt, c1.At)
	}
	if got.Revision != a.Revision {
		t.Errorf("a correction changed Revision %d -> %d", a.Revision, got.Revision)
	}
	time.Sleep(2 * time.Millisecond)
	c2 := &newsroom.Correction{ArticleID: a.ID, Kind: newsroom.KindUpdate, Text: "The council confirmed the figure."}
	if err := st.AddCorrection(ctx, c2); err != nil {
		t.Fatalf("AddCorrection: %v", err)
	}
	got = mustGet(t, st, a.ID)
	if diff := cmp.Diff([]newsroom.Correction{*c1, *c2}, got.Corrections, sameTime); diff != "" {
		t.Errorf("Corrections, oldest first (-want +got):\n%s", diff)
	}
}

func testFindFilters(t *testing.T, st newsroom.Store) {
	f := newFixture(t, st)
	now := time.Now()
	inWorld := mustCreateArticle(t, st, published("World story", f.world, now.Add(-3*time.Hour)))
	inEurope := published("Europe story", f.europe, now.Add(-2*time.Hour))
	inEurope.Tags = []newsroom.Tag{{ID: f.harbour.ID}}
	inEurope.Authors = []newsroom.Byline{{AuthorID: f.mira.ID}}
	mustCreateArticle(t, st, inEurope)
	inSport := draft("Sport story", f.sport)
	inSport.Authors = []newsroom.Byline{{AuthorID: f.mira.ID}, {AuthorID: f.agency.ID}}
	mustCreateArticle(t, st, inSport)
	// An article whose secondary section is Europe.
	both := draft("Sport and Europe", f.sport)
	both.Categories = append(both.Categories, newsroom.Category{ID: f.europe.ID})
	both.Tags = []newsroom.Tag{{ID: f.harbour.ID}}
	mustCreateArticle(t, st, both)

	drafts, review := newsroom.Draft, newsroom.Review
	tests := []struct {
		name string
		f    newsroom.ArticleFilter
		want []int64 // newest updated first
	}{
		{"all", newsroom.ArticleFilter{}, []int64{both.ID, inSport.ID, inEurope.ID, inWorld.ID}},
		{"section with child", newsroom.ArticleFilter{Category: "world"}, []int64{both.ID, inEurope.ID, inWorld.ID}},
		{"child section", newsroom.ArticleFilter{Category: "europe"}, []int64{both.ID, inEurope.ID}},
		{"sport", newsroom.ArticleFilter{Category: "sport"}, []int64{both.ID, inSport.ID}},
		{"unknown section", newsroom.ArticleFilter{Category: "nowhere"}, []int64{}},
		{"tag", newsroom.ArticleFilter{Tag: "harbour"}, []int64{both.ID, inEurope.ID}},
		{"unknown tag", newsroom.ArticleFilter{Tag: "nothing"}, []int64{}},
		{"author", newsroom.ArticleFilter{AuthorID: f.mira.ID}, []int64{inSport.ID, inEurope.ID}},
		{"agency", newsroom.ArticleFilter{AuthorID: f.agency.ID}, []int64{inSport.ID}},
		{"drafts", newsroom.ArticleFilter{Status: &drafts}, []int64{both.ID, inSport.ID}},
		{"in review", newsroom.ArticleFilter{Status: &review}, []int64{}},
		{"drafts in sport by mira", newsroom.ArticleFilter{Status: &drafts, Category: "sport", AuthorID: f.mira.ID}, []int64{inSport.ID}},
		{"tag and section", newsroom.ArticleFilter{Tag: "harbour", Category: "sport"}, []int64{both.ID}},
	}
	for _, tt := range tests {
		list, total := find(t, st, tt.f)
		if diff := cmp.Diff(tt.want, ids(list)); diff != "" {
			t.Errorf("%s: ids (-want +got):\n%s", tt.name, diff)
		}
		if total != len(tt.want) {
			t.Errorf("%s: total %d; want %d", tt.name, total, len(tt.want))
		}
	}

	// Listings carry relations in order but may omit the body.
	list, _ := find(t, st, newsroom.ArticleFilter{Category: "sport", Status: &drafts})
	for _, a := range list {
		if len(a.Categories) == 0 || a.Categories[0].ID != f.sport.ID {
			t.Errorf("listing %q: categories %v; want sport first", a.Headline, a.Categories)
		}
		if a.ID == inSport.ID && (len(a.Authors) != 2 || a.Authors[0].Name != "Mira Kask" || a.Authors[1].Name != "Coast Wire") {
			t.Errorf("listing %q: authors %v", a.Headline, a.Authors)
		}
		if a.ID == both.ID && (len(a.Tags) != 1 || a.Tags[0].Slug != "harbour" || len(a.Categories) != 2) {
			t.Errorf("listing %q: tags %v categories %v", a.Headline, a.Tags, a.Categories)
		}
	}
}

func testFindPublicAt(t *testing.T, st newsroom.Store) {
	f := newFixture(t, st)
	t0 := time.Date(2026, 10, 7, 12, 0, 0, 0, time.UTC)
	old := mustCreateArticle(t, st, published("Old news", f.world, t0.Add(-48*time.Hour)))
	recent := mustCreateArticle(t, st, published("Recent news", f.europe, t0.Add(-time.Hour)))
	exact := mustCreateArticle(t, st, published("Exactly now", f.sport, t0))
	mustCreateArticle(t, st, published("Embargoed", f.world, t0.Add(time.Hour)))
	mustCreateArticle(t, st, draft("Draft", f.world))
	sched := draft("Scheduled", f.world)
	sched.Status = newsroom.Scheduled
	sched.ScheduledAt = t0.Add(-time.Minute) // due but not yet published
	mustCreateArticle(t, st, sched)
	unpub := mustCreateArticle(t, st, published("Withdrawn", f.world, t0.Add(-2*time.Hour)))
	unpub.Status = newsroom.Unpublished
	mustUpdate(t, st, unpub)
	// Updating an old article does not reorder a public listing.
	old.Standfirst = "Updated later."
	mustUpdate(t, st, old)

	list, total := find(t, st, newsroom.ArticleFilter{PublicAt: &t0})
	if diff := cmp.Diff([]int64{exact.ID, recent.ID, old.ID}, ids(list)); diff != "" {
		t.Errorf("public at t0, newest published first (-want +got):\n%s", diff)
	}
	if total != 3 {
		t.Errorf("total = %d; want 3", total)
	}
	list, _ = find(t, st, newsroom.ArticleFilter{PublicAt: &t0, Category: "world"})
	if diff := cmp.Diff([]int64{recent.ID, old.ID}, ids(list)); diff != "" {
		t.Errorf("public in world (-want +got):\n%s", diff)
	}
	later := t0.Add(2 * time.Hour)
	if _, total := find(t, st, newsroom.ArticleFilter{PublicAt: &later}); total != 4 {
		t.Errorf("public two hours later: %d; want 4", total)
	}
	for _, a := range list {
		if !a.IsPublic(t0) {
			t.Errorf("listed %q is not public at %v", a.Headline, t0)
		}
	}
}

func testFindPagination(t *testing.T, st newsroom.Store) {
	f := newFixture(t, st)
	t0 := time.Date(2026, 9, 1, 6, 0, 0, 0, time.UTC)
	var want []int64
	for i := range 23 {
		a := mustCreateArticle(t, st, published(fmt.Sprintf("Bulletin %02d", i), f.world, t0.Add(time.Duration(i)*time.Minute)))
		want = append([]int64{a.ID}, want...)
	}
	at := t0.Add(time.Hour)
	list, total := find(t, st, newsroom.ArticleFilter{PublicAt: &at})
	if total != 23 || len(list) != 20 {
		t.Fatalf("default page: %d of %d; want 20 of 23", len(list), total)
	}
	if diff := cmp.Diff(want[:20], ids(list)); diff != "" {
		t.Errorf("first page (-want +got):\n%s", diff)
	}
	var got []int64
	for off := 0; off < 30; off += 7 {
		page, total := find(t, st, newsroom.ArticleFilter{PublicAt: &at, Limit: 7, Offset: off})
		if total != 23 {
			t.Errorf("offset %d: total %d; want 23", off, total)
		}
		got = append(got, ids(page)...)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pages of 7 (-want +got):\n%s", diff)
	}
	page, total := find(t, st, newsroom.ArticleFilter{Offset: 100})
	if len(page) != 0 || total != 23 {
		t.Errorf("past the end: %d of %d; want 0 of 23", len(page), total)
	}
	if page, _ := find(t, st, newsroom.ArticleFilter{Limit: -5, Offset: -5}); len(page) != 20 {
		t.Errorf("negative limit and offset: %d; want a default page of 20", len(page))
	}
	// NoTotal: the same page, no count.
	page, total = find(t, st, newsroom.ArticleFilter{PublicAt: &at, Limit: 7, Offset: 7, NoTotal: true})
	if total != -1 {
		t.Errorf("NoTotal: total %d; want -1", total)
	}
	if diff := cmp.Diff(want[7:14], ids(page)); diff != "" {
		t.Errorf("NoTotal page (-want +got):\n%s", diff)
	}
	if page, _ := find(t, st, newsroom.ArticleFilter{PublicAt: &at, Offset: 100, NoTotal: true}); len(page) != 0 {
		t.Errorf("NoTotal past the end: %d articles", len(page))
	}
}

func testFindQuery(t *testing.T, st newsroom.Store) {
	f := newFixture(t, st)
	a := draft("Lighthouse Restored", f.world)
	a.Standfirst = "Volunteers repainted the tower."
	mustCreateArticle(t, st, a)
	b := draft("Harbour dues", f.world)
	b.Body = "The harbour master spoke of 100% occupancy and a_b notation."
	b.BodyHTML = "<p>" + b.Body + "</p>" // what search reads
	mustCreateArticle(t, st, b)
	c := draft("Маяк отремонтирован", f.world)
	c.Language = "ru"
	mustCreateArticle(t, st, c)

	tests := []struct {
		q    string
		want []int64
	}{
		{"lighthouse", []int64{a.ID}},
		{"LIGHTHOUSE restored", []int64{a.ID}},
		{"volunteers", []int64{a.ID}},
		{"harbour master", []int64{b.ID}},
		{"100%", []int64{b.ID}},
		{"a_b", []int64{b.ID}},
		{"%", []int64{}}, // no words: nothing found, no error
		{"_", []int64{}},
		{"Маяк", []int64{c.ID}},
		{"lighthouse harbour", []int64{}},
		{"zebra", []int64{}},
		{`'; DROP TABLE articles; --`, []int64{}},
		{`\`, []int64{}},
		{"\x00\xff\xfe", nil}, // any result, no error
		{"   ", nil},
		{string(make([]byte, 3000)), nil},
	}
	for _, tt := range tests {
		list, _, err := st.FindArticles(ctx, newsroom.ArticleFilter{Query: tt.q})
		if err != nil {
			t.Errorf("query %q: %v", tt.q, err)
			continue
		}
		if tt.want == nil {
			continue
		}
		if diff := cmp.Diff(tt.want, ids(list)); diff != "" {
			t.Errorf("query %q (-want +got):\n%s", tt.q, diff)
		}
	}
	if _, total := find(t, st, newsroom.ArticleFilter{}); total != 3 {
		t.Errorf("articles after odd queries: %d; want 3", total)
	}
}

func testShares(t *testing.T, st newsroom.Store) {
	f := newFixture(t, st)
	a := mustCreateArticle(t, st, published("Share me", f.world, time.Now()))
	for _, n := range []string{"facebook", "telegram", "facebook", "facebook"} {
		if err := st.CountShare(ctx, a.ID, n); err != nil {
			t.Fatalf("CountShare(%q): %v", n, err)
		}
	}
	wantCode(t, "unknown network", st.CountShare(ctx, a.ID, "myspace"), newsroom.Invalid, "network")
	got := mustGet(t, st, a.ID)
	want := map[string]int{"facebook": 3, "telegram": 1}
	if diff := cmp.Diff(want, got.ShareCounts, cmpopts.EquateEmpty()); diff != "" {
		// networks with zero may be present
		for k, v := range got.ShareCounts {
			if want[k] != v {
				t.Errorf("ShareCounts (-want +got):\n%s", diff)
				break
			}
		}
	}
	if got.Revision != a.Revision || !got.UpdatedAt.Equal(a.UpdatedAt) {
		t.Errorf("share counting changed revision or UpdatedAt")
	}

	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := st.CountShare(ctx, a.ID, "vk"); err != nil {
				t.Errorf("concurrent CountShare: %v", err)
			}
		}()
	}
	wg.Wait()
	if got := mustGet(t, st, a.ID).ShareCounts["vk"]; got != 20 {
		t.Errorf("vk after 20 concurrent clicks = %d", got)
	}
}

func testTaxonomy(t *testing.T, st newsroom.Store) {
	if cats, err := st.Categories(ctx); err != nil || len(cats) != 0 {
		t.Errorf("Categories of empty store = %v, %v", cats, err)
	}
	f := newFixture(t, st)
	extra := mustCreateCategory(t, st, newsroom.Category{Slug: "culture", Name: "Culture", Position: 1, Description: "Arts and letters."})
	cats, err := st.Categories(ctx)
	if err != nil {
		t.Fatalf("Categories: %v", err)
	}
	if diff := cmp.Diff([]newsroom.Category{extra, f.world, f.europe, f.sport}, cats); diff != "" {
		t.Errorf("Categories by position, name (-want +got):\n%s", diff)
	}
	got, err := st.CategoryBySlug(ctx, "europe")
	if err != nil || got.ParentID != f.world.ID || got.Name != "Europe" {
		t.Errorf("CategoryBySlug(europe) = %+v, %v", got, err)
	}
	for name, c := range map[string]struct {
		c     newsroom.Category
		code  newsroom.Code
		field string
	}{
		"taken":          {newsroom.Category{Slug: "world", Name: "World 2"}, newsroom.Conflict, "slug"},
		"reserved":       {newsroom.Category{Slug: "api", Name: "API"}, newsroom.Invalid, "slug"},
		"bad slug":       {newsroom.Category{Slug: "No Good", Name: "No"}, newsroom.Invalid, "slug"},
		"no name":        {newsroom.Category{Slug: "nameless"}, newsroom.Invalid, "name"},
		"unknown parent": {newsroom.Category{Slug: "orphan", Name: "Orphan", ParentID: 9999}, newsroom.Invalid, "parent_id"},
	} {
		wantCode(t, "CreateCategory "+name, st.CreateCategory(ctx, &c.c), c.code, c.field)
	}

	t2, err := st.EnsureTag(ctx, "harbour", "Another name")
	if err != nil || t2.ID != f.harbour.ID || t2.Name != "Harbour" {
		t.Errorf("EnsureTag of an existing tag = %+v, %v; want %+v", t2, err, f.harbour)
	}
	t3, err := st.EnsureTag(ctx, "anchors", "")
	if err != nil || t3.ID == 0 || t3.Name != "anchors" {
		t.Errorf("EnsureTag(anchors) = %+v, %v", t3, err)
	}
	if _, err := st.EnsureTag(ctx, "Bad Slug", "x"); newsroom.ErrorCode(err) != newsroom.Invalid {
		t.Errorf("EnsureTag(bad slug): %v; want invalid", err)
	}
	tags, err := st.Tags(ctx)
	if err != nil {
		t.Fatalf("Tags: %v", err)
	}
	if diff := cmp.Diff([]newsroom.Tag{*t3, f.harbour}, tags); diff != "" {
		t.Errorf("Tags by name (-want +got):\n%s", diff)
	}
	if tg, err := st.TagBySlug(ctx, "anchors"); err != nil || *tg != *t3 {
		t.Errorf("TagBySlug = %+v, %v", tg, err)
	}

	authors, err := st.Authors(ctx)
	if err != nil {
		t.Fatalf("Authors: %v", err)
	}
	if diff := cmp.Diff([]newsroom.Author{f.agency, f.mira}, authors); diff != "" {
		t.Errorf("Authors by name (-want +got):\n%s", diff)
	}
	if a, err := st.AuthorBySlug(ctx, "mira-kask"); err != nil || *a != f.mira {
		t.Errorf("AuthorBySlug = %+v, %v", a, err)
	}
	if a, err := st.AuthorByID(ctx, f.agency.ID); err != nil || *a != f.agency {
		t.Errorf("AuthorByID = %+v, %v", a, err)
	}
	auto := mustCreateAuthor(t, st, newsroom.Author{Name: "Jaan Tamm"})
	if auto.Slug != "jaan-tamm" || auto.Label != newsroom.LabelStaff {
		t.Errorf("author defaults: slug %q label %q", auto.Slug, auto.Label)
	}
	wantCode(t, "author slug taken", st.CreateAuthor(ctx, &newsroom.Author{Name: "Mira Kask", Slug: "mira-kask"}), newsroom.Conflict, "slug")
	wantCode(t, "author bad label", st.CreateAuthor(ctx, &newsroom.Author{Name: "X", Label: "boss"}), newsroom.Invalid, "label")
	wantCode(t, "author no name", st.CreateAuthor(ctx, &newsroom.Author{}), newsroom.Invalid, "name")
	wantCode(t, "author unknown user", st.CreateAuthor(ctx, &newsroom.Author{Name: "Y", UserID: 9999}), newsroom.Invalid, "user_id")

	u := mustCreateUser(t, st, "writer@example.org", newsroom.RoleCorrespondent)
	linked := mustCreateAuthor(t, st, newsroom.Author{Name: "Writer", UserID: u.ID, Bio: "Covers the coast.", PhotoURL: "/media/w.jpg"})
	if a, err := st.AuthorByID(ctx, linked.ID); err != nil || *a != linked {
		t.Errorf("AuthorByID(linked) = %+v, %v; want %+v", a, err, linked)
	}
}

func mustCreateUser(t *testing.T, st newsroom.Store, email string, role newsroom.Role) *newsroom.User {
	t.Helper()
	u := &newsroom.User{Email: email, Name: "User " + email, Role: role, PasswordHash: "$argon2id$fake"}
	if err := st.CreateUser(ctx, u); err != nil {
		t.Fatalf("CreateUser(%q): %v", email, err)
	}
	return u
}

func testUsers(t *testing.T, st newsroom.Store) {
	if n, err := st.CountUsers(ctx); err != nil || n != 0 {
		t.Errorf("CountUsers of empty store = %d, %v", n, err)
	}
	ed := mustCreateUser(t, st, " Editor@Example.org ", newsroom.RoleEditor)
	if ed.ID == 0 || ed.CreatedAt.IsZero() || ed.Email != "editor@example.org" {
		t.Errorf("created user = %+v", ed)
	}
	ad := mustCreateUser(t, st, "admin@example.org", newsroom.RoleAdmin)
	wantCode(t, "taken e-mail", st.CreateUser(ctx, &newsroom.User{Email: "EDITOR@example.org", Name: "Twin", Role: newsroom.RoleEditor}), newsroom.Conflict, "email")
	wantCode(t, "bad e-mail", st.CreateUser(ctx, &newsroom.User{Email: "not-an-address", Name: "X", Role: newsroom.RoleEditor}), newsroom.Invalid, "email")
	wantCode(t, "bad role", st.CreateUser(ctx, &newsroom.User{Email: "x@example.org", Name: "X", Role: "owner"}), newsroom.Invalid, "role")

	got, err := st.UserByEmail(ctx, "EDITOR@example.org")
	if err != nil {
		t.Fatalf("UserByEmail: %v", err)
	}
	if diff := cmp.Diff(ed, got, sameTime); diff != "" {
		t.Errorf("UserByEmail (-created +read):\n%s", diff)
	}
	if got, err := st.UserByID(ctx, ad.ID); err != nil || got.Role != newsroom.RoleAdmin || got.PasswordHash != "$argon2id$fake" {
		t.Errorf("UserByID = %+v, %v", got, err)
	}
	users, err := st.ListUsers(ctx)
	if err != nil || len(users) != 2 {
		t.Fatalf("ListUsers = %v, %v; want 2 users", users, err)
	}
	if n, err := st.CountUsers(ctx); err != nil || n != 2 {
		t.Errorf("CountUsers = %d, %v; want 2", n, err)
	}

	a := mustCreateArticle(t, st, &newsroom.Article{Headline: "By a user", CreatedBy: ed.ID})
	if got := mustGet(t, st, a.ID); got.CreatedBy != ed.ID {
		t.Errorf("CreatedBy = %d; want %d", got.CreatedBy, ed.ID)
	}
	wantCode(t, "unknown creator", st.CreateArticle(ctx, &newsroom.Article{Headline: "By a ghost", CreatedBy: 9999}), newsroom.Invalid, "created_by")
}

func testTokens(t *testing.T, st newsroom.Store) {
	u := mustCreateUser(t, st, "bot@example.org", newsroom.RoleEditor)
	if err := st.CreateToken(ctx, u.ID, "hash-one"); err != nil {
		t.Fatalf("CreateToken: %v", err)
	}
	if err := st.CreateToken(ctx, u.ID, "hash-two"); err != nil {
		t.Fatalf("CreateToken (second): %v", err)
	}
	for _, h := range []string{"hash-one", "hash-two"} {
		got, err := st.UserByToken(ctx, h)
		if err != nil || got.ID != u.ID {
			t.Errorf("UserByToken(%q) = %+v, %v; want user %d", h, got, err, u.ID)
		}
	}
	_, err := st.UserByToken(ctx, "hash-three")
	wantCode(t, "unknown token", err, newsroom.Unauthorized, "")
	_, err = st.UserByToken(ctx, "")
	wantCode(t, "empty token", err, newsroom.Unauthorized, "")

	off := &newsroom.User{Email: "gone@example.org", Name: "Gone", Role: newsroom.RoleEditor, Disabled: true}
	if err := st.CreateUser(ctx, off); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateToken(ctx, off.ID, "hash-gone"); err != nil {
		t.Fatal(err)
	}
	_, err = st.UserByToken(ctx, "hash-gone")
	wantCode(t, "disabled user's token", err, newsroom.Unauthorized, "")
}

func testSettings(t *testing.T, st newsroom.Store) {
	if v, err := st.Setting(ctx, "site.title"); err != nil || v != "" {
		t.Errorf("unset setting = %q, %v; want empty, nil", v, err)
	}
	for _, v := range []string{"The Harbour Ledger", "Харбор Леджер", ""} {
		if err := st.SetSetting(ctx, "site.title", v); err != nil {
			t.Fatalf("SetSetting(%q): %v", v, err)
		}
		if got, err := st.Setting(ctx, "site.title"); err != nil || got != v {
			t.Errorf("Setting = %q, %v; want %q", got, err, v)
		}
	}
	if err := st.SetSetting(ctx, "comments.days", "14"); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.Setting(ctx, "comments.days"); got != "14" {
		t.Errorf("second key = %q", got)
	}
}

func testConcurrentWriters(t *testing.T, st newsroom.Store) {
	f := newFixture(t, st)
	var wg sync.WaitGroup
	const n = 12
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := draft(fmt.Sprintf("Parallel story %d", i), f.world)
			if err := st.CreateArticle(ctx, a); err != nil {
				t.Errorf("concurrent CreateArticle: %v", err)
				return
			}
			a.Body = "Edited."
			if err := st.UpdateArticle(ctx, a, a.Revision); err != nil {
				t.Errorf("concurrent UpdateArticle: %v", err)
			}
			if _, _, err := st.FindArticles(ctx, newsroom.ArticleFilter{Category: "world"}); err != nil {
				t.Errorf("concurrent FindArticles: %v", err)
			}
		}()
	}
	wg.Wait()
	if _, total := find(t, st, newsroom.ArticleFilter{}); total != n {
		t.Errorf("after concurrent writers: %d articles; want %d", total, n)
	}
}
