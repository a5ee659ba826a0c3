package main

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"newsdesk/internal/browsertest"
	"newsdesk/internal/newsroom"
)

// TestBrowserLegalJourney: an editor adds an organization to the legal
// registry in the desk; the published story that names it is re-rendered
// in the background and the reader's page carries the marks; the editor
// sees the find in the story's legal panel and switches it off for that
// story with a reason. Every page is screenshotted and checked with axe.
func TestBrowserLegalJourney(t *testing.T) {
	ta := newTestApp(t, "", false)
	ctx := browsertest.New(t)
	bg := context.Background()
	sec := newsroom.Category{Slug: "harbour", Name: "Harbour", Position: 1}
	must(t, ta.store.CreateCategory(bg, &sec))
	editor := addStaff(t, ta, "ines@example.org", "Ines Laar", newsroom.RoleEditor)
	a := &newsroom.Article{Headline: "Tidewatch editor fined over harbour report", Standfirst: "A court fined the editor of Tidewatch",
		Body:   "The court said [Tidewatch](https://tidewatch.example/) broke the law. Tidewatch will appeal.\n\nThe harbour report is online.",
		Status: newsroom.Published, PublishedAt: ta.clock.Now(), Categories: []newsroom.Category{{ID: sec.ID}},
		LeadImage: &newsroom.Image{URL: "/media/none.jpg", Alt: "A court building", Caption: "The Tidewatch office on the quay."}}
	must(t, ta.legal.Render(a))
	a.CreatedBy = editor.ID
	must(t, ta.store.CreateArticle(bg, a))
	// The page is in the page cache before the registry changes: the
	// re-render must refresh it. (An anonymous fetch, not the browser: a
	// cached page tells browsers to keep it for a minute.)
	if doc := getDoc(t, ta, a.URL()); strings.Contains(doc.Find("h1").Text(), "**") {
		t.Fatalf("marked before registering: %q", doc.Find("h1").Text())
	}

	u := ta.srv.URL
	audit := auditor(t, ctx, "legal-")
	browsertest.SetViewport(t, ctx, browsertest.Desktop)
	browsertest.Run(t, ctx, chromedp.Navigate(u+"/desk/legal"))
	signIn(t, ctx, "ines@example.org")
	browsertest.Run(t, ctx, chromedp.Navigate(u+"/desk/legal"), chromedp.WaitVisible(chromedp.CSS(`a[href="/desk/legal/new"]`)))
	audit("registry-empty")

	browsertest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(`a[href="/desk/legal/new"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#e-name`)),
		chromedp.SendKeys(chromedp.CSS(`#e-name`), "Tidewatch"),
		chromedp.SetValue(chromedp.CSS(`#e-marker`), "**"),
		chromedp.SendKeys(chromedp.CSS(`#e-forms_en`), "Tidewatch"),
		chromedp.SendKeys(chromedp.CSS(`#e-forms_ru`), "Тайдвотч{|а|у|ем|е}"),
		chromedp.SendKeys(chromedp.CSS(`#e-note_en`), "registered as a foreign agent"),
		chromedp.SendKeys(chromedp.CSS(`#e-note_ru`), "внесён в реестр иностранных агентов"),
		chromedp.SendKeys(chromedp.CSS(`#e-listed_list`), "Foreign agents"),
		chromedp.SetValue(chromedp.CSS(`#e-listed_from`), "2020-01-01"),
	)
	audit("entity-form")
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`.legal-form button.primary`)), chromedp.WaitVisible(chromedp.CSS(`.notice`)))
	ta.legal.Wait()
	browsertest.Run(t, ctx, chromedp.Navigate(u+"/desk/legal"), chromedp.WaitVisible(chromedp.CSS(`table.legal-list`)))
	if got := browsertest.Eval[string](t, ctx, `document.querySelector(".legal-progress").textContent`); !strings.Contains(got, "1 updated") {
		t.Errorf("progress after the re-render: %q", got)
	}
	audit("registry")

	// An anonymous reader gets the refreshed page from the page cache.
	if doc := getDoc(t, ta, a.URL()); !strings.Contains(doc.Find("h1").Text(), "Tidewatch\u00a0**") {
		t.Errorf("cached page not refreshed after the re-render: %q", doc.Find("h1").Text())
	}
	// The reader's page, on a phone.
	browsertest.SetViewport(t, ctx, browsertest.Phone)
	browsertest.Run(t, ctx, chromedp.Navigate(u+a.URL()), chromedp.WaitVisible(chromedp.CSS(`h1`)))
	for expr, want := range map[string]string{
		`document.querySelector("h1").textContent`:                       "Tidewatch\u00a0** editor fined over harbour report",
		`document.querySelector(".standfirst").textContent`:              "A court fined the editor of Tidewatch\u00a0**",
		`document.querySelector("figcaption").textContent`:               "The Tidewatch\u00a0** office on the quay",
		`document.querySelectorAll(".body .legal-note").length + ""`:     "1",
		`document.querySelector(".body .legal-note").textContent`:        " (registered as a foreign agent)",
		`document.querySelectorAll(".body a + .legal-note").length + ""`: "1",
		`document.querySelector(".body a").getAttribute("href")`:         "https://tidewatch.example/",
		`document.querySelectorAll(".body .legal-mark").length + ""`:     "1",
		`document.querySelector("title").textContent.split(" — ")[0]`:    "Tidewatch\u00a0** editor fined over harbour report",
	} {
		if got := browsertest.Eval[string](t, ctx, expr); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want %q", expr, got, want)
		}
	}
	audit("article-phone")

	// The editor's panel: found in headline, standfirst, body and caption;
	// switched off for this story with a reason.
	browsertest.SetViewport(t, ctx, browsertest.Desktop)
	browsertest.Run(t, ctx, chromedp.Navigate(u+"/desk/articles/"+strconv.FormatInt(a.ID, 10)), chromedp.WaitVisible(chromedp.CSS(`#legal`)))
	if got := browsertest.Eval[string](t, ctx, `document.querySelector("#legal tbody tr").textContent`); !strings.Contains(got, "headline, standfirst, body, caption") {
		t.Errorf("panel row: %q", got)
	}
	browsertest.Run(t, ctx, chromedp.ScrollIntoView(chromedp.CSS(`#legal`)))
	audit("editor-panel")
	browsertest.Run(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#legal input[name=reason]`), "the court ruling names the publisher, quoted in full"),
		chromedp.Click(chromedp.CSS(`#legal button`)),
		chromedp.WaitVisible(chromedp.CSS(`#legal .state-excluded`)),
	)
	browsertest.Run(t, ctx, chromedp.Navigate(u+a.URL()), chromedp.WaitVisible(chromedp.CSS(`h1`)))
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll(".legal-mark, .legal-note").length`); n != 0 {
		t.Errorf("%d marks on the page after switching off", n)
	}
}
