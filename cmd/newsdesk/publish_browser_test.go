package main

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"newsdesk/internal/browsertest"
	"newsdesk/internal/newsroom"
)

// TestBrowserSafePublish drives the desk in Chromium as an editor: the
// pre-publish check stops a story with only a headline (no confirm
// button, nothing published); Enter in the headline of a live story saves
// a pending draft and changes nothing readers see; "Update live story"
// asks, showing the change against the live version, and only then
// publishes it. The confirmation step passes axe-core.
func TestBrowserSafePublish(t *testing.T) {
	ta := newTestApp(t, "", false)
	sec := addJourneyNewsroom(t, ta)
	ctx := browsertest.New(t)
	u := ta.srv.URL
	browsertest.SetViewport(t, ctx, browsertest.Desktop)
	audit := auditor(t, ctx, "publish-")
	bg := context.Background()

	browsertest.Run(t, ctx, chromedp.Navigate(u+"/desk/"))
	signIn(t, ctx, "ines@example.org")

	// 1. Only a headline: "Publish" stops at the check.
	browsertest.Run(t, ctx,
		chromedp.Navigate(u+"/desk/articles/new"),
		chromedp.WaitVisible(chromedp.CSS(`#f-headline`)),
		chromedp.SendKeys(chromedp.CSS(`#f-headline`), "Harbour lights go out"),
		chromedp.Click(chromedp.CSS(`button[name=action][value=publish]`)),
		chromedp.WaitVisible(chromedp.CSS(`#findings`)),
	)
	if !browsertest.Eval[bool](t, ctx, `!!document.querySelector('#findings li.blocker[data-code=no_body]') && !!document.getElementById('blocked') && !document.getElementById('confirm-button')`) {
		t.Errorf("the check did not stop an empty story: %s", browsertest.Eval[string](t, ctx, `document.querySelector('main').innerText`))
	}
	audit("check-blocked")
	if list, total, err := ta.store.FindArticles(bg, newsroom.ArticleFilter{Limit: 10}); err != nil || total != 0 {
		t.Fatalf("stories after the stopped publish: %d %v", len(list), err)
	}
	// Back to editing keeps what was typed.
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`#back-button`)), chromedp.WaitVisible(chromedp.CSS(`#f-headline`)))
	if v := browsertest.Eval[string](t, ctx, `document.getElementById('f-headline').value`); v != "Harbour lights go out" {
		t.Errorf("back to editing: headline %q", v)
	}

	// 2. A live story: Enter in its headline saves a draft, not in public.
	ines, err := ta.store.UserByEmail(bg, "ines@example.org")
	must(t, err)
	authors, err := ta.store.Authors(bg)
	must(t, err)
	live := &newsroom.Article{Headline: "Ferry timetable changes", Body: "The ferry leaves at nine from Monday.", Status: newsroom.Published,
		Categories: []newsroom.Category{sec}, Authors: []newsroom.Byline{{AuthorID: authors[0].ID}},
		LeadImage: &newsroom.Image{URL: "/media/ferry.jpg", Alt: "The ferry"}, CreatedBy: ines.ID, CommentsOpen: true}
	must(t, ta.editorial.Create(bg, ines, live))
	edit := u + "/desk/articles/" + strconv.FormatInt(live.ID, 10)
	browsertest.Run(t, ctx,
		chromedp.Navigate(edit),
		chromedp.WaitVisible(chromedp.CSS(`#f-headline`)),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('f-headline').select()`),
		chromedp.SendKeys(chromedp.CSS(`#f-headline`), "Ferry timetable changes on Monday"+kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(`.pending-edit`)),
	)
	got, err := ta.store.ArticleByID(bg, live.ID)
	must(t, err)
	if got.Headline != "Ferry timetable changes" || got.Revision != live.Revision || got.Status != newsroom.Published {
		t.Errorf("Enter in the headline changed the live story: %q revision %d status %s", got.Headline, got.Revision, got.Status)
	}
	if p := fetch(t, ta, "GET", got.URL()); !strings.Contains(string(p.body), "Ferry timetable changes") || strings.Contains(string(p.body), "on Monday") {
		t.Errorf("the public page shows the draft")
	}
	if v := browsertest.Eval[string](t, ctx, `document.getElementById('f-headline').value`); v != "Ferry timetable changes on Monday" {
		t.Errorf("the editor does not show the pending draft: %q", v)
	}
	// Ctrl+S is a save as well: still not live.
	browsertest.Run(t, ctx, chromedp.KeyEvent("s", chromedp.KeyModifiers(2)), chromedp.Sleep(300*time.Millisecond))
	if got, _ := ta.store.ArticleByID(bg, live.ID); got.Revision != live.Revision {
		t.Errorf("Ctrl+S changed the live story (revision %d)", got.Revision)
	}

	// 3. "Update live story": the confirmation shows the change.
	browsertest.Run(t, ctx,
		chromedp.WaitVisible(chromedp.CSS(`button[name=action][value=publish]`)),
		chromedp.Click(chromedp.CSS(`button[name=action][value=publish]`)),
		chromedp.WaitVisible(chromedp.CSS(`#confirm-button`)),
	)
	if ins := browsertest.Eval[string](t, ctx, `[...document.querySelectorAll('.diff ins')].map(e => e.textContent).join('|')`); !strings.Contains(ins, "on Monday") {
		t.Errorf("the confirmation does not show the change: %q", ins)
	}
	audit("confirm-update")
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`#confirm-button`)), chromedp.WaitVisible(chromedp.CSS(`#f-headline`)))
	got, err = ta.store.ArticleByID(bg, live.ID)
	must(t, err)
	if got.Headline != "Ferry timetable changes on Monday" || got.Status != newsroom.Published {
		t.Errorf("after Update live story: %q %s", got.Headline, got.Status)
	}
	if _, err := ta.store.Pending(bg, live.ID, newsroom.PendingDraft); !newsroom.IsNotFound(err) {
		t.Errorf("the pending draft outlived the update: %v", err)
	}
}
