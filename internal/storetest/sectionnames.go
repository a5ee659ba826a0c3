package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"newsdesk/internal/newsroom"
)

// testSectionNames: a section keeps a name and a description per
// language, read back by every way sections are read (the list, by slug,
// by id, with an article's relations); an edit replaces them, an empty
// one is dropped, an unknown language or an over-long or multi-line name
// is refused naming the field.
func testSectionNames(t *testing.T, st Store) {
	c := mustCreateCategory(t, st, newsroom.Category{Slug: "mir", Name: "World", Description: "News from abroad.",
		Names: map[string]string{"ru": " Мир ", "en": ""}, Descriptions: map[string]string{"ru": "Новости из-за рубежа."}})
	want := map[string]string{"ru": "Мир"}
	if !cmp.Equal(c.Names, want) {
		t.Errorf("CreateCategory normalized names to %v, want %v", c.Names, want)
	}
	check := func(what string, got *newsroom.Category, names, descs map[string]string) {
		t.Helper()
		if !cmp.Equal(got.Names, names) || !cmp.Equal(got.Descriptions, descs) {
			t.Errorf("%s: names %v descriptions %v; want %v and %v", what, got.Names, got.Descriptions, names, descs)
		}
	}
	descs := map[string]string{"ru": "Новости из-за рубежа."}
	byID, err := st.CategoryByID(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	check("CategoryByID", byID, want, descs)
	bySlug, err := st.CategoryBySlug(ctx, "mir")
	if err != nil {
		t.Fatal(err)
	}
	check("CategoryBySlug", bySlug, want, descs)
	if got := bySlug.NameIn("ru") + " / " + bySlug.NameIn("en") + " / " + bySlug.DescriptionIn("en"); got != "Мир / World / News from abroad." {
		t.Errorf("NameIn/DescriptionIn: %q", got)
	}
	cats, err := st.Categories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := range cats {
		if cats[i].ID == c.ID {
			check("Categories", &cats[i], want, descs)
		}
	}
	a := mustCreateArticle(t, st, published("Ferry news", c, time.Now().Add(-time.Minute).UTC()))
	got := mustGet(t, st, a.ID)
	if len(got.Categories) != 1 {
		t.Fatalf("article's sections: %+v", got.Categories)
	}
	check("article's section", &got.Categories[0], want, descs)

	byID.Names = map[string]string{"ru": "Весь мир"}
	byID.Descriptions = nil
	if err := st.UpdateCategory(ctx, byID); err != nil {
		t.Fatal(err)
	}
	again, _ := st.CategoryByID(ctx, c.ID)
	check("after UpdateCategory", again, map[string]string{"ru": "Весь мир"}, nil)
	if got := mustGet(t, st, a.ID); got.Categories[0].NameIn("ru") != "Весь мир" {
		t.Errorf("article's section after the rename: %q", got.Categories[0].NameIn("ru"))
	}

	long := make([]rune, newsroom.MaxTaxonomyName+1)
	for i := range long {
		long[i] = 'ы'
	}
	for name, tc := range map[string]struct {
		names map[string]string
		field string
	}{
		"unknown language": {map[string]string{"de": "Welt"}, "names"},
		"too long":         {map[string]string{"ru": string(long)}, "names.ru"},
		"two lines":        {map[string]string{"ru": "Мир\nи война"}, "names.ru"},
	} {
		c := *again
		c.Names = tc.names
		wantCode(t, "UpdateCategory "+name, st.UpdateCategory(ctx, &c), newsroom.Invalid, tc.field)
		n := newsroom.Category{Slug: "bad-" + newsroom.Slugify(name), Name: "Bad", Names: tc.names}
		wantCode(t, "CreateCategory "+name, st.CreateCategory(ctx, &n), newsroom.Invalid, tc.field)
	}
	if still, _ := st.CategoryByID(ctx, c.ID); still.NameIn("ru") != "Весь мир" {
		t.Errorf("a refused update changed the names: %v", still.Names)
	}
}
