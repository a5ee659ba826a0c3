package site

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/newsroom"
)

// TestMemoHearsChanges: with HearsChanges the sections, settings and
// Most read lists are kept in memory, and the change keys a write
// announces (through the store's real notifier) drop them: a renamed
// section is in the next page's navigation, a new home lead on the next
// home page, and new views show only once the ranking is announced.
func TestMemoHearsChanges(t *testing.T) {
	f := newFixture(t, "en")
	ctx := context.Background()
	a := f.mustCreateArticle("ferries-resume", withImage)
	b := f.mustCreateArticle("harbour-wall", func(x *newsroom.Article) { x.PublishedAt = f.clock.At(-2 * time.Hour) })
	nav := func(path string) string { return text(f.page(path, 200).Find("nav.sections").First()) }
	if got := nav(a.URL()); !strings.Contains(got, "Coast") {
		t.Fatalf("nav %q lacks Coast", got)
	}
	coast, err := f.st.CategoryBySlug(ctx, "coast")
	must(t, err)
	coast.Name = "Shore"
	must(t, f.st.UpdateCategory(ctx, coast))
	if got := nav(b.URL()); !strings.Contains(got, "Shore") || strings.Contains(got, "Coast") {
		t.Errorf("after the rename the nav reads %q, want Shore", got)
	}

	// Settings: the pinned lead is read from memory until its key changes.
	lead := func() string { return f.page("/", 200).Find("h2.lead-title a").First().AttrOr("href", "") }
	if got := lead(); got != a.URL() {
		t.Fatalf("home lead %q, want the newest %q", got, a.URL())
	}
	must(t, f.st.SetSetting(ctx, newsroom.SettingHomeLead, strconv.FormatInt(b.ID, 10)))
	if got := lead(); got != b.URL() {
		t.Errorf("home lead after pinning %q, want %q", got, b.URL())
	}

	// Most read: views alone announce nothing, so the remembered (empty)
	// lists stay; the ranking's announcement drops them.
	block := func() string {
		_, body := f.body(pathMostReadBlock)
		return string(body)
	}
	if got := block(); strings.TrimSpace(got) != "" {
		t.Fatalf("most-read block before any view: %q", got)
	}
	must(t, f.st.AddViews(ctx, newsroom.ViewDay(f.clock.Now(), time.UTC), map[int64]int{b.ID: 7}))
	if got := block(); strings.TrimSpace(got) != "" {
		t.Errorf("most-read block changed without an announcement: %q", got)
	}
	f.st.Announce(ctx, keyMostRead)
	if got := block(); !strings.Contains(got, `href="`+b.URL()+`"`) {
		t.Errorf("most-read block after the announcement lacks %s:\n%s", b.URL(), got)
	}
}
