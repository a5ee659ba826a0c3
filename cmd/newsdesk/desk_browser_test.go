package main

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"newsdesk/internal/auth"
	"newsdesk/internal/browsertest"
	"newsdesk/internal/newsroom"
)

// TestBrowserDeskJourney: a correspondent signs in, writes a story with
// the live preview beside the editor and submits it; an editor signs in,
// schedules it a minute ahead on the injected clock, the clock moves and
// the story is on the home page; the editor corrects it, and the revision
// diff shows the change.
func TestBrowserDeskJourney(t *testing.T) {
	ta := newTestApp(t, "", false)
	ctx := browsertest.New(t)
	bg := context.Background()
	sec := addJourneyNewsroom(t, ta)

	runCtx, stop := context.WithCancel(bg)
	defer stop()
	go ta.desk.Scheduler.Run(runCtx)

	u := ta.srv.URL
	browsertest.SetViewport(t, ctx, browsertest.Desktop)
	audit := auditor(t, ctx, "desk-")

	// The correspondent signs in (the desk sends a signed-out visitor to
	// the sign-in page and back).
	browsertest.Run(t, ctx, chromedp.Navigate(u+"/desk/"), chromedp.WaitVisible(chromedp.CSS(`#email`)))
	audit("signin")
	signIn(t, ctx, "mira@example.org")

	// Writes a story; the preview beside the editor follows the typing.
	browsertest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(`a[href="/desk/articles/new"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-headline`)),
		chromedp.SendKeys(chromedp.CSS(`#f-headline`), `Night ferry "Aurora" returns to Varde`),
		chromedp.SendKeys(chromedp.CSS(`#f-standfirst`), "The repaired ferry sails again from Monday."),
		writeBodyMarkdown("The night ferry returns on Monday.\n\n> We are glad to have her back, said the harbour master.\n\nTickets are unchanged."),
		chromedp.SetValue(chromedp.CSS(`#f-categories`), strconv.FormatInt(sec.ID, 10)),
		chromedp.SendKeys(chromedp.CSS(`#f-tags`), "Ferries"),
		chromedp.SendKeys(chromedp.CSS(`#source-name-0`), "Harbour office"),
		chromedp.SendKeys(chromedp.CSS(`#source-url-0`), "https://harbour.example.org/notice"),
		// The lead image: uploaded from the editor's image picker.
		chromedp.Click(chromedp.CSS(`button.pick-image`)),
		chromedp.WaitVisible(chromedp.CSS(`dialog.picker #picker-file`)),
		chromedp.SetUploadFiles(chromedp.CSS(`#picker-file`), []string{journeyPhoto(t)}),
	)
	waitEval(t, ctx, `!document.querySelector("dialog.picker") && document.getElementById("f-lead_image.url").value.startsWith("/media/i/")`)
	browsertest.Run(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#f-lead_image\.alt`), "The ferry at the quay"),
		chromedp.SendKeys(chromedp.CSS(`#f-image_credit`), "Lena Ots"),
	)
	waitEval(t, ctx, `(() => { const d = document.getElementById("preview-frame").contentDocument;
		return !!d && !!d.querySelector("h1") && d.querySelector("h1").textContent.includes("“Aurora”") &&
			!!d.querySelector("blockquote") })()`)
	// Autosave made it a draft with an address of its own.
	waitEval(t, ctx, `location.pathname.match(/^\/desk\/articles\/\d+$/) !== null && document.getElementById("save-status").textContent.startsWith("Saved")`)
	audit("editor")
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`button[value=review]`)), chromedp.WaitVisible(chromedp.CSS(`.notice`)))
	if got := browsertest.Eval[string](t, ctx, `document.querySelector(".state .badge").textContent`); got != "In review" {
		t.Fatalf("status after submitting = %q", got)
	}
	editPath := browsertest.Eval[string](t, ctx, `location.pathname`)
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`.me button`)), chromedp.WaitVisible(chromedp.CSS(`#email`)))

	// The editor signs in and finds it in review.
	signIn(t, ctx, "ines@example.org")
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('section[aria-labelledby=h-review] a[href="`+editPath+`"]').length`); n != 1 {
		t.Fatalf("story not in review on the editor's front page")
	}
	audit("front")
	// Schedules it a minute ahead of the injected clock.
	at := ta.clock.Now().Add(time.Minute).Format("2006-01-02T15:04")
	browsertest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(`section[aria-labelledby=h-review] a[href="`+editPath+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-scheduled_at`)),
		chromedp.SetValue(chromedp.CSS(`#f-scheduled_at`), at),
		chromedp.Click(chromedp.CSS(`button[value=schedule]`)),
		chromedp.WaitVisible(chromedp.CSS(`.notice`)),
	)
	if got := browsertest.Eval[string](t, ctx, `document.querySelector(".state .badge").textContent`); got != "Scheduled" {
		t.Fatalf("status after scheduling = %q", got)
	}
	browsertest.Run(t, ctx, chromedp.Navigate(u+"/"))
	if browsertest.Eval[bool](t, ctx, `document.body.textContent.includes("Night ferry")`) {
		t.Fatalf("the story is on the home page before its time")
	}
	// The clock reaches the time; the scheduler (woken as a schedule
	// change would wake it) publishes within a second.
	ta.clock.Add(61 * time.Second)
	ta.desk.Scheduler.Poke()
	deadline := time.Now().Add(3 * time.Second)
	for {
		browsertest.Run(t, ctx, chromedp.Navigate(u+"/"))
		if browsertest.Eval[bool](t, ctx, `document.body.textContent.includes("Night ferry “Aurora” returns to Varde")`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the scheduled story is not on the home page")
		}
		time.Sleep(100 * time.Millisecond)
	}
	browsertest.Screenshot(t, ctx, "home-after-schedule")

	// The editor changes the live text (Ctrl+S saves a draft; "Update
	// live story", confirmed, publishes it) and adds a correction.
	browsertest.Run(t, ctx, chromedp.Navigate(u+editPath), chromedp.WaitVisible(chromedp.CSS(`.body-editor-text`)))
	browsertest.Eval[bool](t, ctx, `(() => { const b = document.getElementById("f-body");
		b.value = b.value.replace("Tickets are unchanged.", "Tickets cost two euros more."); b.dispatchEvent(new Event("input", {bubbles: true})); return true })()`)
	browsertest.Run(t, ctx,
		chromedp.Focus(chromedp.CSS(`.body-editor-text`)),
		chromedp.KeyEvent("s", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
	)
	waitEval(t, ctx, `location.search === "?done=pending" && document.readyState === "complete"`)
	browsertest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(`button[name=action][value=publish]`)),
		chromedp.WaitVisible(chromedp.CSS(`#confirm-button`)),
		chromedp.Click(chromedp.CSS(`#confirm-button`)),
	)
	waitEval(t, ctx, `location.search === "?done=saved" && document.readyState === "complete"`)
	browsertest.Run(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#f-correction_text`), "An earlier version said the ferry returns on Sunday."),
		chromedp.Click(chromedp.CSS(`#corrections button[type=submit]`)),
	)
	waitEval(t, ctx, `location.search === "?done=correction" && document.readyState === "complete"`)
	public := browsertest.Eval[string](t, ctx, `document.querySelector('a[href^="/harbour/"]').getAttribute("href")`)
	browsertest.Run(t, ctx, chromedp.Navigate(u+public), chromedp.WaitVisible(chromedp.CSS(`article h1`)))
	if !browsertest.Eval[bool](t, ctx, `(document.querySelector("figure.lead-figure img")?.getAttribute("srcset") || "").includes("960w")`) {
		t.Errorf("the uploaded lead image has no srcset on the public page")
	}
	note := browsertest.Eval[string](t, ctx, `document.querySelector(".corrections .correction").textContent`)
	want := "Correction, " + longDate(ta.clock.Now()) + ": An earlier version said the ferry returns on Sunday."
	if strings.Join(strings.Fields(note), " ") != want {
		t.Errorf("correction on the page = %q, want %q", note, want)
	}
	if !browsertest.Eval[bool](t, ctx, `document.querySelector("article").textContent.includes("Tickets cost two euros more.")`) {
		t.Errorf("the saved change is not on the public page")
	}

	// The revision diff shows the change.
	browsertest.Run(t, ctx, chromedp.Navigate(u+editPath+"/revisions"), chromedp.WaitVisible(chromedp.CSS(`dl.diff`)))
	if got := browsertest.Eval[string](t, ctx, `document.querySelector("dd.body del").textContent + " → " + document.querySelector("dd.body ins").textContent`); got != "are unchanged → cost two euros more" {
		t.Errorf("revision diff = %q", got)
	}
	audit("revisions")
	browsertest.Run(t, ctx, chromedp.Navigate(u+"/desk/stories"), chromedp.WaitVisible(chromedp.CSS(`table.list`)))
	audit("stories")
}

func longDate(t time.Time) string { return t.UTC().Format("2 January 2006") }

// addStaff creates a user whose password is "journey password".
// addJourneyNewsroom makes what the browser journeys start from: the
// section "Harbour", the correspondent mira@example.org with her author
// profile (own correspondent), and the editor ines@example.org. It returns
// the section.
func addJourneyNewsroom(t *testing.T, ta *testApp) newsroom.Category {
	t.Helper()
	bg := context.Background()
	sec := newsroom.Category{Slug: "harbour", Name: "Harbour", Position: 1}
	must(t, ta.store.CreateCategory(bg, &sec))
	corr := addStaff(t, ta, "mira@example.org", "Mira Kask", newsroom.RoleCorrespondent)
	addStaff(t, ta, "ines@example.org", "Ines Laar", newsroom.RoleEditor)
	// Staff are authors: her profile came with her account; she writes as
	// the paper's own correspondent.
	author, err := ta.store.AuthorByUserID(bg, corr.ID)
	must(t, err)
	author.Label = newsroom.LabelOwnCorr
	must(t, ta.store.UpdateAuthor(bg, author))
	return sec
}

func addStaff(t *testing.T, ta *testApp, email, name string, role newsroom.Role) *newsroom.User {
	t.Helper()
	hash, err := auth.HashPassword("journey password")
	must(t, err)
	u := &newsroom.User{Email: email, Name: name, Role: role, PasswordHash: hash}
	must(t, ta.store.CreateUser(context.Background(), u))
	return u
}

func signIn(t *testing.T, ctx context.Context, email string) {
	t.Helper()
	browsertest.Run(t, ctx,
		chromedp.WaitVisible(chromedp.CSS(`#email`)),
		chromedp.SetValue(chromedp.CSS(`#email`), email),
		chromedp.SendKeys(chromedp.CSS(`#password`), "journey password"),
		chromedp.Click(chromedp.CSS(`form[action="/desk/signin"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`.me`)),
	)
}

// waitEval polls a JavaScript condition for up to ten seconds.
func waitEval(t *testing.T, ctx context.Context, expr string) {
	t.Helper()
	browsertest.Poll(t, ctx, 10*time.Second, expr)
}
