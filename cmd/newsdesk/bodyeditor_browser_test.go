package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"newsdesk/internal/browsertest"
	"newsdesk/internal/render"
)

// bodyForms are the body's Markdown forms, each as the rich editor writes
// it: reading one into the editor and writing it back gives it unchanged.
var bodyForms = map[string]string{
	"paragraphs":      "The ferry left at nine.\n\nIt came back at noon.",
	"subheads":        "## The crossing\n\nCalm water.\n\n### At the quay\n\nA crowd.",
	"bold-italic":     "The *Aurora* sails **again**, with _new_ engines and __old__ crew.",
	"links":           "Read [the notice](https://harbour.example.org/notice \"Harbour office\") or <https://harbour.example.org/times>, and see https://harbour.example.org/map.",
	"site-link":       "See [our earlier story](/harbour/2026/11/ferry-returns).",
	"bullets":         "Three things changed:\n\n- the engines\n- the timetable\n  - weekdays\n  - weekends\n- the fares",
	"numbers":         "1. Buy a ticket\n2. Board at the north ramp\n3. Keep the ticket",
	"numbers-from":    "4. Fourth\n5. Fifth",
	"loose-list":      "- First, a long point.\n\n- Second, another.",
	"quote":           "> We are glad to have her back.\n>\n> — Tiit Rand, harbour master",
	"quote-plain":     "> One paragraph quoted.",
	"figure":          "![The ferry at the quay](/media/i/ab/ab12-960.jpg \"The Aurora back at Varde | Lena Ots\")",
	"figure-nocredit": "![Gulls on the pier](/media/i/cd/cd34-960.jpg \"Gulls wait for the catch\")",
	"embed":           "Before.\n\nhttps://www.youtube.com/watch?v=skerrow0001\nThe crossing, filmed from the bridge\n\nAfter.",
	"embed-bare":      "https://vimeo.com/123456",
	"embed-angle":     "<https://example.org/a_(b)>\nA map of the route",
	"embed-x":         "https://x.com/harbour/status/12345\nThe harbour's post \\[in Estonian\\]",
	"embed-file":      "[harbour-report.mp3](/media/files/2024/03/harbour-report.mp3)\nThe harbour master's report, 14 March",
	"table":           "| Day | Sailings | Fare |\n| --- | ---: | :---: |\n| Monday | 4 | €12 |\n| Sunday | 2 | €10 \\| €8 |",
	"footnotes":       "The ferry is 40 years old.[^1] Its engines are new.[^note]\n\n[^1]: Built in 1986.\n\n[^note]: Fitted in October.",
	"code":            "Use `ticket --day monday` to check.",
	"strike":          "The fare is ~~€14~~ €12.",
	"hard-break":      "Harbour office\\\nVarde",
	"rule":            "Part one.\n\n---\n\nPart two.",
	"escapes":         "Not a \\*bold\\* word.\n\n1986\\. was a year.",
	"inline-image":    "A small ![map](/media/i/ef/ef56-480.jpg) inline.",
}

// TestBrowserBodyEditorRoundTrip: the rich editor reads every form of the
// body's Markdown and writes it back unchanged, and what it writes for
// other spellings renders as the original does.
func TestBrowserBodyEditorRoundTrip(t *testing.T) {
	ta := newTestApp(t, "", false)
	ctx := browsertest.New(t)
	addJourneyNewsroom(t, ta)
	browsertest.SetViewport(t, ctx, browsertest.Desktop)
	browsertest.Run(t, ctx, chromedp.Navigate(ta.srv.URL+"/desk/"))
	signIn(t, ctx, "mira@example.org")
	browsertest.Run(t, ctx, chromedp.Navigate(ta.srv.URL+"/desk/articles/new"), chromedp.WaitVisible(chromedp.CSS(`.body-editor-text`)))
	rd := render.New()
	for name, md := range bodyForms {
		got := browsertest.Eval[string](t, ctx, `newsdeskMarkdown.roundTrip(`+jsString(md)+`)`)
		if got != md {
			t.Errorf("%s: the editor wrote\n%s\nfor\n%s", name, got, md)
		}
	}
	// Other spellings: the editor may write them its own way, and the
	// page shows the same.
	others := map[string]string{
		"star-bullets": "* one\n* two",
		"setext":       "The crossing\n------------\n\nText.",
		"soft-lines":   "One line\nand the next line.",
		"entity":       "Fish &amp; chips &copy; 2026",
		"h4":           "#### A small head",
		"lazy-quote":   "> Quoted\nand lazily continued.",
		"autolink":     "See www.harbour.example.org today.",
	}
	for name, md := range others {
		got := browsertest.Eval[string](t, ctx, `newsdeskMarkdown.roundTrip(`+jsString(md)+`)`)
		want, err := rd.Markdown(md)
		must(t, err)
		have, err := rd.Markdown(got)
		must(t, err)
		if strings.Join(strings.Fields(want), " ") != strings.Join(strings.Fields(have), " ") {
			t.Errorf("%s: the editor wrote\n%s\nwhich renders\n%s\nnot\n%s", name, got, have, want)
		}
	}

	// In the page: the body typed into the textarea (as another script or
	// the Markdown view would) is shown in the editor, and the editor's
	// Markdown goes back into the textarea the form submits.
	all := bodyForms["subheads"] + "\n\n" + bodyForms["quote"] + "\n\n" + bodyForms["embed"] + "\n\n" + bodyForms["table"] + "\n\n" + bodyForms["figure"]
	browsertest.Eval[bool](t, ctx, `newsdeskBodyEditor.setMarkdown(`+jsString(all)+`); true`)
	if got := browsertest.Eval[string](t, ctx, `document.getElementById("f-body").value`); got != all {
		t.Errorf("textarea after loading the editor:\n%s\nwant\n%s", got, all)
	}
	for sel, n := range map[string]int{".body-editor-text h2": 1, ".body-editor-text h3": 1, ".body-editor-text blockquote p.attribution": 1,
		".body-editor-text .embed-card.embed-youtube": 1, ".body-editor-text table th": 3, ".body-editor-text figure img": 1} {
		if got := browsertest.Eval[int](t, ctx, `document.querySelectorAll(`+jsString(sel)+`).length`); got != n {
			t.Errorf("%s: %d in the editor, want %d", sel, got, n)
		}
	}
	if got := browsertest.Eval[string](t, ctx, `document.querySelector(".body-editor-text .embed-card .embed-provider").textContent`); got != "YouTube" {
		t.Errorf("embed card names %q", got)
	}
}

// writeBodyMarkdown types Markdown into the body in the rich editor's
// Markdown view and goes back to the rich view.
func writeBodyMarkdown(md string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.WaitVisible(chromedp.CSS(`.body-editor-text`)),
		chromedp.Click(chromedp.CSS(`.body-toolbar [data-toggle=markdown]`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-body`)),
		chromedp.SendKeys(chromedp.CSS(`#f-body`), md),
		chromedp.Click(chromedp.CSS(`.body-toolbar [data-toggle=markdown]`)),
		chromedp.WaitVisible(chromedp.CSS(`.body-editor-text`)),
	)
}
