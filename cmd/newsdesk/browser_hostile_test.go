package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"newsdesk/internal/browsertest"
)

// TestBrowserHostileInputsEverywhere sends every hostile input of
// testdata/xss-vectors.txt through every reader input other than the
// comment form (TestBrowserCommentXSS covers that): the search form's
// fields, the error-report form (its query parameters and, submitted from
// the page, every field), an article's query parameters (paging, tracking
// and made-up ones), the share button's network, and a path of its own.
// In Chromium, with the page's CSP bypassed so that only escaping stands
// between a vector and the page, no script runs and every page is whole:
// it has its heading, its footer and, where one was typed into, the field
// showing exactly what was typed.
func TestBrowserHostileInputsEverywhere(t *testing.T) {
	ta := newTestAppWith(t, "", func(c *Config) { c.Reports.PerIP, c.Reports.PerArticle = -1, -1 })
	f := newNewsFixture(t, ta)
	vectors := xssVectors(t)
	browser := browsertest.New(t)
	rd := tab(t, browser)
	base := ta.srv.URL
	id := strconv.FormatInt(f.a.ID, 10)
	start := time.Now()

	// visit loads target and checks it: nothing ran, the page is whole.
	visit := func(what, target string) {
		t.Helper()
		browsertest.Run(t, rd, chromedp.Navigate(target))
		settle(t, rd, what)
	}
	for i, v := range vectors {
		q := url.QueryEscape(v)
		what := func(where string) string { return fmt.Sprintf("vector %d (%.30q) in %s", i, v, where) }

		// Search: the vector in every field of the form.
		visit(what("search"), base+"/search?q="+q+"&section="+q+"&from="+q+"&to="+q+"&page="+q)
		if want := searchShown(v); plainVector(v) && browsertest.Eval[string](t, rd, `document.getElementById("sq").value`) != want {
			t.Errorf("%s: the search box shows %q, want %q", what("search"), browsertest.Eval[string](t, rd, `document.getElementById("sq").value`), want)
		}

		// The article with the vector as its paging, tracking and made-up parameters.
		visit(what("article parameters"), base+f.a.URL+"?cpage="+q+"&utm_source="+q+"&fbclid="+q+"&"+q+"="+q)
		if h := browsertest.Eval[string](t, rd, `document.querySelector("h1").textContent.trim()`); h != f.a.Headline {
			t.Errorf("%s: heading %q, want the article's", what("article parameters"), h)
		}

		// A path of its own, and the share button's network.
		visit(what("path"), base+"/"+url.PathEscape(v))
		js, _ := json.Marshal(v)
		browsertest.Run(t, rd, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(function(v){window.__old=1; var f=document.createElement("form");
			f.method="post"; f.action="/share/%s/"+encodeURIComponent(v); document.body.appendChild(f); f.submit();})(%s)`, id, js)))
		waitNewPage(t, rd)
		settle(t, rd, what("share network"))

		// The error-report form: the vector as its query parameters, then
		// typed into every field and sent from the page.
		visit(what("report form parameters"), base+"/report-error?article="+id+"&sent="+q+"&status="+q)
		browsertest.Run(t, rd, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(function(v){window.__old=1; var f=document.querySelector("form.report-form");
			f.elements.exact.value=v; f.elements.suggestion.value=v; f.elements.comment.value=v; f.elements.email.value=v; f.submit();})(%s)`, js)))
		waitNewPage(t, rd)
		settle(t, rd, what("report sent"))
		if browsertest.Eval[int](t, rd, `document.querySelectorAll("form.report-form").length`) != 1 {
			t.Errorf("%s: the refused report did not come back as the form", what("report sent"))
		} else if plainVector(v) {
			var kept []string
			must(t, json.Unmarshal([]byte(browsertest.Eval[string](t, rd, `JSON.stringify(["report-exact", "report-suggestion", "report-comment"].map(id => document.getElementById(id).value))`)), &kept))
			for i, got := range kept {
				if got != v {
					t.Errorf("%s: field %d kept %q, want what was typed", what("report sent"), i, got)
				}
			}
		}
	}
	t.Logf("%d vectors × 6 pages in Chromium in %v", len(vectors), time.Since(start).Round(time.Second))
}

// settle gives a loaded page's event handlers a moment, then checks in
// one look that no vector ran and that the page is whole.
func settle(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	time.Sleep(50 * time.Millisecond) // onload, onerror, onfocus, animations
	var st struct {
		Ready, Probe, Whole bool
		XSS                 int
		Text                string
	}
	raw := browsertest.Eval[string](t, ctx, `JSON.stringify({Ready: document.readyState === "complete", XSS: window.__xss === 1 ? 1 : 0,
		Probe: typeof window.xssHit === "function",
		Whole: !!document.querySelector("header") && !!document.querySelector("main h1") && !!document.querySelector("footer"),
		Text: document.body ? document.body.innerText.slice(0, 200) : ""})`)
	if err := json.Unmarshal([]byte(raw), &st); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	switch {
	case st.XSS == 1:
		t.Errorf("%s: a vector ran (window.__xss is set)", what)
	case !st.Probe:
		t.Errorf("%s: the xssHit probe is missing, so the check proves nothing", what)
	case !st.Ready || !st.Whole:
		t.Errorf("%s: the page is not whole (loaded %v; header, main h1, footer %v): %q", what, st.Ready, st.Whole, st.Text)
	}
}

// searchShown is what the search box shows for a typed q: the text as the
// search reads it (trimmed, valid UTF-8, at most 500 bytes).
func searchShown(v string) string {
	text := strings.TrimSpace(strings.ToValidUTF8(v, ""))
	if len(text) > 500 {
		text = strings.ToValidUTF8(text[:500], "")
	}
	return text
}
