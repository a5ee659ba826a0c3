package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"newsdesk/internal/browsertest"
)

// TestBrowserReaderJourney opens the home page of a fresh demo site in
// Chromium, follows a card to its article, and checks what a reader sees:
// the figure with its credit line, the byline with its role label, the
// standfirst and the share counters. axe-core must find no serious or
// critical problem on either page at phone and desktop sizes.
func TestBrowserReaderJourney(t *testing.T) {
	ta := newTestApp(t, "", true)
	ctx := browsertest.New(t)
	for _, vp := range []browsertest.Viewport{browsertest.Desktop, browsertest.Phone} {
		t.Run(vp.Name, func(t *testing.T) {
			browsertest.SetViewport(t, ctx, vp)
			browsertest.Run(t, ctx, chromedp.Navigate(ta.srv.URL+"/"))
			browsertest.Screenshot(t, ctx, "home-"+vp.Name)
			if v := browsertest.Axe(t, ctx); len(v) > 0 {
				t.Errorf("home page, %s: accessibility violations:\n%v", vp.Name, v)
			}
			// Follow the lead story's headline link, as a reader would.
			href := browsertest.Eval[string](t, ctx, `document.querySelector("main article :is(h2, h3) a[href]").getAttribute("href")`)
			if href == "" {
				t.Fatal("no card link on the home page")
			}
			browsertest.Run(t, ctx,
				chromedp.Click(chromedp.CSS(`main article :is(h2, h3) a[href="`+href+`"]`)),
				chromedp.WaitVisible(chromedp.CSS(`article h1`)),
			)
			if got := browsertest.Eval[string](t, ctx, `location.pathname`); got != href {
				t.Errorf("after the click the page is %q, want %q", got, href)
			}
			checks := map[string]string{
				"figure image":   `document.querySelector("article figure img") ? document.querySelector("article figure img").alt : ""`,
				"credit line":    `(document.querySelector("article figure figcaption") || {}).textContent || ""`,
				"standfirst":     `(document.querySelector("article header h1 + p, article .standfirst") || {}).textContent || ""`,
				"byline":         `(document.querySelector("article .byline") || {}).textContent || ""`,
				"dateline":       `(document.querySelector("article time[datetime]") || {getAttribute: () => ""}).getAttribute("datetime")`,
				"share counters": `Array.from(document.querySelectorAll("form[action^='/share/'] button")).map(b => b.textContent.trim()).join("|")`,
				"error hint":     `(document.getElementById("error-hint") || {}).textContent || ""`,
			}
			for name, expr := range checks {
				if got := strings.TrimSpace(browsertest.Eval[string](t, ctx, expr)); got == "" {
					t.Errorf("%s: missing on %s", name, href)
				}
			}
			credit := browsertest.Eval[string](t, ctx, `document.querySelector("article figure figcaption").textContent`)
			if !strings.Contains(credit, "Photo") || !strings.Contains(credit, "source") {
				t.Errorf("credit line = %q, want “Photo: …, source – …”", credit)
			}
			shares := browsertest.Eval[int](t, ctx, `document.querySelectorAll("form[action^='/share/']").length`)
			if shares < 6 {
				t.Errorf("%d share buttons, want the usual networks and e-mail (6)", shares)
			}
			browsertest.Screenshot(t, ctx, "article-"+vp.Name)
			if v := browsertest.Axe(t, ctx); len(v) > 0 {
				t.Errorf("article page, %s: accessibility violations:\n%v", vp.Name, v)
			}
		})
	}
}
