package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"newsdesk/internal/api"
	"newsdesk/internal/mail/mailtest"
	"newsdesk/internal/newsroom"
)

// reportBody is the story the report tests quote: "teh" twice, once in
// emphasis, and the second one is the reported one.
const reportBody = "The ferry left *teh harbour* at nine.\n\nBy noon teh ferry reached Kelby, said the \"harbour\" master."

// mustPublish creates a published article through the API and returns it.
func mustPublish(t *testing.T, ta *testApp, token, headline, body string) api.ArticleJSON {
	t.Helper()
	mustSectionOnce(t, ta)
	res := doJSON(t, ta.srv, "POST", "/api/v1/articles", token, fmt.Sprintf(`{"headline":%q,"body":%q,"status":"published","categories":["region"],
		"lead_image":{"url":"/media/x.jpg","caption":"The ferry at dwan","alt":"A ferry"}}`, headline, body))
	if res.status != http.StatusCreated {
		t.Fatalf("publish: %d %s", res.status, res.body)
	}
	var a api.ArticleJSON
	res.decode(t, &a)
	return a
}

func mustSectionOnce(t *testing.T, ta *testApp) {
	if _, err := ta.store.CategoryBySlug(context.Background(), "region"); err != nil {
		mustSection(t, ta, "region", "Region")
	}
}

func reportJSON(a api.ArticleJSON, exact, prefix, suffix, suggestion string) string {
	return fmt.Sprintf(`{"article_id":%d,"revision":%d,"exact":%q,"prefix":%q,"suffix":%q,"suggestion":%q,"comment":"Spotted it on the way to work"}`,
		a.ID, a.Revision, exact, prefix, suffix, suggestion)
}

type accepted struct {
	ID     int64  `json:"id"`
	Status string `json:"status"`
	Count  int    `json:"count"`
}

func TestErrorReportLoop(t *testing.T) {
	forEachStoreWith(t, func(c *Config) { c.Reports.PerIP = 100 }, func(t *testing.T, ta *testApp) {
		editor, _ := mustToken(t, ta, newsroom.RoleEditor)
		moderator, _ := mustToken(t, ta, newsroom.RoleModerator)
		correspondent, _ := mustToken(t, ta, newsroom.RoleCorrespondent)
		a := mustPublish(t, ta, editor, "Ferry back on time", reportBody)

		// A reader reports the second "teh", with its context.
		res := doJSON(t, ta.srv, "POST", "/api/v1/error-reports", "", reportJSON(a, "teh", "By noon ", " ferry reached Kelby", "the"))
		if res.status != http.StatusAccepted {
			t.Fatalf("report: %d %s", res.status, res.body)
		}
		var ack accepted
		res.decode(t, &ack)
		if ack.ID == 0 || ack.Status != "open" || ack.Count != 1 {
			t.Errorf("accepted = %+v", ack)
		}
		// The same place again, from another reader (a proxy-less server
		// ignores X-Forwarded-For: the same reader counts once).
		res = doJSON(t, ta.srv, "POST", "/api/v1/error-reports", "", reportJSON(a, "teh", "noon ", " ferry", "the"))
		var ack2 accepted
		res.decode(t, &ack2)
		if res.status != http.StatusAccepted || ack2.ID != ack.ID || ack2.Count != 1 {
			t.Errorf("second report of the place: %d %+v, want merged into %d", res.status, ack2, ack.ID)
		}

		// The queue: staff only, moderators and editors.
		if res := doJSON(t, ta.srv, "GET", "/api/v1/error-reports", "", ""); res.status != http.StatusUnauthorized {
			t.Errorf("anonymous queue: %d", res.status)
		}
		if res := doJSON(t, ta.srv, "GET", "/api/v1/error-reports", correspondent, ""); res.status != http.StatusForbidden {
			t.Errorf("correspondent's queue: %d", res.status)
		}
		var list struct {
			Reports []api.ReportJSON `json:"reports"`
			Total   int              `json:"total"`
			Open    int              `json:"open"`
		}
		doJSON(t, ta.srv, "GET", "/api/v1/error-reports", moderator, "").decode(t, &list)
		if list.Total != 1 || list.Open != 1 {
			t.Fatalf("queue: %+v", list)
		}
		rep := list.Reports[0]
		if rep.Exact != "teh" || rep.Before != "By noon " || rep.After != " ferry reached Kelby, said the “harbour” master." ||
			len(rep.Suggestions) != 2 || rep.Suggestions[0].Suggestion != "the" || rep.Headline != a.Headline || rep.URL != a.URL {
			t.Errorf("queued report = %+v", rep)
		}

		// A moderator may not edit articles, so may not apply.
		path := fmt.Sprintf("/api/v1/error-reports/%d", ack.ID)
		if res := doJSON(t, ta.srv, "PATCH", path, moderator, `{"apply":true}`); res.status != http.StatusForbidden {
			t.Errorf("moderator applies: %d %s", res.status, res.body)
		}
		// The editor applies: exactly that occurrence changes.
		res = doJSON(t, ta.srv, "PATCH", path, editor, `{"apply":true}`)
		if res.status != http.StatusOK {
			t.Fatalf("apply: %d %s", res.status, res.body)
		}
		var patched struct {
			api.ReportJSON
			Article api.ArticleJSON `json:"article"`
		}
		res.decode(t, &patched)
		want := "The ferry left *teh harbour* at nine.\n\nBy noon the ferry reached Kelby, said the \"harbour\" master."
		if patched.Article.Body != want || patched.Article.Revision != a.Revision+1 || patched.Status != "fixed" {
			t.Errorf("after apply: status %s revision %d body %q", patched.Status, patched.Article.Revision, patched.Article.Body)
		}
		// The public page (through the page cache) shows the corrected word.
		doc := getDoc(t, ta, a.URL)
		body := doc.Find(".body").Text()
		if !strings.Contains(body, "By noon the ferry") || !strings.Contains(body, "teh harbour") {
			t.Errorf("public body after apply: %q", body)
		}
		if rev, _ := doc.Find("article[data-revision]").Attr("data-revision"); rev != fmt.Sprint(a.Revision+1) {
			t.Errorf("page revision = %q", rev)
		}
		// Applying twice is a conflict.
		if res := doJSON(t, ta.srv, "PATCH", path, editor, `{"apply":true}`); res.status != http.StatusConflict {
			t.Errorf("apply again: %d", res.status)
		}

		// An edit that removes reported text resolves its report.
		a2 := patched.Article
		res = doJSON(t, ta.srv, "POST", "/api/v1/error-reports", "", reportJSON(a2, "teh harbour", "The ferry left ", " at nine.", "the harbour"))
		res.decode(t, &ack)
		if res.status != http.StatusAccepted {
			t.Fatalf("report on revision %d: %d %s", a2.Revision, res.status, res.body)
		}
		// An unrelated edit keeps it open...
		res = doJSON(t, ta.srv, "PATCH", fmt.Sprintf("/api/v1/articles/%d", a.ID), editor,
			fmt.Sprintf(`{"revision":%d,"headline":"Ferry back on time again"}`, a2.Revision))
		if res.status != http.StatusOK {
			t.Fatalf("edit headline: %d %s", res.status, res.body)
		}
		var a3 api.ArticleJSON
		res.decode(t, &a3)
		var one api.ReportJSON
		doJSON(t, ta.srv, "GET", fmt.Sprintf("/api/v1/error-reports/%d", ack.ID), editor, "").decode(t, &one)
		if one.Status != "open" || one.Revision != a3.Revision {
			t.Errorf("after an unrelated edit: %+v", one)
		}
		// ...a report against the older revision still finds its place...
		res = doJSON(t, ta.srv, "POST", "/api/v1/error-reports", "", reportJSON(a2, "teh harbour", "The ferry left ", " at nine.", "the port"))
		var ack3 accepted
		res.decode(t, &ack3)
		if res.status != http.StatusAccepted || ack3.ID != ack.ID {
			t.Errorf("report on an old revision: %d %+v, want merged into %d", res.status, ack3, ack.ID)
		}
		// ...and fixing it by hand resolves it as fixed by edit.
		res = doJSON(t, ta.srv, "PATCH", fmt.Sprintf("/api/v1/articles/%d", a.ID), editor,
			fmt.Sprintf(`{"revision":%d,"body":%q}`, a3.Revision, strings.Replace(a3.Body, "teh harbour", "the harbour", 1)))
		if res.status != http.StatusOK {
			t.Fatalf("edit body: %d %s", res.status, res.body)
		}
		doJSON(t, ta.srv, "GET", fmt.Sprintf("/api/v1/error-reports/%d", ack.ID), editor, "").decode(t, &one)
		if one.Status != "fixed_by_edit" {
			t.Errorf("after the edit removed the text: status %s", one.Status)
		}
		// A reader still on revision 2 reports the fixed text: nothing to file.
		res = doJSON(t, ta.srv, "POST", "/api/v1/error-reports", "", reportJSON(a2, "teh harbour", "The ferry left ", " at nine.", ""))
		res.decode(t, &ack3)
		if res.status != http.StatusAccepted || ack3.Status != "fixed_by_edit" || ack3.ID != 0 {
			t.Errorf("report of already fixed text: %d %+v", res.status, ack3)
		}

		// Spam: block the sender; their next report is refused.
		res = doJSON(t, ta.srv, "POST", "/api/v1/error-reports", "", reportJSON(a2, "Kelby", "reached ", ", said", "BUY PILLS"))
		res.decode(t, &ack)
		res = doJSON(t, ta.srv, "PATCH", fmt.Sprintf("/api/v1/error-reports/%d", ack.ID), moderator, `{"status":"spam","block_ip":true}`)
		if res.status != http.StatusOK || !strings.Contains(res.body, `"status":"spam"`) {
			t.Fatalf("spam: %d %s", res.status, res.body)
		}
		res = doJSON(t, ta.srv, "POST", "/api/v1/error-reports", "", reportJSON(a2, "Kelby", "reached ", ", said", "x"))
		if res.status != http.StatusForbidden {
			t.Errorf("report from a blocked address: %d %s", res.status, res.body)
		}
	})
}

func TestErrorReportBadInput(t *testing.T) {
	ta := newTestAppWith(t, "", func(c *Config) { c.Reports.PerIP = 1000 })
	editor, _ := mustToken(t, ta, newsroom.RoleEditor)
	a := mustPublish(t, ta, editor, "Ferry back on time", reportBody)
	res := doJSON(t, ta.srv, "POST", "/api/v1/articles", editor, `{"headline":"Draft with teh typo","body":"teh"}`)
	var draft api.ArticleJSON
	res.decode(t, &draft)

	long := strings.Repeat("a", 301)
	tests := []struct {
		name, body  string
		status      int
		code, field string
	}{
		{"not JSON", `{"article_id":`, 400, "invalid", ""},
		{"unknown field", `{"article_id":1,"token":"x"}`, 422, "invalid", "token"},
		{"wrong type", `{"article_id":"one"}`, 422, "invalid", "article_id"},
		{"no article", `{"exact":"teh"}`, 422, "invalid", "article_id"},
		{"missing article", fmt.Sprintf(`{"article_id":%d,"exact":"teh"}`, a.ID+100), 404, "not_found", "article_id"},
		{"unpublished article", fmt.Sprintf(`{"article_id":%d,"exact":"teh"}`, draft.ID), 404, "not_found", "article_id"},
		{"empty quote", fmt.Sprintf(`{"article_id":%d,"exact":"  "}`, a.ID), 422, "invalid", "exact"},
		{"quote over 300 characters", fmt.Sprintf(`{"article_id":%d,"exact":%q}`, a.ID, long), 422, "invalid", "exact"},
		{"text not in the article", reportJSON(a, "submarine", "", "", ""), 422, "unprocessable", "exact"},
		{"context not in the article", reportJSON(a, "teh", "At midnight ", " ferry", ""), 422, "unprocessable", "exact"},
		{"several places, no context", fmt.Sprintf(`{"article_id":%d,"exact":"teh"}`, a.ID), 422, "unprocessable", "exact"},
		{"unknown revision", fmt.Sprintf(`{"article_id":%d,"revision":9,"exact":"Kelby"}`, a.ID), 422, "unprocessable", "revision"},
		{"bad e-mail", fmt.Sprintf(`{"article_id":%d,"exact":"Kelby","email":"not an address"}`, a.ID), 422, "invalid", "email"},
		{"comment too long", fmt.Sprintf(`{"article_id":%d,"exact":"Kelby","comment":%q}`, a.ID, strings.Repeat("c", 2001)), 422, "invalid", "comment"},
		{"honeypot filled", fmt.Sprintf(`{"article_id":%d,"exact":"Kelby","website":"http://spam.example"}`, a.ID), 422, "invalid", "website"},
		{"body over 8 KiB", fmt.Sprintf(`{"article_id":%d,"exact":"Kelby","comment":%q}`, a.ID, strings.Repeat("c", 9000)), 413, "too_large", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := doJSON(t, ta.srv, "POST", "/api/v1/error-reports", "", tt.body)
			var e struct {
				Error struct{ Code, Field, Message string } `json:"error"`
			}
			res.decode(t, &e)
			if res.status != tt.status || e.Error.Code != tt.code || e.Error.Field != tt.field {
				t.Errorf("status %d code %q field %q (%s); want %d %q %q", res.status, e.Error.Code, e.Error.Field, e.Error.Message, tt.status, tt.code, tt.field)
			}
		})
	}
	// The 422 for a missing quote says so.
	res = doJSON(t, ta.srv, "POST", "/api/v1/error-reports", "", reportJSON(a, "submarine", "", "", ""))
	if !strings.Contains(res.body, "not found") {
		t.Errorf("not-found message: %s", res.body)
	}
	// Nothing bad was filed.
	if n, _ := ta.store.CountErrorReports(context.Background(), newsroom.ReportOpen); n != 0 {
		t.Errorf("%d reports filed from bad input", n)
	}
	// Staff endpoints check their input too.
	for _, tt := range []struct{ method, path, body string }{
		{"GET", "/api/v1/error-reports?status=maybe", ""},
		{"PATCH", "/api/v1/error-reports/1", `{"status":"maybe"}`},
		{"PATCH", "/api/v1/error-reports/1", `{}`},
	} {
		if res := doJSON(t, ta.srv, tt.method, tt.path, editor, tt.body); res.status != 422 && res.status != 404 {
			t.Errorf("%s %s %s: %d %s", tt.method, tt.path, tt.body, res.status, res.body)
		}
	}
}

func TestErrorReportRateLimits(t *testing.T) {
	ta := newTestAppWith(t, "", func(c *Config) { c.Reports.PerIP, c.Reports.PerArticle, c.TrustProxy = 3, 5, true })
	editor, _ := mustToken(t, ta, newsroom.RoleEditor)
	a := mustPublish(t, ta, editor, "Ferry back on time", reportBody)
	post := func(ip string) int {
		return doJSONFrom(t, ta, "POST", "/api/v1/error-reports", ip, reportJSON(a, "Kelby", "reached ", ", said", "")).status
	}
	for i := range 3 {
		if st := post("203.0.113.1"); st != 202 {
			t.Fatalf("report %d: %d", i+1, st)
		}
	}
	if st := post("203.0.113.1"); st != 429 {
		t.Errorf("4th report from one address: %d, want 429", st)
	}
	// Other addresses, same article: the article's limit (5) is reached.
	if post("203.0.113.2") != 202 || post("203.0.113.3") != 202 {
		t.Fatal("other readers refused too early")
	}
	if st := post("203.0.113.4"); st != 429 {
		t.Errorf("6th report on one article: %d, want 429", st)
	}
	// A minute later there is room again.
	ta.clock.Add(time.Minute)
	if st := post("203.0.113.1"); st != 202 {
		t.Errorf("after a minute: %d", st)
	}
	var list struct {
		Reports []api.ReportJSON `json:"reports"`
	}
	doJSON(t, ta.srv, "GET", "/api/v1/error-reports", editor, "").decode(t, &list)
	if len(list.Reports) != 1 || list.Reports[0].Count != 3 || len(list.Reports[0].Suggestions) != 6 {
		t.Errorf("reports: %+v, want one place with 6 reports from 3 readers", list.Reports)
	}
}

func TestErrorReportCorrectionAndCaption(t *testing.T) {
	ta := newTestAppWith(t, "", nil)
	editor, _ := mustToken(t, ta, newsroom.RoleEditor)
	a := mustPublish(t, ta, editor, "Ferry back on time", reportBody)
	res := doJSON(t, ta.srv, "POST", "/api/v1/error-reports", "", reportJSON(a, "dwan", "The ferry at ", "", "dawn"))
	var ack accepted
	res.decode(t, &ack)
	if res.status != 202 {
		t.Fatalf("caption report: %d %s", res.status, res.body)
	}
	res = doJSON(t, ta.srv, "PATCH", fmt.Sprintf("/api/v1/error-reports/%d", ack.ID), editor,
		`{"apply":true,"correction":"An earlier version misstated the time of the photograph."}`)
	if res.status != 200 {
		t.Fatalf("apply with correction: %d %s", res.status, res.body)
	}
	var got api.ArticleJSON
	doJSON(t, ta.srv, "GET", fmt.Sprintf("/api/v1/articles/%d", a.ID), "", "").decode(t, &got)
	if got.LeadImage.Caption != "The ferry at dawn" || len(got.Corrections) != 1 {
		t.Errorf("caption %q, %d corrections", got.LeadImage.Caption, len(got.Corrections))
	}
	doc := getDoc(t, ta, a.URL)
	if c := doc.Find("figcaption [data-part=caption]").Text(); c != "The ferry at dawn" {
		t.Errorf("caption on the page: %q", c)
	}
	if doc.Find(".corrections .correction").Length() != 1 {
		t.Error("no correction note on the page")
	}
}

func TestErrorReportMail(t *testing.T) {
	smtp := mailtest.Start(t)
	ta := newTestAppWith(t, "", func(c *Config) {
		c.SMTP.Host, c.SMTP.Port, c.SMTP.From = smtp.Host, smtp.Port, "Courier desk <desk@example.com>"
	})
	editor, _ := mustToken(t, ta, newsroom.RoleEditor)
	mustToken(t, ta, newsroom.RoleModerator)
	mustToken(t, ta, newsroom.RoleCorrespondent)
	a := mustPublish(t, ta, editor, "Ferry back on time", reportBody)
	ctx := context.Background()

	// Three reports, one with an address and with markup in its comment.
	for _, body := range []string{
		strings.Replace(reportJSON(a, "teh", "By noon ", " ferry", "the"), `"comment":`, `"email":"reader@example.com","comment":`, 1),
		strings.Replace(reportJSON(a, "teh", "By noon ", " ferry", "the"), `Spotted it`, `<script>alert(1)</script>\nSecond line`, 1),
		reportJSON(a, "Kelby", "reached ", ", said", "Kelbie"),
	} {
		if res := doJSON(t, ta.srv, "POST", "/api/v1/error-reports", "", body); res.status != 202 {
			t.Fatalf("report: %d %s", res.status, res.body)
		}
	}
	n, err := ta.reports.SendDigest(ctx)
	if err != nil || n != 3 {
		t.Fatalf("SendDigest = %d, %v", n, err)
	}
	msgs := smtp.Wait(1, 5*time.Second)
	if len(msgs) != 1 {
		t.Fatalf("%d mails, want one digest", len(msgs))
	}
	d := msgs[0]
	if len(d.To) != 3 || !strings.Contains(d.Subject, "3 new error reports") ||
		!strings.Contains(d.Text, "By noon [teh] ferry reached Kelby") || !strings.Contains(d.Text, "Suggested: Kelbie") ||
		!strings.Contains(d.Text, "    > <script>alert(1)</script>\n    > Second line") {
		t.Errorf("digest to %v, subject %q:\n%s", d.To, d.Subject, d.Text)
	}
	if n, _ := ta.reports.SendDigest(ctx); n != 0 {
		t.Errorf("second digest listed %d reports again", n)
	}

	// The reader is told once when the error is fixed, then forgotten.
	var list struct {
		Reports []api.ReportJSON `json:"reports"`
	}
	doJSON(t, ta.srv, "GET", "/api/v1/error-reports", editor, "").decode(t, &list)
	var id int64
	for _, r := range list.Reports {
		if r.Exact == "teh" {
			id = r.ID
			if !r.Suggestions[0].WantsNotice {
				t.Error("the reader's wish to hear back is not shown")
			}
		}
	}
	if n, _ := ta.reports.SendNotices(ctx); n != 0 {
		t.Errorf("notices before the fix: %d", n)
	}
	if res := doJSON(t, ta.srv, "PATCH", fmt.Sprintf("/api/v1/error-reports/%d", id), editor, `{"apply":true}`); res.status != 200 {
		t.Fatalf("apply: %d %s", res.status, res.body)
	}
	if n, err := ta.reports.SendNotices(ctx); err != nil || n != 1 {
		t.Fatalf("SendNotices = %d, %v", n, err)
	}
	msgs = smtp.Wait(2, 5*time.Second)
	if len(msgs) != 2 || msgs[1].To[0] != "reader@example.com" || !strings.Contains(msgs[1].Text, "has been fixed") ||
		!strings.Contains(msgs[1].Text, ta.cfg.BaseURL+a.URL) {
		t.Fatalf("notice: %+v", msgs[len(msgs)-1])
	}
	if n, _ := ta.reports.SendNotices(ctx); n != 0 {
		t.Errorf("told twice: %d", n)
	}
	rep, _ := ta.store.ErrorReportByID(ctx, id)
	for _, sg := range rep.Suggestions {
		if sg.Email != "" || sg.IP != "" {
			t.Errorf("addresses kept after the fix: %+v", sg)
		}
	}
}

func TestErrorReportFormWithoutJavaScript(t *testing.T) {
	ta := newTestAppWith(t, "", nil)
	editor, _ := mustToken(t, ta, newsroom.RoleEditor)
	a := mustPublish(t, ta, editor, "Ferry back on time", reportBody)

	// The article page carries what the dialog needs, and the link.
	doc := getDoc(t, ta, a.URL)
	if id, _ := doc.Find("article.story").Attr("data-article"); id != fmt.Sprint(a.ID) {
		t.Errorf("data-article = %q", id)
	}
	for _, part := range []string{"headline", "body", "caption"} {
		if doc.Find(fmt.Sprintf("[data-part=%s]", part)).Length() != 1 {
			t.Errorf("no [data-part=%s] on the article page", part)
		}
	}
	if doc.Find("dialog#report-dialog textarea#report-suggestion").Length() != 1 || doc.Find("#report-touch[hidden]").Length() != 1 {
		t.Error("the report dialog or the touch button is missing")
	}
	link, _ := doc.Find("#error-hint a").Attr("href")
	if link != fmt.Sprintf("/report-error?article=%d", a.ID) {
		t.Fatalf("report link = %q", link)
	}

	// The plain form.
	form := getDoc(t, ta, link)
	if form.Find("form[action='/report-error'] textarea[name=exact]").Length() != 1 || form.Find(".report-about a").Text() != a.Headline {
		t.Fatal("the form page lacks the form or the article")
	}
	noRedirect := *ta.srv.Client()
	noRedirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	post := func(fields string) (*http.Response, *goquery.Document) {
		t.Helper()
		res, err := noRedirect.Post(ta.srv.URL+"/report-error", "application/x-www-form-urlencoded",
			strings.NewReader(fmt.Sprintf("article=%d&", a.ID)+fields))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		doc, _ := goquery.NewDocumentFromReader(res.Body)
		return res, doc
	}
	// Words that appear twice need more context; the form keeps the input.
	res, doc := post("exact=teh&suggestion=the&comment=%3Cb%3Ehi%3C%2Fb%3E")
	if res.StatusCode != 422 || !strings.Contains(doc.Find(".report-error").Text(), "more than once") ||
		doc.Find("textarea[name=exact]").Text() != "teh" || doc.Find("textarea[name=comment]").Text() != "<b>hi</b>" {
		t.Errorf("ambiguous paste: %d %q", res.StatusCode, doc.Find(".report-error").Text())
	}
	res, doc = post("exact=submarine")
	if res.StatusCode != 422 || !strings.Contains(doc.Find(".report-error").Text(), "could not find") {
		t.Errorf("missing text: %d %q", res.StatusCode, doc.Find(".report-error").Text())
	}
	res, _ = post("exact=Kelby&website=http%3A%2F%2Fspam.example")
	if res.StatusCode != 422 {
		t.Errorf("honeypot: %d", res.StatusCode)
	}
	// Pasted with a line break and straight quotes, found all the same.
	res, _ = post("exact=noon+teh%0D%0Aferry&suggestion=noon+the+ferry&email=reader%40example.com")
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "sent=1") {
		t.Fatalf("good paste: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	thanks := getDoc(t, ta, res.Header.Get("Location"))
	if !strings.Contains(thanks.Find(".report-thanks").Text(), "Thank you") {
		t.Error("no thank-you")
	}
	var list struct {
		Reports []api.ReportJSON `json:"reports"`
	}
	doJSON(t, ta.srv, "GET", "/api/v1/error-reports", editor, "").decode(t, &list)
	if len(list.Reports) != 1 || list.Reports[0].Exact != "noon teh ferry" || list.Reports[0].Before != "By " || list.Reports[0].Prefix == "" {
		t.Errorf("filed from the form: %+v", list.Reports)
	}
	// No such article: 404.
	if res, _ := ta.srv.Client().Get(ta.srv.URL + "/report-error?article=999"); res.StatusCode != 404 {
		t.Errorf("form for a missing article: %d", res.StatusCode)
	}
}

// TestErrorReportRemovedTextCannotBeProbed: a name taken out of a published
// story can be quoted from the old revision only while readers may still
// have it on screen (RecentRevisions); after that, a report naming the old
// revision gets the same answer whether the quote was there or not.
func TestErrorReportRemovedTextCannotBeProbed(t *testing.T) {
	forEachStoreWith(t, func(c *Config) { c.Reports.PerIP = 1000 }, func(t *testing.T, ta *testApp) {
		editor, _ := mustToken(t, ta, newsroom.RoleEditor)
		a := mustPublish(t, ta, editor, "Harbour informant speaks", "The informant Orla Vance met the ferry at nine.\n\nThe harbour master confirmed it.")
		ta.clock.Add(time.Minute)
		res := doJSON(t, ta.srv, "PATCH", fmt.Sprintf("/api/v1/articles/%d", a.ID), editor,
			fmt.Sprintf(`{"revision":%d,"body":%q}`, a.Revision, "The informant met the ferry at nine.\n\nThe harbour master confirmed it."))
		if res.status != http.StatusOK {
			t.Fatalf("remove the name: %d %s", res.status, res.body)
		}
		probe := func(rev int, exact string) (int, string) {
			old := a
			old.Revision = rev
			res := doJSON(t, ta.srv, "POST", "/api/v1/error-reports", "", reportJSON(old, exact, "informant ", " met", "x"))
			return res.status, res.body
		}
		// A reader who loaded the page a minute ago still quotes it.
		if st, body := probe(a.Revision, "Orla Vance"); st != http.StatusAccepted || !strings.Contains(body, `"fixed_by_edit"`) {
			t.Errorf("recent revision: %d %s; want 202 fixed_by_edit", st, body)
		}
		// Twenty minutes on, the old revision answers one way for every quote.
		ta.clock.Add(20 * time.Minute)
		st1, b1 := probe(a.Revision, "Orla Vance") // was there
		st2, b2 := probe(a.Revision, "Orla Vancx") // never was
		st3, b3 := probe(a.Revision, "O")          // one letter, as a prober starts
		st4, b4 := probe(99, "Orla Vance")         // no such revision
		for i, got := range []struct {
			st   int
			body string
		}{{st2, b2}, {st3, b3}, {st4, b4}} {
			if got.st != st1 || got.body != b1 {
				t.Errorf("probe %d: %d %s; the true quote got %d %s (answers must not differ)", i+2, got.st, got.body, st1, b1)
			}
		}
		if st1 != http.StatusUnprocessableEntity || !strings.Contains(b1, `"field":"revision"`) {
			t.Errorf("old revision: %d %s; want 422 on revision", st1, b1)
		}
		// The same through the site's form (no JavaScript): the same page
		// for the true and the false quote.
		form := func(exact string) (int, string) {
			vals := fmt.Sprintf("article_id=%d&revision=%d&exact=%s&prefix=informant+&suffix=+met", a.ID, a.Revision, strings.ReplaceAll(exact, " ", "+"))
			req, _ := http.NewRequest("POST", ta.srv.URL+"/report-error", strings.NewReader(vals))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := http.DefaultClient.Do(req)
			must(t, err)
			defer resp.Body.Close()
			var b bytes.Buffer
			_, _ = b.ReadFrom(resp.Body)
			return resp.StatusCode, b.String()
		}
		fs1, fb1 := form("Orla Vance")
		fs2, fb2 := form("Orla Vancx")
		if fs1 != fs2 || strings.ReplaceAll(fb2, "Orla Vancx", "Orla Vance") != fb1 {
			t.Errorf("form: %d and %d; the pages differ beyond the quote itself", fs1, fs2)
		}
	})
}
