package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"newsdesk/internal/api"
	"newsdesk/internal/browsertest"
	"newsdesk/internal/newsroom"
)

// TestBrowserEmbedLoadsOnClick: a story with embeds (the stored form of
// docs/EMBEDS.md) loads nothing from YouTube or X while the reader reads;
// a click on the YouTube card puts the privacy-enhanced player in its
// place; the X post stays a link card. The page passes axe-core.
func TestBrowserEmbedLoadsOnClick(t *testing.T) {
	ta := newTestApp(t, "", false)
	editor, _ := mustToken(t, ta, newsroom.RoleEditor)
	mustSection(t, ta, "harbour", "Harbour")
	res := doJSON(t, ta.srv, "POST", "/api/v1/articles", editor, `{"headline":"The first crossing, on film","status":"published","categories":["harbour"],
		"body":"The boat left at nine.\n\nhttps://youtu.be/skerrow0001\nThe crossing, filmed from the bridge\n\nhttps://x.com/skerrowcourier/status/1769\n\nMore to follow."}`)
	if res.status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	var a api.ArticleJSON
	res.decode(t, &a)

	ctx := browsertest.New(t)
	browsertest.SetViewport(t, ctx, browsertest.Phone)
	audit := auditor(t, ctx, "embed-")
	browsertest.Run(t, ctx, chromedp.Navigate(ta.srv.URL+a.URL), chromedp.WaitVisible(chromedp.CSS(`figure.embed-youtube a.embed-card`)))
	audit("article")
	// Nothing came from elsewhere: every resource the page loaded is ours.
	foreign := `performance.getEntriesByType("resource").map(e => e.name).filter(n => !n.startsWith(location.origin))`
	if got := browsertest.Eval[[]string](t, ctx, foreign); len(got) != 0 {
		t.Errorf("loaded before any click: %v", got)
	}
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll("iframe, script[src^='http']").length`); n != 0 {
		t.Errorf("%d frames or foreign scripts before any click", n)
	}
	if got := text(t, ctx, "figure.embed-x .embed-provider"); got != "X" {
		t.Errorf("X card provider %q", got)
	}
	if got := browsertest.Eval[string](t, ctx, `document.querySelector("figure.embed-x a.embed-card").href`); got != "https://x.com/skerrowcourier/status/1769" {
		t.Errorf("X card links to %q", got)
	}

	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`figure.embed-youtube a.embed-card`)))
	waitEval(t, ctx, `!!document.querySelector("figure.embed-youtube .embed-frame iframe")`)
	src := browsertest.Eval[string](t, ctx, `document.querySelector("figure.embed-youtube iframe").src`)
	if !strings.HasPrefix(src, "https://www.youtube-nocookie.com/embed/skerrow0001") {
		t.Errorf("player %q", src)
	}
	if got := browsertest.Eval[string](t, ctx, `location.pathname`); got != a.URL {
		t.Errorf("the click left the page for %s", got)
	}
	if got := text(t, ctx, "figure.embed-youtube figcaption"); got != "The crossing, filmed from the bridge" {
		t.Errorf("caption after the click %q", got)
	}
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll("figure.embed-x iframe").length`); n != 0 {
		t.Error("the X card loaded something")
	}
}
