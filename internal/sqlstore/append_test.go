package sqlstore_test

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"testing"
	"time"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/sqlstore"
)

// TestAppendThenRebuildDerived: rows appended through BeginAppend (with
// their own ids, triggers off) join what the database held, are readers'
// articles with their relations at once, are found by search only after
// RebuildDerived, and the ids the store gives afterwards come after them.
func TestAppendThenRebuildDerived(t *testing.T) {
	dialects(t, func(t *testing.T, open func(t *testing.T, opts sqlstore.Options) *sqlstore.Store) {
		ctx := context.Background()
		st := open(t, sqlstore.Options{})
		now := time.Now().UTC().Truncate(time.Second)
		cat := &newsroom.Category{Slug: "coast", Name: "Coast"}
		must(t, st.CreateCategory(ctx, cat))
		au := &newsroom.Author{Slug: "ines-vale", Name: "Ines Vale"}
		must(t, st.CreateAuthor(ctx, au))
		tag, err := st.EnsureTag(ctx, "seaweed", "Seaweed")
		must(t, err)
		old := &newsroom.Article{Slug: "lighthouse-keeper", Status: newsroom.Published, Headline: "The last lighthouse keeper retires",
			Body: "She kept the light for forty years.\n", Language: "en", PublishedAt: now.Add(-time.Hour),
			Categories: []newsroom.Category{{ID: cat.ID}}, Authors: []newsroom.Byline{{AuthorID: au.ID}}}
		must(t, st.CreateArticle(ctx, old))

		l, err := st.BeginAppend(ctx)
		must(t, err)
		maxID, err := l.MaxID(ctx, "articles")
		must(t, err)
		id := maxID + 10
		num := func(n int64) any { return json.Number(strconv.FormatInt(n, 10)) }
		at := now.Add(-2 * time.Hour).Format("2006-01-02T15:04:05.000000Z")
		load := func(table string, cols []string, rows ...[]any) {
			t.Helper()
			i := 0
			n, err := l.Load(ctx, table, cols, func() ([]any, error) {
				if i == len(rows) {
					return nil, nil
				}
				i++
				return rows[i-1], nil
			})
			must(t, err)
			if n != int64(len(rows)) {
				t.Fatalf("%s: %d rows loaded, want %d", table, n, len(rows))
			}
		}
		load("articles", []string{"id", "slug", "status", "headline", "body", "body_html", "headline_html", "language",
			"published_at", "created_at", "updated_at", "revision"},
			[]any{num(id), "kelp-farm-opens", "published", "A kelp farm opens off Kelby", "Ropes of kelp in rows.\n",
				"<p>Ropes of kelp in rows.</p>\n", "A kelp farm opens off Kelby", "en", at, at, at, num(1)})
		load("article_categories", []string{"article_id", "category_id", "position"}, []any{num(id), num(cat.ID), num(0)})
		load("article_authors", []string{"article_id", "author_id", "position", "label"}, []any{num(id), num(au.ID), num(0), ""})
		load("article_tags", []string{"article_id", "tag_id", "position"}, []any{num(id), num(tag.ID), num(0)})
		load("revisions", []string{"article_id", "number", "headline", "body", "body_html", "saved_at", "status"},
			[]any{num(id), num(1), "A kelp farm opens off Kelby", "Ropes of kelp in rows.\n", "<p>Ropes of kelp in rows.</p>\n", at, "published"})
		must(t, l.Commit(ctx))

		got, err := st.ArticleByID(ctx, id)
		must(t, err)
		if got.Headline != "A kelp farm opens off Kelby" || len(got.Tags) != 1 || got.Tags[0].Slug != "seaweed" ||
			len(got.Authors) != 1 || got.PrimaryCategory() == nil || got.PrimaryCategory().Slug != "coast" {
			t.Fatalf("appended article: %+v", got)
		}
		// Its tag's and its author's pages list it (the links' publication
		// times are filled by the load, with the triggers off).
		for _, c := range []struct {
			f    newsroom.ArticleFilter
			want []int64
		}{{newsroom.ArticleFilter{Tag: "seaweed"}, []int64{id}}, {newsroom.ArticleFilter{AuthorID: au.ID}, []int64{old.ID, id}}} {
			c.f.PublicAt = &now
			list, _, err := st.FindArticles(ctx, c.f)
			must(t, err)
			var got []int64
			for _, a := range list {
				got = append(got, a.ID)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("list of tag %q, author %d after the append: %v, want %v", c.f.Tag, c.f.AuthorID, got, c.want)
			}
		}
		search := func(text string) int {
			t.Helper()
			_, n, err := st.Search(ctx, newsroom.SearchQuery{Text: text, PublicAt: &now})
			must(t, err)
			return n
		}
		if n := search("kelp"); n != 0 {
			t.Errorf("before RebuildDerived: %d hits for an appended article, want 0 (not indexed yet)", n)
		}
		must(t, st.RebuildDerived(ctx))
		for text, want := range map[string]int{"kelp": 1, "seaweed": 1, "lighthouse": 1} {
			if n := search(text); n != want {
				t.Errorf("after RebuildDerived: %q has %d hits, want %d", text, n, want)
			}
		}
		// The triggers are back: a new article is indexed as it is saved,
		// with an id past the appended one.
		next := &newsroom.Article{Slug: "harbour-wall", Status: newsroom.Published, Headline: "Harbour wall mended",
			Language: "en", PublishedAt: now.Add(-time.Minute), Categories: []newsroom.Category{{ID: cat.ID}},
			Tags: []newsroom.Tag{{ID: tag.ID}}}
		must(t, st.CreateArticle(ctx, next))
		if next.ID <= id {
			t.Errorf("next article's id %d, want past the appended %d", next.ID, id)
		}
		if n := search("mended"); n != 1 {
			t.Errorf("article saved after the append: %d hits, want 1", n)
		}
		if n := search("seaweed"); n != 2 {
			t.Errorf("tag of both: %d hits, want 2", n)
		}
	})
}
