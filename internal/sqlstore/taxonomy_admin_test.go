package sqlstore_test

import (
	"context"
	"slices"
	"sync"
	"testing"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/sqlstore"
)

// keyRecorder keeps the keys of every change it is told about.
type keyRecorder struct {
	mu   sync.Mutex
	keys [][]string
}

func (r *keyRecorder) Changed(_ context.Context, c newsroom.Change) {
	r.mu.Lock()
	r.keys = append(r.keys, c.Keys)
	r.mu.Unlock()
}

// last returns the keys of the latest change, sorted, and forgets them all.
func (r *keyRecorder) last() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.keys) == 0 {
		return nil
	}
	k := slices.Clone(r.keys[len(r.keys)-1])
	slices.Sort(k)
	r.keys = nil
	return k
}

// TestTaxonomyChangeKeys: every taxonomy change reports the keys of the
// pages it touches, so cached pages refresh.
func TestTaxonomyChangeKeys(t *testing.T) {
	dialects(t, func(t *testing.T, open func(t *testing.T, opts sqlstore.Options) *sqlstore.Store) {
		ctx := context.Background()
		rec := &keyRecorder{}
		st := open(t, sqlstore.Options{Notifier: rec})
		sport := &newsroom.Category{Slug: "sport", Name: "Sport"}
		if err := st.CreateCategory(ctx, sport); err != nil {
			t.Fatal(err)
		}
		author := &newsroom.Author{Name: "Ada Brenn"}
		if err := st.CreateAuthor(ctx, author); err != nil {
			t.Fatal(err)
		}
		boats, _ := st.EnsureTag(ctx, "boats", "Boats")
		ships, _ := st.EnsureTag(ctx, "ships", "Ships")
		a := &newsroom.Article{Headline: "Regatta", Tags: []newsroom.Tag{{ID: boats.ID}}}
		if err := st.CreateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		rec.last()

		sport.Name = "Sports"
		if err := st.UpdateCategory(ctx, sport); err != nil {
			t.Fatal(err)
		}
		if got, want := rec.last(), []string{"category:sport", "home", "nav"}; !slices.Equal(got, want) {
			t.Errorf("UpdateCategory keys = %v, want %v", got, want)
		}
		author.Label = newsroom.LabelOwnCorr
		if err := st.UpdateAuthor(ctx, author); err != nil {
			t.Fatal(err)
		}
		if got, want := rec.last(), []string{"author:" + itoa(author.ID), "home"}; !slices.Equal(got, want) {
			t.Errorf("UpdateAuthor keys = %v, want %v", got, want)
		}
		ships.Slug = "vessels"
		if err := st.UpdateTag(ctx, ships); err != nil {
			t.Fatal(err)
		}
		if got, want := rec.last(), []string{"feeds", "home", "tag:ships", "tag:vessels"}; !slices.Equal(got, want) {
			t.Errorf("UpdateTag keys = %v, want %v", got, want)
		}
		if _, err := st.MergeTags(ctx, boats.ID, ships.ID); err != nil {
			t.Fatal(err)
		}
		if got, want := rec.last(), []string{"article:" + itoa(a.ID), "feeds", "home", "tag:boats", "tag:vessels"}; !slices.Equal(got, want) {
			t.Errorf("MergeTags keys = %v, want %v", got, want)
		}
	})
}
