package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"newsdesk/internal/api"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/storetest"
	"newsdesk/internal/translate/deepltest"
)

// TestServiceGlossaryInSync, on both databases: with a translation
// service that keeps glossaries, a machine translation makes the
// service's ru>en glossary from the newsroom's glossary and sends its
// glossary_id, the name left to the service and coming back as the
// glossary writes it; editing the entry replaces the service's glossary
// (the old one deleted) and the next translation follows the edit;
// deleting the entry deletes the service's glossary, and the name then
// comes back word by word. Each step is checked on the stand-in itself.
func TestServiceGlossaryInSync(t *testing.T) {
	for _, dsn := range []string{"sqlite", "postgres"} {
		t.Run(dsn, func(t *testing.T) {
			mt := startStandIn(t)
			mut := func(c *Config) { c.Translate = TranslateConfig{URL: mt.URL, Key: "test-key:fx"} }
			var ta *testApp
			if dsn == "sqlite" {
				ta = newTestAppWith(t, "", mut)
			} else {
				ta = newTestAppWith(t, storetest.PostgresDSN(t), mut)
			}
			testServiceGlossary(t, ta, mt)
		})
	}
}

func testServiceGlossary(t *testing.T, ta *testApp, mt *deepltest.Server) {
	editor, _ := mustToken(t, ta, newsroom.RoleEditor)
	mustSection(t, ta, "region", "Region")
	res := doJSON(t, ta.srv, "POST", "/api/v1/glossary", editor, `{"forms":{"ru":"Маяк Варде","en":"Mayak Varde"},"note":"news agency"}`)
	if res.status != http.StatusCreated {
		t.Fatalf("create entry: %d %s", res.status, res.body)
	}
	var entry newsroom.GlossaryEntry
	res.decode(t, &entry)
	translate := func(headline string) api.ArticleJSON {
		t.Helper()
		ru := mustCreateJSON(t, ta, editor, `{"headline":"`+headline+`","body":"Паром снова ходит, как сообщает Маяк Варде.","language":"ru","status":"published","categories":["region"]}`)
		res := doJSON(t, ta.srv, "POST", fmt.Sprintf("/api/v1/articles/%d/translate", ru.ID), editor, `{"language":"en"}`)
		if res.status != http.StatusCreated {
			t.Fatalf("translate: %d %s", res.status, res.body)
		}
		var a api.ArticleJSON
		res.decode(t, &a)
		return a
	}
	lastRequest := func() deepltest.Request {
		reqs := mt.Requests()
		return reqs[len(reqs)-1]
	}

	a := translate("Паром снова ходит")
	gs := mt.Glossaries()
	if len(gs) != 1 || gs[0].SourceLang != "ru" || gs[0].TargetLang != "en" || len(gs[0].Entries) != 1 || gs[0].Entries[0] != [2]string{"Маяк Варде", "Mayak Varde"} {
		t.Fatalf("the service's glossaries: %+v; want one ru>en holding the entry", gs)
	}
	if r := lastRequest(); r.GlossaryID != gs[0].ID || r.SourceLang != "RU" || !strings.Contains(r.Text[len(r.Text)-1], "Маяк Варде") {
		t.Errorf("translate request %+v; want glossary_id %s with source_lang and the name unprotected", r, gs[0].ID)
	}
	if a.Body != "Ferry again runs, as reports Mayak Varde." || len(a.TranslationChecks) != 0 {
		t.Errorf("machine translation with the service's glossary: %q, checks %+v", a.Body, a.TranslationChecks)
	}

	res = doJSON(t, ta.srv, "PATCH", fmt.Sprintf("/api/v1/glossary/%d", entry.ID), editor, `{"forms":{"en":"Mayak Varde Agency"}}`)
	if res.status != http.StatusOK {
		t.Fatalf("edit entry: %d %s", res.status, res.body)
	}
	a = translate("Рейсы отменены")
	now := mt.Glossaries()
	if len(now) != 1 || now[0].ID == gs[0].ID || now[0].Entries[0] != [2]string{"Маяк Варде", "Mayak Varde Agency"} {
		t.Errorf("after the edit the service keeps %+v; want one new glossary with the edited entry", now)
	}
	if a.Body != "Ferry again runs, as reports Mayak Varde Agency." || lastRequest().GlossaryID != now[0].ID {
		t.Errorf("after the edit: %q with glossary %q", a.Body, lastRequest().GlossaryID)
	}

	if res := doJSON(t, ta.srv, "DELETE", fmt.Sprintf("/api/v1/glossary/%d", entry.ID), editor, ""); res.status != http.StatusNoContent {
		t.Fatalf("delete entry: %d %s", res.status, res.body)
	}
	a = translate("Капитан готов")
	if left := mt.Glossaries(); len(left) != 0 {
		t.Errorf("after the entry's deletion the service keeps %+v; want none", left)
	}
	if a.Body != "Ferry again runs, as reports Lighthouse Varde." || lastRequest().GlossaryID != "" {
		t.Errorf("with no glossary entry: %q (glossary %q); want the name word by word", a.Body, lastRequest().GlossaryID)
	}
}
