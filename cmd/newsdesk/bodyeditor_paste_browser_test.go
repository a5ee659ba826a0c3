package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"newsdesk/internal/browsertest"
)

// pasteInto clears the body editor, pastes html (with text as the plain
// version) as a browser's paste event carries it, and returns the
// Markdown the editor wrote into the body textarea.
func pasteInto(t *testing.T, ctx context.Context, html, text string) string {
	t.Helper()
	return browsertest.Eval[string](t, ctx, `(() => {
		const ed = newsdeskBodyEditor;
		ed.setMarkdown("");
		ed.view.focus();
		const dt = new DataTransfer();
		dt.setData("text/html", `+jsString(html)+`);
		dt.setData("text/plain", `+jsString(text)+`);
		ed.view.dom.dispatchEvent(new ClipboardEvent("paste", {clipboardData: dt, bubbles: true, cancelable: true}));
		ed.flush();
		return document.getElementById("f-body").value;
	})()`)
}

// TestBrowserBodyEditorPaste: clipboard HTML shaped like Google Docs,
// Word, LibreOffice and a web page keeps its paragraphs, subheads, bold,
// italic, links, lists, quotes and tables, and loses fonts, colours,
// spans, comments and tracking.
func TestBrowserBodyEditorPaste(t *testing.T) {
	ta := newTestApp(t, "", false)
	ctx := browsertest.New(t)
	addJourneyNewsroom(t, ta)
	browsertest.Run(t, ctx, chromedp.Navigate(ta.srv.URL+"/desk/"))
	signIn(t, ctx, "mira@example.org")
	browsertest.Run(t, ctx, chromedp.Navigate(ta.srv.URL+"/desk/articles/new"), chromedp.WaitVisible(chromedp.CSS(`.body-editor-text`)))
	for _, c := range []struct{ file, want string }{
		{"google-docs.html", "## Night ferry timetable\n\nThe **Aurora** sails at *nine* from the north ramp; see the [timetable](https://harbour.example.org/times).\n\n- Monday and Wednesday\n- **Not** on holidays\n\n| Day | Sailings |\n| --- | --- |\n| Monday | 4 |\n\nTickets are sold on board."},
		{"word.html", "## Repairs at the yard\n\nThe hull was **stripped** and *repainted* in dark red, the yard’s foreman said.\n\n- New propellers\n- Fresh **paint**\n\nThe work took three steps:\n\n1. Dry dock\n2. Sea trials\n\n> She is as good as new.\n\nDetails are in the [yard’s notes](https://yard.example.org/aurora?page=2).\n\n| Part | Cost |\n| --- | --- |\n| Propellers | €40,000 |"},
		{"libreoffice.html", "## Fares from January\n\nTickets cost **two euros** more, *except* for children, the [harbour office](https://harbour.example.org/fares) said.\n\n1. Adults: €14\n2. Children: free\n\n> Nobody likes paying more.\n\n| Ticket | Price |\n| --- | --- |\n| Adult | €14 |"},
		{"web-page.html", "## Gulls return to the pier\n\nBy [Kai Lepp](https://birds.example.org/people/kai)\n\nGulls **returned** to the *pier* on Monday, [the bird society](https://birds.example.org/gulls?id=7) said.\n\n> They always come back in spring.\n>\n> — Anu Saar, warden\n\n### Counted on Monday\n\n- Herring gulls\n- Common **gulls**\n\n| Species | Count |\n| --- | --- |\n| Herring gull | 120 |"},
	} {
		b, err := os.ReadFile(filepath.Join("testdata", "paste", c.file))
		must(t, err)
		got := pasteInto(t, ctx, string(b), "plain text of the fragment")
		if got != c.want {
			t.Errorf("%s: pasted as\n%s\nwant\n%s", c.file, got, c.want)
		}
		for _, junk := range []string{"style", "font", "span", "mso", "Calibri", "Arial", "utm_", "fbclid", "google.com/url", "LO1", "Check the figure", "track", "pixel", "ads.example", "<"} {
			if strings.Contains(got, junk) {
				t.Errorf("%s: %q left in the pasted text", c.file, junk)
			}
		}
	}

	// A fragment starting with a subhead pasted at the end of a line goes
	// after it, not into it.
	b, err := os.ReadFile(filepath.Join("testdata", "paste", "word.html"))
	must(t, err)
	got := browsertest.Eval[string](t, ctx, `(() => { const ed = newsdeskBodyEditor; ed.setMarkdown("Before."); ed.view.focus();
		const v = ed.view; v.dispatch(v.state.tr.setSelection(v.state.selection.constructor.atEnd(v.state.doc)));
		const dt = new DataTransfer(); dt.setData("text/html", `+jsString(string(b))+`); dt.setData("text/plain", "x");
		v.dom.dispatchEvent(new ClipboardEvent("paste", {clipboardData: dt, bubbles: true, cancelable: true}));
		ed.flush(); return document.getElementById("f-body").value })()`)
	if !strings.HasPrefix(got, "Before.\n\n## Repairs at the yard\n\nThe hull") {
		t.Errorf("pasted after a line:\n%s", got)
	}

	// A link alone pasted onto an empty line is an embed; plain text is
	// read as Markdown.
	if got := pasteInto(t, ctx, "", "https://vimeo.com/123456"); got != "https://vimeo.com/123456" {
		t.Errorf("a pasted video link is %q", got)
	}
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll(".body-editor-text .embed-card.embed-vimeo").length`); n != 1 {
		t.Errorf("%d Vimeo cards after pasting its link", n)
	}
	if got, want := pasteInto(t, ctx, "", "## Plain\n\nWith **Markdown** and a [link](https://example.org/)."), "## Plain\n\nWith **Markdown** and a [link](https://example.org/)."; got != want {
		t.Errorf("pasted plain text is\n%q\nwant\n%q", got, want)
	}
}
