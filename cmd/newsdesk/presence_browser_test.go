package main

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"newsdesk/internal/browsertest"
	"newsdesk/internal/newsroom"
)

// TestBrowserPresence: while a colleague has a story open (another
// session, over HTTP), the editor page in Chromium names them and who
// saved last, in a polite live region; after the user's own autosave the
// script's heartbeat brings the new last save and a third colleague who
// opened the story meanwhile. Axe-clean.
func TestBrowserPresence(t *testing.T) {
	ta := newTestApp(t, "", false)
	ctx := browsertest.New(t)
	bg := context.Background()
	sec := addJourneyNewsroom(t, ta) // Ines Laar, editor
	addStaff(t, ta, "olga@example.org", "Olga Rebane", newsroom.RoleEditor)
	addStaff(t, ta, "karl@example.org", "Karl Tamm", newsroom.RoleAdmin)
	ines, err := ta.store.UserByEmail(bg, "ines@example.org")
	must(t, err)
	a := &newsroom.Article{Headline: "Harbour crane inspected", Standfirst: "Work starts in May.", Body: "The crane was inspected on Monday.",
		Status: newsroom.Draft, Language: "en", Categories: []newsroom.Category{sec}, SavedBy: ines.ID}
	must(t, ta.store.CreateArticle(bg, a))
	edit := ta.srv.URL + "/desk/articles/" + strconv.FormatInt(a.ID, 10)

	// Ines opens the story in her own session.
	opens := func(email string) {
		t.Helper()
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar}
		res, err := c.PostForm(ta.srv.URL+"/desk/signin", url.Values{"email": {email}, "password": {"journey password"}})
		must(t, err)
		res.Body.Close()
		res, err = c.Get(edit)
		must(t, err)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s opening the story: %d", email, res.StatusCode)
		}
	}
	opens("ines@example.org")

	browsertest.SetViewport(t, ctx, browsertest.Desktop)
	audit := auditor(t, ctx, "presence-")
	browsertest.Run(t, ctx, chromedp.Navigate(ta.srv.URL+"/desk/"))
	signIn(t, ctx, "olga@example.org")
	browsertest.Run(t, ctx, chromedp.Navigate(edit), chromedp.WaitVisible(chromedp.CSS(`#presence`)))
	clock := ta.clock.Now().UTC().Format("15:04")
	if got := browsertest.Eval[string](t, ctx, `document.getElementById("presence-others").textContent`); got != "Also open: Ines Laar (last seen "+clock+")." {
		t.Errorf("others line = %q", got)
	}
	if got := browsertest.Eval[string](t, ctx, `document.getElementById("presence-saved").textContent`); got != "Last saved by Ines Laar at "+clock+"." {
		t.Errorf("last saved line = %q", got)
	}
	if got := browsertest.Eval[string](t, ctx, `document.getElementById("presence").getAttribute("aria-live")`); got != "polite" {
		t.Errorf("presence aria-live = %q", got)
	}
	audit("editor")

	// Karl opens it too; Olga types, autosave saves, and the heartbeat
	// that follows shows her save and both colleagues.
	opens("karl@example.org")
	browsertest.Run(t, ctx, chromedp.SendKeys(chromedp.CSS(`#f-headline`), " again"))
	waitEval(t, ctx, `document.getElementById("presence-saved").textContent.startsWith("Last saved by Olga Rebane")`)
	waitEval(t, ctx, `document.getElementById("presence-others").textContent.includes("Karl Tamm")`)
	if got := browsertest.Eval[string](t, ctx, `document.getElementById("presence-others").textContent`); !strings.Contains(got, "Ines Laar") {
		t.Errorf("others line after the heartbeat = %q", got)
	}
	audit("editor-after-heartbeat")
}
