package desk_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"newsdesk/internal/desk"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/render"
	"newsdesk/internal/reports"
)

// withReports wires the error-report loop into the desk under test.
func withReports(svc **reports.Service) envOption {
	return func(c *desk.Config) {
		*svc = reports.New(reports.Config{Store: c.Store.(reports.Store), Editorial: c.Editorial, Render: render.New(), Now: c.Now, PerIP: -1})
		c.Reports = *svc
	}
}

func TestErrorReportQueue(t *testing.T) {
	var svc *reports.Service
	e := newEnv(t, withReports(&svc))
	sec, au := e.taxonomy()
	a := &newsroom.Article{Headline: "Ferry timetable", Status: newsroom.Published, Body: "The ferry leaves at nine. Teh ferry returns at six.",
		Categories: []newsroom.Category{sec}, Authors: []newsroom.Byline{{AuthorID: au.ID}}}
	if err := e.ed.Create(ctx, e.users[newsroom.RoleEditor], a); err != nil {
		t.Fatal(err)
	}
	file := func(exact, prefix, suggestion, comment, ip string) *newsroom.ErrorReport {
		t.Helper()
		r, err := svc.Submit(ctx, newsroom.ReportSubmission{ArticleID: a.ID, Revision: a.Revision,
			Quote: newsroom.Quote{Exact: exact, Prefix: prefix}, Suggestion: suggestion, Comment: comment, IP: ip})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	r1 := file("Teh", "nine. ", "The", "<script>alert(1)</script>", "192.0.2.1")
	file("Teh", "nine. ", "The", "", "192.0.2.2")
	r2 := file("six", "returns at ", "seven", "wrong time", "192.0.2.3")

	// Moderators see the queue with the count in the nav; correspondents do not.
	if got := e.as(newsroom.RoleCorrespondent).get("/desk/error-reports").status; got != http.StatusForbidden {
		t.Errorf("correspondent: %d", got)
	}
	mod := e.as(newsroom.RoleModerator)
	res := mod.get("/desk/error-reports")
	if res.status != http.StatusOK {
		t.Fatalf("queue: %d %s", res.status, res.body)
	}
	if n := strings.TrimSpace(res.doc.Find(`.side a[href="/desk/error-reports"] .count`).Text()); n != "2" {
		t.Errorf("nav count = %q, want 2", n)
	}
	item := res.doc.Find("#report-" + strconv.FormatInt(r1.ID, 10))
	if item.Find(".report-place mark").Text() != "Teh" || !strings.Contains(item.Find(".readers").Text(), "2 readers") ||
		!strings.Contains(item.Find(".report-place").Text(), "Teh ferry returns at six.") {
		t.Errorf("report item: %q / %q", item.Find(".report-place").Text(), item.Find(".readers").Text())
	}
	if !strings.Contains(res.body, "&lt;script&gt;alert(1)&lt;/script&gt;") || item.Find("script").Length() != 0 {
		t.Error("reporter text is not escaped")
	}
	if item.Find(`form[action$="/apply"]`).Length() != 0 {
		t.Error("a moderator is offered Apply")
	}

	// The editor applies the suggestion: the article changes at that place.
	ed := e.as(newsroom.RoleEditor)
	res = ed.get("/desk/error-reports")
	if res.doc.Find("#report-"+strconv.FormatInt(r1.ID, 10)+` form[action$="/apply"] button`).First().Text() != "Apply “The”" {
		t.Errorf("apply button: %q", res.doc.Find(`form[action$="/apply"] button`).First().Text())
	}
	res = ed.post("/desk/error-reports/"+strconv.FormatInt(r1.ID, 10)+"/apply", url.Values{"text": {"The"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("apply: %d %s", res.status, res.body)
	}
	got, _ := e.store.ArticleByID(ctx, a.ID)
	if got.Body != "The ferry leaves at nine. The ferry returns at six." || got.Revision != a.Revision+1 {
		t.Errorf("after apply: rev %d body %q", got.Revision, got.Body)
	}
	if rep, _ := e.store.ErrorReportByID(ctx, r1.ID); rep.Status != newsroom.ReportFixed {
		t.Errorf("status after apply: %s", rep.Status)
	}

	// Fixing with a correction note needs the note.
	path := "/desk/error-reports/" + strconv.FormatInt(r2.ID, 10) + "/apply"
	res = ed.post(path, url.Values{"text": {"seven"}, "with_correction": {"1"}})
	if res.status != http.StatusUnprocessableEntity || res.doc.Find("#report-"+strconv.FormatInt(r2.ID, 10)+" .alert").Length() != 1 {
		t.Errorf("correction without text: %d", res.status)
	}
	res = ed.post(path, url.Values{"text": {"seven"}, "with_correction": {"1"}, "correction": {"An earlier version gave the wrong return time."}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("apply with correction: %d %s", res.status, res.body)
	}
	got, _ = e.store.ArticleByID(ctx, a.ID)
	if !strings.HasSuffix(got.Body, "returns at seven.") || len(got.Corrections) != 1 {
		t.Errorf("after apply with correction: %q, %d corrections", got.Body, len(got.Corrections))
	}

	// Spam, with the sender blocked.
	r3 := file("leaves", "ferry ", "BUY NOW", "", "198.51.100.9")
	res = mod.post("/desk/error-reports/"+strconv.FormatInt(r3.ID, 10)+"/status", url.Values{"status": {"spam"}, "block": {"1"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("spam: %d %s", res.status, res.body)
	}
	if blocked, _ := e.store.IPBlocked(ctx, "198.51.100.9"); !blocked {
		t.Error("sender not blocked")
	}
	res = mod.get("/desk/error-reports?status=spam")
	if res.doc.Find(".report").Length() != 1 {
		t.Errorf("spam filter shows %d reports", res.doc.Find(".report").Length())
	}
	res = mod.get("/desk/error-reports")
	if res.doc.Find(".report").Length() != 0 || res.doc.Find(`.side a[href="/desk/error-reports"] .count`).Length() != 0 {
		t.Error("open queue not empty after handling everything")
	}
}
