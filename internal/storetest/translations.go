package storetest

import (
	"strings"
	"testing"
	"time"

	"newsdesk/internal/newsroom"
)

// testTranslations checks linked translations: a Russian original and its
// English translation list each other, one member per language, a
// translation's original must exist and be in another language, an
// unpublished member stays linked but is not public, an edition's
// listing keeps its language, and sitemap entries carry the alternates.
func testTranslations(t *testing.T, st Store) {
	f := newFixture(t, st)
	at := time.Now().Add(-time.Hour).UTC().Truncate(time.Second)
	ru := published("Паром снова ходит на остров", f.world, at)
	ru.Slug, ru.Language = "parom-snova-khodit", "ru"
	mustCreateArticle(t, st, ru)
	if ru.TranslationGroup != 0 {
		t.Errorf("a story with no translation: group %d, want 0", ru.TranslationGroup)
	}
	en := published("The ferry runs to the island again", f.europe, at.Add(time.Minute))
	en.Slug, en.Language, en.TranslationOf = "ferry-runs-again", "en", ru.ID
	mustCreateArticle(t, st, en)
	if en.TranslationGroup != ru.ID {
		t.Errorf("translation's group = %d, want the original's id %d", en.TranslationGroup, ru.ID)
	}

	gotRU, gotEN := mustGet(t, st, ru.ID), mustGet(t, st, en.ID)
	wantLink := func(what string, a *newsroom.Article, other *newsroom.Article, original bool) {
		t.Helper()
		if len(a.Translations) != 1 {
			t.Fatalf("%s: %d translations %+v, want 1", what, len(a.Translations), a.Translations)
		}
		tr := a.Translations[0]
		if tr.ID != other.ID || tr.Language != other.Language || tr.URL() != other.URL() || tr.Original != original || tr.Status != other.Status {
			t.Errorf("%s: translation %+v (URL %s); want id %d, %s, %s, original %v", what, tr, tr.URL(), other.ID, other.Language, other.URL(), original)
		}
	}
	wantLink("original", gotRU, en, false)
	wantLink("translation", gotEN, ru, true)
	if !gotRU.IsOriginal() || gotEN.IsOriginal() {
		t.Errorf("IsOriginal: original %v, translation %v; want true, false", gotRU.IsOriginal(), gotEN.IsOriginal())
	}
	bySlug, err := st.ArticleBySlug(ctx, en.Slug)
	if err != nil || len(bySlug.Translations) != 1 {
		t.Errorf("ArticleBySlug: %v, translations %+v; want the original listed", err, bySlug)
	}

	// Refused links.
	same := draft("Ещё один перевод", f.world)
	same.Language, same.TranslationOf = "ru", ru.ID
	wantCode(t, "translation in the original's language", st.CreateArticle(ctx, same), newsroom.Invalid, "translation_of")
	second := draft("A second English version", f.world)
	second.Language, second.TranslationOf = "en", ru.ID
	wantCode(t, "second translation in one language", st.CreateArticle(ctx, second), newsroom.Conflict, "translation_of")
	viaTranslation := draft("Another English version", f.world)
	viaTranslation.Language, viaTranslation.TranslationOf = "en", en.ID
	wantCode(t, "translation of the translation in its language", st.CreateArticle(ctx, viaTranslation), newsroom.Invalid, "translation_of")
	unknown := draft("Of nothing", f.world)
	unknown.Language, unknown.TranslationOf = "en", 999999
	wantCode(t, "translation of an unknown story", st.CreateArticle(ctx, unknown), newsroom.Invalid, "translation_of")
	if _, total := find(t, st, newsroom.ArticleFilter{}); total != 2 {
		t.Errorf("after refused translations: %d articles, want 2 (nothing left behind)", total)
	}
	// A member may not move into a language the group has.
	gotEN.Language = "ru"
	wantCode(t, "translation moved to the original's language", st.UpdateArticle(ctx, gotEN, gotEN.Revision), newsroom.Conflict, "language")

	// An update keeps the group whatever the caller sent.
	gotEN = mustGet(t, st, en.ID)
	gotEN.TranslationGroup, gotEN.Headline = 0, "The ferry is back on the island route"
	mustUpdate(t, st, gotEN)
	if gotEN.TranslationGroup != ru.ID {
		t.Errorf("after update: group %d, want %d", gotEN.TranslationGroup, ru.ID)
	}

	// Listing by language: each edition its own.
	for lang, want := range map[string]int64{"ru": ru.ID, "en": en.ID} {
		list, total := find(t, st, newsroom.ArticleFilter{Language: lang})
		if total != 1 || len(list) != 1 || list[0].ID != want {
			t.Errorf("FindArticles(Language %s): %d of %d, want article %d only", lang, len(list), total, want)
		}
	}
	now := time.Now()
	hits, _, err := st.Search(ctx, newsroom.SearchQuery{Text: "ferry", Language: "ru", PublicAt: &now})
	if err != nil || len(hits) != 0 {
		t.Errorf("Search(ferry, ru) = %d hits, %v; want none (the English story is not in the Russian edition)", len(hits), err)
	}

	// Sitemap entries carry the group's other public members.
	entries, err := st.SitemapEntries(ctx, now, 1, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if len(e.Translations) != 1 {
			t.Errorf("sitemap entry %d (%s): translations %+v, want the other member", e.ID, e.Language, e.Translations)
		}
	}

	// Unpublishing the original breaks nothing: the translation is still
	// linked, only not to a public page.
	gotRU = mustGet(t, st, ru.ID)
	gotRU.Status = newsroom.Unpublished
	mustUpdate(t, st, gotRU)
	gotEN = mustGet(t, st, en.ID)
	if len(gotEN.Translations) != 1 || gotEN.Translations[0].Status != newsroom.Unpublished {
		t.Errorf("after unpublishing the original: translation lists %+v, want it unpublished", gotEN.Translations)
	}
	if pub := gotEN.PublicTranslations(now); len(pub) != 0 {
		t.Errorf("PublicTranslations after unpublishing the original = %+v, want none", pub)
	}
	entries, err = st.SitemapEntries(ctx, now, 1, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].ID != en.ID || len(entries[0].Translations) != 0 {
		t.Errorf("sitemap after unpublishing the original: %+v, want the translation alone", entries)
	}
}

// testPublicLanguages checks the languages the site publishes in: none
// with no public story, a draft or a story dated later does not count, a
// published story in a language does until it is unpublished.
func testPublicLanguages(t *testing.T, st Store) {
	f := newFixture(t, st)
	now := time.Now().UTC().Truncate(time.Second)
	want := func(what string, at time.Time, langs ...string) {
		t.Helper()
		got, err := st.PublicLanguages(ctx, at)
		if err != nil || strings.Join(got, ",") != strings.Join(langs, ",") {
			t.Errorf("%s: PublicLanguages = %q, %v; want %q", what, got, err, langs)
		}
	}
	want("empty newsroom", now)
	d := draft("Черновик", f.world)
	d.Language = "ru"
	mustCreateArticle(t, st, d)
	en := published("A story", f.world, now.Add(-time.Hour))
	mustCreateArticle(t, st, en)
	want("a Russian draft, an English story", now, "en")
	later := published("Завтрашняя новость", f.world, now.Add(time.Hour))
	later.Language, later.Slug = "ru", "zavtra"
	mustCreateArticle(t, st, later)
	want("a Russian story dated later", now, "en")
	want("once its time has come", now.Add(2*time.Hour), "en", "ru")
	later.Status = newsroom.Draft
	mustUpdate(t, st, later)
	want("unpublished", now.Add(2*time.Hour), "en")
}
