package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"newsdesk/internal/browsertest"
)

// TestBrowserSearchJourney: a reader types words into the masthead's search
// box, lands on the results with the words marked, narrows them to a
// section with the form, and opens a result; the home page shows the
// most-read lists, and an article page loads them into its placeholder. axe-core finds no serious or critical problem on the
// search page or the home page at phone and desktop sizes.
func TestBrowserSearchJourney(t *testing.T) {
	ta := newTestAppWith(t, "", func(c *Config) { c.TrustProxy = true })
	f := newDiscoveryFixture(t, ta)
	// A view counts once per reader's address and article.
	for _, addr := range []string{"198.51.100.1", "198.51.100.2"} {
		fetch(t, ta, "GET", f.sibling.URL, "User-Agent", browserUA, "X-Forwarded-For", addr)
	}
	fetch(t, ta, "GET", f.a.URL, "User-Agent", browserUA, "X-Forwarded-For", "198.51.100.1")
	must(t, ta.views.Flush(t.Context()))
	ctx := browsertest.New(t)
	for _, vp := range []browsertest.Viewport{browsertest.Desktop, browsertest.Phone} {
		t.Run(vp.Name, func(t *testing.T) {
			browsertest.SetViewport(t, ctx, vp)
			browsertest.Run(t, ctx,
				chromedp.Navigate(ta.srv.URL+"/"),
				chromedp.SendKeys(`#search-q`, "harbour ice"),
				chromedp.Submit(`#search-q`),
				chromedp.WaitVisible(`li.result`),
			)
			if got := browsertest.Eval[int](t, ctx, `document.querySelectorAll("li.result").length`); got != 2 {
				t.Errorf("%d results for “harbour ice”, want 2", got)
			}
			if got := browsertest.Eval[string](t, ctx, `document.querySelector("li.result mark").textContent`); !strings.EqualFold(got, "harbour") && !strings.EqualFold(got, "ice") {
				t.Errorf("first mark = %q", got)
			}
			browsertest.Screenshot(t, ctx, "search-"+vp.Name)
			if v := browsertest.Axe(t, ctx); len(v) > 0 {
				t.Errorf("search page, %s: accessibility violations:\n%v", vp.Name, v)
			}
			browsertest.Run(t, ctx,
				chromedp.SetValue(`#ss`, "sport"),
				chromedp.Submit(`#sq`),
				chromedp.WaitVisible(`p.count`),
			)
			if got := browsertest.Eval[int](t, ctx, `document.querySelectorAll("li.result").length`); got != 0 {
				t.Errorf("%d results in Sport, want none", got)
			}
			browsertest.Run(t, ctx, chromedp.Navigate(ta.srv.URL+"/"), chromedp.WaitVisible(`.most-read`))
			if got := browsertest.Eval[string](t, ctx, `document.querySelector(".most-read li a").getAttribute("href")`); got != f.sibling.URL {
				t.Errorf("most read first = %q, want %q", got, f.sibling.URL)
			}
			browsertest.Screenshot(t, ctx, "home-most-read-"+vp.Name)
			if v := browsertest.Axe(t, ctx); len(v) > 0 {
				t.Errorf("home page with most read, %s: accessibility violations:\n%v", vp.Name, v)
			}
			// An article page loads its Most read block (its own cached
			// URL) into the place it keeps for it.
			browsertest.Run(t, ctx, chromedp.Navigate(ta.srv.URL+f.a.URL), chromedp.WaitVisible(`aside.most-read.most-read-loaded li a`))
			if got := browsertest.Eval[string](t, ctx, `document.querySelector("aside.most-read li a").getAttribute("href")`); got != f.sibling.URL {
				t.Errorf("article page: most read first = %q, want %q", got, f.sibling.URL)
			}
			if got := browsertest.Eval[int](t, ctx, `document.querySelectorAll("aside.most-read").length`); got != 1 {
				t.Errorf("article page: %d most-read blocks, want 1", got)
			}
			browsertest.Screenshot(t, ctx, "article-most-read-"+vp.Name)
			if v := browsertest.Axe(t, ctx); len(v) > 0 {
				t.Errorf("article page with most read, %s: accessibility violations:\n%v", vp.Name, v)
			}
		})
	}
}
