package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/mmcdole/gofeed"

	"newsdesk/internal/api"
	"newsdesk/internal/newsroom"
)

// reader is a visitor's browser without JavaScript: it keeps cookies and
// does not follow redirects, so tests see each 303.
type reader struct {
	t   *testing.T
	ta  *testApp
	c   *http.Client
	doc *goquery.Document
}

func newReader(t *testing.T, ta *testApp) *reader {
	jar, _ := cookiejar.New(nil)
	return &reader{t: t, ta: ta, c: &http.Client{Jar: jar,
		Transport:     &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (r *reader) do(method, path string, body io.Reader, ctype string) page {
	r.t.Helper()
	req, err := http.NewRequest(method, r.ta.srv.URL+path, body)
	if err != nil {
		r.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	res, err := r.c.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	p := page{status: res.StatusCode, header: res.Header, body: b}
	r.doc, _ = goquery.NewDocumentFromReader(bytes.NewReader(b))
	return p
}

func (r *reader) get(path string) page { return r.do("GET", path, nil, "") }

// post sends the "Leave a Reply" form.
func (r *reader) post(form url.Values) page {
	r.t.Helper()
	return r.do("POST", "/comments", strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
}

func (r *reader) cookie(name string) string {
	u, _ := url.Parse(r.ta.srv.URL)
	for _, c := range r.c.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// setComments changes the comment settings in the store.
func setComments(t *testing.T, ta *testApp, change func(s *newsroom.CommentSettings)) {
	t.Helper()
	s := newsroom.DefaultCommentSettings()
	change(&s)
	b, _ := json.Marshal(s)
	must(t, ta.store.SetSetting(context.Background(), newsroom.SettingComments, string(b)))
}

// later moves the app's clock past the flood interval.
func later(ta *testApp) { ta.clock.Add(16 * time.Second) }

func commentForm(articleID int64, body, name, email, website string) url.Values {
	return url.Values{"article_id": {strconv.FormatInt(articleID, 10)}, "comment": {body},
		"author": {name}, "email": {email}, "url": {website}}
}

func storedComments(t *testing.T, ta *testApp) int {
	t.Helper()
	_, n, err := ta.store.FindComments(context.Background(), newsroom.CommentFilter{})
	must(t, err)
	return n
}

func TestCommentFormRefusesBadInput(t *testing.T) {
	forEachStore(t, func(t *testing.T, ta *testApp) {
		f := newNewsFixture(t, ta)
		long := strings.Repeat("Word ", 2000) + "x" // 10,001 characters
		tests := []struct {
			name                      string
			body, who, email, website string
			field, want               string
		}{
			{"no comment", "", "Ása Lind", "asa@example.org", "", "body", "Please write a comment."},
			{"comment too long", long, "Ása Lind", "asa@example.org", "", "body", "10001 characters long; the limit is 10000"},
			{"no name", "A fair point <b>about</b> the quay.", "", "asa@example.org", "", "name", "Please give your name."},
			{"no e-mail", "A fair point.", "Ása Lind", "", "", "email", "Please give your e-mail address."},
			{"bad e-mail", "A fair point.", "Ása Lind", "asa(at)example.org", "", "email", "does not look right"},
			{"javascript website", "A fair point.", "Ása Lind", "asa@example.org", "javascript:alert(1)", "website", "http:// or https://"},
			{"website without scheme", "A fair point.", "Ása <Lind>", "asa@example.org", "asa.example", "website", "http:// or https://"},
		}
		rd := newReader(t, ta)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p := rd.post(commentForm(f.a.ID, tt.body, tt.who, tt.email, tt.website))
				if p.status != http.StatusUnprocessableEntity {
					t.Fatalf("status %d; want 422", p.status)
				}
				errEl := rd.doc.Find("#comment-" + tt.field + "-error")
				if !strings.Contains(errEl.Text(), tt.want) {
					t.Errorf("error beside %s = %q; want it to say %q", tt.field, errEl.Text(), tt.want)
				}
				input := map[string]string{"body": "#comment-body", "name": "#comment-name", "email": "#comment-email", "website": "#comment-website"}[tt.field]
				if v, _ := rd.doc.Find(input).Attr("aria-invalid"); v != "true" {
					t.Errorf("%s not marked aria-invalid", input)
				}
				if got := rd.doc.Find("#comment-body").Text(); got != tt.body {
					t.Errorf("comment kept as %.60q; want %.60q", got, tt.body)
				}
				for sel, want := range map[string]string{"#comment-name": tt.who, "#comment-email": tt.email, "#comment-website": tt.website} {
					if got, _ := rd.doc.Find(sel).Attr("value"); got != want {
						t.Errorf("%s kept as %q; want %q", sel, got, want)
					}
				}
				if rd.doc.Find("#comment-errors a[href='#comment-"+tt.field+"']").Length() != 1 {
					t.Error("the error summary does not link to the field")
				}
				if n := storedComments(t, ta); n != 0 {
					t.Errorf("%d comments stored after a refusal", n)
				}
			})
		}

		// The same through the API: 422 naming the field, nothing stored.
		for _, tt := range tests {
			body, _ := json.Marshal(map[string]string{"name": tt.who, "email": tt.email, "website": tt.website, "body": tt.body})
			res := doJSON(t, ta.srv, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", f.a.ID), "", string(body))
			var e struct {
				Error struct{ Code, Field, Message string } `json:"error"`
			}
			res.decode(t, &e)
			if res.status != http.StatusUnprocessableEntity || e.Error.Field != tt.field || e.Error.Code != "invalid" || e.Error.Message == "" {
				t.Errorf("API %s: %d %s; want 422 on %s", tt.name, res.status, res.body, tt.field)
			}
		}
		if n := storedComments(t, ta); n != 0 {
			t.Errorf("%d comments stored after API refusals", n)
		}
		for _, tt := range []struct{ path, body string }{
			{fmt.Sprintf("/api/v1/articles/%d/comments", f.a.ID), `{"name":"A","email":"a@example.org","body":"x","admin":true}`},
			{fmt.Sprintf("/api/v1/articles/%d/comments", f.a.ID), `{"name":"A",`},
			{"/api/v1/articles/999999/comments", `{"name":"A","email":"a@example.org","body":"x"}`},
		} {
			if res := doJSON(t, ta.srv, "POST", tt.path, "", tt.body); res.status < 400 || res.status >= 500 {
				t.Errorf("POST %s %s: %d", tt.path, tt.body, res.status)
			}
		}
		if n := storedComments(t, ta); n != 0 {
			t.Errorf("%d comments stored", n)
		}
	})
}

func TestCommentJourneyModerationThreadsAndCounts(t *testing.T) {
	forEachStore(t, func(t *testing.T, ta *testApp) {
		f := newNewsFixture(t, ta)
		moderator, _ := mustToken(t, ta, newsroom.RoleModerator)
		ann := newReader(t, ta)
		other := newReader(t, ta)
		other.get(f.a.URL) // warm the cache for anonymous readers

		form := commentForm(f.a.ID, "The quay was <i>iced</i> by six.\n\nSee https://tides.example/north for times.", "Ann Reader", "Ann@Example.org", "https://ann.example")
		form.Set("remember", "1")
		p := ann.post(form)
		if p.status != http.StatusSeeOther {
			t.Fatalf("post: %d %s", p.status, p.body)
		}
		loc := p.header.Get("Location")
		_, frag, _ := strings.Cut(loc, "#comment-")
		id, _ := strconv.ParseInt(frag, 10, 64)
		if loc != fmt.Sprintf("%s?posted=%d#comment-%d", f.a.URL, id, id) {
			t.Fatalf("redirected to %q", loc)
		}
		// Where the reader lands is never kept by a cache.
		if p := ann.get(f.a.URL + fmt.Sprintf("?posted=%d", id)); !strings.Contains(p.header.Get("Cache-Control"), "private") {
			t.Errorf("landing page Cache-Control %q", p.header.Get("Cache-Control"))
		}
		if p := other.get(f.a.URL + fmt.Sprintf("?posted=%d", id)); p.cache() == "hit" || !strings.Contains(p.header.Get("Cache-Control"), "private") {
			t.Errorf("landing page for another reader: cache %q, Cache-Control %q", p.cache(), p.header.Get("Cache-Control"))
		}
		if ann.cookie("nd_comments") == "" || ann.cookie("nd_commenter") == "" {
			t.Fatal("no pending or remember-me cookie set")
		}

		// The author sees the comment with the note; the page is private.
		p = ann.get(f.a.URL)
		li := ann.doc.Find(fmt.Sprintf("#comment-%d", id))
		if li.Length() != 1 || !strings.Contains(li.Find(".awaiting").Text(), "awaiting moderation") {
			t.Fatalf("author does not see the pending comment with its note")
		}
		if cc := p.header.Get("Cache-Control"); !strings.Contains(cc, "private") && !strings.Contains(cc, "no-store") {
			t.Errorf("author's page Cache-Control %q; want private", cc)
		}
		if p.cache() == "hit" {
			t.Error("author's page came from the shared cache")
		}
		// Everyone else does not.
		p = other.get(f.a.URL)
		if other.doc.Find(fmt.Sprintf("#comment-%d", id)).Length() != 0 || strings.Contains(string(p.body), "Ann Reader") {
			t.Fatal("another reader sees the pending comment")
		}
		if got := other.doc.Find("#comments-title").Text(); got != "0 Comments" {
			t.Errorf("heading before approval = %q", got)
		}

		// The moderator finds it pending and approves it.
		res := doJSON(t, ta.srv, "GET", "/api/v1/comments?status=pending", moderator, "")
		var list struct {
			Comments []api.CommentJSON `json:"comments"`
			Total    int               `json:"total"`
		}
		res.decode(t, &list)
		if res.status != 200 || list.Total != 1 || list.Comments[0].ID != id || list.Comments[0].Email != "ann@example.org" {
			t.Fatalf("pending list: %d %s", res.status, res.body)
		}
		res = doJSON(t, ta.srv, "PATCH", fmt.Sprintf("/api/v1/comments/%d", id), moderator, `{"status":"approved"}`)
		if res.status != 200 || !strings.Contains(res.body, `"status":"approved"`) {
			t.Fatalf("approve: %d %s", res.status, res.body)
		}

		// The anonymous page shows it now (no stale cache), with the count.
		p = other.get(f.a.URL)
		c := other.doc.Find(fmt.Sprintf("article#comment-%d", id))
		if c.Length() != 1 {
			t.Fatalf("approved comment not on the page (cache %s)", p.cache())
		}
		if got := c.Find(".comment-author a").AttrOr("href", ""); got != "https://ann.example" {
			t.Errorf("author link %q", got)
		}
		if rel := c.Find(".comment-author a").AttrOr("rel", ""); rel != "nofollow ugc" {
			t.Errorf("author link rel %q", rel)
		}
		if html, _ := c.Find(".comment-text").Html(); !strings.Contains(html, "&lt;i&gt;iced&lt;/i&gt;") || !strings.Contains(html, `<a href="https://tides.example/north" rel="nofollow ugc">`) || strings.Count(html, "<p>") != 2 {
			t.Errorf("comment text HTML = %s", html)
		}
		if strings.Contains(string(p.body), "ann@example.org") || strings.Contains(strings.ToLower(string(p.body)), "ann@example.org") {
			t.Error("the e-mail address is shown on the page")
		}
		if href := c.Find(".comment-date a").AttrOr("href", ""); href != fmt.Sprintf("%s#comment-%d", f.a.URL, id) {
			t.Errorf("permalink %q", href)
		}
		if got := other.doc.Find("#comments-title").Text(); got != "1 Comment" {
			t.Errorf("heading after approval = %q", got)
		}
		if got := other.doc.Find(".dateline a[href='#comments']").Text(); got != "1 comment" {
			t.Errorf("dateline count = %q", got)
		}
		other.get("/")
		if got := other.doc.Find(fmt.Sprintf("a[href='%s#comments']", f.a.URL)).First().Text(); got != "1 comment" {
			t.Errorf("home card count = %q", got)
		}
		res = doJSON(t, ta.srv, "GET", fmt.Sprintf("/api/v1/articles/%d", f.a.ID), "", "")
		if !strings.Contains(res.body, `"comment_count":1`) {
			t.Errorf("JSON count: %s", res.body)
		}
		// The pending cookie is dropped once nothing of Ann's waits.
		ann.get(f.a.URL)
		if ann.cookie("nd_comments") != "" {
			t.Error("pending cookie kept after approval")
		}

		// A threaded reply from a known author is published at once (201).
		later(ta)
		res = doJSON(t, ta.srv, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", f.a.ID), "",
			fmt.Sprintf(`{"name":"Ann Reader","email":"ann@example.org","body":"And it thawed by noon.","parent_id":%d}`, id))
		var posted struct {
			ID     int64  `json:"id"`
			Status string `json:"status"`
		}
		res.decode(t, &posted)
		if res.status != http.StatusCreated || posted.Status != "approved" {
			t.Fatalf("reply: %d %s", res.status, res.body)
		}
		other.get(f.a.URL)
		if !nestedUnder(other.doc, posted.ID, id) {
			t.Error("the reply is not nested under its parent")
		}
		if got := other.doc.Find("#comments-title").Text(); got != "2 Comments" {
			t.Errorf("heading = %q", got)
		}

		// The reply page works without JavaScript and keeps the thread.
		other.get(fmt.Sprintf("/comments/reply/%d", id))
		if v := other.doc.Find("#comment-parent").AttrOr("value", ""); v != strconv.FormatInt(id, 10) {
			t.Errorf("reply page parent_id = %q", v)
		}
		bad := commentForm(f.a.ID, "No name given.", "", "ann@example.org", "")
		bad.Set("parent_id", strconv.FormatInt(id, 10))
		bad.Set("reply_page", "1")
		if p := other.post(bad); p.status != http.StatusUnprocessableEntity || other.doc.Find(".reply-page").Length() != 1 ||
			other.doc.Find("#comment-name-error").Text() == "" || other.doc.Find("#comment-body").Text() != "No name given." ||
			other.doc.Find("#comment-parent").AttrOr("value", "") != strconv.FormatInt(id, 10) {
			t.Errorf("refused reply from the reply page: %d, reply page %d", p.status, other.doc.Find(".reply-page").Length())
		}
		later(ta)
		rf := commentForm(f.a.ID, "Third level.", "Ann Reader", "ann@example.org", "")
		rf.Set("parent_id", strconv.FormatInt(posted.ID, 10))
		rf.Set("reply_page", "1")
		if p := other.post(rf); p.status != http.StatusSeeOther || !strings.Contains(p.header.Get("Location"), "#comment-") {
			t.Errorf("reply from the reply page: %d %s", p.status, p.header.Get("Location"))
		}

		// Refused replies: to a comment of another article, to a pending one.
		later(ta)
		res = doJSON(t, ta.srv, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", f.b.ID), "",
			fmt.Sprintf(`{"name":"Bo","email":"bo@example.org","body":"Wrong thread.","parent_id":%d}`, id))
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `"field":"parent_id"`) || !strings.Contains(res.body, "another article") {
			t.Errorf("reply across articles: %d %s", res.status, res.body)
		}
		later(ta)
		res = doJSON(t, ta.srv, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", f.a.ID), "",
			`{"name":"Cy","email":"cy@example.org","body":"New here."}`)
		res.decode(t, &posted)
		if res.status != http.StatusAccepted || posted.Status != "pending" {
			t.Fatalf("first-time comment: %d %s; want 202 pending", res.status, res.body)
		}
		later(ta)
		res = doJSON(t, ta.srv, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", f.a.ID), "",
			fmt.Sprintf(`{"name":"Di","email":"di@example.org","body":"Reply to pending.","parent_id":%d}`, posted.ID))
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "not published") {
			t.Errorf("reply to pending: %d %s", res.status, res.body)
		}
		// ... and to a trashed one, through the form: the error is shown, the text kept.
		doJSON(t, ta.srv, "PATCH", fmt.Sprintf("/api/v1/comments/%d", id), moderator, `{"status":"trash"}`)
		later(ta)
		tf := commentForm(f.a.ID, "Reply to a deleted comment.", "Di", "di@example.org", "")
		tf.Set("parent_id", strconv.FormatInt(id, 10))
		p = other.post(tf)
		if p.status != http.StatusUnprocessableEntity || !strings.Contains(other.doc.Find("#comment-errors").Text(), "not published") ||
			other.doc.Find("#comment-body").Text() != "Reply to a deleted comment." {
			t.Errorf("reply to trashed via form: %d %q", p.status, other.doc.Find("#comment-errors").Text())
		}
		res = doJSON(t, ta.srv, "GET", fmt.Sprintf("/api/v1/articles/%d", f.a.ID), "", "")
		if !strings.Contains(res.body, `"comment_count":2`) {
			t.Errorf("count after trashing the parent: %s", res.body)
		}
	})
}

func TestCommentDepthAndPagination(t *testing.T) {
	ta := newTestApp(t, "", false)
	f := newNewsFixture(t, ta)
	setComments(t, ta, func(s *newsroom.CommentSettings) {
		s.HoldFirstTime, s.FloodSeconds, s.MaxDepth, s.PerPage = false, 0, 3, 2
	})
	post := func(parent int64, body string) (int, int64, string) {
		res := doJSON(t, ta.srv, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", f.a.ID), "",
			fmt.Sprintf(`{"name":"Reader","email":"r@example.org","body":%q,"parent_id":%d}`, body, parent))
		var out struct{ ID int64 }
		json.Unmarshal([]byte(res.body), &out)
		return res.status, out.ID, res.body
	}
	_, top1, _ := post(0, "Thread one")
	_, r1, _ := post(top1, "Level two")
	_, r2, _ := post(r1, "Level three")
	if st, _, body := post(r2, "Level four"); st != http.StatusUnprocessableEntity || !strings.Contains(body, "as deep as it may go") {
		t.Errorf("fourth level with depth 3: %d %s", st, body)
	}
	var tops []int64
	for i := 2; i <= 5; i++ {
		_, id, _ := post(0, fmt.Sprintf("Thread %d", i))
		tops = append(tops, id)
	}
	rd := newReader(t, ta)
	rd.get(f.a.URL)
	if n := rd.doc.Find(".comment-list > li").Length(); n != 2 {
		t.Errorf("page 1 shows %d threads; want 2", n)
	}
	if rd.doc.Find(fmt.Sprintf("article#comment-%d .reply-link", r2)).Length() != 0 {
		t.Error("the deepest comment offers Reply")
	}
	if rd.doc.Find(fmt.Sprintf("article#comment-%d .reply-link", r1)).Length() != 1 {
		t.Error("a level-two comment offers no Reply")
	}
	next := rd.doc.Find(".comment-pages a[rel=next]").AttrOr("href", "")
	if next != f.a.URL+"?cpage=2#comments" {
		t.Errorf("next comments page link %q", next)
	}
	rd.get(f.a.URL + "?cpage=3")
	if rd.doc.Find(fmt.Sprintf("article#comment-%d", tops[3])).Length() != 1 || rd.doc.Find(".comment-list > li").Length() != 1 {
		t.Error("page 3 does not hold the fifth thread alone")
	}
	if href := rd.doc.Find(fmt.Sprintf("article#comment-%d .comment-date a", tops[3])).AttrOr("href", ""); href != fmt.Sprintf("%s?cpage=3#comment-%d", f.a.URL, tops[3]) {
		t.Errorf("permalink on page 3 = %q", href)
	}
	if got := rd.doc.Find("#comments-title").Text(); got != "7 Comments" {
		t.Errorf("heading %q", got)
	}
}

func TestCommentsCloseByAgeAndByEditor(t *testing.T) {
	forEachStore(t, func(t *testing.T, ta *testApp) {
		f := newNewsFixture(t, ta)
		setComments(t, ta, func(s *newsroom.CommentSettings) { s.CloseAfterDays = 3; s.FloodSeconds = 0 })
		rd := newReader(t, ta)
		ta.clock.Add(3*24*time.Hour - time.Minute)
		rd.get(f.a.URL)
		if rd.doc.Find("#commentform").Length() != 1 {
			t.Fatal("no form a minute before comments close")
		}
		if p := rd.post(commentForm(f.a.ID, "Just in time.", "Ed", "ed@example.org", "")); p.status != http.StatusSeeOther {
			t.Errorf("post before closing: %d", p.status)
		}
		ta.clock.Add(time.Minute)
		p := rd.post(commentForm(f.a.ID, "Too late.", "Ed", "ed@example.org", ""))
		if p.status != http.StatusForbidden || !strings.Contains(rd.doc.Find("#comments .closed").Text(), "Comments are closed") || rd.doc.Find("#commentform").Length() != 0 {
			t.Errorf("post at closing time: %d %q", p.status, rd.doc.Find("#comments .closed").Text())
		}
		res := doJSON(t, ta.srv, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", f.a.ID), "", `{"name":"Ed","email":"ed@example.org","body":"Too late."}`)
		if res.status != http.StatusForbidden || !strings.Contains(res.body, "closed") {
			t.Errorf("API post after closing: %d %s", res.status, res.body)
		}
		ta.cache.Flush() // the cached page may lag by its TTL; a fresh render must say closed
		rd.get(f.a.URL)
		if rd.doc.Find("#commentform").Length() != 0 || !strings.Contains(rd.doc.Find("#comments .closed").Text(), "close 3 days after publication") {
			t.Errorf("closed article still offers the form or does not say why: %q", rd.doc.Find("#comments .closed").Text())
		}
		if rd.doc.Find(".reply-link").Length() != 0 {
			t.Error("closed article offers Reply links")
		}
		if n := storedComments(t, ta); n != 1 {
			t.Errorf("%d comments stored; want 1", n)
		}

		// An editor closes comments on article B by hand.
		b := f.b
		res = doJSON(t, ta.srv, "PATCH", fmt.Sprintf("/api/v1/articles/%d", b.ID), f.editor, fmt.Sprintf(`{"revision":%d,"comments_open":false}`, b.Revision))
		if res.status != 200 {
			t.Fatalf("close comments: %d %s", res.status, res.body)
		}
		setComments(t, ta, func(s *newsroom.CommentSettings) { s.FloodSeconds = 0 })
		res = doJSON(t, ta.srv, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", b.ID), "", `{"name":"Ed","email":"ed@example.org","body":"Hello."}`)
		if res.status != http.StatusForbidden {
			t.Errorf("post on a closed article: %d %s", res.status, res.body)
		}
		rd.get(b.URL)
		if rd.doc.Find("#commentform").Length() != 0 || strings.TrimSpace(rd.doc.Find("#comments .closed").Text()) != "Comments are closed." {
			t.Errorf("article closed by an editor: form %d, note %q", rd.doc.Find("#commentform").Length(), rd.doc.Find("#comments .closed").Text())
		}
		// Reopened by removing the age limit, article A takes comments again.
		rd.get(f.a.URL)
		if rd.doc.Find("#commentform").Length() != 1 {
			t.Error("article A is still closed after the age limit was removed")
		}
	})
}

func TestCommentAbuseGuards(t *testing.T) {
	ta := newTestApp(t, "", false)
	f := newNewsFixture(t, ta)
	rd := newReader(t, ta)

	// Honeypot: answered like success, nothing stored.
	hp := commentForm(f.a.ID, "Buy now", "Bot", "bot@example.org", "")
	hp.Set("homepage", "https://spam.example")
	if p := rd.post(hp); p.status != http.StatusSeeOther {
		t.Errorf("honeypot: %d", p.status)
	}
	if n := storedComments(t, ta); n != 0 {
		t.Errorf("honeypot stored %d comments", n)
	}

	// Flood: a second comment within 15 s from one address is 429.
	if p := rd.post(commentForm(f.a.ID, "First.", "Fay", "fay@example.org", "")); p.status != http.StatusSeeOther {
		t.Fatalf("first: %d", p.status)
	}
	ta.clock.Add(5 * time.Second)
	p := rd.post(commentForm(f.a.ID, "Second, quickly.", "Fay", "fay@example.org", ""))
	if p.status != http.StatusTooManyRequests || p.header.Get("Retry-After") == "" || rd.doc.Find("#comment-body").Text() != "Second, quickly." {
		t.Errorf("flood via form: %d, Retry-After %q", p.status, p.header.Get("Retry-After"))
	}
	res := doJSON(t, ta.srv, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", f.a.ID), "", `{"name":"Fay","email":"fay@example.org","body":"Third."}`)
	if res.status != http.StatusTooManyRequests || !strings.Contains(res.body, "rate_limited") {
		t.Errorf("flood via API: %d %s", res.status, res.body)
	}
	ta.clock.Add(11 * time.Second)
	if p := rd.post(commentForm(f.a.ID, "Later.", "Fay", "fay@example.org", "")); p.status != http.StatusSeeOther {
		t.Errorf("after the interval: %d", p.status)
	}

	// Oversized bodies: 413 from the form and the API.
	big := commentForm(f.a.ID, strings.Repeat("x", 300<<10), "Gus", "gus@example.org", "")
	if p := rd.post(big); p.status != http.StatusRequestEntityTooLarge {
		t.Errorf("huge form: %d", p.status)
	}
	res = doJSON(t, ta.srv, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", f.a.ID), "",
		`{"name":"Gus","email":"gus@example.org","body":"`+strings.Repeat("x", 300<<10)+`"}`)
	if res.status != http.StatusRequestEntityTooLarge || !strings.Contains(res.body, "too_large") {
		t.Errorf("huge API body: %d %.200s", res.status, res.body)
	}

	// Link limit and word lists.
	setComments(t, ta, func(s *newsroom.CommentSettings) {
		s.HoldFirstTime, s.FloodSeconds = false, 0
		s.ModerationWords, s.SpamWords = []string{"casino"}, []string{"cheap pills"}
	})
	for _, tt := range []struct{ body, want string }{
		{"Plain and fine.", "approved"},
		{"https://a.example https://b.example https://c.example", "pending"},
		{"Visit the CASINO", "pending"},
		{"cheap pills here", "pending"}, // spam is not told apart from pending
	} {
		res := doJSON(t, ta.srv, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", f.a.ID), "",
			fmt.Sprintf(`{"name":"Hal","email":"hal@example.org","body":%q}`, tt.body))
		if !strings.Contains(res.body, `"status":"`+tt.want+`"`) {
			t.Errorf("%q: %d %s; want %s", tt.body, res.status, res.body, tt.want)
		}
	}
	counts, err := ta.store.CountComments(context.Background())
	must(t, err)
	if counts[newsroom.CommentSpam] != 1 {
		t.Errorf("spam count %d; want 1", counts[newsroom.CommentSpam])
	}
}

func TestCommentModerationAPIRoles(t *testing.T) {
	forEachStore(t, func(t *testing.T, ta *testApp) {
		f := newNewsFixture(t, ta)
		corr, _ := mustToken(t, ta, newsroom.RoleCorrespondent)
		mod, _ := mustToken(t, ta, newsroom.RoleModerator)
		res := doJSON(t, ta.srv, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", f.a.ID), "", `{"name":"Ida","email":"ida@example.org","body":"Hello."}`)
		var c struct{ ID int64 }
		res.decode(t, &c)
		for _, tt := range []struct {
			method, path, token, body string
			want                      int
		}{
			{"GET", "/api/v1/comments", "", "", 401},
			{"GET", "/api/v1/comments", corr, "", 403},
			{"GET", "/api/v1/comments?status=pending", f.editor, "", 200},
			{"GET", "/api/v1/comments?status=nonsense", mod, "", 422},
			{"PATCH", fmt.Sprintf("/api/v1/comments/%d", c.ID), "", `{"status":"approved"}`, 401},
			{"PATCH", fmt.Sprintf("/api/v1/comments/%d", c.ID), corr, `{"status":"approved"}`, 403},
			{"PATCH", fmt.Sprintf("/api/v1/comments/%d", c.ID), mod, `{"status":"published"}`, 422},
			{"PATCH", fmt.Sprintf("/api/v1/comments/%d", c.ID), mod, `{"website":"javascript:x"}`, 422},
			{"PATCH", "/api/v1/comments/999999", mod, `{"status":"spam"}`, 404},
			{"PATCH", fmt.Sprintf("/api/v1/comments/%d", c.ID), mod, `{"body":"Hello, edited.","status":"spam"}`, 200},
		} {
			if res := doJSON(t, ta.srv, tt.method, tt.path, tt.token, tt.body); res.status != tt.want {
				t.Errorf("%s %s %s: %d %s; want %d", tt.method, tt.path, tt.body, res.status, res.body, tt.want)
			}
		}
		got, err := ta.store.CommentByID(context.Background(), c.ID)
		must(t, err)
		if got.Status != newsroom.CommentSpam || got.Body != "Hello, edited." || got.BodyHTML != "<p>Hello, edited.</p>\n" {
			t.Errorf("after PATCH: %+v", got)
		}
	})
}

func TestCommentFeeds(t *testing.T) {
	forEachStore(t, func(t *testing.T, ta *testApp) {
		f := newNewsFixture(t, ta)
		setComments(t, ta, func(s *newsroom.CommentSettings) { s.HoldFirstTime, s.FloodSeconds = false, 0 })
		for i, a := range []api.ArticleJSON{f.a, f.a, f.b} {
			doJSON(t, ta.srv, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", a.ID), "",
				fmt.Sprintf(`{"name":"Jo <script>alert(%d)</script>","email":"jo@example.org","body":"Note %d <img src=x onerror=alert(1)>"}`, i, i))
		}
		res := doJSON(t, ta.srv, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", f.a.ID), "", `{"name":"Kim","email":"kim@example.org","body":"held","website":""}`)
		setComments(t, ta, func(s *newsroom.CommentSettings) { s.ManualApproval, s.FloodSeconds = true, 0 })
		res = doJSON(t, ta.srv, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", f.a.ID), "", `{"name":"Kim","email":"kim@example.org","body":"held for sure"}`)
		if res.status != http.StatusAccepted {
			t.Fatalf("held comment: %d", res.status)
		}
		parse := func(path string) *gofeed.Feed {
			t.Helper()
			p := fetch(t, ta, "GET", path)
			if p.status != 200 || !strings.HasPrefix(p.header.Get("Content-Type"), "application/atom+xml") {
				t.Fatalf("%s: %d %s", path, p.status, p.header.Get("Content-Type"))
			}
			feed, err := gofeed.NewParser().ParseString(string(p.body))
			if err != nil {
				t.Fatalf("%s does not parse: %v", path, err)
			}
			return feed
		}
		site := parse("/comments/feed")
		if len(site.Items) != 4 {
			t.Errorf("site feed has %d items; want 4 approved", len(site.Items))
		}
		art := parse(fmt.Sprintf("/comments/feed/%d", f.a.ID))
		if len(art.Items) != 3 || !strings.Contains(art.Title, "Harbour ice closes the northern quay") {
			t.Errorf("article feed: %d items, title %q", len(art.Items), art.Title)
		}
		for _, it := range art.Items {
			if strings.Contains(it.Content, "<img") || strings.Contains(it.Content, "<script") || strings.Contains(it.Content, "held for sure") {
				t.Errorf("feed content carries markup or a held comment: %q", it.Content)
			}
			if !strings.Contains(it.Link, f.a.URL+"#comment-") {
				t.Errorf("item link %q", it.Link)
			}
			if it.Author == nil || (it.Author.Name != "Kim" && !strings.HasPrefix(it.Author.Name, "Jo <script>")) {
				t.Errorf("item author %+v (names are kept as text)", it.Author)
			}
		}
		if p := fetch(t, ta, "GET", "/comments/feed/999999"); p.status != 404 {
			t.Errorf("feed of an unknown article: %d", p.status)
		}
	})
}

// nestedUnder reports whether comment child is a direct reply shown inside
// comment parent's list item.
func nestedUnder(doc *goquery.Document, child, parent int64) bool {
	li := doc.Find(fmt.Sprintf("article#comment-%d", child)).Parent()
	ol := li.Parent()
	if !li.Is("li") || !ol.Is("ol.children") {
		return false
	}
	return ol.Parent().ChildrenFiltered(fmt.Sprintf("article#comment-%d", parent)).Length() == 1
}
