package site

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"newsdesk/internal/newsroom"
)

// TestArchiveDayPagesMissNothing: following "Older" from a section's
// first page over days of very different output (none, one, a page and
// more) reaches every story, each page at most perPage long, and a page
// named by its day shows the same stories after a new one is published.
func TestArchiveDayPagesMissNothing(t *testing.T) {
	f := newFixture(t, "en")
	perDay := []int{3, 0, 1, 25, 0, 2, 41, 7, 19, 20, 21, 5, 40}
	want := map[string]bool{}
	n := 0
	for d, count := range perDay {
		for i := range count {
			a := f.mustCreateArticle(fmt.Sprintf("s-%d-%d", d, i), func(a *newsroom.Article) {
				a.Categories = []newsroom.Category{{Slug: "coast"}}
				day := utcDay(f.clock.Now()).AddDate(0, 0, -d)
				a.PublishedAt = day.Add(time.Duration(i*17+1) * time.Minute)
				if a.PublishedAt.After(f.clock.Now()) {
					a.PublishedAt = f.clock.At(-time.Duration(i+1) * time.Second)
				}
			})
			want[a.URL()] = true
			n++
		}
	}
	walk := func() (map[string]bool, []string) {
		got := map[string]bool{}
		var links []string
		path := "/coast/"
		for pages := 0; path != ""; pages++ {
			if pages > n {
				t.Fatalf("more than %d pages: the links loop (%v)", n, links)
			}
			doc := f.page(path, http.StatusOK)
			cards := doc.Find(".list-grid .card h3 a")
			if cards.Length() == 0 || cards.Length() > perPage {
				t.Errorf("%s: %d stories", path, cards.Length())
			}
			for i := range cards.Length() {
				got[cards.Eq(i).AttrOr("href", "")] = true
			}
			path = doc.Find(`nav.pager a[rel=next]`).AttrOr("href", "")
			if path != "" {
				links = append(links, path)
			}
		}
		return got, links
	}
	got, links := walk()
	for u := range want {
		if !got[u] {
			t.Errorf("no page lists %s (links %v)", u, links)
		}
	}
	if len(got) != len(want) {
		t.Errorf("the pages list %d stories, want %d", len(got), len(want))
	}
	if len(links) == 0 {
		t.Fatal("no older page")
	}
	cardsOf := func(path string) []string {
		doc := f.page(path, http.StatusOK)
		var out []string
		doc.Find(".list-grid .card h3 a").Each(func(_ int, s *goquery.Selection) { out = append(out, s.AttrOr("href", "")) })
		return out
	}
	deep := links[len(links)/2]
	before := cardsOf(deep)
	f.mustCreateArticle("breaking", func(a *newsroom.Article) {
		a.Categories = []newsroom.Category{{Slug: "coast"}}
		a.PublishedAt = f.clock.At(-time.Second)
	})
	if after := cardsOf(deep); !slices.Equal(before, after) {
		t.Errorf("%s changed when a story was published:\nbefore %v\nafter  %v", deep, before, after)
	}
	if _, links2 := walk(); !slices.Contains(links2, deep) {
		t.Errorf("after a new story the chain of older pages no longer passes %s: %v", deep, links2)
	}
}
