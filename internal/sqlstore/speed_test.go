package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/sqlstore"
)

// TestDenseAndSparseSectionPagesAgree: a section's, a tag's and an
// author's newest-first pages, from the newest and from a date back (the
// site's deep pages), are the same whichever way the store finds them
// (see denseList).
func TestDenseAndSparseSectionPagesAgree(t *testing.T) {
	dialects(t, func(t *testing.T, open func(t *testing.T, opts sqlstore.Options) *sqlstore.Store) {
		ctx := context.Background()
		st := open(t, sqlstore.Options{})
		world := &newsroom.Category{Slug: "world", Name: "World"}
		must(t, st.CreateCategory(ctx, world))
		child := &newsroom.Category{Slug: "harbours", Name: "Harbours", ParentID: world.ID}
		must(t, st.CreateCategory(ctx, child))
		other := &newsroom.Category{Slug: "sport", Name: "Sport"}
		must(t, st.CreateCategory(ctx, other))
		au := &newsroom.Author{Slug: "ada", Name: "Ada"}
		must(t, st.CreateAuthor(ctx, au))
		other2 := &newsroom.Author{Slug: "bo", Name: "Bo"}
		must(t, st.CreateAuthor(ctx, other2))
		ferries, err := st.EnsureTag(ctx, "ferries", "Ferries")
		must(t, err)
		t0 := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
		for i := range 40 {
			cat := []*newsroom.Category{world, child, other}[i%3]
			status := newsroom.Published
			if i%7 == 0 {
				status = newsroom.Draft
			}
			a := &newsroom.Article{Slug: fmt.Sprintf("story-%d", i), Headline: fmt.Sprintf("Story %d", i),
				Status: status, Language: "en", PublishedAt: t0.Add(time.Duration(i%13) * time.Hour),
				Authors: []newsroom.Byline{{AuthorID: []int64{au.ID, other2.ID}[i%4/3]}}, Categories: []newsroom.Category{{ID: cat.ID}}}
			if i%2 == 0 {
				a.Tags = []newsroom.Tag{{ID: ferries.ID}}
			}
			if status == newsroom.Draft {
				a.PublishedAt = time.Time{}
			}
			must(t, st.CreateArticle(ctx, a))
		}
		now := t0.Add(10 * time.Hour) // a few are still in the future
		lists := []newsroom.ArticleFilter{{Category: "world"}, {Tag: "ferries"}, {AuthorID: au.ID},
			{Category: "world", PublishedBefore: t0.Add(5 * time.Hour)}, {Tag: "ferries", PublishedBefore: t0.Add(5 * time.Hour)}}
		pages := func() [][]int64 {
			var out [][]int64
			for _, f := range lists {
				for _, off := range []int{0, 5, 10, 25} {
					f.PublicAt, f.Limit, f.Offset, f.NoTotal = &now, 5, off, true
					list, _, err := st.FindArticles(ctx, f)
					must(t, err)
					ids := []int64{}
					for _, a := range list {
						ids = append(ids, a.ID)
					}
					out = append(out, ids)
				}
			}
			return out
		}
		sparse := pages()
		defer sqlstore.SetDenseAt(3)()
		dense := pages()
		if diff := cmp.Diff(sparse, dense); diff != "" {
			t.Errorf("dense pages differ from sparse ones (-sparse +dense):\n%s", diff)
		}
		if len(sparse[0]) != 5 || len(sparse[3]) != 0 {
			t.Errorf("pages = %v; want a full first page and an empty fourth", sparse)
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
