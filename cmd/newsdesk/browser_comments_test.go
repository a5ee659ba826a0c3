package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/chromedp/cdproto/cdp"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/mmcdole/gofeed"

	"newsdesk/internal/auth"
	"newsdesk/internal/browsertest"
	"newsdesk/internal/newsroom"
)

// tab opens a tab in a browser context of its own (its own cookies) on the
// browser of parent. The page's Content-Security-Policy is bypassed, so
// only the escaping of what readers typed stands between a vector and
// execution, and xssHit() exists before any page script runs.
func tab(t *testing.T, parent context.Context) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(parent, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if _, err := chromedp.Call(ctx, cdppage.SetBypassCSP, cdppage.SetBypassCSPParams{Enabled: true}); err != nil {
		t.Fatalf("bypass CSP: %v", err)
	}
	if _, err := chromedp.Call(ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.__xssHits = 0; window.xssHit = function () { window.__xss = 1; window.__xssHits++; };`}); err != nil {
		t.Fatalf("add script: %v", err)
	}
	return ctx
}

// noXSS fails when anything set window.__xss in the tab's current page.
func noXSS(t *testing.T, ctx context.Context, where string) {
	t.Helper()
	// Give event handlers (onload, onerror, onfocus, animations) a moment.
	time.Sleep(300 * time.Millisecond)
	if hit := browsertest.Eval[bool](t, ctx, `window.__xss === 1`); hit {
		t.Errorf("%s: a vector ran (window.__xss is set)", where)
	}
	if ok := browsertest.Eval[bool](t, ctx, `typeof window.xssHit === "function"`); !ok {
		t.Errorf("%s: the xssHit probe is missing, so the check proves nothing", where)
	}
}

// staffUser makes a signed-in-able user with a known password.
func staffUser(t *testing.T, ta *testApp, email string, role newsroom.Role) string {
	t.Helper()
	const password = "moderator password 1"
	hash, err := auth.HashPassword(password)
	must(t, err)
	must(t, ta.store.CreateUser(context.Background(), &newsroom.User{Email: email, Name: "Mo Derator", Role: role, PasswordHash: hash}))
	return password
}

func commentDeskSignIn(t *testing.T, ctx context.Context, base, email, password string) {
	t.Helper()
	browsertest.Run(t, ctx, chromedp.Navigate(base+"/desk/signin"))
	waitSel(t, ctx, "#email")
	browsertest.Run(t, ctx, chromedp.SendKeys(chromedp.CSS("#email"), email), chromedp.SendKeys(chromedp.CSS("#password"), password))
	clickJS(t, ctx, `form button[type=submit]`)
	waitSel(t, ctx, "nav .count, .side")
}

// TestBrowserCommentJourney: a new reader posts a comment and sees that it
// awaits moderation; a moderator approves it in the desk; it appears on the
// article with the count updated; the reader answers it with the Reply
// button (the form moves under the comment) and the reply is threaded.
func TestBrowserCommentJourney(t *testing.T) {
	ta := newTestApp(t, "", false)
	f := newNewsFixture(t, ta)
	password := staffUser(t, ta, "mo@example.org", newsroom.RoleModerator)
	browser := browsertest.New(t)
	rd := tab(t, browser)
	mod := tab(t, browser)
	anon := tab(t, browser)
	article := ta.srv.URL + f.a.URL

	browsertest.Run(t, rd, chromedp.Navigate(article))
	waitSel(t, rd, "#commentform")
	browsertest.Run(t, rd, chromedp.SendKeys(chromedp.CSS("#comment-body"), "The north quay froze before six.\n\nTide tables: https://tides.example/north"), chromedp.SendKeys(chromedp.CSS("#comment-name"), "Ann Reader"), chromedp.SendKeys(chromedp.CSS("#comment-email"), "ann@example.org"))
	clickJS(t, rd, "#comment-remember")
	clickJS(t, rd, "#commentform button[type=submit]")
	waitSel(t, rd, ".awaiting")
	id := browsertest.Eval[string](t, rd, `document.querySelector(".is-pending article").id.replace("comment-", "")`)
	note := browsertest.Eval[string](t, rd, `document.querySelector(".awaiting").textContent`)
	if !strings.Contains(note, "awaiting moderation") {
		t.Errorf("moderation note = %q", note)
	}
	if got := browsertest.Eval[string](t, rd, `location.hash`); got != "#comment-"+id {
		t.Errorf("after posting the page is at %q", got)
	}
	browsertest.Screenshot(t, rd, "comment-awaiting-moderation")
	browsertest.Run(t, anon, chromedp.Navigate(article))
	waitSel(t, anon, "#comments")
	if n := browsertest.Eval[int](t, anon, `document.querySelectorAll(".comment-list article").length`); n != 0 {
		t.Errorf("another reader sees %d comments before approval", n)
	}

	// The moderator approves it in the desk.
	commentDeskSignIn(t, mod, ta.srv.URL, "mo@example.org", password)
	browsertest.Run(t, mod, chromedp.Navigate(ta.srv.URL+"/desk/comments"))
	waitSel(t, mod, "#c"+id)
	if c := browsertest.Eval[string](t, mod, `document.querySelector(".side a[href='/desk/comments'] .count").textContent`); c != "1" {
		t.Errorf("desk nav count = %q", c)
	}
	browsertest.Screenshot(t, mod, "desk-comment-queue")
	t.Run("axe desk queue", func(t *testing.T) {
		if v := browsertest.Axe(t, mod); len(v) > 0 {
			t.Errorf("desk comment queue: accessibility violations:\n%v", v)
		}
	})
	markPage(t, mod)
	clickJS(t, mod, "#c"+id+" button.act-approve")
	waitNewPage(t, mod)
	if n := browsertest.Eval[string](t, mod, `document.querySelector(".notice").textContent`); n != "1 comment approved." {
		t.Errorf("desk notice %q", n)
	}

	// It appears on the article with the count, for everyone (a reader
	// who had the page open reloads it; pages may be kept by browsers for
	// a minute).
	browsertest.Run(t, anon, chromedp.Navigate(article), chromedp.Reload())
	waitSel(t, anon, "#comment-"+id)
	if h := browsertest.Eval[string](t, anon, `document.getElementById("comments-title").textContent`); h != "1 Comment" {
		t.Errorf("heading = %q", h)
	}
	if d := browsertest.Eval[string](t, anon, `document.querySelector(".dateline a[href='#comments']").textContent`); d != "1 comment" {
		t.Errorf("dateline count = %q", d)
	}
	browsertest.Run(t, rd, chromedp.Navigate(article), chromedp.Reload())
	waitSel(t, rd, "#comment-"+id)
	if n := browsertest.Eval[int](t, rd, `document.querySelectorAll(".awaiting").length`); n != 0 {
		t.Error("the approved comment still says it awaits moderation")
	}

	// Reply: the form moves under the comment, remembered fields are filled.
	ta.clock.Add(time.Minute)
	clickJS(t, rd, "#comment-"+id+" .reply-link")
	waitSel(t, rd, "#cancel-reply")
	if in := browsertest.Eval[bool](t, rd, `document.getElementById("comment-`+id+`").parentElement.contains(document.getElementById("respond"))`); !in {
		t.Error("the form did not move under the comment")
	}
	if p := browsertest.Eval[string](t, rd, `document.getElementById("comment-parent").value`); p != id {
		t.Errorf("parent_id = %q", p)
	}
	if n := browsertest.Eval[string](t, rd, `document.getElementById("comment-name").value + "|" + document.getElementById("comment-email").value`); n != "Ann Reader|ann@example.org" {
		t.Errorf("remembered fields = %q", n)
	}
	if got := browsertest.Eval[string](t, rd, `document.activeElement.id`); got != "comment-body" {
		t.Errorf("focus after Reply is on %q", got)
	}
	browsertest.Screenshot(t, rd, "comment-reply-form")
	browsertest.Run(t, rd, chromedp.SendKeys(chromedp.CSS("#comment-body"), "It thawed by noon."))
	clickJS(t, rd, "#commentform button[type=submit]")
	waitSel(t, rd, ".comment-list .children article")
	reply := browsertest.Eval[string](t, rd, `(document.querySelector("#comment-`+id+`").parentElement.querySelector("ol.children > li > article .comment-text") || {}).textContent || ""`)
	if !strings.Contains(reply, "It thawed by noon.") {
		t.Errorf("threaded reply not under its parent: %q", reply)
	}
	browsertest.Run(t, anon, chromedp.Navigate(article), chromedp.Reload())
	waitSel(t, anon, ".children")
	if h := browsertest.Eval[string](t, anon, `document.getElementById("comments-title").textContent`); h != "2 Comments" {
		t.Errorf("heading after the reply = %q", h)
	}
	for _, vp := range []browsertest.Viewport{browsertest.Phone, browsertest.Desktop} {
		browsertest.SetViewport(t, anon, vp)
		browsertest.Run(t, anon, chromedp.Navigate(article+"#comments"))
		waitSel(t, anon, "#commentform")
		browsertest.Screenshot(t, anon, "comments-"+vp.Name)
		t.Run("axe article "+vp.Name, func(t *testing.T) {
			if v := browsertest.Axe(t, anon); len(v) > 0 {
				t.Errorf("article with comments, %s: accessibility violations:\n%v", vp.Name, v)
			}
		})
	}
	// Cancel puts the form back at the foot.
	clickJS(t, anon, "#comment-"+id+" .reply-link")
	clickJS(t, anon, "#cancel-reply")
	if home := browsertest.Eval[bool](t, anon, `document.getElementById("respond").nextElementSibling.id === "respond-home" && document.getElementById("comment-parent").value === ""`); !home {
		t.Error("Cancel reply did not put the form back")
	}
}

// clickJS clicks the element as a script would (element.click()), which
// submits forms and runs listeners exactly as a user's click does.
func clickJS(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	js, _ := json.Marshal(sel)
	if ok := browsertest.Eval[bool](t, ctx, fmt.Sprintf(`(function(){var e=document.querySelector(%s); if(!e) return false; e.click(); return true;})()`, js)); !ok {
		t.Fatalf("no element %s to click", sel)
	}
}

// waitSel brings the tab to the front and waits until an element matches sel.
func waitSel(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	if _, err := chromedp.Call(ctx, cdppage.BringToFront, cdp.Empty{}); err != nil {
		t.Fatalf("bring tab to front: %v", err)
	}
	js, _ := json.Marshal(sel)
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		tctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		ok, err := chromedp.Run(tctx, chromedp.Evaluate[bool](fmt.Sprintf(`document.readyState === "complete" && document.querySelector(%s) !== null`, js)))
		cancel()
		if err == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no %s on %s", sel, browsertest.Eval[string](t, ctx, "location.href"))
}

// markPage marks the current page, so that waitNewPage sees it replaced.
func markPage(t *testing.T, ctx context.Context) {
	t.Helper()
	browsertest.Run(t, ctx, chromedp.Evaluate[chromedp.Void](`window.__old = 1`))
}

// waitNewPage waits until the page that window.__old marked is replaced
// and the new one has loaded.
func waitNewPage(t *testing.T, ctx context.Context) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		tctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		done, err := chromedp.Run(tctx, chromedp.Evaluate[bool](`window.__old === undefined && document.readyState === "complete"`))
		cancel()
		if err == nil && done {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the next page did not load")
}

// vectorMarks are the stand-ins of testdata/xss-vectors.txt for bytes a
// line cannot hold or that an editor would lose.
var vectorMarks = strings.NewReplacer("{CRLF}", "\r\n", "{NUL}", "\x00", "{BAD}", "\xff\xfe")

// plainVector reports whether v is valid UTF-8 without control characters
// (tab aside): text every field keeps as it was typed.
func plainVector(v string) bool {
	return utf8.ValidString(v) && !strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 && r != '\t' })
}

// vectorName is v cut to the 100 characters a commenter's name may have.
func vectorName(v string) string {
	if r := []rune(v); len(r) > 100 {
		return string(r[:100])
	}
	return v
}

// xssVectors reads testdata/xss-vectors.txt (the stand-ins replaced).
func xssVectors(t *testing.T) []string {
	t.Helper()
	fh, err := os.Open("testdata/xss-vectors.txt")
	must(t, err)
	defer fh.Close()
	var out []string
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		l := sc.Text()
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "# ") {
			continue
		}
		out = append(out, vectorMarks.Replace(l))
	}
	if len(out) < 150 {
		t.Fatalf("only %d vectors; want at least 150", len(out))
	}
	return out
}

// TestBrowserCommentXSS posts every vector into every field, through the
// API and through the form, approves what is stored in the desk, and
// checks in a real browser (with the page's CSP bypassed) that none runs on
// the article, the reply page, the desk queue, the refused form and a feed
// reader's rendering of the feeds, and that the text shows as text.
func TestBrowserCommentXSS(t *testing.T) {
	ta := newTestApp(t, "", false)
	f := newNewsFixture(t, ta)
	setComments(t, ta, func(s *newsroom.CommentSettings) { s.FloodSeconds, s.PerPage, s.MaxLinks = 0, 500, -1 })
	password := staffUser(t, ta, "mo@example.org", newsroom.RoleModerator)
	vectors := xssVectors(t)
	browser := browsertest.New(t)
	rd := tab(t, browser)

	// API: the vector as name and body (stored), as e-mail and website (refused).
	stored := map[int64]string{}
	for i, v := range vectors {
		body, _ := json.Marshal(map[string]string{"name": vectorName(v), "email": fmt.Sprintf("v%d@example.org", i), "body": v + "\n\nline two " + v})
		res := doJSON(t, ta.srv, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", f.a.ID), "", string(body))
		var out struct{ ID int64 }
		if !plainVector(v) && res.status == http.StatusUnprocessableEntity {
			continue // control characters or bytes that are not UTF-8: refused, naming the field
		}
		if res.status != http.StatusAccepted || json.Unmarshal([]byte(res.body), &out) != nil {
			t.Fatalf("vector %d as name/body: %d %s", i, res.status, res.body)
		}
		stored[out.ID] = v
		for _, field := range []string{"email", "website"} {
			in := map[string]string{"name": "X", "email": "x@example.org", "body": "x"}
			in[field] = v
			body, _ := json.Marshal(in)
			res := doJSON(t, ta.srv, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", f.a.ID), "", string(body))
			if res.status != http.StatusUnprocessableEntity && !(field == "website" && res.status == http.StatusAccepted) {
				t.Errorf("vector %d as %s: %d %s", i, field, res.status, res.body)
			}
		}
	}

	// The form, without the browser's own checks: each vector into every
	// field. A refused form comes back with what was typed; nothing runs.
	article := ta.srv.URL + f.a.URL
	browsertest.Run(t, rd, chromedp.Navigate(article))
	waitSel(t, rd, "#commentform")
	for i, v := range vectors {
		if i%4 != 0 && i > 12 { // every vector through the API; a quarter (all of the first dozen) through the form too
			continue
		}
		js, _ := json.Marshal(v)
		browsertest.Run(t, rd, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(function(v){window.__old=1; var f=document.getElementById("commentform");
				f.elements.comment.value=v; f.elements.author.value=v; f.elements.email.value=v; f.elements.url.value=v; f.submit();})(%s)`, js)))
		waitNewPage(t, rd)
		if n := browsertest.Eval[int](t, rd, `document.querySelectorAll("#comment-errors").length`); n != 1 {
			t.Fatalf("vector %d: the form was not refused", i)
		}
		noXSS(t, rd, fmt.Sprintf("refused form with vector %d", i))
		if !plainVector(v) {
			continue // the browser itself normalizes line breaks and drops NULs
		}
		if got := browsertest.Eval[string](t, rd, `document.getElementById("comment-body").value`); got != v {
			t.Errorf("vector %d: the form kept %q", i, got)
		}
		if got := browsertest.Eval[string](t, rd, `document.getElementById("comment-name").value`); got != v {
			t.Errorf("vector %d: the name field kept %q", i, got)
		}
	}

	// The moderator approves everything in the desk, page by page, with
	// "Select all" and the bulk action; the queue itself must stay inert.
	mod := tab(t, browser)
	commentDeskSignIn(t, mod, ta.srv.URL, "mo@example.org", password)
	for round := 0; round < 10; round++ {
		browsertest.Run(t, mod, chromedp.Navigate(ta.srv.URL+"/desk/comments?status=pending"))
		waitSel(t, mod, "main h1")
		noXSS(t, mod, "desk queue")
		if n := browsertest.Eval[int](t, mod, `document.querySelectorAll(".comment-queue > li").length`); n == 0 {
			break
		}
		if bad := browsertest.Eval[int](t, mod, `document.querySelectorAll(".qc-text :not(p):not(br):not(a), .qc-name *, .qc-text a:not([href^='http'])").length`); bad != 0 {
			t.Errorf("desk queue: %d elements came from comment text", bad)
		}
		clickJS(t, mod, "#select-all")
		if n := browsertest.Eval[int](t, mod, `document.querySelectorAll(".comment-queue input[name=id]:checked").length`); n == 0 {
			t.Fatal("Select all ticked nothing")
		}
		browsertest.Run(t, mod, chromedp.SetValue(chromedp.CSS("#bulk-action"), "approve"))
		markPage(t, mod)
		clickJS(t, mod, "button[name=bulk]")
		waitNewPage(t, mod)
		if n := browsertest.Eval[string](t, mod, `(document.querySelector(".notice") || {}).textContent || ""`); !strings.Contains(n, "approved") {
			t.Fatalf("bulk approve: notice %q", n)
		}
	}
	a, err := ta.store.ArticleByID(context.Background(), f.a.ID)
	must(t, err)
	if a.CommentCount != len(stored) {
		t.Fatalf("%d comments approved; want %d", a.CommentCount, len(stored))
	}

	// The article page: nothing runs, every vector shows as text.
	browsertest.Run(t, rd, chromedp.Navigate(article), chromedp.Reload())
	waitSel(t, rd, ".comment-list")
	noXSS(t, rd, "article page")
	browsertest.Screenshot(t, rd, "comments-xss")
	var shown map[string]struct{ Name, Text string }
	raw := browsertest.Eval[string](t, rd, `JSON.stringify(Object.fromEntries(Array.from(document.querySelectorAll(".comment-list article")).map(a =>
		[a.id.replace("comment-", ""), {Name: a.querySelector(".comment-author").textContent, Text: a.querySelector(".comment-text").innerText}])))`)
	must(t, json.Unmarshal([]byte(raw), &shown))
	for id, v := range stored {
		got, ok := shown[strconv.FormatInt(id, 10)]
		if !ok {
			t.Errorf("comment %d (%.40q) not on the page", id, v)
			continue
		}
		if !plainVector(v) {
			continue // stored in its valid, printable form
		}
		// Compared with runs of white space folded, as the page shows them.
		fold := func(s string) string { return strings.Join(strings.Fields(s), " ") }
		if fold(got.Name) != fold(vectorName(v)) {
			t.Errorf("name shown as %q; want the text %q", got.Name, vectorName(v))
		}
		if !strings.Contains(fold(got.Text), fold(v)) {
			t.Errorf("comment text shown as %q; want it to contain %q", got.Text, v)
		}
	}
	if bad := browsertest.Eval[int](t, rd, `document.querySelectorAll(".comment-text :not(p):not(br):not(a), .comment-author :not(a):not(span), .comment-text a:not([rel='nofollow ugc']), .comment-text a:not([href^='http'])").length`); bad != 0 {
		t.Errorf("article page: %d elements in comments that the policy does not allow", bad)
	}

	// The no-JavaScript reply page shows a comment too.
	for id := range stored {
		browsertest.Run(t, rd, chromedp.Navigate(fmt.Sprintf("%s/comments/reply/%d", ta.srv.URL, id)))
		waitSel(t, rd, "#commentform")
		noXSS(t, rd, fmt.Sprintf("reply page %d", id))
		break
	}

	// The feeds, rendered as a feed reader would: titles and names as text,
	// content as HTML.
	for _, path := range []string{"/comments/feed", fmt.Sprintf("/comments/feed/%d", f.a.ID)} {
		p := fetch(t, ta, "GET", path)
		feed, err := gofeed.NewParser().ParseString(string(p.body))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		var b strings.Builder
		b.WriteString("<!doctype html><title>feed</title>")
		for _, it := range feed.Items {
			fmt.Fprintf(&b, "<h2>%s</h2><p>%s</p><div class=content>%s</div>", html.EscapeString(it.Title), html.EscapeString(it.Author.Name), it.Content)
		}
		reader := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, b.String())
		}))
		browsertest.Run(t, rd, chromedp.Navigate(reader.URL))
		waitSel(t, rd, "h2")
		noXSS(t, rd, "feed "+path)
		if bad := browsertest.Eval[int](t, rd, `document.querySelectorAll(".content :not(p):not(br):not(a)").length`); bad != 0 {
			t.Errorf("feed %s: %d disallowed elements in content", path, bad)
		}
		reader.Close()
	}
}
