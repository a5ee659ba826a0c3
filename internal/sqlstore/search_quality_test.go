package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/sqlstore"
)

// qualityCorpus is a fixed newsroom archive for ranking checks: stories
// written over three years (ids in writing order, as on a live site),
// several sharing words in different places, plus filler that mentions
// the common words in passing, so that the bounded candidate set
// (lowered in the test) does not reach the old stories.
type qualityCorpus struct {
	now   time.Time
	byKey map[string]*newsroom.Article
}

type qstory struct {
	key, headline, standfirst, body, lang string
	age                                   time.Duration
	tags                                  []string
	draft                                 bool
}

func makeQualityCorpus(t *testing.T, st *sqlstore.Store) *qualityCorpus {
	t.Helper()
	ctx := context.Background()
	c := &qualityCorpus{now: time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC), byKey: map[string]*newsroom.Article{}}
	sec := &newsroom.Category{Slug: "news", Name: "News"}
	if err := st.CreateCategory(ctx, sec); err != nil {
		t.Fatal(err)
	}
	day := 24 * time.Hour
	stories := []qstory{
		// Oldest first: ids grow with time.
		{key: "strike-old", headline: "Ferry strike", standfirst: "Crews walk out over rosters.", body: "The island route stopped at dawn when the crews walked out.", age: 1000 * day},
		{key: "master", headline: "Port news in brief", body: "The harbour master retired after forty years on the quay.", age: 900 * day},
		{key: "master-rev", headline: "Quay works in brief", body: "A master of the harbour is no harbour master: the old title returns. Master harbour pilots met.", age: 899 * day},
		{key: "vybory", headline: "Выборы мэра назначены на осень", lang: "ru", body: "Городской совет утвердил дату.", age: 800 * day},
		{key: "vybory-body", headline: "Итоги недели", lang: "ru", body: "На выборах депутатов явка была высокой.", age: 700 * day},
		{key: "where-body", headline: "Weekend notes", standfirst: "Small things.", body: "A lighthouse lamp was seen from the causeway.", age: 30 * day},
		{key: "where-tags", headline: "Coastal walks", standfirst: "Routes for the spring.", body: "Paths along the cliffs reopen.", age: 30 * day, tags: []string{"Lighthouse"}},
		{key: "where-stand", headline: "Volunteers honoured", standfirst: "The lighthouse keepers' society gave its medals.", body: "Ten people were named.", age: 30 * day},
		{key: "where-head", headline: "Lighthouse to reopen", standfirst: "Repairs end in May.", body: "The tower was closed for two winters.", age: 30 * day},
		{key: "storm-ferry", headline: "Storm stops the ferry", body: "No boats crossed on Tuesday.", age: 20 * day},
		{key: "storm-only", headline: "Storm damage counted", body: "Roofs and fences were hit.", age: 19 * day},
		// An older headline match whose excluded word is only in its body.
		{key: "storm-body-ferry", headline: "Storm clears by noon", body: "The last boat sailed late, the ferry crew said.", age: 18 * day},
		{key: "tie-old", headline: "Council notes", body: "The seawall budget was discussed again.", age: 12 * day},
		{key: "tie-new", headline: "Council notes", body: "The seawall budget was discussed again.", age: 2 * day},
		{key: "draft", headline: "Seawall secret plan", body: "Not yet public.", draft: true},
	}
	// Newer filler that mentions the ferry strike and storms in passing.
	for i := range 12 {
		stories = append(stories, qstory{key: fmt.Sprintf("filler-%d", i), headline: fmt.Sprintf("Island diary %d", i+1),
			body: "Locals still talk about the ferry strike and every storm since.", age: time.Duration(10-i%10) * day})
	}
	// Newer stories with a storm and no ferry: more than the bound, so that
	// "storm -ferry" takes the older headline matches from the headline index
	// and must check their bodies for the excluded word.
	for i := range 7 {
		stories = append(stories, qstory{key: fmt.Sprintf("weather-%d", i), headline: fmt.Sprintf("Weather log %d", i+1),
			body: "Another storm passed over the bay.", age: time.Duration(9-i) * day})
	}
	stories = append(stories, qstory{key: "strike-long", headline: "Ferry strike talks fail as unions walk out again",
		body: "Negotiations broke down late on Friday.", age: 5 * day})
	for _, s := range stories {
		a := &newsroom.Article{Slug: s.key, Headline: s.headline, Standfirst: s.standfirst, Body: s.body,
			BodyHTML: "<p>" + s.body + "</p>", Language: s.lang, Categories: []newsroom.Category{{ID: sec.ID}}}
		if a.Language == "" {
			a.Language = "en"
		}
		if !s.draft {
			a.Status, a.PublishedAt = newsroom.Published, c.now.Add(-s.age)
		}
		for _, name := range s.tags {
			tag, err := st.EnsureTag(ctx, strings.ToLower(name), name)
			if err != nil {
				t.Fatal(err)
			}
			a.Tags = append(a.Tags, *tag)
		}
		if err := st.CreateArticle(ctx, a); err != nil {
			t.Fatalf("CreateArticle(%q): %v", s.headline, err)
		}
		c.byKey[s.key] = a
	}
	return c
}

func (c *qualityCorpus) keys(hits []newsroom.SearchHit) []string {
	var out []string
	for _, h := range hits {
		for k, a := range c.byKey {
			if a.ID == h.Article.ID {
				out = append(out, k)
			}
		}
	}
	return out
}

// TestSearchQuality checks the ranking of the bounded search on both
// databases: with the candidate bound lowered to 6, so that most queries
// here take the bounded path that a million articles take. PostgreSQL
// runs it on both of its paths: the RUM indexes (where the server has the
// extension; NEWSDESK_REQUIRE_RUM=1, as in CI, fails the run without it)
// and the GIN index.
func TestSearchQuality(t *testing.T) {
	dialects(t, func(t *testing.T, open func(t *testing.T, opts sqlstore.Options) *sqlstore.Store) {
		st := open(t, sqlstore.Options{})
		if st.Dialect() != "postgres" {
			checkSearchQuality(t, st)
			return
		}
		t.Run("rum", func(t *testing.T) {
			if st.SearchIndex() != sqlstore.SearchRUM {
				if os.Getenv("NEWSDESK_REQUIRE_RUM") == "1" {
					t.Fatalf("search index %q: NEWSDESK_REQUIRE_RUM=1 but the RUM path is not taken (is postgresql-15-rum installed?)", st.SearchIndex())
				}
				t.Skip("the RUM extension is not installed on this server (postgresql-15-rum)")
			}
			checkSearchQuality(t, st)
		})
		t.Run("gin", func(t *testing.T) {
			st := open(t, sqlstore.Options{NoRUM: true})
			if got := st.SearchIndex(); got != sqlstore.SearchGIN {
				t.Fatalf("SearchIndex with NoRUM = %q, want %q", got, sqlstore.SearchGIN)
			}
			checkSearchQuality(t, st)
		})
	})
}

func checkSearchQuality(t *testing.T, st *sqlstore.Store) {
	{
		c := makeQualityCorpus(t, st)
		defer sqlstore.SetSearchBound(6)()
		ctx := context.Background()
		search := func(text string, desk bool) ([]string, int) {
			t.Helper()
			q := newsroom.SearchQuery{Text: text, Limit: 20}
			if !desk {
				q.PublicAt = &c.now
			}
			hits, total, err := st.Search(ctx, q)
			if err != nil {
				t.Fatalf("Search(%q): %v", text, err)
			}
			return c.keys(hits), total
		}

		// The story whose headline is the query comes first, though
		// thirteen newer stories match and it is the oldest of all.
		got, total := search("ferry strike", false)
		if len(got) == 0 || got[0] != "strike-old" {
			t.Errorf("ferry strike: %v, want strike-old first", got)
		}
		if len(got) > 1 && got[1] != "strike-long" {
			t.Errorf("ferry strike: %v, want the longer headline second", got)
		}
		// 14 match; 6 were taken, so the total is an estimate above them.
		if total <= 6 {
			t.Errorf("ferry strike: total %d, want an estimate above the bound of 6", total)
		}
		got, _ = search("Ferry strike talks fail as unions walk out again", false)
		if len(got) == 0 || got[0] != "strike-long" {
			t.Errorf("whole headline: %v, want strike-long first", got)
		}

		// Headline > standfirst > tags > body at equal age.
		got, total = search("lighthouse", false)
		if want := []string{"where-head", "where-stand", "where-tags", "where-body"}; !slices.Equal(got, want) || total != 4 {
			t.Errorf("lighthouse: %v (total %d), want %v", got, total, want)
		}

		// Phrase order: "harbour master" is not "master harbour" nor
		// "master of the harbour".
		if got, _ = search(`"harbour master"`, false); !slices.Contains(got, "master") || !slices.Contains(got, "master-rev") {
			t.Errorf(`"harbour master": %v, want master and master-rev (which has the phrase once)`, got)
		}
		if got, _ = search(`"master harbour"`, false); !slices.Equal(got, []string{"master-rev"}) {
			t.Errorf(`"master harbour": %v, want only master-rev`, got)
		}
		if got, _ = search(`"retired harbour"`, false); len(got) != 0 {
			t.Errorf(`"retired harbour": %v, want nothing`, got)
		}

		// Russian stems: выборах finds выборы (headline first) and
		// выборах in a body.
		if got, _ = search("выборах", false); !slices.Equal(got, []string{"vybory", "vybory-body"}) {
			t.Errorf("выборах: %v, want [vybory vybory-body]", got)
		}
		if got, _ = search("выборы", false); !slices.Equal(got, []string{"vybory", "vybory-body"}) {
			t.Errorf("выборы: %v, want [vybory vybory-body]", got)
		}

		// Exclusions.
		got, _ = search("storm -ferry", false)
		if !slices.Contains(got, "storm-only") || slices.Contains(got, "storm-ferry") || slices.Contains(got, "storm-body-ferry") || slices.ContainsFunc(got, func(k string) bool { return strings.HasPrefix(k, "filler") }) {
			t.Errorf("storm -ferry: %v, want storm-only and no story with ferry", got)
		}

		// Recency breaks ties.
		if got, _ = search("seawall", false); !slices.Equal(got, []string{"tie-new", "tie-old"}) {
			t.Errorf("seawall: %v, want [tie-new tie-old]", got)
		}
		// Drafts only in the desk's search.
		if got, _ = search("seawall", true); !slices.Contains(got, "draft") {
			t.Errorf("desk seawall: %v, want the draft too", got)
		}

		// The bound: only the ranked candidates are paged to.
		hits, _, err := st.Search(ctx, newsroom.SearchQuery{Text: "storm", PublicAt: &c.now, Limit: 5, Offset: 200})
		if err != nil || len(hits) != 0 {
			t.Errorf("page past the candidates: %d hits, %v", len(hits), err)
		}
	}
}
