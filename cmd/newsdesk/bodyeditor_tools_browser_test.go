package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"newsdesk/internal/browsertest"
)

// TestBrowserBodyEditorTools: the toolbar's table and footnote, undo and
// redo, the Markdown view both ways, a picture picked from the library;
// and without JavaScript the body is the plain textarea.
func TestBrowserBodyEditorTools(t *testing.T) {
	ta := newTestApp(t, "", false)
	ctx := browsertest.New(t)
	addJourneyNewsroom(t, ta)
	browsertest.SetViewport(t, ctx, browsertest.Desktop)
	browsertest.Run(t, ctx, chromedp.Navigate(ta.srv.URL+"/desk/"))
	signIn(t, ctx, "mira@example.org")
	browsertest.Run(t, ctx, chromedp.Navigate(ta.srv.URL+"/desk/articles/new"), chromedp.WaitVisible(chromedp.CSS(`.body-editor-text`)))
	md := func() string {
		return browsertest.Eval[string](t, ctx, `newsdeskBodyEditor.flush(); document.getElementById("f-body").value`)
	}
	click := func(cmd string) chromedp.Action[chromedp.Void] {
		return chromedp.Click(chromedp.CSS(`.body-toolbar [data-cmd="` + cmd + `"]`))
	}

	// The body's label leads to the editor.
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`label[for="f-body"]`)))
	if !browsertest.Eval[bool](t, ctx, `document.activeElement === document.querySelector(".body-editor-text")`) {
		t.Errorf("the body's label does not focus the editor")
	}

	// Markdown typed as you go: **bold**, _italic_, `code`.
	browsertest.Run(t, ctx, chromedp.KeyEvent("Make it **bold**, _leaning_ and `fixed` now"))
	if got, want := md(), "Make it **bold**, *leaning* and `fixed` now"; got != want {
		t.Errorf("typed Markdown became %q, want %q", got, want)
	}
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll(".body-editor-text strong, .body-editor-text em, .body-editor-text code").length`); n != 3 {
		t.Errorf("%d marks from typed Markdown, want 3", n)
	}
	browsertest.Eval[bool](t, ctx, `newsdeskBodyEditor.setMarkdown(""); true`)

	// A table from the toolbar: Tab moves from cell to cell.
	browsertest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(`.body-editor-text`)),
		chromedp.KeyEvent("Fares from January"),
		click("table"),
		chromedp.KeyEvent("Ticket\tPrice\tAdult\t€14"),
	)
	waitEval(t, ctx, `!document.querySelector('.body-toolbar [data-cmd="row"]').hidden`)
	browsertest.Run(t, ctx, click("row"))
	if got, want := md(), "Fares from January\n\n| Ticket | Price |\n| --- | --- |\n| Adult | €14 |\n|  |  |\n|  |  |"; got != want {
		t.Errorf("after the table:\n%q\nwant\n%q", got, want)
	}
	browsertest.Run(t, ctx, click("delete-row"))

	// A footnote at the end of the first paragraph.
	browsertest.Eval[bool](t, ctx, `(() => { const v = newsdeskBodyEditor.view; v.focus();
		const sel = v.state.selection.constructor.near(v.state.doc.resolve(v.state.doc.firstChild.nodeSize - 1));
		v.dispatch(v.state.tr.setSelection(sel)); return true })()`)
	browsertest.Run(t, ctx, click("footnote"), chromedp.KeyEvent("Children travel free."))
	got := md()
	if !strings.HasPrefix(got, "Fares from January[^1]\n\n| Ticket |") || !strings.HasSuffix(got, "\n\n[^1]: Children travel free.") {
		t.Errorf("after the footnote:\n%s", got)
	}

	// Undo takes the note's words back, redo brings them again.
	browsertest.Run(t, ctx, click("undo"))
	if strings.Contains(md(), "Children travel free.") {
		t.Errorf("undo left the note's words:\n%s", md())
	}
	browsertest.Run(t, ctx, click("redo"))
	if !strings.Contains(md(), "Children travel free.") {
		t.Errorf("redo did not bring the note back:\n%s", md())
	}

	// Deleting the reference deletes its note; undo brings both back.
	browsertest.Eval[bool](t, ctx, `(() => { const v = newsdeskBodyEditor.view; let at = -1;
		v.state.doc.descendants((n, pos) => { if (n.type.name === "footnote_ref") at = pos; });
		v.dispatch(v.state.tr.delete(at, at + 1)); return true })()`)
	if got := md(); strings.Contains(got, "[^1]") || strings.Contains(got, "Children travel free.") {
		t.Errorf("after deleting the reference:\n%s", got)
	}
	browsertest.Run(t, ctx, click("undo"))
	if got := md(); !strings.Contains(got, "January[^1]") || !strings.Contains(got, "[^1]: Children travel free.") {
		t.Errorf("undo did not bring the footnote back:\n%s", got)
	}

	// The Markdown view: edited by hand, read back into the editor.
	browsertest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(`.body-toolbar [data-toggle=markdown]`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-body`)),
	)
	if browsertest.Eval[bool](t, ctx, `!!document.querySelector(".body-editor-text").offsetParent`) {
		t.Errorf("the rich view is still shown in the Markdown view")
	}
	browsertest.Eval[bool](t, ctx, `(() => { const b = document.getElementById("f-body"); b.value = "## Typed by hand\n\n" + b.value; b.dispatchEvent(new Event("input", {bubbles: true})); return true })()`)
	browsertest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(`.body-toolbar [data-toggle=markdown]`)),
		chromedp.WaitVisible(chromedp.CSS(`.body-editor-text h2`)),
	)
	if got := browsertest.Eval[string](t, ctx, `document.querySelector(".body-editor-text h2").textContent`); got != "Typed by hand" {
		t.Errorf("subhead from the Markdown view = %q", got)
	}

	// A picture from the library: the picker's upload, then its caption.
	browsertest.Eval[bool](t, ctx, `newsdeskBodyEditor.focusEnd(); true`)
	browsertest.Run(t, ctx, click("picture"))
	browsertest.Run(t, ctx,
		chromedp.WaitVisible(chromedp.CSS(`dialog.picker #picker-file`)),
		chromedp.SetUploadFiles(chromedp.CSS(`#picker-file`), []string{journeyPhoto(t)}),
		chromedp.WaitVisible(chromedp.CSS(`#body-picture-dialog #body-picture-alt`)),
		chromedp.SendKeys(chromedp.CSS(`#body-picture-caption`), "The north ramp"),
		chromedp.SendKeys(chromedp.CSS(`#body-picture-alt`), "A steel ramp down to the water"),
		chromedp.Click(chromedp.CSS(`#body-picture-dialog button[type=submit]`)),
		chromedp.WaitNotVisible(chromedp.CSS(`#body-picture-dialog`)),
	)
	if got := md(); !strings.Contains(got, `![A steel ramp down to the water](/media/i/`) || !strings.Contains(got, `"The north ramp")`) {
		t.Errorf("no library picture in the body:\n%s", got)
	}

	// Without JavaScript: the textarea, and no toolbar.
	scripts(t, ctx, false)
	browsertest.Run(t, ctx, chromedp.Navigate(ta.srv.URL+"/desk/articles/new"), chromedp.WaitVisible(chromedp.CSS(`#f-body`)))
	if browsertest.Eval[int](t, ctx, `document.querySelectorAll(".body-toolbar, .body-editor-text").length`) != 0 {
		t.Errorf("the rich editor's parts show without JavaScript")
	}
	scripts(t, ctx, true)
}
