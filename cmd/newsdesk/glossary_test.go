package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"newsdesk/internal/api"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/translate/deepltest"
)

// standInWords is the translation stand-in's dictionary: word by word, it
// renders the fictional news agency "Маяк Варде" as "Lighthouse Varde".
var standInWords = map[string]string{
	"как": "as", "сообщает": "reports", "маяк": "lighthouse", "варде": "varde", "паром": "ferry",
	"снова": "again", "ходит": "runs", "мы": "we", "готовы": "ready", "капитан": "captain",
	"подробнее": "more", "на": "on", "сайте": "site", "рейсы": "crossings", "отменены": "cancelled",
}

// startStandIn runs the DeepL-compatible stand-in for the test.
func startStandIn(t *testing.T) *deepltest.Server {
	t.Helper()
	srv := deepltest.New("test-key:fx", standInWords)
	t.Cleanup(srv.Close)
	return srv
}

// TestGlossaryAndMachineTranslation, on both databases: editors keep the
// glossary; a human translation that renders a glossary name otherwise
// carries a warning in translation_checks (gone once fixed); a machine
// translation through the stand-in comes back with the name as the
// glossary writes it and the Markdown structure kept, as a draft marked
// machine_translated that readers cannot see.
func TestGlossaryAndMachineTranslation(t *testing.T) {
	mt := startStandIn(t)
	forEachStoreWith(t, func(c *Config) { c.Translate = TranslateConfig{URL: mt.URL, Key: "test-key:fx"} }, func(t *testing.T, ta *testApp) {
		editor, _ := mustToken(t, ta, newsroom.RoleEditor)
		corr, _ := mustToken(t, ta, newsroom.RoleCorrespondent)
		mustSection(t, ta, "region", "Region")

		// The glossary: editors write it, correspondents read it.
		if res := doJSON(t, ta.srv, "POST", "/api/v1/glossary", corr, `{"forms":{"ru":"Маяк Варде","en":"Mayak Varde"}}`); res.status != http.StatusForbidden {
			t.Errorf("correspondent creates an entry: %d %s", res.status, res.body)
		}
		if res := doJSON(t, ta.srv, "POST", "/api/v1/glossary", editor, `{"forms":{"ru":"Маяк Варде"}}`); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `"field":"forms"`) {
			t.Errorf("one form: %d %s", res.status, res.body)
		}
		res := doJSON(t, ta.srv, "POST", "/api/v1/glossary", editor, `{"forms":{"ru":"Маяк Варде","en":"Mayak Varde"},"note":"news agency; never translated"}`)
		if res.status != http.StatusCreated {
			t.Fatalf("create entry: %d %s", res.status, res.body)
		}
		var entry newsroom.GlossaryEntry
		res.decode(t, &entry)
		var list struct {
			Entries []newsroom.GlossaryEntry `json:"entries"`
		}
		doJSON(t, ta.srv, "GET", "/api/v1/glossary", corr, "").decode(t, &list)
		if len(list.Entries) != 1 || list.Entries[0].Forms["en"] != "Mayak Varde" {
			t.Errorf("glossary for a correspondent: %+v", list)
		}
		other := doJSON(t, ta.srv, "POST", "/api/v1/glossary", editor, `{"forms":{"ru":"Скерра","en":"Skerra"}}`)
		var skerra newsroom.GlossaryEntry
		other.decode(t, &skerra)
		if res := doJSON(t, ta.srv, "PATCH", fmt.Sprintf("/api/v1/glossary/%d", skerra.ID), editor, `{"note":"the island"}`); res.status != http.StatusOK || !strings.Contains(res.body, `"note":"the island"`) {
			t.Errorf("patch entry: %d %s", res.status, res.body)
		}
		if res := doJSON(t, ta.srv, "DELETE", fmt.Sprintf("/api/v1/glossary/%d", skerra.ID), editor, ""); res.status != http.StatusNoContent {
			t.Errorf("delete entry: %d %s", res.status, res.body)
		}

		// A human translation that translated the name word by word.
		body := `Паром снова ходит, как сообщает Маяк Варде.\n\n> Мы готовы.\n>\n> — капитан\n\nПодробнее [на сайте](https://mayak.example/parom).`
		ru := mustCreateJSON(t, ta, editor, `{"headline":"Паром снова ходит","body":"`+body+`","language":"ru","status":"published","categories":["region"]}`)
		en := mustCreateJSON(t, ta, editor, fmt.Sprintf(`{"headline":"The ferry runs again","body":"The ferry runs again, as Lighthouse Varde reports.","categories":["region"],"translation_of":%d}`, ru.ID))
		if len(en.TranslationChecks) != 1 || en.TranslationChecks[0].EntryID != entry.ID || en.TranslationChecks[0].Want != "Mayak Varde" {
			t.Errorf("human translation's checks: %+v; want the Mayak Varde warning", en.TranslationChecks)
		}
		res = doJSON(t, ta.srv, "PATCH", fmt.Sprintf("/api/v1/articles/%d", en.ID), editor, fmt.Sprintf(`{"revision":%d,"body":"The ferry runs again, as Mayak Varde reports."}`, en.Revision))
		var fixed api.ArticleJSON
		res.decode(t, &fixed)
		if res.status != http.StatusOK || len(fixed.TranslationChecks) != 0 {
			t.Errorf("after the fix: %d, checks %+v; want none", res.status, fixed.TranslationChecks)
		}

		// Machine translation of a second story.
		ru2 := mustCreateJSON(t, ta, editor, `{"headline":"Рейсы отменены","body":"`+body+`","language":"ru","status":"published","categories":["region"]}`)
		res = doJSON(t, ta.srv, "POST", fmt.Sprintf("/api/v1/articles/%d/translate", ru2.ID), corr, `{"language":"en"}`)
		if res.status != http.StatusCreated {
			t.Fatalf("machine translation: %d %s", res.status, res.body)
		}
		var mtd api.ArticleJSON
		res.decode(t, &mtd)
		wantBody := "Ferry again runs, as reports Mayak Varde.\n\n> We ready.\n>\n> — captain\n\nMore [on site](https://mayak.example/parom)."
		if mtd.Status != newsroom.Draft || !mtd.MachineTranslated || mtd.Language != "en" || mtd.Body != wantBody ||
			mtd.Headline != "Crossings cancelled" || mtd.TranslationOf == nil || *mtd.TranslationOf != ru2.ID {
			t.Errorf("machine translation: status %s machine %v language %s headline %q translation_of %v body:\n%s\nwant:\n%s",
				mtd.Status, mtd.MachineTranslated, mtd.Language, mtd.Headline, mtd.TranslationOf, mtd.Body, wantBody)
		}
		if len(mtd.TranslationChecks) != 0 {
			t.Errorf("machine translation's checks: %+v; want none (the name came back right)", mtd.TranslationChecks)
		}
		// Not public until an editor publishes it.
		if res := doJSON(t, ta.srv, "GET", mtd.URL, "", ""); res.status != http.StatusNotFound {
			t.Errorf("GET %s (machine draft) as a reader: %d, want 404", mtd.URL, res.status)
		}
		if res := doJSON(t, ta.srv, "GET", fmt.Sprintf("/api/v1/articles/%d", mtd.ID), "", ""); res.status != http.StatusNotFound {
			t.Errorf("API GET of the machine draft as a reader: %d, want 404", res.status)
		}
		if home := doJSON(t, ta.srv, "GET", "/", "", ""); strings.Contains(home.body, mtd.URL) {
			t.Errorf("the English home links the machine draft")
		}
		if res := doJSON(t, ta.srv, "POST", fmt.Sprintf("/api/v1/articles/%d/translate", ru2.ID), editor, `{"language":"en"}`); res.status != http.StatusConflict {
			t.Errorf("second machine translation into English: %d %s, want 409", res.status, res.body)
		}
		if res := doJSON(t, ta.srv, "POST", fmt.Sprintf("/api/v1/articles/%d/translate", ru2.ID), editor, `{"language":"de"}`); res.status != http.StatusUnprocessableEntity {
			t.Errorf("translation into de: %d %s, want 422", res.status, res.body)
		}
		// Published by an editor, readers are told it is a machine translation.
		res = doJSON(t, ta.srv, "PATCH", fmt.Sprintf("/api/v1/articles/%d", mtd.ID), editor, fmt.Sprintf(`{"revision":%d,"status":"published"}`, mtd.Revision))
		if res.status != http.StatusOK {
			t.Fatalf("publish machine translation: %d %s", res.status, res.body)
		}
		doc := getDoc(t, ta, mtd.URL)
		if got := strings.TrimSpace(doc.Find(".machine-note").Text()); got != "Machine translation, reviewed by the editors" {
			t.Errorf("published machine translation's note %q", got)
		}
		if len(mt.Requests()) == 0 || mt.Requests()[0].TagHandling != "xml" {
			t.Errorf("stand-in requests %+v", mt.Requests())
		}
	})
}

// TestMachineTranslationOffByDefault: without --translate-url the
// endpoint does not exist.
func TestMachineTranslationOffByDefault(t *testing.T) {
	ta := newTestApp(t, "", false)
	editor, _ := mustToken(t, ta, newsroom.RoleEditor)
	a := mustCreateJSON(t, ta, editor, `{"headline":"Паром","language":"ru"}`)
	if res := doJSON(t, ta.srv, "POST", fmt.Sprintf("/api/v1/articles/%d/translate", a.ID), editor, `{"language":"en"}`); res.status != http.StatusNotFound {
		t.Errorf("translate without a service: %d %s, want 404", res.status, res.body)
	}
}

// TestMachineTranslationServiceFailing: a translation service that fails
// (an error answer, then one that does not answer at all) gets the editor
// a 503 naming the service, and no draft translation is left behind: the
// original still lists no translation and the store holds no new story.
func TestMachineTranslationServiceFailing(t *testing.T) {
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"message":"Quota exceeded"}`, 456)
	}))
	t.Cleanup(failing.Close)
	gone := httptest.NewServer(http.NotFoundHandler())
	goneURL := gone.URL
	gone.Close() // nothing listens there any more
	for _, tc := range []struct{ name, url string }{{"error answer", failing.URL}, {"no answer", goneURL}} {
		t.Run(tc.name, func(t *testing.T) {
			ta := newTestAppWith(t, "", func(c *Config) { c.Translate = TranslateConfig{URL: tc.url, Key: "test-key:fx"} })
			editor, _ := mustToken(t, ta, newsroom.RoleEditor)
			ru := mustCreateJSON(t, ta, editor, `{"headline":"Паром снова ходит","body":"Паром снова ходит.","language":"ru"}`)
			count := func() int {
				t.Helper()
				n, err := ta.store.CountByStatus(context.Background(), newsroom.ArticleFilter{})
				must(t, err)
				total := 0
				for _, c := range n {
					total += c
				}
				return total
			}
			before := count()
			res := doJSON(t, ta.srv, "POST", fmt.Sprintf("/api/v1/articles/%d/translate", ru.ID), editor, `{"language":"en"}`)
			if res.status != http.StatusServiceUnavailable || !strings.Contains(res.body, "translation service") {
				t.Errorf("translate with a failing service: %d %s, want 503 naming the service", res.status, res.body)
			}
			after := count()
			var got api.ArticleJSON
			doJSON(t, ta.srv, "GET", fmt.Sprintf("/api/v1/articles/%d", ru.ID), editor, "").decode(t, &got)
			if after != before || len(got.Translations) != 0 {
				t.Errorf("after the failure: %d stories (was %d), translations %v; want nothing saved", after, before, got.Translations)
			}
		})
	}
}
