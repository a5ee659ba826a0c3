package storetest

import (
	"testing"

	"newsdesk/internal/newsroom"
)

// testPageEditions: a static page in another edition lives under its
// prefix (the same slug is free in each edition), its sub-pages stay in
// its language, a translation links both ways (one page per language in
// a group) and deleting one member leaves the other whole.
func testPageEditions(t *testing.T, st Store) {
	mk := func(p newsroom.Page) *newsroom.Page {
		t.Helper()
		if p.Status == "" {
			p.Status = newsroom.Published
		}
		if err := st.CreatePage(ctx, &p); err != nil {
			t.Fatalf("CreatePage(%s %q): %v", p.Language, p.Slug, err)
		}
		return &p
	}
	en := mk(newsroom.Page{Title: "About us", Slug: "about"})
	ru := mk(newsroom.Page{Title: "О нас", Slug: "about", Language: "ru", TranslationOf: en.ID})
	if en.Path != "/about/" || ru.Path != "/ru/about/" || ru.TranslationGroup != en.ID {
		t.Errorf("paths %s and %s, group %d; want /about/, /ru/about/ and %d", en.Path, ru.Path, ru.TranslationGroup, en.ID)
	}
	got, err := st.PageByPath(ctx, "/ru/about/")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != ru.ID || got.Language != "ru" || got.TranslationOf != en.ID || len(got.Translations) != 1 ||
		got.Translations[0] != (newsroom.PageTranslation{ID: en.ID, Language: "", Path: "/about/", Title: "About us", Status: newsroom.Published, Original: true}) {
		t.Errorf("Russian page read back: %+v", got)
	}
	orig, _ := st.PageByID(ctx, en.ID)
	if orig.TranslationOf != 0 || orig.TranslationGroup != en.ID || len(orig.Translations) != 1 || orig.Translations[0].ID != ru.ID || orig.Translations[0].Original {
		t.Errorf("original read back: %+v", orig)
	}
	team := mk(newsroom.Page{Title: "Команда", Slug: "team", Language: "ru", ParentID: ru.ID})
	if team.Path != "/ru/about/team/" {
		t.Errorf("Russian sub-page at %s", team.Path)
	}
	wantCode(t, "an English page under a Russian one",
		st.CreatePage(ctx, &newsroom.Page{Title: "Team", Slug: "team", ParentID: ru.ID, Status: newsroom.Published}), newsroom.Invalid, "parent_id")
	wantCode(t, "a second English member",
		st.CreatePage(ctx, &newsroom.Page{Title: "About 2", Slug: "about-2", TranslationOf: ru.ID}), newsroom.Conflict, "translation_of")
	wantCode(t, "a translation in the same language",
		st.CreatePage(ctx, &newsroom.Page{Title: "О нас 2", Slug: "o-nas-2", Language: "ru", TranslationOf: ru.ID}), newsroom.Invalid, "translation_of")
	wantCode(t, "a translation of nothing",
		st.CreatePage(ctx, &newsroom.Page{Title: "Nothing", Slug: "nothing", Language: "ru", TranslationOf: 987654}), newsroom.Invalid, "translation_of")
	wantCode(t, "a language that is none",
		st.CreatePage(ctx, &newsroom.Page{Title: "Seite", Slug: "seite", Language: "de"}), newsroom.Invalid, "language")
	wantCode(t, "a top-level page named as an edition",
		st.CreatePage(ctx, &newsroom.Page{Title: "Ru", Slug: "ru"}), newsroom.Invalid, "slug")
	wantCode(t, "a section named as an edition",
		st.CreateCategory(ctx, &newsroom.Category{Slug: "ru", Name: "Ru"}), newsroom.Invalid, "slug")
	wantCode(t, "a section at a Russian page's address",
		st.CreateCategory(ctx, &newsroom.Category{Slug: "about", Name: "About"}), newsroom.Conflict, "slug")
	wantCode(t, "a Russian page with sub-pages changing edition",
		st.UpdatePage(ctx, &newsroom.Page{ID: ru.ID, Title: "О нас", Slug: "about", Status: newsroom.Published, TranslationOf: en.ID}), newsroom.Invalid, "language")

	// Renaming the Russian page moves its sub-page with it, under /ru/.
	ru.Slug = "o-nas"
	if err := st.UpdatePage(ctx, ru); err != nil {
		t.Fatal(err)
	}
	if moved, _ := st.PageByID(ctx, team.ID); moved.Path != "/ru/o-nas/team/" {
		t.Errorf("sub-page after the move: %s", moved.Path)
	}
	// Unlinking, then linking again from the original's side.
	ru.TranslationOf = 0
	if err := st.UpdatePage(ctx, ru); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.PageByID(ctx, ru.ID); got.TranslationGroup != 0 || len(got.Translations) != 0 {
		t.Errorf("unlinked page: group %d translations %+v", got.TranslationGroup, got.Translations)
	}
	ru.TranslationOf = en.ID
	if err := st.UpdatePage(ctx, ru); err != nil {
		t.Fatal(err)
	}
	en2, _ := st.PageByID(ctx, en.ID)
	en2.TranslationOf = ru.ID // naming its own translation keeps the group
	if err := st.UpdatePage(ctx, en2); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.PageByID(ctx, en.ID); got.TranslationGroup != en.ID || len(got.Translations) != 1 {
		t.Errorf("original after naming its translation: group %d, %+v", got.TranslationGroup, got.Translations)
	}
	menu := mk(newsroom.Page{Title: "Контакты", Slug: "kontakty", Language: "ru", InMenu: true})
	list, err := st.MenuPages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range list {
		if p.ID == menu.ID {
			found = p.Language == "ru" && p.Path == "/ru/kontakty/"
		}
	}
	if !found {
		t.Errorf("menu pages lack the Russian page with its language: %+v", list)
	}
	// Deleting the original leaves the translation whole.
	if err := st.DeletePage(ctx, en.ID); err != nil {
		t.Fatal(err)
	}
	if got, err := st.PageByID(ctx, ru.ID); err != nil || got.Path != "/ru/o-nas/" || len(got.Translations) != 0 {
		t.Errorf("translation after its original's deletion: %+v, %v", got, err)
	}
}
