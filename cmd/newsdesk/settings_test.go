package main

import (
	"context"
	"io"
	"strings"
	"testing"
)

// TestSettingsReachThePublicSiteWithoutRestart saves the desk's settings
// through the app and reads the cached public pages again: the home page's
// name, its latest stream and robots.txt follow at once.
func TestSettingsReachThePublicSiteWithoutRestart(t *testing.T) {
	forEachStoreWith(t, func(c *Config) { c.SiteName = "The Flag Courier" }, func(t *testing.T, ta *testApp) {
		ctx := context.Background()
		admin, err := ta.store.UserByEmail(ctx, "admin@example.com")
		must(t, err)
		for range 2 { // the second answer comes from the page cache
			if got := getDoc(t, ta, "/").Find("h1.brand").Text(); got != "The Flag Courier" {
				t.Fatalf("masthead = %q before any setting", got)
			}
		}
		robots := fetchText(t, ta, "/robots.txt")
		if strings.Contains(robots, "GPTBot") {
			t.Fatalf("robots.txt names GPTBot while every crawler is allowed:\n%s", robots)
		}
		s := ta.settings.Must(ctx)
		s.SiteName, s.Description = "The Desk Courier", "Set in the desk"
		s.Crawlers.AITraining = false
		must(t, ta.settings.Save(ctx, admin, s))
		doc := getDoc(t, ta, "/")
		if got := doc.Find("h1.brand").Text(); got != "The Desk Courier" {
			t.Errorf("masthead = %q after saving the setting", got)
		}
		if got := doc.Find(`meta[name="description"]`).AttrOr("content", ""); got != "Set in the desk" {
			t.Errorf("description = %q", got)
		}
		robots = fetchText(t, ta, "/robots.txt")
		if !strings.Contains(robots, "User-agent: GPTBot\nUser-agent: Google-Extended\nUser-agent: CCBot\n") ||
			!strings.Contains(robots, "User-agent: *\nAllow: /\n") {
			t.Errorf("robots.txt after refusing AI training:\n%s", robots)
		}
		// The report limits follow too.
		if got := ta.reports.Limits().MaxExact; got != 300 {
			t.Errorf("max exact = %d, want the flag's 300", got)
		}
		s.ReportMaxExact = 120
		must(t, ta.settings.Save(ctx, admin, s))
		if got := ta.reports.Limits().MaxExact; got != 120 {
			t.Errorf("max exact = %d after the setting, want 120", got)
		}
	})
}

// fetchText GETs a public path, which must answer 200, and returns its body.
func fetchText(t *testing.T, ta *testApp, path string) string {
	t.Helper()
	res, err := ta.srv.Client().Get(ta.srv.URL + path)
	must(t, err)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("GET %s: %d", path, res.StatusCode)
	}
	return string(b)
}
