package desk_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/desk"
	"newsdesk/internal/newsroom"
)

// fixture adds a section, an author and returns them.
func (e *env) taxonomy() (newsroom.Category, newsroom.Author) {
	e.t.Helper()
	c := newsroom.Category{Slug: "harbour", Name: "Harbour"}
	if err := e.store.CreateCategory(ctx, &c); err != nil {
		e.t.Fatal(err)
	}
	a := newsroom.Author{Slug: "mira-kask", Name: "Mira Kask", Label: newsroom.LabelOwnCorr}
	if err := e.store.CreateAuthor(ctx, &a); err != nil {
		e.t.Fatal(err)
	}
	return c, a
}

// storyForm is a complete editor form.
func storyForm(sec newsroom.Category, au newsroom.Author, action string, revision int) url.Values {
	return url.Values{
		"headline":          {`Ferry "Aurora" returns to the Varde run`},
		"standfirst":        {"The repaired ferry sails again on Monday."},
		"body":              {"The ferry returns on Monday.\n\n> We are glad to have her back, said the harbour master.\n\nTickets are unchanged."},
		"section":           {strconv.FormatInt(sec.ID, 10)},
		"tags":              {"Ferries, Varde harbour"},
		"author_id":         {strconv.FormatInt(au.ID, 10), ""},
		"author_label":      {newsroom.LabelOwnCorr, ""},
		"source_name":       {"Harbour office", ""},
		"source_url":        {"https://harbour.example.org/notice", ""},
		"image_url":         {"/media/ferry.jpg"},
		"image_alt":         {"The ferry Aurora at the quay"},
		"image_caption":     {"Aurora at Varde quay."},
		"image_credit":      {"Lena Ots"},
		"image_source_name": {"Harbour office"},
		"image_source_url":  {"https://harbour.example.org/"},
		"language":          {"en"},
		"comments_open":     {"1"},
		"revision":          {strconv.Itoa(revision)},
		"action":            {action},
	}
}

func idFromLocation(t testing.TB, r resp) int64 {
	t.Helper()
	loc := r.header.Get("Location")
	rest, ok := strings.CutPrefix(loc, "/desk/articles/")
	if !ok {
		t.Fatalf("Location %q is not an editor page", loc)
	}
	id, err := strconv.ParseInt(strings.SplitN(rest, "?", 2)[0], 10, 64)
	if err != nil {
		t.Fatalf("Location %q: %v", loc, err)
	}
	return id
}

func TestEditorEveryFieldAndTypedInputKept(t *testing.T) {
	bothDBs(t, testEditorEveryFieldAndTypedInputKept)
}

func testEditorEveryFieldAndTypedInputKept(t *testing.T, e *env) {
	sec, au := e.taxonomy()
	c := e.as(newsroom.RoleCorrespondent)

	r := c.get("/desk/articles/new")
	wantStatus(t, "new story form", r, http.StatusOK)
	for _, sel := range []string{"#f-headline", "#f-standfirst", "#f-body", "#f-categories", "#f-tags", "#author-0", "#label-0",
		"#source-name-0", "#source-url-0", "#f-lead_image\\.url", "#f-lead_image\\.alt", "#f-image_caption", "#f-image_credit",
		"#f-image_source_name", "#f-lead_image\\.source_url", "#f-slug", "#f-language", "input[name=comments_open]",
		"#preview-frame", "button[value=review]"} {
		if r.doc.Find(sel).Length() == 0 {
			t.Errorf("editor lacks %s", sel)
		}
	}
	if r.doc.Find("button[value=publish]").Length() != 0 {
		t.Errorf("a correspondent is offered Publish")
	}
	// Only editors set publication times (issue 12): no schedule field
	// for a correspondent, one for an editor.
	if r.doc.Find("#f-scheduled_at").Length() != 0 {
		t.Errorf("a correspondent is offered the publication time")
	}
	if e.as(newsroom.RoleEditor).get("/desk/articles/new").doc.Find("#f-scheduled_at").Length() == 0 {
		t.Errorf("editor lacks #f-scheduled_at")
	}
	// The publication time itself: a visible, labelled input for editors,
	// none for a correspondent.
	if r.doc.Find("#f-published_at, [name=published_at]").Length() != 0 {
		t.Errorf("a correspondent is offered published_at")
	}
	edDoc := e.as(newsroom.RoleEditor).get("/desk/articles/new").doc
	if in := edDoc.Find(`input#f-published_at[name=published_at][type=datetime-local]`); in.Length() != 1 {
		t.Errorf("editor lacks the published_at input")
	} else if edDoc.Find(`label[for=f-published_at]`).Length() != 1 {
		t.Errorf("the published_at input has no label")
	}

	// A failing save keeps every typed value and names the field.
	f := storyForm(sec, au, "save", 0)
	f.Set("image_alt", "")
	r = c.post("/desk/articles", f)
	wantStatus(t, "save without alt text", r, http.StatusUnprocessableEntity)
	if v, _ := r.doc.Find("#f-lead_image\\.alt").Attr("aria-invalid"); v != "true" {
		t.Errorf("alt field not marked invalid")
	}
	if !strings.Contains(r.doc.Find("#form-error").Text(), "alt text") {
		t.Errorf("error = %q", r.doc.Find("#form-error").Text())
	}
	checks := map[string]string{"#f-headline": f.Get("headline"), "#f-tags": "Ferries, Varde harbour",
		"#source-name-0": "Harbour office", "#f-lead_image\\.url": "/media/ferry.jpg", "#f-image_credit": "Lena Ots"}
	for sel, want := range checks {
		if got, _ := r.doc.Find(sel).Attr("value"); got != want {
			t.Errorf("%s kept %q, want %q", sel, got, want)
		}
	}
	if got := r.doc.Find("#f-body").Text(); got != f.Get("body") {
		t.Errorf("body kept %q", got)
	}
	if _, ok := r.doc.Find("#author-0 option[value='" + strconv.FormatInt(au.ID, 10) + "']").Attr("selected"); !ok {
		t.Errorf("author selection not kept")
	}

	// A good save stores every field.
	f.Set("image_alt", "The ferry Aurora at the quay")
	r = c.post("/desk/articles", f)
	wantStatus(t, "save", r, http.StatusSeeOther)
	id := idFromLocation(t, r)
	a, err := e.store.ArticleByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != newsroom.Draft || a.Headline != f.Get("headline") || a.Standfirst != f.Get("standfirst") ||
		a.Body != f.Get("body") || a.Language != "en" || !a.CommentsOpen || a.CreatedBy != e.users[newsroom.RoleCorrespondent].ID {
		t.Errorf("stored %+v", a)
	}
	if len(a.Categories) != 1 || a.Categories[0].ID != sec.ID || len(a.Tags) != 2 || a.Tags[1].Slug != "varde-harbour" {
		t.Errorf("sections %v, tags %v", a.Categories, a.Tags)
	}
	if len(a.Authors) != 1 || a.Authors[0].AuthorID != au.ID || a.Authors[0].Label != newsroom.LabelOwnCorr {
		t.Errorf("authors %v", a.Authors)
	}
	if len(a.Sources) != 1 || a.Sources[0].URL != "https://harbour.example.org/notice" {
		t.Errorf("sources %v", a.Sources)
	}
	if img := a.LeadImage; img == nil || img.Caption != "Aurora at Varde quay." || img.SourceName != "Harbour office" || img.Alt == "" {
		t.Errorf("lead image %+v", a.LeadImage)
	}
	r = c.get("/desk/articles/" + strconv.FormatInt(id, 10) + "?done=saved")
	wantStatus(t, "editor", r, http.StatusOK)
	if got, _ := r.doc.Find("#f-headline").Attr("value"); got != f.Get("headline") {
		t.Errorf("editor shows headline %q", got)
	}
	if !strings.Contains(r.doc.Find(".notice").Text(), "Saved as revision 1") {
		t.Errorf("no saved notice: %q", r.doc.Find(".notice").Text())
	}
}

func TestPreviewIsThePublicPage(t *testing.T) { bothDBs(t, testPreviewIsThePublicPage) }

func testPreviewIsThePublicPage(t *testing.T, e *env) {
	sec, au := e.taxonomy()
	c := e.as(newsroom.RoleCorrespondent)
	f := storyForm(sec, au, "preview", 0)
	r := c.post("/desk/preview", f)
	wantStatus(t, "preview", r, http.StatusOK)
	if got := r.header.Get("X-Frame-Options"); got != "SAMEORIGIN" {
		t.Errorf("X-Frame-Options = %q", got)
	}
	// The site's own article template, with typographic quotes and the
	// blockquote rendered by the same renderer as on save.
	if got := r.doc.Find("article.story h1#headline").Text(); got != "Ferry “Aurora” returns to the Varde run" {
		t.Errorf("preview headline %q", got)
	}
	if r.doc.Find("article.story blockquote").Length() != 1 || r.doc.Find(".kicker a").Text() != "Harbour" {
		t.Errorf("preview lacks the blockquote or the section")
	}
	if v, _ := r.doc.Find(`meta[name=robots]`).Attr("content"); v != "noindex" {
		t.Errorf("preview robots = %q", v)
	}
	if _, err := e.store.TagBySlug(ctx, "ferries"); !newsroom.IsNotFound(err) {
		t.Errorf("preview created a tag: %v", err)
	}
}

func TestConcurrentEditsShowTheOtherChange(t *testing.T) {
	bothDBs(t, testConcurrentEditsShowTheOtherChange)
}

func testConcurrentEditsShowTheOtherChange(t *testing.T, e *env) {
	sec, au := e.taxonomy()
	ed1, ed2 := e.as(newsroom.RoleEditor), e.as(newsroom.RoleAdmin)
	r := ed1.post("/desk/articles", storyForm(sec, au, "save", 0))
	id := strconv.FormatInt(idFromLocation(t, r), 10)

	// Both open revision 1. The first saves a change.
	first := storyForm(sec, au, "save", 1)
	first.Set("body", strings.Replace(first.Get("body"), "Monday", "Tuesday", 1))
	wantStatus(t, "first save", ed1.post("/desk/articles/"+id, first), http.StatusSeeOther)

	// The second, still at revision 1, is refused and shown the difference.
	second := storyForm(sec, au, "save", 1)
	second.Set("standfirst", "The repaired ferry is back.")
	r = ed2.post("/desk/articles/"+id, second)
	wantStatus(t, "second save", r, http.StatusConflict)
	if !strings.Contains(r.doc.Find("#form-error").Text(), "Someone else saved this story") {
		t.Errorf("conflict message %q", r.doc.Find("#form-error").Text())
	}
	if got := r.doc.Find(".conflict dd.body del").Text(); got != "Tuesday" {
		t.Errorf("their change shown as %q, want Tuesday struck through", got)
	}
	if got := r.doc.Find(".conflict dd.body ins").Text(); got != "Monday" {
		t.Errorf("own text shown as %q", got)
	}
	if got, _ := r.doc.Find("#f-standfirst").Html(); got != "The repaired ferry is back." {
		t.Errorf("typed standfirst not kept: %q", got)
	}
	a, _ := e.store.ArticleByID(ctx, idFromLocation(t, resp{header: http.Header{"Location": {"/desk/articles/" + id}}}))
	if a.Standfirst == "The repaired ferry is back." || a.Revision != 2 {
		t.Fatalf("the refused save changed the story: %+v", a)
	}
	// Saving again after seeing the difference is deliberate and works.
	rev, _ := r.doc.Find("#revision").Attr("value")
	second.Set("revision", rev)
	wantStatus(t, "save after the conflict", ed2.post("/desk/articles/"+id, second), http.StatusSeeOther)
}

func TestAutosave(t *testing.T) { bothDBs(t, testAutosave) }

func testAutosave(t *testing.T, e *env) {
	sec, au := e.taxonomy()
	c := e.as(newsroom.RoleCorrespondent)
	autosave := func(path string, f url.Values) (int, map[string]any) {
		t.Helper()
		f.Set("_csrf", c.csrf)
		r := c.do("POST", path, f, "Accept", "application/json")
		var m map[string]any
		if err := json.Unmarshal([]byte(r.body), &m); err != nil {
			t.Fatalf("autosave answered %d %q", r.status, r.body)
		}
		return r.status, m
	}
	c.get("/desk/")
	// The first autosave of a new story creates the draft.
	st, m := autosave("/desk/articles", storyForm(sec, au, "autosave", 0))
	if st != http.StatusCreated || m["revision"].(float64) != 1 || m["edit"] == "" {
		t.Fatalf("first autosave: %d %v", st, m)
	}
	id := int64(m["id"].(float64))
	path := "/desk/articles/" + strconv.FormatInt(id, 10) + "/autosave"
	f := storyForm(sec, au, "autosave", 1)
	f.Set("body", "A second draft.")
	st, m = autosave(path, f)
	if st != http.StatusOK || m["revision"].(float64) != 2 || m["status"] != "draft" {
		t.Fatalf("autosave: %d %v", st, m)
	}
	// A stale revision is refused, not overwritten.
	st, m = autosave(path, storyForm(sec, au, "autosave", 1))
	if st != http.StatusConflict || m["error"].(map[string]any)["code"] != "conflict" {
		t.Errorf("stale autosave: %d %v", st, m)
	}
	if a, _ := e.store.ArticleByID(ctx, id); a.Body != "A second draft." {
		t.Errorf("body after a stale autosave = %q", a.Body)
	}
	// A published story autosaves into its pending draft: readers keep
	// the live version.
	ed := e.session(e.users[newsroom.RoleEditor])
	wantStatus(t, "publish", ed.post("/desk/articles/"+strconv.FormatInt(id, 10), storyForm(sec, au, "publish", 2)), http.StatusSeeOther)
	c = ed
	typed := storyForm(sec, au, "autosave", 3)
	typed.Set("body", "Typed into the live story.")
	st, _ = autosave(path, typed)
	if st != http.StatusOK {
		t.Errorf("autosave of a published story: %d", st)
	}
	if a, _ := e.store.ArticleByID(ctx, id); a.Revision != 3 || a.Body == "Typed into the live story." {
		t.Errorf("autosave changed the live story: revision %d, body %q", a.Revision, a.Body)
	}
	if p, err := e.store.Pending(ctx, id, newsroom.PendingDraft); err != nil || !strings.Contains(p.Form, "Typed+into+the+live+story.") {
		t.Errorf("pending draft after autosave = %+v, %v", p, err)
	}
}

func TestWorkflowAndScheduler(t *testing.T) { bothDBs(t, testWorkflowAndScheduler) }

func testWorkflowAndScheduler(t *testing.T, e *env) {
	sec, au := e.taxonomy()
	corr, ed := e.as(newsroom.RoleCorrespondent), e.as(newsroom.RoleEditor)
	r := corr.post("/desk/articles", storyForm(sec, au, "review", 0))
	wantStatus(t, "submit for review", r, http.StatusSeeOther)
	id := idFromLocation(t, r)
	path := "/desk/articles/" + strconv.FormatInt(id, 10)
	if a, _ := e.store.ArticleByID(ctx, id); a.Status != newsroom.Review {
		t.Fatalf("status after submitting = %s", a.Status)
	}
	// The correspondent cannot publish; the form says why.
	r = corr.post(path, storyForm(sec, au, "publish", 1))
	wantStatus(t, "correspondent publishes", r, http.StatusForbidden)
	if !strings.Contains(r.doc.Find("#form-error").Text(), "an editor publishes") {
		t.Errorf("refusal reads %q", r.doc.Find("#form-error").Text())
	}
	// The front page lists it under review.
	r = ed.get("/desk/")
	if r.doc.Find(`section[aria-labelledby=h-review] a[href="`+path+`"]`).Length() != 1 {
		t.Errorf("story not listed in review on the front page")
	}
	if got := r.doc.Find(`nav a[href="/desk/stories?status=review"] .count`).Text(); got != "1" {
		t.Errorf("review count in the nav = %q", got)
	}

	// The editor schedules it a minute ahead; it is not public yet.
	at := e.clock.Now().Add(time.Minute)
	f := storyForm(sec, au, "schedule", 1)
	f.Set("scheduled_at", at.Format("2006-01-02T15:04"))
	wantStatus(t, "schedule", ed.post(path, f), http.StatusSeeOther)
	a, _ := e.store.ArticleByID(ctx, id)
	if a.Status != newsroom.Scheduled || !a.ScheduledAt.Equal(at.Truncate(time.Minute)) {
		t.Fatalf("after scheduling: %s at %v", a.Status, a.ScheduledAt)
	}
	wantStatus(t, "public page before its time", e.client().get(a.URL()), http.StatusNotFound)

	// The scheduler, running on the injected clock, publishes it when the
	// clock reaches its time and it is poked.
	done := make(chan struct{})
	stop := make(chan struct{})
	go func() {
		defer close(done)
		runCtx, cancel := contextUntil(stop)
		defer cancel()
		e.desk.Scheduler.Run(runCtx)
	}()
	defer func() { close(stop); <-done }()
	time.Sleep(50 * time.Millisecond)
	if a, _ := e.store.ArticleByID(ctx, id); a.Status != newsroom.Scheduled {
		t.Fatalf("published before its time")
	}
	e.clock.Add(61 * time.Second)
	e.desk.Scheduler.Poke()
	waitFor(t, 2*time.Second, func() bool { a, _ := e.store.ArticleByID(ctx, id); return a.Status == newsroom.Published })
	a, _ = e.store.ArticleByID(ctx, id)
	r = e.client().get("/")
	wantStatus(t, "home page", r, http.StatusOK)
	if r.doc.Find(`a[href="`+a.URL()+`"]`).Length() == 0 {
		t.Errorf("published story not on the home page")
	}
}

func TestSchedulerPublishesWhatCameDueWhileDown(t *testing.T) {
	bothDBs(t, testSchedulerPublishesWhatCameDueWhileDown)
}

func testSchedulerPublishesWhatCameDueWhileDown(t *testing.T, e *env) {
	sec, au := e.taxonomy()
	ed := e.as(newsroom.RoleEditor)
	f := storyForm(sec, au, "schedule", 0)
	f.Set("scheduled_at", e.clock.Now().Add(2*time.Minute).Format("2006-01-02T15:04"))
	r := ed.post("/desk/articles", f)
	wantStatus(t, "schedule", r, http.StatusSeeOther)
	id := idFromLocation(t, r)
	e.clock.Add(time.Hour) // the server was down meanwhile
	published, next, err := e.desk.Scheduler.Check(ctx)
	if err != nil || len(published) != 1 || published[0] != id || !next.IsZero() {
		t.Fatalf("Check = %v, %v, %v", published, next, err)
	}
	// Exactly once: a second check (another node) publishes nothing.
	if again, _, _ := e.desk.Scheduler.Check(ctx); len(again) != 0 {
		t.Errorf("second check published %v", again)
	}
	// Two revisions: the editor's schedule, then the scheduler's
	// publication, attributed to it (no user).
	revs, _ := e.store.Revisions(ctx, id)
	if len(revs) != 2 || revs[0].Reason != newsroom.ReasonScheduler || revs[0].SavedBy != 0 ||
		revs[1].Reason != newsroom.ReasonScheduled || revs[1].SavedBy == 0 {
		t.Errorf("revisions after publication = %+v, want the schedule and the scheduler's publication", revs)
	}
}

func TestRevisionsDiffRestoreCorrectionsAndSlug(t *testing.T) {
	bothDBs(t, testRevisionsDiffRestoreCorrectionsAndSlug)
}

func testRevisionsDiffRestoreCorrectionsAndSlug(t *testing.T, e *env) {
	sec, au := e.taxonomy()
	ed := e.as(newsroom.RoleEditor)
	r := ed.post("/desk/articles", storyForm(sec, au, "publish", 0))
	id := idFromLocation(t, r)
	path := "/desk/articles/" + strconv.FormatInt(id, 10)
	f := storyForm(sec, au, "publish", 1)
	f.Set("body", strings.Replace(f.Get("body"), "Tickets are unchanged.", "Tickets cost two euros more.", 1))
	f.Set("slug", "aurora-back-on-varde-run")
	f.Set("confirmed", "1") // "Update live story", confirmed
	wantStatus(t, "edit the live story", ed.post(path, f), http.StatusSeeOther)

	r = ed.get(path + "/revisions")
	wantStatus(t, "revisions", r, http.StatusOK)
	if got := r.doc.Find("dd.body del").Text(); got != "are unchanged" {
		t.Errorf("removed words %q", got)
	}
	if got := r.doc.Find("dd.body ins").Text(); got != "cost two euros more" {
		t.Errorf("added words %q", got)
	}
	// Any two revisions: 2 → 1 reverses the diff.
	r = ed.get(path + "/revisions?from=2&to=1")
	if got := r.doc.Find("dd.body ins").Text(); got != "are unchanged" {
		t.Errorf("reverse diff added %q", got)
	}
	// Restoring revision 1 is a new save.
	wantStatus(t, "restore", ed.post(path+"/revisions/1/restore", url.Values{"revision": {"2"}}), http.StatusSeeOther)
	a, _ := e.store.ArticleByID(ctx, id)
	if a.Revision != 3 || !strings.Contains(a.Body, "Tickets are unchanged.") {
		t.Errorf("after restore: revision %d body %q", a.Revision, a.Body)
	}

	// The old address redirects to the new one.
	old := "/harbour/" + newsroom.Slugify(f.Get("headline"))
	r = e.client().get(old)
	wantStatus(t, "old URL", r, http.StatusMovedPermanently)
	if r.header.Get("Location") != a.URL() {
		t.Errorf("old URL redirects to %q, want %q", r.header.Get("Location"), a.URL())
	}

	// Corrections: a correspondent may not; an editor's shows on the page.
	corr := e.as(newsroom.RoleCorrespondent)
	wantStatus(t, "correspondent's correction", corr.post(path+"/corrections", url.Values{"kind": {"correction"}, "text": {"x"}}), http.StatusForbidden)
	r = ed.post(path+"/corrections", url.Values{"kind": {"correction"}, "text": {""}})
	wantStatus(t, "empty correction", r, http.StatusUnprocessableEntity)
	if v, _ := r.doc.Find("#f-correction_text").Attr("aria-invalid"); v != "true" {
		t.Errorf("empty correction text not marked")
	}
	e.clock.Add(23 * time.Hour) // the next day, within the session
	wantStatus(t, "correction", ed.post(path+"/corrections", url.Values{"kind": {"correction"}, "text": {"The fare rises by two euros, not three."}}), http.StatusSeeOther)
	r = e.client().get(a.URL())
	wantStatus(t, "public page", r, http.StatusOK)
	want := "Correction, 10 March 2026: The fare rises by two euros, not three."
	if got := strings.Join(strings.Fields(r.doc.Find(".corrections .correction").Text()), " "); got != want {
		t.Errorf("public correction %q, want %q", got, want)
	}
	var ld struct {
		Correction []struct {
			Type, Text string
		} `json:"correction"`
	}
	if err := json.Unmarshal([]byte(r.doc.Find(`script[type="application/ld+json"]`).Text()), &ld); err != nil ||
		len(ld.Correction) != 1 || ld.Correction[0].Text != "The fare rises by two euros, not three." {
		t.Errorf("JSON-LD corrections = %+v, %v", ld, err)
	}
	// The site-wide corrections page and its feed.
	r = e.client().get("/corrections")
	wantStatus(t, "corrections page", r, http.StatusOK)
	if r.doc.Find(`.correction-list a[href="`+a.URL()+`#corrections"]`).Length() != 1 {
		t.Errorf("corrections page does not link the story")
	}
	r = e.client().get("/corrections/feed")
	wantStatus(t, "corrections feed", r, http.StatusOK)
	if !strings.Contains(r.body, "<title>Correction: Ferry") || !strings.Contains(r.header.Get("Content-Type"), "rss") {
		t.Errorf("feed: %s", r.body)
	}
}

func waitFor(t *testing.T, d time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %v", d)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// contextUntil returns a context that ends when stop is closed.
func contextUntil(stop <-chan struct{}) (context.Context, context.CancelFunc) {
	c, cancel := context.WithCancel(context.Background())
	go func() { <-stop; cancel() }()
	return c, cancel
}

// TestSchedulerTimerFiresOnTime runs the scheduler on the real clock: it
// sleeps on a timer to the due time (no minute poll) and publishes within
// a second of it.
func TestSchedulerTimerFiresOnTime(t *testing.T) {
	e := newEnv(t)
	due := time.Now().Add(700 * time.Millisecond)
	a := &newsroom.Article{Headline: "On the dot", Status: newsroom.Scheduled, ScheduledAt: due}
	if err := e.store.CreateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	sc := desk.NewScheduler(e.store, time.Now, slog.New(slog.NewTextHandler(io.Discard, nil)))
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	go sc.Run(runCtx)
	waitFor(t, 3*time.Second, func() bool { got, _ := e.store.ArticleByID(ctx, a.ID); return got.Status == newsroom.Published })
	if late := time.Since(due); late > time.Second || late < 0 {
		t.Errorf("published %v after its time", late)
	}
}
