package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"newsdesk/internal/newsroom"
)

func ids(list []*newsroom.Article) []int64 {
	out := []int64{}
	for _, a := range list {
		out = append(out, a.ID)
	}
	return out
}

func find(t *testing.T, st Store, f newsroom.ArticleFilter) ([]*newsroom.Article, int) {
	t.Helper()
	list, total, err := st.FindArticles(ctx, f)
	if err != nil {
		t.Fatalf("FindArticles(%+v): %v", f, err)
	}
	return list, total
}

func testFindFilters(t *testing.T, st Store) {
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

func testFindPublicAt(t *testing.T, st Store) {
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

// testFindArticleLists: each list FindArticleLists returns is what
// FindArticles returns for its filter (relations included), a story in
// two lists is a copy in each, and a list that is not public newest
// first is refused.
func testFindArticleLists(t *testing.T, st Store) {
	f := newFixture(t, st)
	t0 := time.Date(2026, 10, 7, 12, 0, 0, 0, time.UTC)
	var even []int64 // the stories with the tag and Mira's byline, newest first
	for i := range 9 {
		sec := []newsroom.Category{f.world, f.europe, f.sport}[i%3]
		a := published(fmt.Sprintf("Story %d", i), sec, t0.Add(-time.Duration(i)*time.Hour))
		if i%2 == 0 {
			a.Tags = []newsroom.Tag{{ID: f.harbour.ID}}
			a.Authors = []newsroom.Byline{{AuthorID: f.mira.ID}, {AuthorID: f.agency.ID}}
		} else {
			a.Authors = []newsroom.Byline{{AuthorID: f.agency.ID}}
		}
		if i == 4 {
			a.Categories = append(a.Categories, newsroom.Category{ID: f.sport.ID})
		}
		mustCreateArticle(t, st, a)
		if i%2 == 0 {
			even = append(even, a.ID)
		}
	}
	mustCreateArticle(t, st, published("Embargoed", f.world, t0.Add(time.Hour)))
	mustCreateArticle(t, st, draft("Draft", f.sport))
	filters := []newsroom.ArticleFilter{
		{PublicAt: &t0, Limit: 5},
		{PublicAt: &t0, Category: "world", Limit: 12},
		{PublicAt: &t0, Category: "sport", Limit: 2, Offset: 1},
		{PublicAt: &t0, Tag: "harbour"},
		{PublicAt: &t0, AuthorID: f.mira.ID, Sort: newsroom.SortPublished},
		{PublicAt: &t0, Category: "nowhere"},
		{PublicAt: &t0, Language: "ru"},
	}
	lists, err := st.FindArticleLists(ctx, filters)
	if err != nil {
		t.Fatal(err)
	}
	if len(lists) != len(filters) {
		t.Fatalf("%d lists for %d filters", len(lists), len(filters))
	}
	for i, fl := range filters {
		fl.NoTotal = true
		want, _ := find(t, st, fl)
		if diff := cmp.Diff(want, lists[i], articleOpts...); diff != "" {
			t.Errorf("list %d (%+v) against FindArticles (-want +got):\n%s", i, fl, diff)
		}
	}
	// A tag's and an author's lists (few stories: read from their rows).
	if diff := cmp.Diff(even, ids(lists[3])); diff != "" {
		t.Errorf("the tag's list (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(even, ids(lists[4])); diff != "" {
		t.Errorf("the author's list (-want +got):\n%s", diff)
	}
	if len(lists[0]) != 5 || len(lists[1]) == 0 || len(lists[5]) != 0 || lists[5] == nil {
		t.Errorf("list sizes %d, %d, empty %v", len(lists[0]), len(lists[1]), lists[5])
	}
	// Story 0 leads the first list and the world list: two copies.
	if lists[0][0].ID != lists[1][0].ID || lists[0][0] == lists[1][0] {
		t.Fatalf("story in two lists: %d and %d, same pointer %v", lists[0][0].ID, lists[1][0].ID, lists[0][0] == lists[1][0])
	}
	if len(lists[1][0].Authors) != 2 || len(lists[1][0].Tags) != 1 {
		t.Errorf("the second copy's relations: authors %v, tags %v", lists[1][0].Authors, lists[1][0].Tags)
	}
	lists[0][0].Headline = "changed"
	if lists[1][0].Headline == "changed" {
		t.Error("changing one copy changed the other")
	}
	// Lists read without relations, completed afterwards: the same stories
	// as the lists with them, once ArticleRelations has filled them (a
	// story in both lists twice, as copies).
	bare, err := st.FindArticleLists(ctx, []newsroom.ArticleFilter{
		{PublicAt: &t0, Limit: 5, NoRelations: true},
		{PublicAt: &t0, Category: "world", Limit: 12, NoRelations: true},
		{PublicAt: &t0, Tag: "harbour"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if a := bare[0][1]; len(a.Authors)+len(a.Categories)+len(a.Tags) != 0 { // story 1: in no list with relations
		t.Errorf("a list read without relations has them: %v %v %v", a.Authors, a.Categories, a.Tags)
	}
	if a := bare[2][0]; len(a.Authors) != 2 || len(a.Tags) != 1 {
		t.Errorf("a list read with relations beside lists without: authors %v, tags %v", a.Authors, a.Tags)
	}
	both := append(append([]*newsroom.Article{}, bare[0]...), bare[1]...)
	if err := st.ArticleRelations(ctx, both); err != nil {
		t.Fatal(err)
	}
	if err := st.ArticleRelations(ctx, nil); err != nil {
		t.Errorf("relations of no stories: %v", err)
	}
	for i := range 2 {
		want, _ := find(t, st, newsroom.ArticleFilter{PublicAt: &t0, Category: filters[i].Category, Limit: filters[i].Limit, NoTotal: true})
		if diff := cmp.Diff(want, bare[i], articleOpts...); diff != "" {
			t.Errorf("list %d completed by ArticleRelations (-want +got):\n%s", i, diff)
		}
	}
	if got, err := st.FindArticleLists(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("no filters: %v, %v", got, err)
	}
	for _, bad := range []newsroom.ArticleFilter{{}, {PublicAt: &t0, Query: "story"}, {PublicAt: &t0, Ascending: true},
		{PublicAt: &t0, Sort: newsroom.SortHeadline}} {
		if _, err := st.FindArticleLists(ctx, []newsroom.ArticleFilter{{PublicAt: &t0}, bad}); err == nil {
			t.Errorf("FindArticleLists accepted %+v", bad)
		}
	}
}

func testFindPagination(t *testing.T, st Store) {
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

func testFindQuery(t *testing.T, st Store) {
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

// testLinkListTimes: a tag's and an author's public lists are read in the
// order of their links' own copy of the publication time, which every
// write path must keep equal to the article's: a draft published, a
// story moved back in time, a tag added afterwards, a byline changed, a
// story unpublished, two tags merged.
func testLinkListTimes(t *testing.T, st Store) {
	f := newFixture(t, st)
	t0 := time.Date(2026, 10, 7, 12, 0, 0, 0, time.UTC)
	now := t0.Add(time.Hour)
	list := func(what string, fl newsroom.ArticleFilter, want ...int64) {
		t.Helper()
		fl.PublicAt, fl.NoTotal = &now, true
		got, _ := find(t, st, fl)
		if diff := cmp.Diff(want, ids(got), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", what, diff)
		}
		lists, err := st.FindArticleLists(ctx, []newsroom.ArticleFilter{fl})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, ids(lists[0]), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s, as one of FindArticleLists (-want +got):\n%s", what, diff)
		}
	}
	tagged := func(a *newsroom.Article) *newsroom.Article {
		a.Tags = []newsroom.Tag{{ID: f.harbour.ID}}
		a.Authors = []newsroom.Byline{{AuthorID: f.mira.ID}}
		return a
	}
	older := mustCreateArticle(t, st, tagged(published("Older", f.world, t0.Add(-2*time.Hour))))
	newer := mustCreateArticle(t, st, tagged(published("Newer", f.world, t0.Add(-time.Hour))))
	d := mustCreateArticle(t, st, tagged(draft("Draft", f.world)))
	byTag := newsroom.ArticleFilter{Tag: "harbour"}
	byAuthor := newsroom.ArticleFilter{AuthorID: f.mira.ID}
	list("tag, a draft among the stories", byTag, newer.ID, older.ID)
	list("author, a draft among the stories", byAuthor, newer.ID, older.ID)

	d = mustGet(t, st, d.ID)
	d.Status, d.PublishedAt = newsroom.Published, t0
	mustUpdate(t, st, d)
	list("tag, the draft published", byTag, d.ID, newer.ID, older.ID)
	list("author, the draft published", byAuthor, d.ID, newer.ID, older.ID)

	d = mustGet(t, st, d.ID)
	d.PublishedAt = t0.Add(-3 * time.Hour)
	mustUpdate(t, st, d)
	list("tag, a story moved back in time", byTag, newer.ID, older.ID, d.ID)

	d = mustGet(t, st, d.ID)
	d.PublishedAt = now.Add(time.Hour) // embargoed again
	mustUpdate(t, st, d)
	list("tag, a story moved past now", byTag, newer.ID, older.ID)
	list("author, a story moved past now", byAuthor, newer.ID, older.ID)

	late := mustCreateArticle(t, st, published("Tagged later", f.sport, t0.Add(-30*time.Minute)))
	late = mustGet(t, st, late.ID)
	late.Tags = []newsroom.Tag{{ID: f.harbour.ID}}
	late.Authors = []newsroom.Byline{{AuthorID: f.agency.ID}, {AuthorID: f.mira.ID}}
	mustUpdate(t, st, late)
	list("tag, a tag added to a published story", byTag, late.ID, newer.ID, older.ID)
	list("author, a byline added", byAuthor, late.ID, newer.ID, older.ID)

	o := mustGet(t, st, older.ID)
	o.Status = newsroom.Draft
	mustUpdate(t, st, o)
	list("tag, a story unpublished", byTag, late.ID, newer.ID)

	other, err := st.EnsureTag(ctx, "quay", "Quay")
	if err != nil {
		t.Fatal(err)
	}
	q := mustCreateArticle(t, st, published("On the quay", f.world, t0.Add(-90*time.Minute)))
	q = mustGet(t, st, q.ID)
	q.Tags = []newsroom.Tag{{ID: other.ID}}
	mustUpdate(t, st, q)
	if _, err := st.MergeTags(ctx, other.ID, f.harbour.ID); err != nil {
		t.Fatal(err)
	}
	list("tag, another tag merged into it", byTag, late.ID, newer.ID, q.ID)

	// The scheduler publishes without saving the links again.
	sc := tagged(draft("Scheduled", f.world))
	sc.Status, sc.ScheduledAt = newsroom.Scheduled, t0.Add(-10*time.Minute)
	sc = mustCreateArticle(t, st, sc)
	list("tag, a scheduled story", byTag, late.ID, newer.ID, q.ID)
	ok, err := st.PublishScheduled(ctx, newsroom.ScheduledArticle{ID: sc.ID, Revision: sc.Revision, PublishedAt: t0.Add(-10 * time.Minute)})
	if err != nil || !ok {
		t.Fatalf("PublishScheduled = %v, %v", ok, err)
	}
	list("tag, the scheduled story published", byTag, sc.ID, late.ID, newer.ID, q.ID)
	list("author, the scheduled story published", byAuthor, sc.ID, late.ID, newer.ID)
	// A day page: bounded in time on both sides.
	list("tag, between two times", newsroom.ArticleFilter{Tag: "harbour", PublishedFrom: t0.Add(-70 * time.Minute),
		PublishedBefore: t0.Add(-20 * time.Minute)}, late.ID, newer.ID)
	list("author, before a time", newsroom.ArticleFilter{AuthorID: f.mira.ID, PublishedBefore: t0.Add(-20 * time.Minute)}, late.ID, newer.ID)
}

// CheckListPages: every page of a public list, at every offset and a few
// page sizes, is the list's stories newest first (ties by id, newest
// first) from there, in FindArticles and in FindArticleLists alike (each
// list an arm of one call), relations included. It covers the forms a
// list is read in: the edition's stream, a section with its child, a
// child section, a tag, authors, a day link's bound, oldest first; the
// sqlstore tests run it once more with every list dense.
func CheckListPages(t *testing.T, st Store) {
	f := newFixture(t, st)
	t0 := time.Date(2026, 10, 7, 12, 0, 0, 0, time.UTC)
	type story struct {
		a       *newsroom.Article
		section int // 0 world, 1 europe (in world), 2 sport
		tag     bool
		mira    bool
		agency  bool
	}
	var all []story
	for i := range 26 {
		sec := i % 3
		// Three stories an hour: ties broken by id.
		a := published(fmt.Sprintf("Page story %d", i), []newsroom.Category{f.world, f.europe, f.sport}[sec], t0.Add(-time.Duration(i/3)*time.Hour))
		a.Language = "en"
		if i%7 == 6 {
			a.Language = "ru"
		}
		s := story{section: sec, tag: i%2 == 0, mira: i%3 != 2, agency: i%4 == 1}
		if s.tag {
			a.Tags = []newsroom.Tag{{ID: f.harbour.ID}}
		}
		if s.mira {
			a.Authors = append(a.Authors, newsroom.Byline{AuthorID: f.mira.ID})
		}
		if s.agency {
			a.Authors = append(a.Authors, newsroom.Byline{AuthorID: f.agency.ID})
		}
		s.a = mustCreateArticle(t, st, a)
		all = append(all, s)
	}
	// Not public at t0.
	emb := published("Embargoed", f.world, t0.Add(time.Hour))
	emb.Tags = []newsroom.Tag{{ID: f.harbour.ID}}
	mustCreateArticle(t, st, emb)
	dr := draft("Draft", f.europe)
	dr.Authors = []newsroom.Byline{{AuthorID: f.mira.ID}}
	mustCreateArticle(t, st, dr)

	newestFirst := func(keep func(story) bool) []int64 {
		var out []story
		for _, s := range all {
			if keep(s) {
				out = append(out, s)
			}
		}
		slices.SortFunc(out, func(x, y story) int {
			if c := y.a.PublishedAt.Compare(x.a.PublishedAt); c != 0 {
				return c
			}
			return cmpInt(y.a.ID, x.a.ID)
		})
		list := []int64{}
		for _, s := range out {
			list = append(list, s.a.ID)
		}
		return list
	}
	en := func(s story) bool { return s.a.Language == "en" }
	before := t0.Add(-4 * time.Hour)
	lists := []struct {
		name string
		f    newsroom.ArticleFilter
		want []int64
	}{
		{"stream", newsroom.ArticleFilter{Language: "en"}, newestFirst(en)},
		{"every language", newsroom.ArticleFilter{}, newestFirst(func(story) bool { return true })},
		{"section with child", newsroom.ArticleFilter{Language: "en", Category: "world"},
			newestFirst(func(s story) bool { return en(s) && s.section < 2 })},
		{"child section", newsroom.ArticleFilter{Language: "en", Category: "europe"},
			newestFirst(func(s story) bool { return en(s) && s.section == 1 })},
		{"sport", newsroom.ArticleFilter{Category: "sport"}, newestFirst(func(s story) bool { return s.section == 2 })},
		{"tag", newsroom.ArticleFilter{Language: "en", Tag: "harbour"}, newestFirst(func(s story) bool { return en(s) && s.tag })},
		{"author", newsroom.ArticleFilter{Language: "en", AuthorID: f.mira.ID}, newestFirst(func(s story) bool { return en(s) && s.mira })},
		{"other author", newsroom.ArticleFilter{AuthorID: f.agency.ID, Sort: newsroom.SortPublished},
			newestFirst(func(s story) bool { return s.agency })},
		{"day link", newsroom.ArticleFilter{Language: "en", PublishedBefore: before},
			newestFirst(func(s story) bool { return en(s) && s.a.PublishedAt.Before(before) })},
		{"section before a day", newsroom.ArticleFilter{Category: "world", PublishedBefore: before},
			newestFirst(func(s story) bool { return s.section < 2 && s.a.PublishedAt.Before(before) })},
	}
	for _, l := range lists {
		if len(l.want) < 4 {
			t.Fatalf("%s: %d stories; the fixture should give each list several", l.name, len(l.want))
		}
	}
	page := func(want []int64, off, limit int) []int64 {
		if off >= len(want) {
			return []int64{}
		}
		return want[off:min(off+limit, len(want))]
	}
	for _, limit := range []int{1, 4, 7} {
		for off := 0; off <= len(all)+1; off++ {
			var fs []newsroom.ArticleFilter
			for _, l := range lists {
				fl := l.f
				fl.PublicAt, fl.Limit, fl.Offset, fl.NoTotal = &t0, limit, off, true
				fs = append(fs, fl)
			}
			got, err := st.FindArticleLists(ctx, fs)
			if err != nil {
				t.Fatalf("FindArticleLists, limit %d, offset %d: %v", limit, off, err)
			}
			for i, l := range lists {
				list, _ := find(t, st, fs[i])
				if diff := cmp.Diff(page(l.want, off, limit), ids(list)); diff != "" {
					t.Errorf("%s, limit %d, offset %d: FindArticles (-want +got):\n%s", l.name, limit, off, diff)
				}
				if diff := cmp.Diff(list, got[i], articleOpts...); diff != "" {
					t.Errorf("%s, limit %d, offset %d: FindArticleLists against FindArticles (-FindArticles +FindArticleLists):\n%s",
						l.name, limit, off, diff)
				}
			}
			// Oldest first (FindArticles only).
			asc := newsroom.ArticleFilter{PublicAt: &t0, Language: "en", Ascending: true, Limit: limit, Offset: off, NoTotal: true}
			want := slices.Clone(lists[0].want)
			slices.Reverse(want)
			if list, _ := find(t, st, asc); !cmp.Equal(page(want, off, limit), ids(list)) {
				t.Errorf("oldest first, limit %d, offset %d: %v; want %v", limit, off, ids(list), page(want, off, limit))
			}
		}
	}
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
