package storetest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"newsdesk/internal/newsroom"
)

// discoveryFixture is a small newsroom with articles in every state the
// discovery queries must tell apart.
type discoveryFixture struct {
	*fixture
	now                                                   time.Time
	ferry, fees, regatta, secret, vybory, future, archive *newsroom.Article
}

func newDiscoveryFixture(t *testing.T, st Store) *discoveryFixture {
	t.Helper()
	f := &discoveryFixture{fixture: newFixture(t, st), now: time.Now().UTC()}
	ferries, err := st.EnsureTag(ctx, "ferries", "Ferries")
	if err != nil {
		t.Fatal(err)
	}
	keepers, err := st.EnsureTag(ctx, "lighthouse-keepers", "Lighthouse keepers")
	if err != nil {
		t.Fatal(err)
	}
	mk := func(headline, standfirst, body string, c newsroom.Category, at time.Time, tags ...newsroom.Tag) *newsroom.Article {
		a := published(headline, c, at)
		a.Standfirst = standfirst
		a.Body = body
		a.BodyHTML = "<p>" + strings.ReplaceAll(body, "\n\n", "</p><p>") + "</p>"
		a.Tags = tags
		return mustCreateArticle(t, st, a)
	}
	f.archive = mk("Storm archive story", "From the files.", "Old news about the coast.", f.world, f.now.Add(-10*24*time.Hour), f.harbour)
	f.ferry = mk("Ferry crossings resume after the storm", "The harbour office says boats run again.",
		"The harbour master said the first boat left at dawn.\n\nTickets stay valid.", f.world, f.now.Add(-3*time.Hour), f.harbour)
	f.fees = mk("Port fees rise", "Shipping lines protest.",
		"Operators of ferries warn that the storm season will cost more.", f.europe, f.now.Add(-2*time.Hour), f.harbour, *ferries)
	f.regatta = mk("Regatta postponed", "Sailors wait.", "A storm front forced the organisers to wait a week.",
		f.sport, f.now.Add(-time.Hour), *keepers)
	f.vybory = mk("Выборы в городской совет", "Итоги голосования.", "На выборах победила партия, обещавшая ёлку на площади.",
		f.world, f.now.Add(-30*time.Minute))
	f.vybory.Language = "ru"
	mustUpdate(t, st, f.vybory)

	f.secret = draft("Storm draft secret", f.world)
	f.secret.Tags = []newsroom.Tag{f.harbour}
	mustCreateArticle(t, st, f.secret)
	f.future = mk("Storm future story", "Not yet.", "Embargoed storm text.", f.world, f.now.Add(time.Hour))
	return f
}

func hitIDs(hits []newsroom.SearchHit) []int64 {
	out := []int64{}
	for _, h := range hits {
		out = append(out, h.Article.ID)
	}
	return out
}

func sorted(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}

func testDiscovery(t *testing.T, st Store) {
	f := newDiscoveryFixture(t, st)
	t.Run("Sitemaps", func(t *testing.T) { testSitemaps(t, st, f) })
	t.Run("Search", func(t *testing.T) { testSearch(t, st, f) })
	t.Run("SearchNastyInput", func(t *testing.T) { testSearchNasty(t, st, f) })
	t.Run("ViewsAndMostRead", func(t *testing.T) { testViews(t, st, f) })
	t.Run("Related", func(t *testing.T) { testRelated(t, st, f) })
	// Last: it changes the articles.
	t.Run("SearchFollowsEdits", func(t *testing.T) { testSearchSync(t, st, f) })
}

func testSitemaps(t *testing.T, st Store, f *discoveryFixture) {
	public := []*newsroom.Article{f.archive, f.ferry, f.fees, f.regatta, f.vybory} // ID order
	pages, err := st.SitemapPages(ctx, f.now, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 3 {
		t.Fatalf("SitemapPages(size 2) = %d pages, want 3 for 5 public articles", len(pages))
	}
	modified := func(a *newsroom.Article) time.Time {
		a = mustGet(t, st, a.ID)
		if a.EditedAt.After(a.PublishedAt) {
			return a.EditedAt
		}
		return a.PublishedAt
	}
	for i, want := range []time.Time{
		later(modified(public[0]), modified(public[1])),
		later(modified(public[2]), modified(public[3])),
		modified(public[4]),
	} {
		if !pages[i].Equal(want) {
			t.Errorf("page %d lastmod = %v, want %v", i+1, pages[i], want)
		}
	}
	entries, err := st.SitemapEntries(ctx, f.now, 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].ID != f.fees.ID || entries[1].ID != f.regatta.ID {
		t.Fatalf("SitemapEntries(page 2) = %+v, want fees and regatta", entries)
	}
	if e := entries[0]; e.Path != f.fees.URL() || e.Headline != "Port fees rise" || e.Language != "en" ||
		!e.PublishedAt.Equal(f.fees.PublishedAt) {
		t.Errorf("entry = %+v, want path %s", e, f.fees.URL())
	}
	if e, _ := st.SitemapEntries(ctx, f.now, 4, 2); len(e) != 0 {
		t.Errorf("page past the end has %d entries", len(e))
	}
	recent, err := st.RecentEntries(ctx, "", f.now.Add(-48*time.Hour), f.now, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, e := range recent {
		got = append(got, e.ID)
	}
	if diff := cmp.Diff([]int64{f.vybory.ID, f.regatta.ID, f.fees.ID, f.ferry.ID}, got); diff != "" {
		t.Errorf("RecentEntries(48h) (-want +got):\n%s", diff)
	}
	if recent[0].Language != "ru" {
		t.Errorf("Russian article's language = %q", recent[0].Language)
	}
	if few, _ := st.RecentEntries(ctx, "", f.now.Add(-48*time.Hour), f.now, 2); len(few) != 2 {
		t.Errorf("RecentEntries with limit 2 returned %d", len(few))
	}
	// One language's: the limit counts that language's stories only (the
	// newest story is Russian; the two newest English ones still come).
	for _, c := range []struct {
		lang  string
		limit int
		want  []int64
	}{
		{"en", 2, []int64{f.regatta.ID, f.fees.ID}},
		{"en", 1000, []int64{f.regatta.ID, f.fees.ID, f.ferry.ID}},
		{"ru", 1, []int64{f.vybory.ID}},
	} {
		list, err := st.RecentEntries(ctx, c.lang, f.now.Add(-48*time.Hour), f.now, c.limit)
		if err != nil {
			t.Fatal(err)
		}
		got := []int64{}
		for _, e := range list {
			got = append(got, e.ID)
			if e.Language != c.lang {
				t.Errorf("RecentEntries(%s) lists article %d in %s", c.lang, e.ID, e.Language)
			}
		}
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("RecentEntries(%s, limit %d) (-want +got):\n%s", c.lang, c.limit, diff)
		}
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func search(t *testing.T, st Store, q newsroom.SearchQuery) ([]newsroom.SearchHit, int) {
	t.Helper()
	hits, total, err := st.Search(ctx, q)
	if err != nil {
		t.Fatalf("Search(%+v): %v", q, err)
	}
	return hits, total
}

func testSearch(t *testing.T, st Store, f *discoveryFixture) {
	now := f.now
	public := func(text string) newsroom.SearchQuery { return newsroom.SearchQuery{Text: text, PublicAt: &now} }

	hits, total := search(t, st, public("storm"))
	want := []int64{f.archive.ID, f.ferry.ID, f.fees.ID, f.regatta.ID}
	if diff := cmp.Diff(sorted(want), sorted(hitIDs(hits))); diff != "" || total != 4 {
		t.Errorf("storm: total %d (-want +got):\n%s", total, diff)
	}
	// Headline matches rank above body-only matches.
	if len(hits) == 4 {
		top := sorted(hitIDs(hits[:2]))
		if !slices.Equal(top, sorted([]int64{f.archive.ID, f.ferry.ID})) {
			t.Errorf("storm: first two hits %v, want the two with storm in the headline", hitIDs(hits))
		}
		if hits[0].Rank < hits[3].Rank {
			t.Errorf("ranks not in descending order: %v then %v", hits[0].Rank, hits[3].Rank)
		}
	}
	for _, h := range hits {
		switch h.Article.ID {
		case f.ferry.ID:
			if !strings.Contains(h.HeadlineHTML, "<mark>storm</mark>") {
				t.Errorf("ferry headline = %q, want storm marked", h.HeadlineHTML)
			}
		case f.fees.ID:
			if !strings.Contains(h.SnippetHTML, "<mark>storm</mark>") || h.HeadlineHTML != "Port fees rise" {
				t.Errorf("fees: headline %q snippet %q, want storm marked in the snippet", h.HeadlineHTML, h.SnippetHTML)
			}
		}
		if h.Article.Headline == "" || len(h.Article.Categories) == 0 {
			t.Errorf("hit %d is not a full listing: %+v", h.Article.ID, h.Article)
		}
	}

	tests := []struct {
		name string
		q    newsroom.SearchQuery
		want []int64
	}{
		{"english stem", public("ferries"), []int64{f.ferry.ID, f.fees.ID}},
		{"russian stem", public("выборах"), []int64{f.vybory.ID}},
		{"russian other form", public("выборы"), []int64{f.vybory.ID}},
		{"yo folded", public("елку"), []int64{f.vybory.ID}},
		{"yo in query", public("ёлка"), []int64{f.vybory.ID}},
		{"tag name", public("keepers"), []int64{f.regatta.ID}},
		{"standfirst", public("sailors"), []int64{f.regatta.ID}},
		{"phrase", public(`"harbour master"`), []int64{f.ferry.ID}},
		{"phrase reversed", public(`"master harbour"`), []int64{}},
		{"negation", public("storm -regatta -archive"), []int64{f.ferry.ID, f.fees.ID}},
		{"or", public("regatta OR shipping"), []int64{f.regatta.ID, f.fees.ID}},
		{"all words needed", public("storm sailors"), []int64{f.regatta.ID}},
		{"section with children", newsroom.SearchQuery{Text: "storm", PublicAt: &now, Category: "world"},
			[]int64{f.archive.ID, f.ferry.ID, f.fees.ID}},
		{"date range", newsroom.SearchQuery{Text: "storm", PublicAt: &now, From: now.Add(-150 * time.Minute), To: now},
			[]int64{f.fees.ID, f.regatta.ID}},
		{"drafts never public", public("secret"), []int64{}},
		{"future never public", public("embargoed"), []int64{}},
		{"drafts for the desk", newsroom.SearchQuery{Text: "secret"}, []int64{f.secret.ID}},
		{"status filter", newsroom.SearchQuery{Text: "storm", Status: ptr(newsroom.Draft)}, []int64{f.secret.ID}},
		{"no match", public("zebra"), []int64{}},
	}
	for _, tt := range tests {
		hits, total := search(t, st, tt.q)
		if diff := cmp.Diff(sorted(tt.want), sorted(hitIDs(hits))); diff != "" {
			t.Errorf("%s: %q (-want +got):\n%s", tt.name, tt.q.Text, diff)
		}
		if total != len(tt.want) {
			t.Errorf("%s: total %d, want %d", tt.name, total, len(tt.want))
		}
	}

	// Pagination: two pages of two make up the whole result, no overlap.
	p1, total := search(t, st, newsroom.SearchQuery{Text: "storm", PublicAt: &now, Limit: 2})
	p2, total2 := search(t, st, newsroom.SearchQuery{Text: "storm", PublicAt: &now, Limit: 2, Offset: 2})
	p3, total3 := search(t, st, newsroom.SearchQuery{Text: "storm", PublicAt: &now, Limit: 2, Offset: 4})
	if total != 4 || total2 != 4 || total3 != 4 || len(p1) != 2 || len(p2) != 2 || len(p3) != 0 {
		t.Errorf("pages: %d+%d+%d hits, totals %d/%d/%d", len(p1), len(p2), len(p3), total, total2, total3)
	}
	if diff := cmp.Diff(sorted(want), sorted(append(hitIDs(p1), hitIDs(p2)...))); diff != "" {
		t.Errorf("pages do not add up (-want +got):\n%s", diff)
	}

	// FindArticles' Query is the same search.
	list, n := find(t, st, newsroom.ArticleFilter{Query: "ferries", PublicAt: &now})
	if diff := cmp.Diff(sorted([]int64{f.ferry.ID, f.fees.ID}), sorted(ids(list))); diff != "" || n != 2 {
		t.Errorf("FindArticles(ferries): total %d (-want +got):\n%s", n, diff)
	}
}

func ptr[T any](v T) *T { return &v }

// nastyQueries are inputs a search box receives. None may fail.
var nastyQueries = []string{
	`"`, `""`, `"""`, `"unbalanced`, `unbalanced"`, `'`, `''`, `\`, `\"`, `-`, `--`, `-"`, `- -`,
	`*`, `**`, `a*`, `*a`, `^`, `^a`, `:`, `a:b`, `headline:storm`, `{headline}: storm`, `(`, `)`, `()`, `(storm`,
	`storm)`, `AND`, `OR`, `NOT`, `NEAR`, `NEAR(storm ferry)`, `storm AND`, `OR storm`, `storm NOT`, `NOT storm`,
	`storm OR`, `storm OR OR regatta`, `-storm`, `!storm`, `storm & ferry`, `storm | ferry`, `storm <-> ferry`,
	`storm:*`, `'storm':*`, `%`, `%%`, `_`, `100%`, `a_b`, `;`, `'; DROP TABLE articles; --`, `$1`, `?`, `@@`,
	`<script>alert(1)</script>`, `&amp;`, "\x00", "\x00storm", "\xff\xfe", "\u2028", "\uE000storm\uE001",
	"storm\u0301", `ё`, `Ё`, `ъ`, `🚢`, `🚢 storm`, `e-mail`, `C++`, `.NET`, `#hashtag`, `@handle`,
	strings.Repeat("storm ", 300), strings.Repeat("x", 5000), strings.Repeat(`"`, 101), strings.Repeat("-a ", 50),
	strings.Repeat("(", 500), `the`, `a`, `и`, `в`, `or`, `and`, `not`,
}

func testSearchNasty(t *testing.T, st Store, f *discoveryFixture) {
	now := f.now
	for _, q := range nastyQueries {
		if _, _, err := st.Search(ctx, newsroom.SearchQuery{Text: q, PublicAt: &now}); err != nil {
			t.Errorf("Search(%q): %v", q, err)
		}
		if _, _, err := st.Search(ctx, newsroom.SearchQuery{Text: q, Limit: 1, Offset: 1}); err != nil {
			t.Errorf("Search(%q, page 2): %v", q, err)
		}
		if _, _, err := st.FindArticles(ctx, newsroom.ArticleFilter{Query: q, PublicAt: &now}); err != nil {
			t.Errorf("FindArticles(%q): %v", q, err)
		}
	}
	// Symbols around a word leave the word.
	for _, q := range []string{`"storm`, `storm)`, `(storm`, `storm:*`, `!regatta`, `{regatta}`, `regatta^`} {
		hits, _ := search(t, st, newsroom.SearchQuery{Text: q, PublicAt: &now})
		if len(hits) == 0 {
			t.Errorf("Search(%q) found nothing; want the word read plainly", q)
		}
	}
	if _, total := find(t, st, newsroom.ArticleFilter{}); total != 7 {
		t.Errorf("%d articles after nasty queries, want 7", total)
	}
}

func testViews(t *testing.T, st Store, f *discoveryFixture) {
	today := newsroom.ViewDay(f.now, time.UTC)
	add := func(day time.Time, counts map[int64]int) {
		t.Helper()
		if err := st.AddViews(ctx, day, counts); err != nil {
			t.Fatalf("AddViews(%s, %v): %v", day.Format(time.DateOnly), counts, err)
		}
	}
	add(today, map[int64]int{f.ferry.ID: 3, f.fees.ID: 5})
	add(today, map[int64]int{f.ferry.ID: 4, 987654321: 9}) // an article deleted meanwhile is skipped
	add(today, map[int64]int{f.secret.ID: 50, f.future.ID: 60})
	add(today.AddDate(0, 0, -1), map[int64]int{f.regatta.ID: 100})
	add(today.AddDate(0, 0, -10), map[int64]int{f.archive.ID: 1000})
	add(today, nil)

	mostRead := func(since time.Time) []int64 {
		t.Helper()
		list, err := st.MostRead(ctx, since, f.now, 10)
		if err != nil {
			t.Fatalf("MostRead: %v", err)
		}
		return ids(list)
	}
	if diff := cmp.Diff([]int64{f.ferry.ID, f.fees.ID}, mostRead(today)); diff != "" {
		t.Errorf("most read today (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int64{f.regatta.ID, f.ferry.ID, f.fees.ID}, mostRead(today.AddDate(0, 0, -6))); diff != "" {
		t.Errorf("most read this week (-want +got):\n%s", diff)
	}
	list, err := st.MostRead(ctx, today, f.now, 1)
	if err != nil || len(list) != 1 || list[0].Headline == "" {
		t.Errorf("MostRead(limit 1) = %v, %v", list, err)
	}
	// One language's list: the Russian story, read less than the English
	// ones, is its edition's first; the limit counts only English ones.
	add(today, map[int64]int{f.vybory.ID: 1})
	if list, err := st.MostReadIn(ctx, "ru", today, f.now, 1); err != nil || len(list) != 1 || list[0].ID != f.vybory.ID {
		t.Errorf("MostReadIn(ru, limit 1) = %v, %v; want the Russian story", ids(list), err)
	}
	if list, err := st.MostReadIn(ctx, "en", today, f.now, 2); err != nil || !cmp.Equal(ids(list), []int64{f.ferry.ID, f.fees.ID}) {
		t.Errorf("MostReadIn(en, limit 2) = %v, %v; want ferry and fees", ids(list), err)
	}

	// Many articles in one batch.
	many := map[int64]int{}
	for _, a := range []*newsroom.Article{f.archive, f.ferry, f.fees, f.regatta, f.vybory} {
		many[a.ID] = 1
	}
	for i := int64(1); i <= 450; i++ {
		many[1_000_000+i] = 1
	}
	add(today, many)
	if got := mostRead(today); len(got) != 5 || got[0] != f.ferry.ID {
		t.Errorf("after a big batch, most read today = %v", got)
	}
}

func testRelated(t *testing.T, st Store, f *discoveryFixture) {
	ferry, err := st.ArticleByID(ctx, f.ferry.ID)
	if err != nil {
		t.Fatal(err)
	}
	list, err := st.Related(ctx, ferry, f.now, 10)
	if err != nil {
		t.Fatal(err)
	}
	// archive: shared tag and section; fees: shared tag; vybory: section.
	if diff := cmp.Diff([]int64{f.archive.ID, f.fees.ID, f.vybory.ID}, ids(list)); diff != "" {
		t.Errorf("related to ferry (-want +got):\n%s", diff)
	}
	if list, _ := st.Related(ctx, ferry, f.now, 1); len(list) != 1 {
		t.Errorf("Related(limit 1) returned %d", len(list))
	}
	if list, err := st.Related(ctx, &newsroom.Article{ID: 987654321}, f.now, 5); err != nil || len(list) != 0 {
		t.Errorf("Related(no tags, no sections) = %v, %v; want nothing and no error", ids(list), err)
	}
}

func testSearchSync(t *testing.T, st Store, f *discoveryFixture) {
	now := f.now
	found := func(text string) []int64 {
		t.Helper()
		hits, _ := search(t, st, newsroom.SearchQuery{Text: text, PublicAt: &now})
		return sorted(hitIDs(hits))
	}
	// Edit: the new words are found, the old ones are gone.
	r := mustGet(t, st, f.regatta.ID)
	r.Body = "A whirlwind forced the organisers to wait."
	r.BodyHTML = "<p>" + r.Body + "</p>"
	r.Tags = nil
	mustUpdate(t, st, r)
	if got := found("whirlwind"); !slices.Equal(got, []int64{r.ID}) {
		t.Errorf("after edit, whirlwind finds %v", got)
	}
	if got := found("front"); len(got) != 0 {
		t.Errorf("after edit, the removed word still finds %v", got)
	}
	if got := found("keepers"); len(got) != 0 {
		t.Errorf("after removing the tag, its name still finds %v", got)
	}
	// Headline edits too.
	r.Headline = "Regatta moved to spring"
	mustUpdate(t, st, r)
	if got := found("spring"); !slices.Equal(got, []int64{r.ID}) {
		t.Errorf("after headline edit, spring finds %v", got)
	}
	// Unpublish: gone from public search; publish again: back.
	r.Status = newsroom.Unpublished
	mustUpdate(t, st, r)
	if got := found("whirlwind"); len(got) != 0 {
		t.Errorf("unpublished article still found: %v", got)
	}
	r.Status = newsroom.Published
	mustUpdate(t, st, r)
	if got := found("whirlwind"); !slices.Equal(got, []int64{r.ID}) {
		t.Errorf("republished article not found: %v", got)
	}
	// A draft published is found.
	s := mustGet(t, st, f.secret.ID)
	s.Status, s.PublishedAt = newsroom.Published, now.Add(-time.Minute)
	mustUpdate(t, st, s)
	if got := found("secret"); !slices.Equal(got, []int64{s.ID}) {
		t.Errorf("published draft not found: %v", got)
	}
}
