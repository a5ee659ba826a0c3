package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"newsdesk/internal/newsroom"
)

// testMediaAndTaxonomy runs the media library and taxonomy admin tests on
// one store, in an order where each one's data leaves the next alone.
func testMediaAndTaxonomy(t *testing.T, st Store) {
	t.Run("MediaFind", func(t *testing.T) { testMediaFind(t, st) })
	t.Run("Media", func(t *testing.T) { testMedia(t, st) })
	f := newFixture(t, st)
	t.Run("TaxonomyAdmin", func(t *testing.T) { testTaxonomyAdmin(t, st, f) })
	t.Run("TagMerge", func(t *testing.T) { testTagMerge(t, st, f) })
	t.Run("TagMergeConcurrent", func(t *testing.T) { testTagMergeConcurrent(t, st) })
}

func hashOf(n int) string { return fmt.Sprintf("%064x", n+1) }

func newMedia(n int, caption string) *newsroom.MediaItem {
	return &newsroom.MediaItem{
		Hash: hashOf(n), OriginalName: fmt.Sprintf("IMG_%04d.JPG", n), Type: "image/jpeg", Ext: "jpg",
		Width: 4000, Height: 3000, Sizes: []int{480, 960, 1600},
		Caption: caption, Credit: "Ada Brenn", Alt: "A picture",
	}
}

func testMedia(t *testing.T, st Store) {
	u := &newsroom.User{Email: "ada@example.com", Name: "Ada", Role: newsroom.RoleCorrespondent}
	if err := st.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	m := newMedia(1, "The ferry Varde at the north quay")
	m.UploadedBy = u.ID
	m.Licence = "CC BY 4.0"
	m.SourceName, m.SourceURL = "Harbour office", "https://harbour.example/press"
	if err := st.CreateMedia(ctx, m); err != nil {
		t.Fatalf("CreateMedia: %v", err)
	}
	if m.ID == 0 || m.UploadedAt.IsZero() {
		t.Fatalf("CreateMedia left ID %d, UploadedAt %v", m.ID, m.UploadedAt)
	}
	got, err := st.MediaByID(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(m, got); diff != "" {
		t.Errorf("MediaByID differs from what was stored (-want +got):\n%s", diff)
	}
	byHash, err := st.MediaByHash(ctx, m.Hash)
	if err != nil || byHash.ID != m.ID {
		t.Errorf("MediaByHash = %v, %v", byHash, err)
	}

	// The same file twice is a conflict on "file".
	dup := newMedia(1, "again")
	if err := st.CreateMedia(ctx, dup); newsroom.ErrorCode(err) != newsroom.Conflict || newsroom.AsError(err).Field != "file" {
		t.Errorf("duplicate hash: %v, want Conflict on file", err)
	}
	// Bad fields name themselves.
	for field, mod := range map[string]func(*newsroom.MediaItem){
		"hash":       func(m *newsroom.MediaItem) { m.Hash = "abc" },
		"ext":        func(m *newsroom.MediaItem) { m.Ext = "webp" },
		"sizes":      func(m *newsroom.MediaItem) { m.Sizes = nil },
		"source_url": func(m *newsroom.MediaItem) { m.SourceURL = "javascript:alert(1)" },
		"caption":    func(m *newsroom.MediaItem) { m.Caption = strings.Repeat("x", newsroom.MaxMediaCaption+1) },
	} {
		bad := newMedia(99, "bad")
		mod(bad)
		err := st.CreateMedia(ctx, bad)
		if e := newsroom.AsError(err); e == nil || e.Code != newsroom.Invalid || e.Field != field {
			t.Errorf("CreateMedia with bad %s: %v", field, err)
		}
	}
	for _, id := range []int64{0, 999999} {
		if _, err := st.MediaByID(ctx, id); !newsroom.IsNotFound(err) {
			t.Errorf("MediaByID(%d) = %v, want NotFound", id, err)
		}
	}
	if _, err := st.MediaByHash(ctx, hashOf(500)); !newsroom.IsNotFound(err) {
		t.Errorf("MediaByHash(unknown) = %v, want NotFound", err)
	}

	// Update the text fields only.
	edit := *got
	edit.Caption, edit.Alt, edit.Licence = "  The ferry Varde, refitted  ", "A white ferry", "All rights reserved"
	edit.Width, edit.Hash = 1, hashOf(77) // ignored
	if err := st.UpdateMediaText(ctx, &edit); err != nil {
		t.Fatalf("UpdateMediaText: %v", err)
	}
	got, _ = st.MediaByID(ctx, m.ID)
	if got.Caption != "The ferry Varde, refitted" || got.Alt != "A white ferry" || got.Licence != "All rights reserved" || got.Width != 4000 || got.Hash != m.Hash {
		t.Errorf("after UpdateMediaText: %+v", got)
	}
	edit.SourceURL = "ftp://x"
	if err := st.UpdateMediaText(ctx, &edit); newsroom.ErrorCode(err) != newsroom.Invalid {
		t.Errorf("UpdateMediaText with a bad link: %v", err)
	}
	if err := st.UpdateMediaText(ctx, &newsroom.MediaItem{ID: 999999}); !newsroom.IsNotFound(err) {
		t.Errorf("UpdateMediaText(unknown) = %v, want NotFound", err)
	}
}

func testMediaFind(t *testing.T, st Store) {
	captions := []string{"Ferry at dawn", "Harbour crane", "Storm over the ferry pier", "Council meeting", "100% pure_rain"}
	var ids []int64
	for i, c := range captions {
		m := newMedia(100+i, c)
		if err := st.CreateMedia(ctx, m); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
	}
	idsOf := func(items []newsroom.MediaItem) []int64 {
		var out []int64
		for _, m := range items {
			out = append(out, m.ID)
		}
		return out
	}
	all, total, err := st.FindMedia(ctx, newsroom.MediaFilter{})
	if err != nil || total != 5 {
		t.Fatalf("FindMedia() = %d items, total %d, %v", len(all), total, err)
	}
	newestFirst := slices.Clone(ids)
	slices.Reverse(newestFirst)
	if got := idsOf(all); !slices.Equal(got, newestFirst) {
		t.Errorf("order = %v, want newest first %v", got, newestFirst)
	}
	for _, tt := range []struct {
		q    string
		want []int64
	}{
		{"ferry", []int64{ids[2], ids[0]}},
		{"FERRY pier", []int64{ids[2]}},
		{"img_0103", []int64{ids[3]}}, // original file name
		{"100%", []int64{ids[4]}},
		{"%", []int64{ids[4]}}, // a literal percent sign, not a wildcard
		{"r_c", nil},           // a literal underscore, not "r c" in "Harbour crane"
		{"pure_rain", []int64{ids[4]}},
		{"nothing-like-it", nil},
		{"' OR 1=1 --", nil},
	} {
		got, n, err := st.FindMedia(ctx, newsroom.MediaFilter{Query: tt.q})
		if err != nil {
			t.Errorf("FindMedia(%q): %v", tt.q, err)
			continue
		}
		if !slices.Equal(idsOf(got), tt.want) || n != len(tt.want) {
			t.Errorf("FindMedia(%q) = %v (total %d), want %v", tt.q, idsOf(got), n, tt.want)
		}
	}
	page, total, err := st.FindMedia(ctx, newsroom.MediaFilter{Limit: 2, Offset: 2})
	if err != nil || total != 5 || !slices.Equal(idsOf(page), newestFirst[2:4]) {
		t.Errorf("page 2 of 2 = %v total %d %v, want %v", idsOf(page), total, err, newestFirst[2:4])
	}
}

// The keys taxonomy changes report are checked in the sqlstore package's
// own tests: the suite cannot reach a store's Notifier.

func testTaxonomyAdmin(t *testing.T, st Store, f *fixture) {

	// Sections: rename, move, reorder; the slug stays.
	c, err := st.CategoryByID(ctx, f.sport.ID)
	if err != nil {
		t.Fatal(err)
	}
	c.Name, c.Position, c.ParentID, c.Description = "Sport and games", 0, f.world.ID, "Results."
	if err := st.UpdateCategory(ctx, c); err != nil {
		t.Fatalf("UpdateCategory: %v", err)
	}
	got, _ := st.CategoryBySlug(ctx, "sport")
	if got.Name != "Sport and games" || got.Position != 0 || got.ParentID != f.world.ID || got.Description != "Results." {
		t.Errorf("after UpdateCategory: %+v", got)
	}
	cats, _ := st.Categories(ctx)
	if cats[0].Slug != "sport" {
		t.Errorf("first section = %s, want sport (position 0)", cats[0].Slug)
	}
	bad := []struct {
		field string
		mod   func(c *newsroom.Category)
	}{
		{"slug", func(c *newsroom.Category) { c.Slug = "games" }},
		{"slug", func(c *newsroom.Category) { c.Slug = "desk" }}, // reserved
		{"name", func(c *newsroom.Category) { c.Name = " " }},
		{"parent_id", func(c *newsroom.Category) { c.ParentID = c.ID }},
		{"parent_id", func(c *newsroom.Category) { c.ParentID = 999999 }},
		{"position", func(c *newsroom.Category) { c.Position = -1 }},
	}
	for _, b := range bad {
		c, _ := st.CategoryByID(ctx, f.sport.ID)
		b.mod(c)
		if e := newsroom.AsError(st.UpdateCategory(ctx, c)); e == nil || e.Code != newsroom.Invalid || e.Field != b.field {
			t.Errorf("UpdateCategory with bad %s: %v", b.field, e)
		}
	}
	// A cycle: World may not move under its child Europe.
	w, _ := st.CategoryByID(ctx, f.world.ID)
	w.ParentID = f.europe.ID
	if e := newsroom.AsError(st.UpdateCategory(ctx, w)); e == nil || e.Field != "parent_id" {
		t.Errorf("UpdateCategory making a cycle: %v", e)
	}
	if err := st.UpdateCategory(ctx, &newsroom.Category{ID: 999999, Slug: "x", Name: "X"}); !newsroom.IsNotFound(err) {
		t.Errorf("UpdateCategory(unknown) = %v", err)
	}
	if _, err := st.CategoryByID(ctx, 999999); !newsroom.IsNotFound(err) {
		t.Errorf("CategoryByID(unknown) = %v", err)
	}

	// Authors: name, label, bio, photo; slug kept.
	a, _ := st.AuthorByID(ctx, f.mira.ID)
	a.Name, a.Label, a.Bio, a.PhotoURL, a.Slug = "Mira Kask-Varde", newsroom.LabelColumnist, "Writes from the islands.", "/media/i/ab/photo-480.jpg", "ignored"
	if err := st.UpdateAuthor(ctx, a); err != nil {
		t.Fatalf("UpdateAuthor: %v", err)
	}
	ga, _ := st.AuthorByID(ctx, f.mira.ID)
	want := newsroom.Author{ID: f.mira.ID, Slug: "mira-kask", Name: "Mira Kask-Varde", Label: newsroom.LabelColumnist,
		Bio: "Writes from the islands.", PhotoURL: "/media/i/ab/photo-480.jpg"}
	if diff := cmp.Diff(&want, ga); diff != "" {
		t.Errorf("after UpdateAuthor (-want +got):\n%s", diff)
	}
	a.Label = "chief"
	if e := newsroom.AsError(st.UpdateAuthor(ctx, a)); e == nil || e.Field != "label" {
		t.Errorf("UpdateAuthor with a bad label: %v", e)
	}
	a.Label, a.PhotoURL = newsroom.LabelStaff, "javascript:x"
	if e := newsroom.AsError(st.UpdateAuthor(ctx, a)); e == nil || e.Field != "photo_url" {
		t.Errorf("UpdateAuthor with a bad photo: %v", e)
	}
	if err := st.UpdateAuthor(ctx, &newsroom.Author{ID: 999999, Name: "X"}); !newsroom.IsNotFound(err) {
		t.Errorf("UpdateAuthor(unknown) = %v", err)
	}
}

func testTagMerge(t *testing.T, st Store, f *fixture) {
	boats, err := st.EnsureTag(ctx, "boats", "Boats")
	if err != nil {
		t.Fatal(err)
	}
	onlyBoats := mustCreateArticle(t, st, &newsroom.Article{Headline: "Only boats", Tags: []newsroom.Tag{{Slug: "boats"}}})
	both := mustCreateArticle(t, st, &newsroom.Article{Headline: "Both", Tags: []newsroom.Tag{{Slug: "harbour"}, {Slug: "boats"}}})
	onlyHarbour := mustCreateArticle(t, st, &newsroom.Article{Headline: "Only harbour", Tags: []newsroom.Tag{{Slug: "harbour"}}})

	uses, err := st.TagUses(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]newsroom.TagUse{{Tag: *boats, Articles: 2}, {Tag: f.harbour, Articles: 2}}, uses); diff != "" {
		t.Errorf("TagUses before (-want +got):\n%s", diff)
	}

	survivor, err := st.MergeTags(ctx, boats.ID, f.harbour.ID)
	if err != nil {
		t.Fatalf("MergeTags: %v", err)
	}
	if survivor.ID != f.harbour.ID {
		t.Errorf("survivor = %+v", survivor)
	}
	for _, a := range []*newsroom.Article{onlyBoats, both, onlyHarbour} {
		got := mustGet(t, st, a.ID)
		if len(got.Tags) != 1 || got.Tags[0].Slug != "harbour" {
			t.Errorf("%q tags after merge = %+v, want harbour once", a.Headline, got.Tags)
		}
	}
	if _, err := st.TagByID(ctx, boats.ID); !newsroom.IsNotFound(err) {
		t.Errorf("merged tag still there: %v", err)
	}
	// The old slug leads to the survivor, also for new articles.
	if tg, err := st.TagBySlug(ctx, "boats"); err != nil || tg.ID != f.harbour.ID || tg.Slug != "harbour" {
		t.Errorf("TagBySlug(boats) = %+v, %v; want the survivor", tg, err)
	}
	if tg, err := st.EnsureTag(ctx, "boats", "Boats"); err != nil || tg.ID != f.harbour.ID {
		t.Errorf("EnsureTag(boats) = %+v, %v; want the survivor, not a new tag", tg, err)
	}
	_, n, err := st.FindArticles(ctx, newsroom.ArticleFilter{Tag: "harbour"})
	if err != nil || n != 3 {
		t.Errorf("articles tagged harbour = %d, %v; want 3", n, err)
	}

	// Rename: the old slug keeps leading to the tag; a chain of merges too.
	h, _ := st.TagByID(ctx, f.harbour.ID)
	h.Name, h.Slug = "Harbours", "harbours"
	if err := st.UpdateTag(ctx, h); err != nil {
		t.Fatalf("UpdateTag: %v", err)
	}
	for _, old := range []string{"harbour", "boats", "harbours"} {
		if tg, err := st.TagBySlug(ctx, old); err != nil || tg.Slug != "harbours" || tg.Name != "Harbours" {
			t.Errorf("TagBySlug(%s) after rename = %+v, %v", old, tg, err)
		}
	}
	ships, _ := st.EnsureTag(ctx, "ships", "Ships")
	if _, err := st.MergeTags(ctx, f.harbour.ID, ships.ID); err != nil {
		t.Fatal(err)
	}
	for _, old := range []string{"harbour", "boats", "harbours", "ships"} {
		if tg, err := st.TagBySlug(ctx, old); err != nil || tg.ID != ships.ID {
			t.Errorf("TagBySlug(%s) after a second merge = %+v, %v; want ships", old, tg, err)
		}
	}
	// Renaming back onto one's own old slug is fine; onto a live tag is not.
	s, _ := st.TagByID(ctx, ships.ID)
	s.Slug = "harbour"
	if err := st.UpdateTag(ctx, s); err != nil {
		t.Errorf("UpdateTag onto an own old slug: %v", err)
	}
	other, _ := st.EnsureTag(ctx, "quays", "Quays")
	s.Slug = "quays"
	if err := st.UpdateTag(ctx, s); newsroom.ErrorCode(err) != newsroom.Conflict {
		t.Errorf("UpdateTag onto a live slug: %v, want Conflict", err)
	}
	if _, err := st.MergeTags(ctx, other.ID, other.ID); newsroom.ErrorCode(err) != newsroom.Invalid {
		t.Errorf("MergeTags into itself: %v", err)
	}
	if _, err := st.MergeTags(ctx, other.ID, 999999); newsroom.ErrorCode(err) != newsroom.Invalid {
		t.Errorf("MergeTags into an unknown tag: %v", err)
	}
	if _, err := st.MergeTags(ctx, 999999, other.ID); !newsroom.IsNotFound(err) {
		t.Errorf("MergeTags from an unknown tag: %v", err)
	}
	s.Slug = "Not A Slug"
	if e := newsroom.AsError(st.UpdateTag(ctx, s)); e == nil || e.Field != "slug" {
		t.Errorf("UpdateTag with a bad slug: %v", e)
	}
}

// testTagMergeConcurrent merges while articles are saved with the tag.
func testTagMergeConcurrent(t *testing.T, st Store) {
	from, _ := st.EnsureTag(ctx, "skiffs", "Skiffs")
	into, _ := st.EnsureTag(ctx, "dinghies", "Dinghies")
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := &newsroom.Article{Headline: fmt.Sprintf("Story %d", i), Tags: []newsroom.Tag{{ID: into.ID}}}
			if err := st.CreateArticle(context.Background(), a); err != nil {
				t.Errorf("CreateArticle: %v", err)
			}
		}()
	}
	if _, err := st.MergeTags(ctx, from.ID, into.ID); err != nil {
		t.Errorf("MergeTags: %v", err)
	}
	wg.Wait()
	_, n, err := st.FindArticles(ctx, newsroom.ArticleFilter{Tag: "dinghies"})
	if err != nil || n != 4 {
		t.Errorf("articles tagged harbour = %d, %v", n, err)
	}
}
