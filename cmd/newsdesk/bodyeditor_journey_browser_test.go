package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"newsdesk/internal/browsertest"
	"newsdesk/internal/newsroom"
)

// TestBrowserBodyEditorJourney (#14): a correspondent writes a story with
// the rich editor (a subhead, bold, a list, a link, a quote with who said
// it), pastes a fragment from Google Docs and one from Word, drops a
// photograph into the body and captions it, adds a video link that
// becomes an embed, and saves. The stored Markdown is ours; once an
// editor publishes it, the public page shows each piece as a reader
// should see it, loads nothing of the editor, and nothing from YouTube.
// axe finds nothing in the editor at desktop and phone size.
func TestBrowserBodyEditorJourney(t *testing.T) {
	ta := newTestApp(t, "", false)
	ctx := browsertest.New(t)
	sec := addJourneyNewsroom(t, ta)
	bg := context.Background()
	u := ta.srv.URL
	browsertest.SetViewport(t, ctx, browsertest.Desktop)
	audit := auditor(t, ctx, "body-editor-")

	browsertest.Run(t, ctx, chromedp.Navigate(u+"/desk/"))
	signIn(t, ctx, "mira@example.org")
	browsertest.Run(t, ctx,
		chromedp.Navigate(u+"/desk/articles/new"),
		chromedp.WaitVisible(chromedp.CSS(`.body-editor-text`)),
		chromedp.SendKeys(chromedp.CSS(`#f-headline`), "The Aurora is back on the water"),
		chromedp.SetValue(chromedp.CSS(`#f-categories`), strconv.FormatInt(sec.ID, 10)),
	)
	audit("empty-desktop")
	key := func(k string, mods ...chromedp.Modifier) chromedp.Action[chromedp.Void] {
		if len(mods) == 0 {
			return chromedp.KeyEvent(k)
		}
		return chromedp.KeyEvent(k, chromedp.KeyModifiers(mods...))
	}
	typ := func(s string) chromedp.Action[chromedp.Void] { return chromedp.KeyEvent(s) }
	// Enter as a key press without text: CDP's keyDown with text "\r"
	// makes Chromium insert a line of its own besides the editor's.
	enter := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		for _, k := range kb.Encode('\r') {
			if k.Type == kb.KeyChar {
				continue
			}
			if k.Type == kb.KeyDown {
				k.Type, k.Text, k.UnmodifiedText = kb.KeyRawDown, "", ""
			}
			if _, err := cdp.Call(ctx, tg, input.DispatchKeyEvent, *k); err != nil {
				return err
			}
		}
		return nil
	})
	browsertest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(`.body-editor-text`)),
		// A subhead by Markdown shortcut, then bold by Ctrl+B.
		typ("## Back on the water"), enter,
		typ("The night ferry "), key("b", chromedp.ModifierCtrl), typ("Aurora"), key("b", chromedp.ModifierCtrl),
		typ(" sails again from Monday."), enter,
		// A list by "- ", left with a second Enter.
		typ("- Monday"), enter, typ("Friday"), enter, enter,
		// A link: the word selected, Ctrl+K, the address.
		typ("See the timetable"),
	)
	waitEval(t, ctx, `document.getElementById("f-body").value.endsWith("See the timetable")`)
	for range len("timetable") {
		browsertest.Run(t, ctx, key(kb.ArrowLeft, chromedp.ModifierShift))
	}
	waitEval(t, ctx, `(() => { const s = newsdeskBodyEditor.view.state.selection; return s.to - s.from === 9 })()`)
	browsertest.Run(t, ctx,
		key("k", chromedp.ModifierCtrl),
		chromedp.WaitVisible(chromedp.CSS(`#body-link-dialog #body-link-href`)),
		chromedp.SendKeys(chromedp.CSS(`#body-link-href`), "https://harbour.example.org/times?utm_source=desk"),
		chromedp.Click(chromedp.CSS(`#body-link-dialog button[type=submit]`)),
		chromedp.WaitNotVisible(chromedp.CSS(`#body-link-dialog`)),
		key(kb.End), typ("."), enter,
		// A quote by "> ", and who said it from the toolbar.
		typ("> We missed her all summer."),
		chromedp.Click(chromedp.CSS(`.body-toolbar [data-cmd=attribution]`)),
		typ("Tiit Rand, harbour master"), enter, enter,
	)
	// Two fragments pasted from documents.
	for _, f := range []string{"google-docs.html", "word.html"} {
		b, err := os.ReadFile(filepath.Join("testdata", "paste", f))
		must(t, err)
		// On a new line, as after Enter.
		browsertest.Eval[bool](t, ctx, `(() => { newsdeskBodyEditor.focusEnd(); const dt = new DataTransfer(); dt.setData("text/html", `+jsString(string(b))+`); dt.setData("text/plain", "fragment");
			newsdeskBodyEditor.view.dom.dispatchEvent(new ClipboardEvent("paste", {clipboardData: dt, bubbles: true, cancelable: true})); return true })()`)
	}
	// The end of the body, a new paragraph: the video link alone on its
	// line becomes an embed when Enter is pressed.
	browsertest.Eval[bool](t, ctx, `newsdeskBodyEditor.focusEnd(); true`)
	browsertest.Run(t, ctx, typ("https://www.youtube.com/watch?v=skerrow0001"), enter)
	waitEval(t, ctx, `!!document.querySelector(".body-editor-text .embed-card.embed-youtube")`)

	// A photograph dropped onto the body goes to the library, and the
	// dialog asks for its caption, credit and description.
	photo, err := os.ReadFile(journeyPhoto(t))
	must(t, err)
	browsertest.Eval[bool](t, ctx, `(() => { const bin = atob("`+base64.StdEncoding.EncodeToString(photo)+`");
		const bytes = new Uint8Array(bin.length); for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
		const dt = new DataTransfer(); dt.items.add(new File([bytes], "IMG_0301.JPG", {type: "image/jpeg"}));
		const dom = newsdeskBodyEditor.view.dom; const r = dom.querySelector("h2").getBoundingClientRect();
		dom.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, clientX: r.left + 5, clientY: r.top + 5, bubbles: true, cancelable: true}));
		return true })()`)
	browsertest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#body-picture-dialog #body-picture-caption`)))
	audit("picture-dialog")
	browsertest.Run(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#body-picture-caption`), "The Aurora back at the Varde quay"),
		chromedp.SendKeys(chromedp.CSS(`#body-picture-credit`), "Lena Ots"),
		chromedp.SendKeys(chromedp.CSS(`#body-picture-alt`), "A white ferry moored at a stone quay"),
		chromedp.Click(chromedp.CSS(`#body-picture-dialog button[type=submit]`)),
		chromedp.WaitNotVisible(chromedp.CSS(`#body-picture-dialog`)),
	)
	waitEval(t, ctx, `!!document.querySelector(".body-editor-text figure img[src^='/media/i/']")`)
	audit("written-desktop")
	browsertest.SetViewport(t, ctx, browsertest.Phone)
	audit("written-phone")
	browsertest.SetViewport(t, ctx, browsertest.Desktop)

	// Saved. Autosave may already have put the draft's edit address in
	// the location bar (history.replaceState), so the page the save leads
	// to is told apart by a mark the old page carries and a new one lacks.
	browsertest.Eval[bool](t, ctx, `window.beforeSave = true`)
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`#save-button`)))
	waitEval(t, ctx, `!window.beforeSave && location.pathname.match(/^\/desk\/articles\/\d+$/) !== null && document.readyState === "complete" && !!document.querySelector(".body-editor-text")`)
	id, err := strconv.ParseInt(strings.TrimPrefix(browsertest.Eval[string](t, ctx, `location.pathname`), "/desk/articles/"), 10, 64)
	must(t, err)
	a, err := ta.store.ArticleByID(bg, id)
	must(t, err)
	body := a.Body
	for _, want := range []string{
		"## Back on the water",
		"The night ferry **Aurora** sails again from Monday.",
		"- Monday\n- Friday",
		"See the [timetable](https://harbour.example.org/times).",
		"> We missed her all summer.\n>\n> — Tiit Rand, harbour master",
		"## Night ferry timetable", "The **Aurora** sails at *nine*", "| Day | Sailings |\n| --- | --- |\n| Monday | 4 |",
		"## Repairs at the yard", "- New propellers\n- Fresh **paint**", "1. Dry dock\n2. Sea trials", "| Part | Cost |",
		"https://www.youtube.com/watch?v=skerrow0001",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("stored body lacks %q:\n%s", want, body)
		}
	}
	fig := regexp.MustCompile(`(?m)^!\[A white ferry moored at a stone quay\]\((/media/i/[0-9a-f]{2}/[0-9a-f]{64}-[0-9]+\.jpg) "The Aurora back at the Varde quay \| Lena Ots"\)$`)
	if !fig.MatchString(body) {
		t.Errorf("stored body has no figure in our form:\n%s", body)
	}
	for _, junk := range []string{"utm_", "style=", "<span", "mso", "google.com/url", "LO1"} {
		if strings.Contains(body, junk) {
			t.Errorf("stored body keeps %q", junk)
		}
	}
	// The picture was dropped above the first subhead: it comes first.
	if !strings.HasPrefix(body, "![A white ferry") && !strings.HasPrefix(strings.SplitN(body, "\n\n", 2)[1], "![A white ferry") {
		t.Errorf("the dropped picture is not where it was dropped:\n%.200s", body)
	}

	// An editor publishes it (through the API); the public page.
	tok, _ := mustToken(t, ta, newsroom.RoleEditor)
	res := doJSON(t, ta.srv, "PATCH", fmt.Sprintf("/api/v1/articles/%d", id), tok, fmt.Sprintf(`{"revision": %d, "status": "published"}`, a.Revision))
	if res.status != 200 {
		t.Fatalf("publish: %d %s", res.status, res.body)
	}
	a, err = ta.store.ArticleByID(bg, id)
	must(t, err)
	browsertest.Run(t, ctx, chromedp.Navigate(u+a.URL()), chromedp.WaitVisible(chromedp.CSS(`article h1`)))
	browsertest.Screenshot(t, ctx, "body-editor-public")
	for sel, n := range map[string]int{
		"article h2":                                          3,
		"article strong":                                      1,
		"article blockquote p.attribution":                    1,
		"article table th":                                    4,
		"article figure.embed.embed-youtube":                  1,
		"article figure img[srcset*='960w']":                  1,
		"article figure figcaption span.credit":               1,
		"article ul li":                                       4,
		"article ol li":                                       2,
		"article a[href='https://harbour.example.org/times']": 2,
	} {
		if got := browsertest.Eval[int](t, ctx, `document.querySelectorAll(`+jsString(sel)+`).length`); got < n {
			t.Errorf("public page: %d × %s, want at least %d", got, sel, n)
		}
	}
	if got := browsertest.Eval[string](t, ctx, `document.querySelector("article figure figcaption span.credit").textContent`); got != "Lena Ots" {
		t.Errorf("credit = %q", got)
	}
	// The public page loads none of the editor, and nothing from another
	// site (the video's card waits for a click).
	loaded := browsertest.Eval[[]string](t, ctx, `performance.getEntriesByType("resource").map(e => e.name).concat(Array.from(document.scripts).map(s => s.src), Array.from(document.querySelectorAll("link[rel=stylesheet]")).map(l => l.href))`)
	for _, l := range loaded {
		if strings.Contains(l, "body-editor") || strings.Contains(l, "prosemirror") {
			t.Errorf("the public page loads the editor: %s", l)
		}
		if l != "" && !strings.HasPrefix(l, u) {
			t.Errorf("the public page loads from another site: %s", l)
		}
	}
	if browsertest.Eval[bool](t, ctx, `typeof window.newsdeskMarkdown !== "undefined"`) {
		t.Errorf("the editor's script runs on the public page")
	}
}
