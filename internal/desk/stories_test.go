package desk_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"newsdesk/internal/newsroom"
)

// storyFixture makes two sections and four stories: a published one with
// a tag, a draft, one in review and one scheduled for tomorrow.
func (e *env) storyFixture() map[string]*newsroom.Article {
	e.t.Helper()
	for _, c := range []newsroom.Category{{Slug: "harbour", Name: "Harbour"}, {Slug: "hills", Name: "Hills"}} {
		if err := e.store.CreateCategory(ctx, &c); err != nil {
			e.t.Fatal(err)
		}
	}
	editor := e.users[newsroom.RoleEditor]
	out := map[string]*newsroom.Article{}
	for _, a := range []*newsroom.Article{
		{Headline: "Ferry fares rise in spring", Body: "Fares rise.", Status: newsroom.Published, Categories: []newsroom.Category{{Slug: "harbour"}}, Tags: []newsroom.Tag{{Name: "Ferries"}}},
		{Headline: "Abandoned test about lighthouses", Body: "Draft text on the lamp keeper.", Categories: []newsroom.Category{{Slug: "harbour"}}},
		{Headline: "Ridge trail closes for repairs", Body: "The trail closes.", Status: newsroom.Review, Categories: []newsroom.Category{{Slug: "hills"}}},
		{Headline: "Bridge opening planned", Body: "The bridge opens.", Status: newsroom.Scheduled, ScheduledAt: e.clock.At(24 * time.Hour), Categories: []newsroom.Category{{Slug: "hills"}}},
	} {
		if err := e.ed.Create(ctx, editor, a); err != nil {
			e.t.Fatal(err)
		}
		e.clock.Add(time.Minute)
		out[strings.Fields(a.Headline)[0]] = a
	}
	return out
}

func headlines(r resp) []string {
	var out []string
	r.doc.Find(".story-list tbody .story-headline").Each(func(_ int, s *goquery.Selection) { out = append(out, s.Text()) })
	return out
}

func TestStoryList(t *testing.T) { bothDBs(t, testStoryList) }

func testStoryList(t *testing.T, e *env) {
	st := e.storyFixture()
	c := e.as(newsroom.RoleEditor)

	r := c.get("/desk/stories")
	wantStatus(t, "list", r, http.StatusOK)
	if got := strings.Join(headlines(r), " | "); got != "Bridge opening planned | Ridge trail closes for repairs | Abandoned test about lighthouses | Ferry fares rise in spring" {
		t.Errorf("default order (newest updated first): %s", got)
	}
	tabs := map[string]string{}
	r.doc.Find(".status-tabs a").Each(func(_ int, s *goquery.Selection) { tabs[strings.Fields(s.Text())[0]] = s.Find(".count").Text() })
	if tabs["All"] != "4" || tabs["Draft"] != "1" || tabs["Scheduled"] != "1" || tabs["Trash"] != "0" {
		t.Errorf("tab counts: %v", tabs)
	}
	// The scheduled story's time is in Published, as "scheduled for"; the
	// Updated column never shows a future time.
	now := e.clock.Now()
	r.doc.Find(".story-list tbody tr").Each(func(_ int, row *goquery.Selection) {
		dt, _ := row.Find("td").Eq(8).Find("time").Attr("datetime")
		if at, err := time.Parse(time.RFC3339, dt); err != nil || at.After(now) {
			t.Errorf("Updated column of %q shows %q", row.Find(".story-headline").Text(), dt)
		}
	})
	if txt := r.doc.Find("#story-" + fmt.Sprint(st["Bridge"].ID) + " td").Eq(7).Text(); !strings.Contains(txt, "scheduled for") {
		t.Errorf("scheduled story's Published cell: %q", txt)
	}

	for _, tt := range []struct{ query, want string }{
		{"section=hills", "Bridge opening planned | Ridge trail closes for repairs"},
		{"status=draft", "Abandoned test about lighthouses"},
		{"q=lamp+keeper", "Abandoned test about lighthouses"}, // a draft's body, by full-text search
		{"tag=ferries", "Ferry fares rise in spring"},
		{"language=ru", ""},
		{"sort=headline&dir=asc", "Abandoned test about lighthouses | Bridge opening planned | Ferry fares rise in spring | Ridge trail closes for repairs"},
		{"sort=published&dir=desc&status=published", "Ferry fares rise in spring"},
	} {
		r := c.get("/desk/stories?" + tt.query)
		wantStatus(t, tt.query, r, http.StatusOK)
		if got := strings.Join(headlines(r), " | "); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.query, got, tt.want)
		}
	}
	if s, _ := c.get("/desk/stories?sort=headline&dir=asc").doc.Find(`th[aria-sort="ascending"] a`).Attr("href"); !strings.Contains(s, "dir=desc") {
		t.Errorf("the sorted column's link turns the order round: %q", s)
	}

	// Bulk: trash two, then restore them; move one; tag one.
	ids := url.Values{"id": {fmt.Sprint(st["Abandoned"].ID), fmt.Sprint(st["Ridge"].ID)}, "action": {"trash"}, "back": {"/desk/stories?section=harbour"}}
	r = c.post("/desk/stories/bulk", ids)
	wantStatus(t, "bulk trash", r, http.StatusSeeOther)
	if loc := r.header.Get("Location"); !strings.HasPrefix(loc, "/desk/stories?") || !strings.Contains(loc, "section=harbour") {
		t.Errorf("bulk trash went to %q", loc)
	}
	r = c.get("/desk/stories?status=trash")
	if got := len(headlines(r)); got != 2 {
		t.Errorf("trash has %d stories, want 2", got)
	}
	if r.doc.Find(`.status-tabs a[aria-current="page"] .count`).Text() != "2" {
		t.Error("trash tab count is not 2")
	}
	ids.Set("action", "restore")
	wantStatus(t, "bulk restore", c.post("/desk/stories/bulk", ids), http.StatusSeeOther)
	if a, _ := e.store.ArticleByID(ctx, st["Ridge"].ID); a.Status != newsroom.Draft {
		t.Errorf("restored story is %s, want draft", a.Status)
	}
	wantStatus(t, "bulk move", c.post("/desk/stories/bulk", url.Values{"id": {fmt.Sprint(st["Ferry"].ID)}, "action": {"move"}, "section": {"hills"}}), http.StatusSeeOther)
	wantStatus(t, "bulk tag", c.post("/desk/stories/bulk", url.Values{"id": {fmt.Sprint(st["Ferry"].ID)}, "action": {"tag"}, "tag": {"Spring fares"}}), http.StatusSeeOther)
	if a, _ := e.store.ArticleByID(ctx, st["Ferry"].ID); a.PrimaryCategory().Slug != "hills" || len(a.Tags) != 2 {
		t.Errorf("after move and tag: section %s, %d tags", a.PrimaryCategory().Slug, len(a.Tags))
	}
	// A correspondent's bulk publish is refused story by story, named.
	corr := e.as(newsroom.RoleCorrespondent)
	r = corr.post("/desk/stories/bulk", url.Values{"id": {fmt.Sprint(st["Bridge"].ID)}, "action": {"trash"}})
	if r.status != http.StatusUnprocessableEntity && r.status != http.StatusNotFound {
		t.Errorf("correspondent trashes an editor's story: %d", r.status)
	}

	// Quick edit: a plain form, and the same in the background (JSON).
	a, _ := e.store.ArticleByID(ctx, st["Abandoned"].ID)
	form := url.Values{"revision": {fmt.Sprint(a.Revision)}, "headline": {"Lighthouse keeper retires"}, "slug": {"lighthouse-keeper-retires"},
		"section": {"hills"}, "tags": {"Lighthouses, People"}, "status": {"review"}, "back": {"/desk/stories"}}
	wantStatus(t, "quick edit", c.post(fmt.Sprintf("/desk/articles/%d/quick", a.ID), form), http.StatusSeeOther)
	a, _ = e.store.ArticleByID(ctx, a.ID)
	if a.Headline != "Lighthouse keeper retires" || a.Slug != "lighthouse-keeper-retires" || a.Status != newsroom.Review || a.PrimaryCategory().Slug != "hills" || len(a.Tags) != 2 {
		t.Errorf("after quick edit: %q %q %s %s %d tags", a.Headline, a.Slug, a.Status, a.PrimaryCategory().Slug, len(a.Tags))
	}
	form.Set("revision", fmt.Sprint(a.Revision))
	form.Set("headline", "Lighthouse keeper retires at last")
	form.Set("_csrf", c.csrf)
	r = c.do("POST", fmt.Sprintf("/desk/articles/%d/quick", a.ID), form, "Accept", "application/json")
	wantStatus(t, "quick edit (JSON)", r, http.StatusOK)
	var j map[string]any
	if err := json.Unmarshal([]byte(r.body), &j); err != nil || j["headline"] != "Lighthouse keeper retires at last" {
		t.Errorf("quick edit JSON: %s", r.body)
	}
	r = c.do("POST", fmt.Sprintf("/desk/articles/%d/quick", a.ID), form, "Accept", "application/json")
	if r.status != http.StatusConflict {
		t.Errorf("stale quick edit: %d %s", r.status, r.body)
	}
}
