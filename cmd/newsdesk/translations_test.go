package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"newsdesk/internal/api"
	"newsdesk/internal/newsroom"
)

// mustCreateJSON creates an article through the API and returns it.
func mustCreateJSON(t *testing.T, ta *testApp, token, body string) api.ArticleJSON {
	t.Helper()
	res := doJSON(t, ta.srv, "POST", "/api/v1/articles", token, body)
	if res.status != http.StatusCreated {
		t.Fatalf("create %s: %d %s", body, res.status, res.body)
	}
	var a api.ArticleJSON
	res.decode(t, &a)
	return a
}

func getArticleJSON(t *testing.T, ta *testApp, token string, id int64) api.ArticleJSON {
	t.Helper()
	res := doJSON(t, ta.srv, "GET", fmt.Sprintf("/api/v1/articles/%d", id), token, "")
	if res.status != http.StatusOK {
		t.Fatalf("GET article %d: %d %s", id, res.status, res.body)
	}
	var a api.ArticleJSON
	res.decode(t, &a)
	return a
}

// TestAPITranslations: a Russian original and its English translation,
// made with translation_of, link both ways in their JSON with each one's
// edition URL; readers see only public members; bad links are 4xx naming
// translation_of and leave nothing behind.
func TestAPITranslations(t *testing.T) {
	forEachStore(t, func(t *testing.T, ta *testApp) {
		editor, _ := mustToken(t, ta, newsroom.RoleEditor)
		mustSection(t, ta, "region", "Region")
		ru := mustCreateJSON(t, ta, editor, `{"headline":"Паром на Скерру снова ходит","body":"Линия открыта.","language":"ru","status":"published","categories":["region"]}`)
		if ru.URL != "/ru/region/parom-na-skerru-snova-khodit" || len(ru.Translations) != 0 || ru.TranslationOf != nil {
			t.Errorf("Russian original: url %q translations %+v translation_of %v", ru.URL, ru.Translations, ru.TranslationOf)
		}
		// No language given: the other one.
		en := mustCreateJSON(t, ta, editor, fmt.Sprintf(`{"headline":"The Skerra ferry runs again","body":"The line is open.","categories":["region"],"translation_of":%d}`, ru.ID))
		if en.Language != "en" || en.Status != newsroom.Draft || en.URL != "/region/the-skerra-ferry-runs-again" {
			t.Errorf("translation: language %q status %q url %q; want an English draft at the plain path", en.Language, en.Status, en.URL)
		}
		if en.TranslationOf == nil || *en.TranslationOf != ru.ID || len(en.Translations) != 1 ||
			en.Translations[0] != (api.TranslationJSON{ID: ru.ID, Language: "ru", URL: ru.URL, Status: newsroom.Published, Original: true}) {
			t.Errorf("translation links: translation_of %v translations %+v; want the Russian original", en.TranslationOf, en.Translations)
		}
		// Staff see the draft member; readers do not, until it is public.
		got := getArticleJSON(t, ta, editor, ru.ID)
		if len(got.Translations) != 1 || got.Translations[0].ID != en.ID || got.Translations[0].URL != en.URL || got.Translations[0].Original {
			t.Errorf("original's translations for staff: %+v; want the English draft", got.Translations)
		}
		if got := getArticleJSON(t, ta, "", ru.ID); len(got.Translations) != 0 {
			t.Errorf("original's translations for a reader while the translation is a draft: %+v; want none", got.Translations)
		}
		res := doJSON(t, ta.srv, "PATCH", fmt.Sprintf("/api/v1/articles/%d", en.ID), editor, fmt.Sprintf(`{"revision":%d,"status":"published"}`, en.Revision))
		if res.status != http.StatusOK {
			t.Fatalf("publish translation: %d %s", res.status, res.body)
		}
		if got := getArticleJSON(t, ta, "", ru.ID); len(got.Translations) != 1 || got.Translations[0].Language != "en" {
			t.Errorf("original's translations for a reader once published: %+v", got.Translations)
		}
		if got := getArticleJSON(t, ta, "", en.ID); len(got.Translations) != 1 || got.Translations[0].ID != ru.ID {
			t.Errorf("translation's translations for a reader: %+v", got.Translations)
		}

		for _, tc := range []struct {
			body   string
			status int
		}{
			{fmt.Sprintf(`{"headline":"Второй русский","language":"ru","translation_of":%d}`, ru.ID), http.StatusUnprocessableEntity},
			{fmt.Sprintf(`{"headline":"Second English","language":"en","translation_of":%d}`, ru.ID), http.StatusConflict},
			{`{"headline":"Of nothing","translation_of":987654}`, http.StatusUnprocessableEntity},
			{`{"headline":"Of zero","translation_of":0}`, http.StatusUnprocessableEntity},
		} {
			res := doJSON(t, ta.srv, "POST", "/api/v1/articles", editor, tc.body)
			if res.status != tc.status || !strings.Contains(res.body, `"field":"translation_of"`) {
				t.Errorf("POST %s: %d %s; want %d on translation_of", tc.body, res.status, res.body, tc.status)
			}
		}
		var list struct {
			Total int `json:"total"`
		}
		doJSON(t, ta.srv, "GET", "/api/v1/articles?status=draft", editor, "").decode(t, &list)
		if list.Total != 0 {
			t.Errorf("refused translations left %d drafts", list.Total)
		}
	})
}
