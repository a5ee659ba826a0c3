package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"newsdesk/internal/browsertest"
	"newsdesk/internal/newsroom"
)

// TestBrowserStoryListAndFrontPage: on the demo newsroom, an admin filters
// and sorts the story list, moves two stories to the trash with the bulk
// form, quick-edits a headline in its row (saved in the background), and
// sees the front page's charts with their data tables; at desktop and
// phone size.
func TestBrowserStoryListAndFrontPage(t *testing.T) {
	ta := newTestApp(t, "", true)
	addStaff(t, ta, "ada@example.org", "Ada Admin", newsroom.RoleAdmin)
	ctx := browsertest.New(t)
	u := ta.srv.URL
	browsertest.Run(t, ctx, chromedp.Navigate(u+"/desk/"))
	signIn(t, ctx, "ada@example.org")
	bg := context.Background()
	secs, err := ta.store.Categories(bg)
	must(t, err)
	sec := secs[0]

	for _, vp := range []browsertest.Viewport{browsertest.Desktop, browsertest.Phone} {
		browsertest.SetViewport(t, ctx, vp)
		audit := auditor(t, ctx, "stories-"+vp.Name+"-")
		// Filter by section.
		browsertest.Run(t, ctx, chromedp.Navigate(u+"/desk/stories"), chromedp.WaitVisible(chromedp.CSS(`#f-section`)),
			chromedp.SetValue(chromedp.CSS(`#f-section`), sec.Slug),
			// Mark the page before submitting, and wait for a list on a page
			// without the mark: the old page shows a .story-list too.
			chromedp.Evaluate[chromedp.Void](`document.documentElement.dataset.before = "1"`),
			chromedp.Click(chromedp.CSS(`form.story-filters button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(`html:not([data-before]) .story-list`)))
		if !browsertest.Eval[bool](t, ctx, `location.search.includes("section=`+sec.Slug+`")`) {
			t.Fatalf("%s: the filter did not apply", vp.Name)
		}
		audit("filtered")
		// Sort by headline: the order is alphabetical.
		browsertest.Run(t, ctx, chromedp.Navigate(u+"/desk/stories"), chromedp.WaitVisible(chromedp.CSS(`.story-list`)))
		if vp.Mobile { // no column headers on a phone: the sort menu
			browsertest.Run(t, ctx, chromedp.SetValue(chromedp.CSS(`#f-order`), "headline.asc"),
				chromedp.Click(chromedp.CSS(`form.story-filters button[type=submit]`)))
		} else {
			browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`th[aria-sort] a[href*="sort=headline"]`)))
		}
		browsertest.Run(t, ctx, chromedp.WaitReady(chromedp.CSS(`th[aria-sort="ascending"]`)))
		if !browsertest.Eval[bool](t, ctx, `(() => { const h = [...document.querySelectorAll(".story-headline")].map(a => a.textContent.toLowerCase());
			return h.length > 2 && h.every((x, i) => i == 0 || h[i-1] <= x); })()`) {
			t.Errorf("%s: sorted by headline, the list is not in order", vp.Name)
		}
		// Bulk: tick the first two, move them to the trash.
		first := browsertest.Eval[[]string](t, ctx, `[...document.querySelectorAll(".story-headline")].slice(0, 2).map(a => a.textContent)`)
		trashBefore := browsertest.Eval[string](t, ctx, `[...document.querySelectorAll(".status-tabs a")].pop().querySelector(".count").textContent`)
		browsertest.Run(t, ctx,
			chromedp.Click(chromedp.CSS(`.story-list tbody tr:nth-child(1) input[name=id]`)),
			chromedp.Click(chromedp.CSS(`.story-list tbody tr:nth-child(2) input[name=id]`)),
			chromedp.SetValue(chromedp.CSS(`#b-action`), "trash"),
			chromedp.Click(chromedp.CSS(`#bulk button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(`.notice`)))
		if txt := browsertest.Eval[string](t, ctx, `document.querySelector(".notice").textContent`); !strings.Contains(txt, "2 stories moved to the trash") {
			t.Errorf("%s: after bulk trash: %q", vp.Name, txt)
		}
		trashAfter := browsertest.Eval[string](t, ctx, `[...document.querySelectorAll(".status-tabs a")].pop().querySelector(".count").textContent`)
		if trashBefore == trashAfter {
			t.Errorf("%s: trash count stayed %s", vp.Name, trashAfter)
		}
		for _, h := range first {
			if browsertest.Eval[bool](t, ctx, fmt.Sprintf(`[...document.querySelectorAll(".story-headline")].some(a => a.textContent == %q)`, h)) {
				t.Errorf("%s: %q is still in the list after the trash", vp.Name, h)
			}
		}
		audit("trashed")
		// Quick edit the first row's headline.
		id := browsertest.Eval[string](t, ctx, `document.querySelector(".story-list tbody tr").id.slice(6)`)
		newHeadline := "Quick-edited headline at " + vp.Name + " size"
		browsertest.Run(t, ctx,
			chromedp.Click(chromedp.CSS(`#story-`+id+` details.quick summary`)),
			chromedp.WaitVisible(chromedp.CSS(`#q`+id+`-headline`)),
		)
		browsertest.Eval[bool](t, ctx, fmt.Sprintf(`(document.getElementById("q%s-headline").value = %q) != ""`, id, newHeadline))
		audit("quick-edit")
		browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`#story-`+id+` .quick-form button[type=submit]`)))
		waitEval(t, ctx, fmt.Sprintf(`document.querySelector("#story-%s .story-headline").textContent == %q`, id, newHeadline))
		var n int64
		fmt.Sscan(id, &n)
		if a, err := ta.store.ArticleByID(bg, n); err != nil || a.Headline != newHeadline {
			t.Errorf("%s: stored headline after quick edit: %v %v", vp.Name, a, err)
		}
		// The front page: every chart with its data table.
		browsertest.Run(t, ctx, chromedp.Navigate(u+"/desk/"), chromedp.WaitVisible(chromedp.CSS(`#h-day`)))
		if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll("figure.chart svg[role=img] title + desc").length`); n != 5 {
			t.Errorf("%s: %d charts with title and description, want 5", vp.Name, n)
		}
		if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll("figure.chart table.chart-data tbody tr").length`); n < 5*7 {
			t.Errorf("%s: the charts' data tables have %d rows", vp.Name, n)
		}
		audit("front")
	}
}

// TestBrowserEveryDeskPageFits walks every desk page the admin can open,
// on the demo newsroom, at phone and desktop size: none is wider than the
// viewport, and axe finds no violation.
func TestBrowserEveryDeskPageFits(t *testing.T) {
	ta := newTestApp(t, "", true)
	addStaff(t, ta, "ada@example.org", "Ada Admin", newsroom.RoleAdmin)
	bg := context.Background()
	list, _, err := ta.store.FindArticles(bg, newsroom.ArticleFilter{PublicAt: ptr(time.Now()), Limit: 1})
	must(t, err)
	if len(list) == 0 {
		t.Fatal("no demo story")
	}
	id := fmt.Sprint(list[0].ID)
	var paths []string
	for _, rt := range ta.desk.Routes() {
		p, ok := strings.CutPrefix(rt.Pattern, "GET ")
		if !ok || rt.Access.Name == "public" || strings.Contains(p, ".csv") || strings.HasSuffix(p, "/status") {
			continue
		}
		p = strings.TrimSuffix(p, "{$}")
		if strings.Contains(p, "{") {
			if !strings.HasPrefix(p, "/desk/articles/{id}") || strings.Contains(p, "preview") {
				continue
			}
			p = strings.Replace(p, "{id}", id, 1)
			if strings.Contains(p, "{") {
				continue
			}
		}
		paths = append(paths, p)
	}
	paths = append(paths, "/desk/stories?status=trash", "/desk/comments?status=approved")
	ctx := browsertest.New(t)
	browsertest.Run(t, ctx, chromedp.Navigate(ta.srv.URL+"/desk/"))
	signIn(t, ctx, "ada@example.org")
	for _, vp := range []browsertest.Viewport{browsertest.Phone, browsertest.Desktop} {
		browsertest.SetViewport(t, ctx, vp)
		for _, p := range paths {
			browsertest.Run(t, ctx, chromedp.Navigate(ta.srv.URL+p), chromedp.WaitReady(chromedp.CSS(`body`)))
			w := browsertest.Eval[[]int](t, ctx, `[document.documentElement.scrollWidth, window.innerWidth]`)
			if w[0] > w[1] {
				t.Errorf("%s %s: page is %d px wide in a %d px viewport", vp.Name, p, w[0], w[1])
				browsertest.Screenshot(t, ctx, "wide-"+vp.Name+strings.ReplaceAll(p, "/", "-"))
			}
			if v := browsertest.Axe(t, ctx); len(v) > 0 {
				t.Errorf("%s %s: accessibility violations:\n%v", vp.Name, p, v)
			}
		}
	}
	t.Logf("walked %d desk pages at two sizes: %v", len(paths), paths)
}

func ptr[T any](v T) *T { return &v }
