package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"newsdesk/internal/browsertest"
	"newsdesk/internal/newsroom"
)

// selectWords selects the n-th occurrence (from 0) of words inside the
// element matching css, as a reader's mouse would.
func selectWords(t *testing.T, ctx context.Context, css, words string, n int) {
	t.Helper()
	ok := browsertest.Eval[bool](t, ctx, fmt.Sprintf(`(() => {
		const root = document.querySelector(%q), want = %q;
		const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
		let seen = 0;
		for (let node = w.nextNode(); node; node = w.nextNode()) {
			for (let i = node.data.indexOf(want); i >= 0; i = node.data.indexOf(want, i + 1)) {
				if (seen++ === %d) {
					const r = document.createRange();
					r.setStart(node, i); r.setEnd(node, i + want.length);
					const sel = getSelection(); sel.removeAllRanges(); sel.addRange(r);
					return true;
				}
			}
		}
		return false })()`, css, words, n))
	if !ok {
		t.Fatalf("could not select %q #%d in %s", words, n, css)
	}
}

// TestBrowserErrorReport: a reader selects a word in the body, presses
// Ctrl+Enter, sees the dialog with the word in its sentence and sends a
// suggestion; the editor finds it in the desk's queue and applies it; the
// public page shows the corrected word. Then the same on a phone with the
// touch button, and the form without JavaScript.
func TestBrowserErrorReport(t *testing.T) {
	ta := newTestAppWith(t, "", func(c *Config) { c.Reports.PerIP = 100 })
	ctx := browsertest.New(t)
	editorToken, _ := mustToken(t, ta, newsroom.RoleEditor)
	addStaff(t, ta, "ines@example.org", "Ines Laar", newsroom.RoleEditor)
	a := mustPublish(t, ta, editorToken, "Ferry back on time", reportBody)
	u := ta.srv.URL
	audit := auditor(t, ctx, "")

	// Desktop: select the second "teh" and press Ctrl+Enter.
	browsertest.SetViewport(t, ctx, browsertest.Desktop)
	browsertest.Run(t, ctx, chromedp.Navigate(u+a.URL), chromedp.WaitVisible(chromedp.CSS(`article h1`)))
	if hint := browsertest.Eval[string](t, ctx, `document.getElementById("error-hint-text").textContent`); !strings.Contains(hint, "Ctrl+Enter") {
		t.Errorf("hint = %q, want it to name Ctrl+Enter", hint)
	}
	selectWords(t, ctx, ".body", "teh", 1)
	browsertest.Run(t, ctx, chromedp.KeyEvent("\r", chromedp.KeyModifiers(chromedp.ModifierCtrl)))
	waitEval(t, ctx, `document.getElementById("report-dialog").open`)
	if got := browsertest.Eval[string](t, ctx, `document.querySelector("#report-quote mark").textContent`); got != "teh" {
		t.Errorf("marked word = %q", got)
	}
	if got := browsertest.Eval[string](t, ctx, `document.getElementById("report-quote").textContent`); got != "By noon teh ferry reached Kelby, said the “harbour” master." {
		t.Errorf("sentence in the dialog = %q", got)
	}
	if got := browsertest.Eval[string](t, ctx, `document.activeElement.id`); got != "report-suggestion" {
		t.Errorf("focus is on %q, want the suggestion field", got)
	}
	audit("report-dialog-desktop")
	// Escape closes it; Ctrl+Enter opens it again.
	browsertest.Run(t, ctx, chromedp.KeyEvent("\x1b"))
	waitEval(t, ctx, `!document.getElementById("report-dialog").open`)
	selectWords(t, ctx, ".body", "teh", 1)
	browsertest.Run(t, ctx, chromedp.KeyEvent("\r", chromedp.KeyModifiers(chromedp.ModifierCtrl)))
	waitEval(t, ctx, `document.getElementById("report-dialog").open`)
	browsertest.Run(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#report-suggestion`), "the"),
		chromedp.SendKeys(chromedp.CSS(`#report-comment`), "Typo"),
		chromedp.Click(chromedp.CSS(`#report-dialog .report-send`)),
	)
	waitEval(t, ctx, `document.getElementById("report-status").textContent.startsWith("Thank you")`)
	if got := browsertest.Eval[string](t, ctx, `document.getElementById("report-live").textContent`); !strings.HasPrefix(got, "Thank you") {
		t.Errorf("live region = %q", got)
	}
	waitEval(t, ctx, `!document.getElementById("report-dialog").open`)

	// The editor finds it in the queue and applies it.
	browsertest.Run(t, ctx, chromedp.Navigate(u+"/desk/error-reports"))
	signIn(t, ctx, "ines@example.org")
	browsertest.Run(t, ctx, chromedp.Navigate(u+"/desk/error-reports"), chromedp.WaitVisible(chromedp.CSS(`.report`)))
	if got := browsertest.Eval[string](t, ctx, `document.querySelector(".report .report-place mark").textContent`); got != "teh" {
		t.Fatalf("queued report marks %q", got)
	}
	if got := browsertest.Eval[string](t, ctx, `document.querySelector('.side a[href="/desk/error-reports"] .count').textContent`); got != "1" {
		t.Errorf("nav count = %q", got)
	}
	audit("report-queue")
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`.report form[action$="/apply"] button`)))
	waitEval(t, ctx, `location.search === "?done=applied" && document.readyState === "complete"`)
	// (A query string: the browser's own cache may still hold the page.)
	browsertest.Run(t, ctx, chromedp.Navigate(u+a.URL+"?after=apply"), chromedp.WaitVisible(chromedp.CSS(`article h1`)))
	body := browsertest.Eval[string](t, ctx, `document.querySelector(".body").textContent`)
	if !strings.Contains(body, "By noon the ferry") || !strings.Contains(body, "teh harbour") {
		t.Errorf("public body after apply: %q", body)
	}
	// A reader without a session gets the corrected page from the cache too.
	if doc := getDoc(t, ta, a.URL); !strings.Contains(doc.Find(".body").Text(), "By noon the ferry") {
		t.Errorf("cached public page not corrected: %q", doc.Find(".body").Text())
	}

	// On a Mac the hint names Cmd+Enter, and Cmd+Enter opens the dialog.
	if _, err := chromedp.Call(ctx, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{
		UserAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36",
		Platform:  "MacIntel", UserAgentMetadata: &emulation.UserAgentMetadata{Platform: "macOS", Architecture: "arm", Model: "", Mobile: false},
	}); err != nil {
		t.Fatal(err)
	}
	browsertest.Run(t, ctx, chromedp.Navigate(u+a.URL+"?mac=1"), chromedp.WaitVisible(chromedp.CSS(`article h1`)))
	waitEval(t, ctx, `document.getElementById("error-hint-text").textContent.includes("Cmd+Enter")`)
	selectWords(t, ctx, "h1", "back", 0)
	browsertest.Run(t, ctx, chromedp.KeyEvent("\r", chromedp.KeyModifiers(chromedp.ModifierMeta)))
	waitEval(t, ctx, `document.getElementById("report-dialog").open && document.querySelector("#report-quote mark").textContent === "back"`)
	browsertest.Run(t, ctx, chromedp.KeyEvent("\x1b"))
	waitEval(t, ctx, `!document.getElementById("report-dialog").open`)

	// Phone: after a selection the touch button appears beside it.
	browsertest.Run(t, ctx, chromedp.Navigate(u+"/desk/"), chromedp.Click(chromedp.CSS(`.me button`)), chromedp.WaitVisible(chromedp.CSS(`#email`)))
	browsertest.SetViewport(t, ctx, browsertest.Phone)
	browsertest.Run(t, ctx, chromedp.Navigate(u+a.URL), chromedp.WaitVisible(chromedp.CSS(`article h1`)))
	if hint := browsertest.Eval[string](t, ctx, `document.getElementById("error-hint-text").textContent`); !strings.Contains(hint, "Report error") {
		t.Errorf("phone hint = %q, want it to name the button", hint)
	}
	selectWords(t, ctx, ".body", "Kelby", 0)
	waitEval(t, ctx, `!document.getElementById("report-touch").hidden`)
	browsertest.Screenshot(t, ctx, "report-touch-button")
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`#report-touch`)))
	waitEval(t, ctx, `document.getElementById("report-dialog").open`)
	if got := browsertest.Eval[string](t, ctx, `document.querySelector("#report-quote mark").textContent`); got != "Kelby" {
		t.Errorf("phone: marked word = %q", got)
	}
	audit("report-dialog-phone")
	browsertest.Run(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#report-suggestion`), "Kelbie"),
		chromedp.Click(chromedp.CSS(`#report-dialog .report-send`)),
	)
	waitEval(t, ctx, `document.getElementById("report-status").textContent.startsWith("Thank you")`)

	// Without JavaScript: the link leads to a plain form that works.
	scripts(t, ctx, false)
	browsertest.Run(t, ctx, chromedp.Navigate(u+a.URL), chromedp.WaitVisible(chromedp.CSS(`#error-hint a`)),
		chromedp.Click(chromedp.CSS(`#error-hint a`)), chromedp.WaitVisible(chromedp.CSS(`#report-exact`)),
		chromedp.SendKeys(chromedp.CSS(`#report-exact`), "master"),
		chromedp.SendKeys(chromedp.CSS(`#report-suggestion`), "harbourmaster"),
		chromedp.Click(chromedp.CSS(`.report-form .report-send`)),
		chromedp.WaitVisible(chromedp.CSS(`.report-thanks`)),
	)
	scripts(t, ctx, true)
	audit("report-form-thanks")
	browsertest.Run(t, ctx, chromedp.Navigate(fmt.Sprintf("%s/report-error?article=%d", u, a.ID)), chromedp.WaitVisible(chromedp.CSS(`#report-exact`)))
	audit("report-form")

	var list struct {
		Reports []struct {
			Exact  string `json:"exact"`
			Status string `json:"status"`
		} `json:"reports"`
	}
	doJSON(t, ta.srv, "GET", "/api/v1/error-reports?status=all", editorToken, "").decode(t, &list)
	var got []string
	for _, r := range list.Reports {
		got = append(got, r.Exact+"/"+r.Status)
	}
	if strings.Join(got, ",") != "master/open,Kelby/open,teh/fixed" {
		t.Errorf("reports = %v", got)
	}
}

// scripts turns the page's JavaScript on or off.
func scripts(t *testing.T, ctx context.Context, on bool) {
	t.Helper()
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on}); err != nil {
		t.Fatalf("set script execution: %v", err)
	}
}
