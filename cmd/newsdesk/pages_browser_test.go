package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"newsdesk/internal/browsertest"
	"newsdesk/internal/newsroom"
)

// TestBrowserPagesAndRedirects: an editor writes two static pages in the
// desk, has one refused for taking a section's address (what was typed is
// kept), orders the footer menu, and a reader sees the page at its own
// address with the menu in that order, on a phone and a desktop. The editor
// then adds, searches, edits and deletes a redirect, and the browser
// follows it. Every page passes axe-core.
func TestBrowserPagesAndRedirects(t *testing.T) {
	ta := newTestApp(t, "", false)
	ctx := browsertest.New(t)
	addJourneyNewsroom(t, ta)
	u := ta.srv.URL
	browsertest.SetViewport(t, ctx, browsertest.Desktop)
	audit := auditor(t, ctx, "pages-")
	text := func(sel string) string { t.Helper(); return text(t, ctx, sel) }

	browsertest.Run(t, ctx, chromedp.Navigate(u+"/desk/"))
	signIn(t, ctx, "ines@example.org")
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`nav a[href="/desk/pages"]`)), chromedp.WaitVisible(chromedp.CSS(`a[href="/desk/pages/new"]`)))
	audit("empty-list")

	newPage := func(title, slug, body string, position string) {
		t.Helper()
		browsertest.Run(t, ctx,
			chromedp.Navigate(u+"/desk/pages/new"),
			chromedp.WaitVisible(chromedp.CSS(`#pg-title`)),
			chromedp.SendKeys(chromedp.CSS(`#pg-title`), title),
			chromedp.SendKeys(chromedp.CSS(`#pg-slug`), slug),
			chromedp.SetValue(chromedp.CSS(`#pg-status`), "published"),
			chromedp.Click(chromedp.CSS(`#pg-menu`)),
			chromedp.SetValue(chromedp.CSS(`#pg-position`), position),
			chromedp.SendKeys(chromedp.CSS(`#pg-body`), body),
			chromedp.Click(chromedp.CSS(`.page-form button[type=submit]`)),
		)
		waitEval(t, ctx, `location.search === "?saved=created" && document.readyState === "complete"`)
	}
	newPage("About us", "", "The Skerrow Courier has reported from the islands since 1921.\n\n## Our promise\n\nWe correct our mistakes \"in the open\".", "2")
	if got := text(".page-preview h2 + .preview-body h2"); got != "Our promise" {
		t.Errorf("rendered preview subhead = %q", got)
	}
	audit("editor")
	newPage("Contacts", "contacts", "Harbour Street 4, Varde.", "1")

	// A page at a section's address is refused, and the form keeps it.
	browsertest.Run(t, ctx,
		chromedp.Navigate(u+"/desk/pages/new"),
		chromedp.WaitVisible(chromedp.CSS(`#pg-title`)),
		chromedp.SendKeys(chromedp.CSS(`#pg-title`), "Harbour notes"),
		chromedp.SendKeys(chromedp.CSS(`#pg-slug`), "harbour"),
		chromedp.SendKeys(chromedp.CSS(`#pg-body`), "Kept after the error."),
		chromedp.Click(chromedp.CSS(`.page-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#form-error`)),
	)
	if !strings.Contains(text("#form-error"), "section") ||
		browsertest.Eval[string](t, ctx, `document.getElementById("pg-body").value`) != "Kept after the error." ||
		browsertest.Eval[string](t, ctx, `document.getElementById("pg-slug").getAttribute("aria-invalid")`) != "true" {
		t.Errorf("refused page: error %q, body %q", text("#form-error"), browsertest.Eval[string](t, ctx, `document.getElementById("pg-body").value`))
	}
	audit("refused")

	// The footer menu: About us first.
	browsertest.Run(t, ctx, chromedp.Navigate(u+"/desk/pages"), chromedp.WaitVisible(chromedp.CSS(`.pages-list`)))
	aboutID := browsertest.Eval[string](t, ctx, `document.querySelector('.pages-list a[href^="/desk/pages/"]').getAttribute("href").split("/").pop()`)
	browsertest.Run(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#p-`+aboutID), "0"),
		chromedp.Click(chromedp.CSS(`form[action="/desk/pages/menu"] button[type=submit]`)),
	)
	waitEval(t, ctx, `location.search === "?saved=menu" && document.readyState === "complete"`)
	audit("list")

	footer := func() string {
		return browsertest.Eval[string](t, ctx, `[...document.querySelectorAll("footer .footer-menu a")].map(a => a.textContent + " " + a.getAttribute("href")).join(", ")`)
	}
	for _, vp := range []browsertest.Viewport{browsertest.Phone, browsertest.Desktop} {
		browsertest.SetViewport(t, ctx, vp)
		browsertest.Run(t, ctx, chromedp.Navigate(u+"/about-us/"), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
		if got := text("main h1"); got != "About us" {
			t.Errorf("public page h1 = %q", got)
		}
		if got := text(".body h2"); got != "Our promise" || !strings.Contains(text(".body"), "“in the open”") {
			t.Errorf("public body = %q", text(".body"))
		}
		if got, want := footer(), "About us /about-us/, Contacts /contacts/"; got != want {
			t.Errorf("footer menu = %q; want %q", got, want)
		}
		audit("public-" + vp.Name)
	}
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`footer .footer-menu a[href="/contacts/"]`)), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
	if got := text("main h1"); got != "Contacts" {
		t.Errorf("after the footer link: h1 %q", got)
	}

	// Redirects: add, refuse another host, search, follow, edit, delete.
	browsertest.Run(t, ctx, chromedp.Navigate(u+"/desk/"), chromedp.Click(chromedp.CSS(`nav a[href="/desk/redirects"]`)), chromedp.WaitVisible(chromedp.CSS(`#rf-from`)))
	audit("redirects-empty")
	addRedirect := func(from, to string) {
		t.Helper()
		markPage(t, ctx)
		browsertest.Run(t, ctx,
			chromedp.SetValue(chromedp.CSS(`#rf-from`), from),
			chromedp.SetValue(chromedp.CSS(`#rf-to`), to),
			chromedp.Click(chromedp.CSS(`.redirect-form button[type=submit]`)),
		)
		waitNewPage(t, ctx)
		waitEval(t, ctx, `document.readyState === "complete" && !!document.querySelector(".notice, #form-error")`)
	}
	addRedirect("/2019/05/harbour-lamps/", "/about-us/")
	if got := text(".notice"); got != "Redirect added." {
		t.Fatalf("after adding: notice %q, error %q", got, text("#form-error"))
	}
	addRedirect("/?p=77", u+"/contacts/")
	addRedirect("/old-contact", "https://elsewhere.example/")
	if from := browsertest.Eval[string](t, ctx, `document.getElementById("rf-from").value`); !strings.Contains(text("#form-error"), "other hosts") || from != "/old-contact" {
		t.Errorf("refused redirect: error %q, old address kept as %q", text("#form-error"), from)
	}
	audit("redirects-refused")
	browsertest.Run(t, ctx,
		chromedp.Navigate(u+"/desk/redirects"),
		chromedp.WaitVisible(chromedp.CSS(`#r-q`)),
		chromedp.SendKeys(chromedp.CSS(`#r-q`), "2019"),
		chromedp.Submit(chromedp.CSS(`#r-q`)),
	)
	waitEval(t, ctx, `location.search === "?q=2019&source=" && document.readyState === "complete"`)
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll(".redirect-list tbody tr").length`); n != 1 || text(".redirect-list tbody td a") != "/2019/05/harbour-lamps" {
		t.Errorf("search 2019: %d rows, first %q", n, text(".redirect-list tbody td a"))
	}
	audit("redirects-list")

	follow := func(path, want string) {
		t.Helper()
		browsertest.Run(t, ctx, chromedp.Navigate(u+path))
		waitEval(t, ctx, `document.readyState === "complete"`)
		if got := browsertest.Eval[string](t, ctx, `location.pathname`); got != want {
			t.Errorf("%s led to %s; want %s", path, got, want)
		}
	}
	follow("/2019/05/harbour-lamps", "/about-us/")
	follow("/?p=77", "/contacts/")

	browsertest.Run(t, ctx,
		chromedp.Navigate(u+"/desk/redirects?q=2019"),
		chromedp.WaitVisible(chromedp.CSS(`.redirect-list`)),
		chromedp.Click(chromedp.CSS(`.redirect-list tbody td a[href^="/desk/redirects/"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#rf-to`)),
	)
	audit("redirect-edit")
	browsertest.Run(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#rf-to`), "/contacts/"),
		chromedp.Click(chromedp.CSS(`.redirect-form button[type=submit]`)),
	)
	waitEval(t, ctx, `location.search.startsWith("?saved=saved") && document.readyState === "complete"`)
	follow("/2019/05/harbour-lamps/", "/contacts/")
	browsertest.Run(t, ctx,
		chromedp.Navigate(u+"/desk/redirects?q=2019"),
		chromedp.WaitVisible(chromedp.CSS(`.redirect-list`)),
		chromedp.Click(chromedp.CSS(`.redirect-list tbody form button`)),
	)
	waitEval(t, ctx, `location.search === "?saved=deleted" && document.readyState === "complete"`)
	follow("/2019/05/harbour-lamps/", "/2019/05/harbour-lamps/")
	if got := text("main h1"); !strings.Contains(strings.ToLower(got), "not found") {
		t.Errorf("after deleting the redirect: h1 %q", got)
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	return "`" + strings.NewReplacer("`", "\\`", "\\", "\\\\", "${", "\\${").Replace(s) + "`"
}

// TestBrowserImportPage: an administrator uploads a small WordPress
// export on the desk's Import page, the page follows the import and shows
// the summary; both pages pass axe-core, and the imported story is on the
// site.
func TestBrowserImportPage(t *testing.T) {
	ta := newTestApp(t, "", false)
	ctx := browsertest.New(t)
	addStaff(t, ta, "ada@example.org", "Ada Admin", newsroom.RoleAdmin)
	// The export split in two, as `wp export` splits a big site: both
	// files go in one upload.
	whole, err := os.ReadFile("../../internal/desk/testdata/desk-import.xml")
	must(t, err)
	head := string(whole[:bytes.Index(whole, []byte("\t<item>"))])
	items := string(whole[len(head):bytes.Index(whole, []byte("</channel>"))])
	cut := strings.Index(items, "\t</item>\n") + len("\t</item>\n")
	dir := t.TempDir()
	files := []string{filepath.Join(dir, "courier.000.xml"), filepath.Join(dir, "courier.001.xml")}
	must(t, os.WriteFile(files[0], []byte(head+items[:cut]+"</channel>\n</rss>\n"), 0o644))
	must(t, os.WriteFile(files[1], []byte(head+items[cut:]+"</channel>\n</rss>\n"), 0o644))
	u := ta.srv.URL
	browsertest.SetViewport(t, ctx, browsertest.Desktop)
	audit := auditor(t, ctx, "import-")
	browsertest.Run(t, ctx, chromedp.Navigate(u+"/desk/"))
	signIn(t, ctx, "ada@example.org")
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`nav a[href="/desk/import"]`)), chromedp.WaitVisible(chromedp.CSS(`#imp-file`)))
	audit("form")
	browsertest.Run(t, ctx,
		chromedp.SetUploadFiles(chromedp.CSS(`#imp-file`), files),
		chromedp.Click(chromedp.CSS(`.import-form button[type=submit]`)),
	)
	// The page follows the import (its script polls the status) and shows
	// the summary when it ends.
	waitEval(t, ctx, `location.pathname === "/desk/import" && !!document.querySelector(".import-summary")`)
	audit("summary")
	rows := browsertest.Eval[string](t, ctx, `[...document.querySelectorAll(".import-summary tbody tr")].slice(0, 2).map(r => [...r.children].map(c => c.textContent).join(" ")).join("; ")`)
	if rows != "Posts 2 0 0 0 0; Pages 1 0 0 0 0" {
		t.Errorf("summary rows = %q", rows)
	}
	if got := text(t, ctx, "#import-last"); !strings.Contains(got, "courier.000.xml, courier.001.xml") {
		t.Errorf("summary heading = %q", got)
	}
	a, err := ta.store.ArticleBySlug(t.Context(), "lighthouse-keepers-last-winter")
	must(t, err)
	browsertest.Run(t, ctx, chromedp.Navigate(u+a.URL()), chromedp.WaitVisible(chromedp.CSS(`article h1`)))
	if got := text(t, ctx, "article h1"); got != "The lighthouse keeper’s last winter" {
		t.Errorf("imported story h1 = %q", got)
	}
	// The old permalink leads to it, and the imported page is served.
	browsertest.Run(t, ctx, chromedp.Navigate(u+"/2023/11/02/lighthouse-keepers-last-winter/"), chromedp.WaitVisible(chromedp.CSS(`article h1`)))
	if got := browsertest.Eval[string](t, ctx, `location.pathname`); got != a.URL() {
		t.Errorf("old permalink led to %s; want %s", got, a.URL())
	}
	browsertest.Run(t, ctx, chromedp.Navigate(u+"/about/"), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
	if got := text(t, ctx, "main h1"); got != "About the Courier" {
		t.Errorf("imported page h1 = %q", got)
	}
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return strings.TrimSpace(browsertest.Eval[string](t, ctx, `(document.querySelector(`+jsString(sel)+`)?.textContent || "")`))
}
