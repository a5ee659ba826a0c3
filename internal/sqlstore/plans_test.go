package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/sqlstore"
)

// TestPostgresListsPlanOnce: on one connection, the home page's lists
// (FindArticleLists: the stream and a block per section) and their
// relations (ArticleRelations) are planned a few times and then run on
// PostgreSQL's generic plan, not planned again on every request (the
// planning of the lists' arms was more than half of their query's time
// at 100,000 articles). Each statement is prepared once however many
// stories it reads. FindArticles, whose bounds vary, is planned for them
// every time.
func TestPostgresListsPlanOnce(t *testing.T) {
	st := openPostgres(t, sqlstore.Options{})
	ctx := context.Background()
	db := st.DB()
	db.SetMaxOpenConns(1) // pg_prepared_statements is the connection's own
	now := time.Now()
	var secs []string
	for i := range 4 {
		c := &newsroom.Category{Slug: fmt.Sprintf("s%d", i), Name: fmt.Sprintf("S%d", i), Position: i + 1}
		must(t, st.CreateCategory(ctx, c))
		secs = append(secs, c.Slug)
		for j := range 3 {
			a := &newsroom.Article{Headline: fmt.Sprintf("Story %d/%d", i, j), Status: newsroom.Published, Language: "en",
				PublishedAt: now.Add(-time.Duration(i*3+j) * time.Minute), Categories: []newsroom.Category{{ID: c.ID}}}
			must(t, st.CreateArticle(ctx, a))
		}
	}
	for n := range 8 {
		at := now.Add(time.Duration(n) * time.Second) // a new "now" every request, as the site asks
		lists := []newsroom.ArticleFilter{{PublicAt: &at, Language: "en", Limit: 31, NoTotal: true, NoRelations: true}}
		for _, s := range secs {
			lists = append(lists, newsroom.ArticleFilter{PublicAt: &at, Language: "en", Category: s, Limit: 12, NoTotal: true, NoRelations: true})
		}
		got, err := st.FindArticleLists(ctx, lists)
		must(t, err)
		if len(got[0]) != 12 || len(got[1]) != 3 {
			t.Fatalf("lists of %d and %d stories; want 12 and 3", len(got[0]), len(got[1]))
		}
		must(t, st.ArticleRelations(ctx, got[0][:1+n%4])) // a different number of stories each time
	}
	// A section's page, eight times: planned for its bounds every time
	// (the narrow query's generic plan, estimated without them, hashed a
	// dense list's every story), so it is no named statement at all.
	for n := range 8 {
		at := now.Add(time.Duration(n) * time.Second)
		list, _, err := st.FindArticles(ctx, newsroom.ArticleFilter{PublicAt: &at, Language: "en", Category: secs[0], Limit: 2, Offset: n % 2, NoTotal: true})
		must(t, err)
		if len(list) != 2 {
			t.Fatalf("section page of %d stories; want 2", len(list))
		}
	}
	rows, err := db.QueryContext(ctx, "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements")
	must(t, err)
	defer rows.Close()
	seen := map[string]int{}
	for rows.Next() {
		var q string
		var generic, custom int
		must(t, rows.Scan(&q, &generic, &custom))
		kind := ""
		switch {
		case strings.Contains(q, "UNION ALL") && strings.Contains(q, "AS list"):
			kind = "lists"
		case strings.Contains(q, "FROM article_authors aa JOIN authors"):
			kind = "relations"
		case strings.Contains(q, "AS p JOIN articles a ON a.id = p.id"):
			t.Errorf("FindArticles's list is a prepared statement (%d generic plans, %d custom):\n%s", generic, custom, q)
			continue
		default:
			continue
		}
		seen[kind]++
		if generic == 0 || custom > 5 {
			t.Errorf("%s: %d generic and %d custom plans in 8 runs; want the generic one after 5 at most:\n%s", kind, generic, custom, q)
		}
	}
	must(t, rows.Err())
	if seen["lists"] != 1 || seen["relations"] != 1 {
		t.Errorf("prepared statements: %v; want one of the lists and one of the relations", seen)
	}
}
