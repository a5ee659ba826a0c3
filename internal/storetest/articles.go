package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"newsdesk/internal/newsroom"
)

// mustCreateArticle stores a and returns it as the store left it.
func mustCreateArticle(t *testing.T, st Store, a *newsroom.Article) *newsroom.Article {
	t.Helper()
	if err := st.CreateArticle(ctx, a); err != nil {
		t.Fatalf("CreateArticle(%q): %v", a.Headline, err)
	}
	return a
}

func mustGet(t *testing.T, st Store, id int64) *newsroom.Article {
	t.Helper()
	a, err := st.ArticleByID(ctx, id)
	if err != nil {
		t.Fatalf("ArticleByID(%d): %v", id, err)
	}
	return a
}

func mustUpdate(t *testing.T, st Store, a *newsroom.Article) {
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

var articleOpts = []cmp.Option{sameTime, cmpopts.EquateEmpty()}

func testCreateAndRead(t *testing.T, st Store) {
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

func testCreateDefaults(t *testing.T, st Store) {
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

	// Published without a time: refused. The domain gives the publication
	// time (Article.Prepare stamps now); the store saves what it is given.
	wantCode(t, "published without time", st.CreateArticle(ctx, &newsroom.Article{Headline: "Storm warning", Status: newsroom.Published}), newsroom.Invalid, "published_at")
	pubAt := time.Now().UTC().Add(-time.Minute).Truncate(time.Microsecond)
	p := mustCreateArticle(t, st, &newsroom.Article{Headline: "Storm warning", Status: newsroom.Published, PublishedAt: pubAt})
	if p.PublishedAt.IsZero() || !p.PublishedAt.Equal(pubAt) {
		t.Errorf("published: PublishedAt %v; want the given %v", p.PublishedAt, pubAt)
	}
	if p.URL() != "/news/storm-warning" {
		t.Errorf("URL without category = %q", p.URL())
	}
}

func testCreateRejects(t *testing.T, st Store) {
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

func testUpdate(t *testing.T, st Store) {
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

func testUpdateStaleRevision(t *testing.T, st Store) {
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

func testUpdateConcurrent(t *testing.T, st Store) {
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

func testOldPaths(t *testing.T, st Store) {
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

func wantOldPath(t *testing.T, st Store, path string, want int64) {
	t.Helper()
	got, err := st.ArticleIDByOldPath(ctx, path)
	if err != nil || got != want {
		t.Errorf("ArticleIDByOldPath(%q) = %d, %v; want %d", path, got, err, want)
	}
}

func testRevisions(t *testing.T, st Store) {
	f := newFixture(t, st)
	writer := &newsroom.User{Email: "revisions@example.org", Name: "Rita Writer", Role: newsroom.RoleCorrespondent, PasswordHash: "x"}
	if err := st.CreateUser(ctx, writer); err != nil {
		t.Fatal(err)
	}
	first := draft("Tide tables", f.world)
	first.SavedBy, first.RevisionReason = writer.ID, newsroom.ReasonCreated
	a := mustCreateArticle(t, st, first)
	a.Body = "Second draft."
	a.RevisionReason, a.RevisionNote = newsroom.ReasonReport, "Applied a reader's error report (#7)"
	mustUpdate(t, st, a)
	// Revisions are kept from the first draft, with who and why.
	if revs, err := st.Revisions(ctx, a.ID); err != nil || len(revs) != 2 ||
		revs[1].Number != 1 || revs[1].SavedBy != writer.ID || revs[1].Reason != newsroom.ReasonCreated || revs[1].Status != newsroom.Draft ||
		revs[0].Number != 2 || revs[0].Body != "Second draft." || revs[0].Reason != newsroom.ReasonReport || revs[0].Note != "Applied a reader's error report (#7)" {
		t.Fatalf("Revisions of a draft = %+v, %v; want 1 (created) and 2 (report)", revs, err)
	}
	a.RevisionReason, a.RevisionNote, a.SavedBy = "", "", 0
	// The workflow times are the domain's (Article.Prepare): the store
	// saves the ones it is given and moves none of them itself.
	a.Status = newsroom.Published
	a.PublishedAt = time.Now().UTC().Truncate(time.Microsecond)
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
	editedAt := time.Now().UTC().Truncate(time.Microsecond)
	a.EditedAt = editedAt
	mustUpdate(t, st, a) // rev 4
	if a.EditedAt.IsZero() || !a.EditedAt.Equal(editedAt) {
		t.Errorf("EditedAt after edit of published = %v; want the given %v", a.EditedAt, editedAt)
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
	if diff := cmp.Diff([]int{5, 4, 3, 2, 1}, nums); diff != "" {
		t.Errorf("revision numbers, newest first (-want +got):\n%s", diff)
	}
	if len(revs) == 5 && (revs[0].Status != newsroom.Unpublished || revs[1].Body != "Published text, corrected." || revs[2].BodyHTML != "<p>Published text.</p>" || revs[2].Headline != "Tide tables") {
		t.Errorf("revision contents: %+v", revs)
	}
	if last, err := st.LatestRevision(ctx, a.ID); err != nil || len(revs) == 0 || last.Number != revs[0].Number ||
		last.Status != revs[0].Status || last.SavedBy != revs[0].SavedBy || !last.SavedAt.Equal(revs[0].SavedAt) || last.Body != "" {
		t.Errorf("LatestRevision = %+v, %v; want the record of revision %d without its text", last, err, len(revs))
	}
	if _, err := st.LatestRevision(ctx, -1); !newsroom.IsNotFound(err) {
		t.Errorf("LatestRevision of no article: %v, want NotFound", err)
	}

	p := mustCreateArticle(t, st, published("Born published", f.world, time.Now()))
	if revs, err := st.Revisions(ctx, p.ID); err != nil || len(revs) != 1 || revs[0].Number != 1 {
		t.Errorf("Revisions of an article created published = %v, %v; want revision 1", revs, err)
	}
}

func testShares(t *testing.T, st Store) {
	f := newFixture(t, st)
	a := mustCreateArticle(t, st, published("Share me", f.world, time.Now()))
	gone := &newsroom.Article{ID: a.ID + 1000} // no such article: skipped
	k := func(id int64, n string) newsroom.ShareKey { return newsroom.ShareKey{ArticleID: id, Network: n} }
	if err := st.AddShares(ctx, map[newsroom.ShareKey]int{k(a.ID, "facebook"): 3, k(a.ID, "telegram"): 1, k(gone.ID, "vk"): 4}); err != nil {
		t.Fatalf("AddShares: %v", err)
	}
	wantCode(t, "unknown network", st.AddShares(ctx, map[newsroom.ShareKey]int{k(a.ID, "myspace"): 1}), newsroom.Invalid, "network")
	got := mustGet(t, st, a.ID)
	want := map[string]int{"facebook": 3, "telegram": 1}
	for n, c := range got.ShareCounts {
		if want[n] != c {
			t.Errorf("ShareCounts = %v, want %v (zeros allowed)", got.ShareCounts, want)
			break
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
			if err := st.AddShares(ctx, map[newsroom.ShareKey]int{k(a.ID, "vk"): 2}); err != nil {
				t.Errorf("concurrent AddShares: %v", err)
			}
		}()
	}
	wg.Wait()
	if got := mustGet(t, st, a.ID).ShareCounts["vk"]; got != 40 {
		t.Errorf("vk after 20 concurrent batches of 2 = %d", got)
	}
}

func testConcurrentWriters(t *testing.T, st Store) {
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
