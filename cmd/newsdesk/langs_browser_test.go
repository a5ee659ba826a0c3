package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"newsdesk/internal/browsertest"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/storetest"
)

// TestBrowserTranslationJourney (issue 17): an editor opens a Russian
// story in the desk, has it machine-translated with the Translations
// panel's button (the stand-in service), fixes a sentence of the draft,
// publishes it; a reader on the Russian story switches to English and
// lands on the translation, with the agency's name as the glossary writes
// it and English chrome, and switches back.
func TestBrowserTranslationJourney(t *testing.T) {
	mt := startStandIn(t)
	ta := newTestAppWith(t, "", func(c *Config) { c.Translate = TranslateConfig{URL: mt.URL, Key: "test-key:fx"} })
	ctx := browsertest.New(t)
	bg := context.Background()
	addJourneyNewsroom(t, ta)
	must(t, ta.store.CreateGlossaryEntry(bg, &newsroom.GlossaryEntry{Forms: map[string]string{"ru": "Маяк Варде", "en": "Mayak Varde"}, Note: "news agency"}))
	token, _ := mustToken(t, ta, newsroom.RoleEditor)
	ru := mustCreateJSON(t, ta, token, `{"headline":"Паром снова ходит","standfirst":"Рейсы отменены не будут.","body":"Паром снова ходит, как сообщает Маяк Варде.\n\n> Мы готовы.\n>\n> — капитан","language":"ru","status":"published","categories":["harbour"],"comments_open":true}`)
	u := ta.srv.URL
	browsertest.SetViewport(t, ctx, browsertest.Desktop)
	audit := auditor(t, ctx, "langs-")

	browsertest.Run(t, ctx, chromedp.Navigate(u+"/desk/"))
	signIn(t, ctx, "ines@example.org")
	browsertest.Run(t, ctx, chromedp.Navigate(fmt.Sprintf("%s/desk/articles/%d", u, ru.ID)), chromedp.WaitVisible(chromedp.CSS(`#translations`)))
	audit("editor-original")
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`#machine-translate-en`)))
	waitEval(t, ctx, `location.search === "?done=translation" && document.readyState === "complete"`)
	draftPath := browsertest.Eval[string](t, ctx, `location.pathname`)
	if got := browsertest.Eval[string](t, ctx, `document.getElementById("f-headline").value`); got != "Ferry again runs" {
		t.Errorf("machine-translated headline %q", got)
	}
	body := browsertest.Eval[string](t, ctx, `document.getElementById("f-body").value`)
	if !strings.Contains(body, "Mayak Varde") || strings.Contains(body, "Lighthouse") || !strings.Contains(body, "> — captain") {
		t.Errorf("machine-translated body keeps neither the name nor the quote:\n%s", body)
	}
	audit("editor-translation")
	// The editor fixes the word-by-word sentence and publishes.
	browsertest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS(`.body-editor-text`)))
	browsertest.Eval[bool](t, ctx, `(() => { const b = document.getElementById("f-body");
		b.value = b.value.replace("Ferry again runs, as reports Mayak Varde.", "The ferry is running again, Mayak Varde reports."); b.dispatchEvent(new Event("input", {bubbles: true})); return true })()`)
	browsertest.Run(t, ctx,
		chromedp.Focus(chromedp.CSS(`.body-editor-text`)),
		chromedp.KeyEvent("s", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
	)
	waitEval(t, ctx, `location.search === "?done=saved" && document.readyState === "complete"`)
	// The pre-publish check lists what is missing (no lead picture) and
	// asks for a confirmation.
	browsertest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(`button[name=action][value=publish]`)),
		chromedp.WaitVisible(chromedp.CSS(`#confirm-button`)),
		chromedp.Click(chromedp.CSS(`#confirm-button`)),
	)
	waitEval(t, ctx, `location.pathname === "`+draftPath+`" && document.readyState === "complete" && document.querySelector(".state .badge")?.textContent === "Published"`)

	// A reader on the Russian story switches to English.
	browsertest.Run(t, ctx, chromedp.Navigate(u+ru.URL), chromedp.WaitVisible(chromedp.CSS(`nav.languages`)))
	if got := browsertest.Eval[string](t, ctx, `document.documentElement.lang`); got != "ru" {
		t.Errorf("Russian story: html lang %q", got)
	}
	audit("story-ru")
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`nav.languages a[hreflang=en]`)), chromedp.WaitVisible(chromedp.CSS(`article h1`)))
	waitEval(t, ctx, `document.documentElement.lang === "en"`)
	if got := browsertest.Eval[string](t, ctx, `document.querySelector("article h1").textContent`); got != "Ferry again runs" {
		t.Errorf("after switching: headline %q", got)
	}
	text := browsertest.Eval[string](t, ctx, `document.querySelector("article").textContent`)
	if !strings.Contains(text, "The ferry is running again, Mayak Varde reports.") || !strings.Contains(text, "Machine translation, reviewed by the editors") {
		t.Errorf("the English story lacks the fixed sentence or the machine-translation note:\n%s", text)
	}
	if got := browsertest.Eval[string](t, ctx, `document.querySelector("nav.sections li a").textContent`); got != "Home" {
		t.Errorf("English chrome: %q", got)
	}
	audit("story-en")
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`nav.languages a[hreflang=ru]`)), chromedp.WaitVisible(chromedp.CSS(`article h1`)))
	waitEval(t, ctx, `document.documentElement.lang === "ru" && location.pathname === "`+ru.URL+`"`)
	browsertest.SetViewport(t, ctx, browsertest.Phone)
	audit("story-ru-phone")
	browsertest.SetViewport(t, ctx, browsertest.Desktop)
	browsertest.Run(t, ctx, chromedp.Navigate(u+"/desk/glossary"), chromedp.WaitVisible(chromedp.CSS(`table.glossary-list`)))
	audit("glossary")
}

// TestBrowserHumanTranslationJourney (issue 17), on both databases: an
// editor starts an English translation of a Russian story with the
// Translations panel's "Translate" button (a person's translation, no
// service involved), writes an English draft that renders the news
// agency's name word by word, and sees the glossary's warning in the
// panel and in the pre-publish check; goes back, writes the name as the
// glossary says, and the warning is gone from both; publishes. A reader
// then finds the English story linked to the Russian one.
func TestBrowserHumanTranslationJourney(t *testing.T) {
	for _, db := range []string{"sqlite", "postgres"} {
		t.Run(db, func(t *testing.T) {
			dsn := ""
			if db == "postgres" {
				dsn = storetest.PostgresDSN(t)
			}
			humanTranslationJourney(t, newTestAppWith(t, dsn, nil))
		})
	}
}

func humanTranslationJourney(t *testing.T, ta *testApp) {
	ctx := browsertest.New(t)
	bg := context.Background()
	addJourneyNewsroom(t, ta)
	must(t, ta.store.CreateGlossaryEntry(bg, &newsroom.GlossaryEntry{Forms: map[string]string{"ru": "Маяк Варде", "en": "Mayak Varde"}, Note: "news agency"}))
	token, _ := mustToken(t, ta, newsroom.RoleEditor)
	ru := mustCreateJSON(t, ta, token, `{"headline":"Паром снова ходит","standfirst":"Рейсы отменены не будут.","body":"Паром снова ходит, как сообщает Маяк Варде.\n\n> Мы готовы.","language":"ru","status":"published","categories":["harbour"]}`)
	u := ta.srv.URL
	browsertest.SetViewport(t, ctx, browsertest.Desktop)
	audit := auditor(t, ctx, "langs-human-")

	browsertest.Run(t, ctx, chromedp.Navigate(u+"/desk/"))
	signIn(t, ctx, "ines@example.org")
	browsertest.Run(t, ctx, chromedp.Navigate(fmt.Sprintf("%s/desk/articles/%d", u, ru.ID)), chromedp.WaitVisible(chromedp.CSS(`#translations`)))
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll("#machine-translate-en").length`); n != 0 {
		t.Errorf("a machine translation button without a service (%d)", n)
	}
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`#translate-en`)))
	waitEval(t, ctx, `location.search === "?done=translation" && document.readyState === "complete"`)
	draftPath := browsertest.Eval[string](t, ctx, `location.pathname`)
	// The draft starts from the original's fields; the editor writes the
	// English text, the agency's name rendered word by word.
	if got := browsertest.Eval[string](t, ctx, `document.getElementById("f-body").value`); !strings.Contains(got, "Маяк Варде") {
		t.Errorf("the translation draft does not start from the original's body: %q", got)
	}
	browsertest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS(`.body-editor-text`)))
	write := func(headline, body string) {
		t.Helper()
		browsertest.Eval[bool](t, ctx, fmt.Sprintf(`(() => {
			const h = document.getElementById("f-headline"); h.value = %q; h.dispatchEvent(new Event("input", {bubbles: true}));
			const s = document.getElementById("f-standfirst"); s.value = "No crossing will be cancelled."; s.dispatchEvent(new Event("input", {bubbles: true}));
			const b = document.getElementById("f-body"); b.value = %q; b.dispatchEvent(new Event("input", {bubbles: true})); return true })()`, headline, body))
		browsertest.Run(t, ctx,
			chromedp.Focus(chromedp.CSS(`.body-editor-text`)),
			chromedp.KeyEvent("s", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		)
		waitEval(t, ctx, `location.search === "?done=saved" && document.readyState === "complete"`)
	}
	write("The ferry runs again", "The ferry runs again, as Lighthouse Varde reports.\n\n> We are ready.")
	// The Translations panel warns after the save.
	browsertest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#translation-checks`)))
	if got := browsertest.Eval[string](t, ctx, `document.getElementById("translation-checks").textContent`); !strings.Contains(got, "Mayak Varde") {
		t.Errorf("the panel's warning: %q", got)
	}
	audit("editor-warning")
	// Publish: the pre-publish check lists the glossary warning.
	browsertest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(`button[name=action][value=publish]`)),
		chromedp.WaitVisible(chromedp.CSS(`#confirm-button`)),
	)
	finding := `document.querySelector('#findings li[data-code="translation_glossary"]')`
	if got := browsertest.Eval[string](t, ctx, `(`+finding+`?.textContent || "")`); !strings.Contains(got, "Маяк Варде") || !strings.Contains(got, "Mayak Varde") {
		t.Fatalf("the pre-publish check lacks the glossary warning (got %q):\n%s", got,
			browsertest.Eval[string](t, ctx, `document.querySelector(".checks-list")?.textContent || ""`))
	}
	audit("check-warning")
	// Back to the story; the editor writes the name as the glossary says.
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`#back-button`)))
	waitEval(t, ctx, `location.pathname === "`+draftPath+`" && document.readyState === "complete" && !!document.getElementById("f-body")`)
	browsertest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS(`.body-editor-text`)))
	write("The ferry runs again", "The ferry runs again, Mayak Varde reports.\n\n> We are ready.")
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll("#translation-checks").length`); n != 0 {
		t.Errorf("the panel still warns after the fix")
	}
	browsertest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(`button[name=action][value=publish]`)),
		chromedp.WaitVisible(chromedp.CSS(`#confirm-button`)),
	)
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('#findings li[data-code="translation_glossary"]').length`); n != 0 {
		t.Errorf("the pre-publish check still lists the glossary warning after the fix")
	}
	audit("check-clear")
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`#confirm-button`)))
	waitEval(t, ctx, `location.pathname === "`+draftPath+`" && document.readyState === "complete" && document.querySelector(".state .badge")?.textContent === "Published"`)

	// The reader: the Russian story switches to the English one.
	browsertest.Run(t, ctx, chromedp.Navigate(u+ru.URL), chromedp.WaitVisible(chromedp.CSS(`nav.languages`)))
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`nav.languages a[hreflang=en]`)), chromedp.WaitVisible(chromedp.CSS(`article h1`)))
	waitEval(t, ctx, `document.documentElement.lang === "en"`)
	text := browsertest.Eval[string](t, ctx, `document.querySelector("article").textContent`)
	if !strings.Contains(text, "The ferry runs again, Mayak Varde reports.") || strings.Contains(text, "Machine translation") {
		t.Errorf("the published translation:\n%s", text)
	}
	audit("story-en")
}
