package storetest

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"newsdesk/internal/newsroom"
)

func mustCreateCategory(t *testing.T, st Store, c newsroom.Category) newsroom.Category {
	t.Helper()
	if err := st.CreateCategory(ctx, &c); err != nil {
		t.Fatalf("CreateCategory(%q): %v", c.Slug, err)
	}
	if c.ID == 0 {
		t.Fatalf("CreateCategory(%q) left ID zero", c.Slug)
	}
	return c
}

func mustCreateAuthor(t *testing.T, st Store, a newsroom.Author) newsroom.Author {
	t.Helper()
	if err := st.CreateAuthor(ctx, &a); err != nil {
		t.Fatalf("CreateAuthor(%q): %v", a.Slug, err)
	}
	return a
}

func testTaxonomy(t *testing.T, st Store) {
	if cats, err := st.Categories(ctx); err != nil || len(cats) != 0 {
		t.Errorf("Categories of empty store = %v, %v", cats, err)
	}
	f := newFixture(t, st)
	extra := mustCreateCategory(t, st, newsroom.Category{Slug: "culture", Name: "Culture", Position: 1, Description: "Arts and letters."})
	cats, err := st.Categories(ctx)
	if err != nil {
		t.Fatalf("Categories: %v", err)
	}
	if diff := cmp.Diff([]newsroom.Category{extra, f.world, f.europe, f.sport}, cats); diff != "" {
		t.Errorf("Categories by position, name (-want +got):\n%s", diff)
	}
	got, err := st.CategoryBySlug(ctx, "europe")
	if err != nil || got.ParentID != f.world.ID || got.Name != "Europe" {
		t.Errorf("CategoryBySlug(europe) = %+v, %v", got, err)
	}
	for name, c := range map[string]struct {
		c     newsroom.Category
		code  newsroom.Code
		field string
	}{
		"taken":          {newsroom.Category{Slug: "world", Name: "World 2"}, newsroom.Conflict, "slug"},
		"reserved":       {newsroom.Category{Slug: "api", Name: "API"}, newsroom.Invalid, "slug"},
		"bad slug":       {newsroom.Category{Slug: "No Good", Name: "No"}, newsroom.Invalid, "slug"},
		"no name":        {newsroom.Category{Slug: "nameless"}, newsroom.Invalid, "name"},
		"unknown parent": {newsroom.Category{Slug: "orphan", Name: "Orphan", ParentID: 9999}, newsroom.Invalid, "parent_id"},
	} {
		wantCode(t, "CreateCategory "+name, st.CreateCategory(ctx, &c.c), c.code, c.field)
	}

	t2, err := st.EnsureTag(ctx, "harbour", "Another name")
	if err != nil || t2.ID != f.harbour.ID || t2.Name != "Harbour" {
		t.Errorf("EnsureTag of an existing tag = %+v, %v; want %+v", t2, err, f.harbour)
	}
	t3, err := st.EnsureTag(ctx, "anchors", "")
	if err != nil || t3.ID == 0 || t3.Name != "anchors" {
		t.Errorf("EnsureTag(anchors) = %+v, %v", t3, err)
	}
	if _, err := st.EnsureTag(ctx, "Bad Slug", "x"); newsroom.ErrorCode(err) != newsroom.Invalid {
		t.Errorf("EnsureTag(bad slug): %v; want invalid", err)
	}
	tags, err := st.Tags(ctx)
	if err != nil {
		t.Fatalf("Tags: %v", err)
	}
	if diff := cmp.Diff([]newsroom.Tag{*t3, f.harbour}, tags); diff != "" {
		t.Errorf("Tags by name (-want +got):\n%s", diff)
	}
	if tg, err := st.TagBySlug(ctx, "anchors"); err != nil || *tg != *t3 {
		t.Errorf("TagBySlug = %+v, %v", tg, err)
	}

	authors, err := st.Authors(ctx)
	if err != nil {
		t.Fatalf("Authors: %v", err)
	}
	if diff := cmp.Diff([]newsroom.Author{f.agency, f.mira}, authors); diff != "" {
		t.Errorf("Authors by name (-want +got):\n%s", diff)
	}
	if a, err := st.AuthorBySlug(ctx, "mira-kask"); err != nil || *a != f.mira {
		t.Errorf("AuthorBySlug = %+v, %v", a, err)
	}
	if a, err := st.AuthorByID(ctx, f.agency.ID); err != nil || *a != f.agency {
		t.Errorf("AuthorByID = %+v, %v", a, err)
	}
	auto := mustCreateAuthor(t, st, newsroom.Author{Name: "Jaan Tamm"})
	if auto.Slug != "jaan-tamm" || auto.Label != newsroom.LabelStaff {
		t.Errorf("author defaults: slug %q label %q", auto.Slug, auto.Label)
	}
	wantCode(t, "author slug taken", st.CreateAuthor(ctx, &newsroom.Author{Name: "Mira Kask", Slug: "mira-kask"}), newsroom.Conflict, "slug")
	wantCode(t, "author bad label", st.CreateAuthor(ctx, &newsroom.Author{Name: "X", Label: "boss"}), newsroom.Invalid, "label")
	wantCode(t, "author no name", st.CreateAuthor(ctx, &newsroom.Author{}), newsroom.Invalid, "name")
	wantCode(t, "author unknown user", st.CreateAuthor(ctx, &newsroom.Author{Name: "Y", UserID: 9999}), newsroom.Invalid, "user_id")

	u := mustCreateUser(t, st, "writer@example.org", newsroom.RoleCorrespondent)
	linked := mustCreateAuthor(t, st, newsroom.Author{Name: "Writer", UserID: u.ID, Bio: "Covers the coast.", PhotoURL: "/media/w.jpg"})
	if a, err := st.AuthorByID(ctx, linked.ID); err != nil || *a != linked {
		t.Errorf("AuthorByID(linked) = %+v, %v; want %+v", a, err, linked)
	}
}
