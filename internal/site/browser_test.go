package site

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"newsdesk/internal/browsertest"
	"newsdesk/internal/newsroom"
)

// TestPagesInBrowser opens every page type in headless Chromium at phone
// and desktop sizes: no serious axe-core findings, no sideways scrolling,
// and a full-page screenshot of each (NEWSDESK_SCREENSHOTS keeps them).
func TestPagesInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test in -short mode")
	}
	f := newFixture(t, "en")
	var a *newsroom.Article
	for i, slug := range []string{"ferries-resume", "harbour-wall", "quay-market", "night-boat", "ticket-prices"} {
		a = f.mustCreateArticle(slug, withImage, func(a *newsroom.Article) {
			a.PublishedAt = f.clock.At(-time.Duration(i+1) * time.Hour)
			a.Tags = []newsroom.Tag{{Slug: "ferries"}}
			a.Sources = []newsroom.Source{{Name: "Varde Harbour Office", URL: "https://harbour.example/notice"}}
			if i%2 == 1 {
				a.Categories = []newsroom.Category{{Slug: "coast"}}
			}
		})
	}
	srv := httptest.NewServer(f.h)
	defer srv.Close()
	ctx := browsertest.New(t)
	pages := map[string]string{
		"home":    "/",
		"article": a.URL(),
		"section": "/world/",
		"tag":     "/tag/ferries",
		"author":  "/author/ada-brenn",
		"404":     "/no/such/page",
	}
	for _, v := range []browsertest.Viewport{browsertest.Phone, browsertest.Desktop} {
		browsertest.SetViewport(t, ctx, v)
		for name, path := range pages {
			browsertest.Run(t, ctx, chromedp.Navigate(srv.URL+path))
			if w := browsertest.Eval[int](t, ctx, `document.documentElement.scrollWidth - window.innerWidth`); w > 0 {
				t.Errorf("%s at %s scrolls sideways by %dpx", name, v.Name, w)
			}
			browsertest.Screenshot(t, ctx, name+"-"+v.Name)
			for _, x := range browsertest.Axe(t, ctx) {
				t.Errorf("%s at %s: %s", name, v.Name, x)
			}
		}
	}
	// The hint names the keyboard's shortcut; Ctrl on this machine.
	browsertest.Run(t, ctx, chromedp.Navigate(srv.URL+a.URL()))
	if got := browsertest.Eval[string](t, ctx, `document.getElementById("error-hint").textContent`); !strings.Contains(got, "Ctrl+Enter") {
		t.Errorf("error hint %q", got)
	}
}
