package storetest

import (
	"testing"
	"time"

	"newsdesk/internal/newsroom"
)

// testUpdatedTime checks the public "updated" time (EditedAt) with the
// domain deciding and the store saving, as editorial does: each save is
// readied by Article.Prepare, each correction by Article.Correct, at a
// clock of the test's own. A published article's EditedAt moves only when
// its headline, standfirst, body, lead image or corrections change; tags,
// sections, bylines, sources and open comments leave it, and PublishedAt
// never moves.
func testUpdatedTime(t *testing.T, st Store) {
	f := newFixture(t, st)
	now := time.Now().UTC().Truncate(time.Second).Add(-24 * time.Hour)
	tick := func() time.Time {
		now = now.Add(time.Minute)
		return now
	}
	a := published("Quay repairs start", f.world, time.Time{})
	a.Standfirst = "The north quay closes for a month."
	a.LeadImage = &newsroom.Image{URL: "/media/quay.jpg", Caption: "The north quay", Credit: "Ann Lepp", Alt: "A stone quay"}
	if err := a.Prepare(nil, tick()); err != nil {
		t.Fatal(err)
	}
	mustCreateArticle(t, st, a)
	publishedAt := a.PublishedAt
	if !publishedAt.Equal(now) || !a.EditedAt.IsZero() {
		t.Fatalf("created: PublishedAt %v, EditedAt %v; want %v and zero", a.PublishedAt, a.EditedAt, now)
	}

	// save loads the article, changes a copy and saves it as editorial
	// does, returning the stored result and the clock of the save.
	save := func(t *testing.T, change func(a *newsroom.Article)) (*newsroom.Article, time.Time) {
		t.Helper()
		prev := mustGet(t, st, a.ID)
		next := *prev
		next.Tags = append([]newsroom.Tag(nil), prev.Tags...)
		next.Categories = append([]newsroom.Category(nil), prev.Categories...)
		next.Authors = append([]newsroom.Byline(nil), prev.Authors...)
		next.Sources = append([]newsroom.Source(nil), prev.Sources...)
		if prev.LeadImage != nil {
			img := *prev.LeadImage
			next.LeadImage = &img
		}
		change(&next)
		at := tick()
		if err := next.Prepare(prev, at); err != nil {
			t.Fatalf("Prepare: %v", err)
		}
		mustUpdate(t, st, &next)
		return mustGet(t, st, a.ID), at
	}
	tests := []struct {
		name   string
		change func(a *newsroom.Article)
		moves  bool
	}{
		{"tag only", func(a *newsroom.Article) { a.Tags = append(a.Tags, newsroom.Tag{ID: f.harbour.ID}) }, false},
		{"second section only", func(a *newsroom.Article) { a.Categories = append(a.Categories, newsroom.Category{ID: f.sport.ID}) }, false},
		{"section moved", func(a *newsroom.Article) { a.Categories = []newsroom.Category{{ID: f.europe.ID}} }, false},
		{"byline only", func(a *newsroom.Article) { a.Authors = []newsroom.Byline{{AuthorID: f.mira.ID}} }, false},
		{"sources only", func(a *newsroom.Article) { a.Sources = []newsroom.Source{{Name: "Harbour office"}} }, false},
		{"comments opened", func(a *newsroom.Article) { a.CommentsOpen = true }, false},
		{"image size only", func(a *newsroom.Article) { a.LeadImage.Width, a.LeadImage.Height = 1200, 800 }, false},
		{"headline", func(a *newsroom.Article) { a.Headline = "Quay repairs start on Monday" }, true},
		{"standfirst", func(a *newsroom.Article) { a.Standfirst = "The north quay closes for five weeks." }, true},
		{"body", func(a *newsroom.Article) { a.Body = "Divers inspected the piles first." }, true},
		{"lead image", func(a *newsroom.Article) { a.LeadImage.URL = "/media/quay-2.jpg" }, true},
		{"lead image caption", func(a *newsroom.Article) { a.LeadImage.Caption = "The north quay at low tide" }, true},
		{"lead image removed", func(a *newsroom.Article) { a.LeadImage = nil }, true},
		{"lead image added", func(a *newsroom.Article) {
			a.LeadImage = &newsroom.Image{URL: "/media/crane.jpg", Alt: "A crane on the quay"}
		}, true},
	}
	for _, tt := range tests {
		before := mustGet(t, st, a.ID)
		got, at := save(t, tt.change)
		want := before.EditedAt
		if tt.moves {
			want = at
		}
		if !got.EditedAt.Equal(want) {
			t.Errorf("%s: EditedAt %v; want %v (was %v)", tt.name, got.EditedAt, want, before.EditedAt)
		}
		if !got.PublishedAt.Equal(publishedAt) {
			t.Errorf("%s: PublishedAt moved to %v; want %v", tt.name, got.PublishedAt, publishedAt)
		}
		if got.Revision != before.Revision+1 || !got.UpdatedAt.After(before.UpdatedAt) {
			t.Errorf("%s: revision %d, UpdatedAt %v; want the save recorded after %v", tt.name, got.Revision, got.UpdatedAt, before.UpdatedAt)
		}
	}

	// A correction is a change readers read.
	before := mustGet(t, st, a.ID)
	c := &newsroom.Correction{Kind: newsroom.KindCorrection, Text: "The quay closes for five weeks, not four."}
	if err := before.Correct(c, tick()); err != nil {
		t.Fatal(err)
	}
	if err := st.AddCorrection(ctx, c); err != nil {
		t.Fatal(err)
	}
	got := mustGet(t, st, a.ID)
	if !got.EditedAt.Equal(now) || !c.At.Equal(now) || got.Revision != before.Revision {
		t.Errorf("after a correction: EditedAt %v, correction at %v, revision %d; want %v, %v, %d", got.EditedAt, c.At, got.Revision, now, now, before.Revision)
	}
	// And the next tag-only save keeps the correction's time.
	if got, _ := save(t, func(a *newsroom.Article) { a.Tags = nil }); !got.EditedAt.Equal(c.At) {
		t.Errorf("tag-only save after a correction: EditedAt %v; want %v", got.EditedAt, c.At)
	}
}
