package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"newsdesk/internal/browsertest"
)

// TestBrowserCommenterSeesPendingOnReturn: a reader opens a story (the
// browser stores the page), posts a comment, reads on elsewhere and comes
// back to the plain article address: the browser revalidates instead of
// showing its stored copy, so the comment is there, awaiting moderation.
// Shared caches keep s-maxage, and an unchanged page still answers 304.
func TestBrowserCommenterSeesPendingOnReturn(t *testing.T) {
	ta := newTestApp(t, "", false)
	f := newNewsFixture(t, ta)
	article := ta.srv.URL + f.a.URL
	p := fetch(t, ta, "GET", f.a.URL)
	cc := p.header.Get("Cache-Control")
	if !strings.Contains(cc, "max-age=0") || !strings.Contains(cc, "must-revalidate") || !strings.Contains(cc, "s-maxage=60") {
		t.Errorf("Cache-Control = %q", cc)
	}
	if again := fetch(t, ta, "GET", f.a.URL, "If-None-Match", p.header.Get("ETag")); again.status != http.StatusNotModified {
		t.Errorf("revalidation: %d, want 304", again.status)
	}

	ctx := tab(t, browsertest.New(t))
	browsertest.Run(t, ctx, chromedp.Navigate(article))
	waitSel(t, ctx, "#commentform")
	browsertest.Run(t, ctx, chromedp.Navigate(ta.srv.URL+"/"), chromedp.Navigate(article)) // in the browser's cache now
	waitSel(t, ctx, "#commentform")
	browsertest.Run(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#comment-body"), "The ferry was ten minutes late today."),
		chromedp.SendKeys(chromedp.CSS("#comment-name"), "Ann Reader"),
		chromedp.SendKeys(chromedp.CSS("#comment-email"), "ann@example.org"))
	clickJS(t, ctx, "#commentform button[type=submit]")
	waitSel(t, ctx, ".awaiting")
	// Elsewhere, then back to the plain address (no ?posted).
	browsertest.Run(t, ctx, chromedp.Navigate(ta.srv.URL+"/"), chromedp.Navigate(article))
	waitSel(t, ctx, "#comments")
	if !browsertest.Eval[bool](t, ctx, `location.search === "" && !!document.querySelector(".awaiting") && document.body.textContent.includes("ten minutes late")`) {
		t.Errorf("back on the article, the reader does not see the comment awaiting moderation")
	}
}
