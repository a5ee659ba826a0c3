package desk_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/newsroom"
)

// commentArticle is the published article the desk comment tests use.
func (e *env) commentArticle() *newsroom.Article {
	e.t.Helper()
	if a, err := e.store.ArticleBySlug(ctx, "quay-reopens"); err == nil {
		return a
	}
	sec := &newsroom.Category{Slug: "harbour", Name: "Harbour"}
	if err := e.store.CreateCategory(ctx, sec); err != nil {
		e.t.Fatal(err)
	}
	a := &newsroom.Article{Slug: "quay-reopens", Headline: "Quay reopens", Body: "x", BodyHTML: "<p>x</p>", Status: newsroom.Published,
		PublishedAt: e.clock.Now().Add(-time.Hour), CommentsOpen: true, Categories: []newsroom.Category{{ID: sec.ID}}}
	if err := e.store.CreateArticle(ctx, a); err != nil {
		e.t.Fatal(err)
	}
	return a
}

var commentSeq int

// mustComment stores a reader's comment with status st on commentArticle.
func (e *env) mustComment(st newsroom.CommentStatus) *newsroom.Comment {
	e.t.Helper()
	commentSeq++
	c := &newsroom.Comment{ArticleID: e.commentArticle().ID, Status: st, Name: fmt.Sprintf("Reader %d", commentSeq),
		Email: fmt.Sprintf("r%d@example.org", commentSeq), Body: fmt.Sprintf("Comment %d.", commentSeq),
		BodyHTML: fmt.Sprintf("<p>Comment %d.</p>\n", commentSeq), IP: "192.0.2.9"}
	if err := e.store.CreateComment(ctx, c); err != nil {
		e.t.Fatal(err)
	}
	return c
}

func (e *env) commentStatus(id int64) newsroom.CommentStatus {
	e.t.Helper()
	c, err := e.store.CommentByID(ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return c.Status
}

func TestCommentQueue(t *testing.T) {
	e := newEnv(t)
	c1, c2, c3 := e.mustComment(newsroom.CommentPending), e.mustComment(newsroom.CommentPending), e.mustComment(newsroom.CommentPending)
	x := &newsroom.Comment{ArticleID: e.commentArticle().ID, Status: newsroom.CommentPending,
		Name: `<script>window.__xss=1</script>`, Email: "x@example.org", Website: "https://x.example/",
		Body: `<img src=x onerror=alert(1)>`, BodyHTML: "<p>&lt;img src=x onerror=alert(1)&gt;</p>\n"}
	if err := e.store.CreateComment(ctx, x); err != nil {
		t.Fatal(err)
	}
	mod := e.as(newsroom.RoleModerator)

	r := mod.get("/desk/comments")
	wantStatus(t, "queue", r, http.StatusOK)
	if n := r.doc.Find(".comment-queue > li").Length(); n != 4 {
		t.Errorf("pending queue shows %d comments; want 4", n)
	}
	if got := r.doc.Find(`.side a[href="/desk/comments"] .count`).Text(); got != "4" {
		t.Errorf("nav count %q; want 4", got)
	}
	if r.doc.Find(".qc-text img, .qc-text script, .qc-name script").Length() != 0 || !strings.Contains(r.doc.Find(fmt.Sprintf("#c%d .qc-name", x.ID)).Text(), "<script>") {
		t.Error("markup in a comment became elements in the desk")
	}
	if r.doc.Find(`a[href="/desk/comments/settings"]`).Length() != 0 {
		t.Error("a moderator is offered the settings")
	}

	// One comment at a time, back to the queue with a note.
	r = mod.post(fmt.Sprintf("/desk/comments/%d/approve", c1.ID), url.Values{"back": {"/desk/comments?status=pending"}})
	wantStatus(t, "approve", r, http.StatusSeeOther)
	if loc := r.header.Get("Location"); loc != "/desk/comments?done=approve&n=1&status=pending" {
		t.Errorf("back to %q", loc)
	}
	if e.commentStatus(c1.ID) != newsroom.CommentApproved {
		t.Error("not approved")
	}
	if a := e.commentArticle(); a.CommentCount != 1 {
		t.Errorf("count after approval = %d", a.CommentCount)
	}
	r = mod.get("/desk/comments?done=approve&n=1&status=pending")
	if got := r.doc.Find(".notice").Text(); got != "1 comment approved." {
		t.Errorf("notice %q", got)
	}

	// Bulk: spam two, then restore them, then trash them.
	ids := url.Values{"id": {strconv.FormatInt(c2.ID, 10), strconv.FormatInt(c3.ID, 10)}}
	for _, step := range []struct {
		action string
		want   newsroom.CommentStatus
	}{{"spam", newsroom.CommentSpam}, {"restore", newsroom.CommentPending}, {"trash", newsroom.CommentTrash}} {
		form := url.Values{"action": {step.action}, "id": ids["id"]}
		r = mod.post("/desk/comments/bulk", form)
		wantStatus(t, "bulk "+step.action, r, http.StatusSeeOther)
		if !strings.Contains(r.header.Get("Location"), "n=2") {
			t.Errorf("bulk %s: back to %q", step.action, r.header.Get("Location"))
		}
		for _, c := range []*newsroom.Comment{c2, c3} {
			if got := e.commentStatus(c.ID); got != step.want {
				t.Errorf("after bulk %s: comment %d is %s", step.action, c.ID, got)
			}
		}
	}
	r = mod.get("/desk/comments?status=trash")
	if got := r.doc.Find(`.tabs a[aria-current="page"] .count`).Text(); got != "2" {
		t.Errorf("trash tab count %q", got)
	}
	if r.doc.Find(fmt.Sprintf(`button[formaction="/desk/comments/%d/restore"]`, c2.ID)).Length() != 1 {
		t.Error("a trashed comment offers no Restore")
	}
	r = mod.post("/desk/comments/bulk", url.Values{"action": {"publish"}, "id": ids["id"]})
	if r.status < 400 || r.status >= 500 {
		t.Errorf("unknown bulk action: %d", r.status)
	}
	r = mod.get("/desk/comments?status=approved&q=" + url.QueryEscape(c1.Email))
	if r.doc.Find(".comment-queue > li").Length() != 1 {
		t.Error("search by e-mail does not find the comment")
	}

	// Edit: a bad e-mail keeps what was typed; a good edit saves.
	r = mod.post(fmt.Sprintf("/desk/comments/%d/edit", c1.ID), url.Values{"name": {"Reader One"}, "email": {"not an address"}, "body": {"Edited text."}})
	wantStatus(t, "bad edit", r, http.StatusUnprocessableEntity)
	if r.doc.Find("#e-email").AttrOr("value", "") != "not an address" || r.doc.Find("#e-body").Text() != "Edited text." || r.doc.Find("#e-email-err").Text() == "" {
		t.Error("bad edit lost what was typed or shows no error")
	}
	r = mod.post(fmt.Sprintf("/desk/comments/%d/edit", c1.ID), url.Values{"name": {"Reader One"}, "email": {"one@example.org"}, "body": {"Edited <b>text</b>."}})
	wantStatus(t, "edit", r, http.StatusSeeOther)
	got, _ := e.store.CommentByID(ctx, c1.ID)
	if got.Name != "Reader One" || got.BodyHTML != "<p>Edited &lt;b&gt;text&lt;/b&gt;.</p>\n" {
		t.Errorf("after edit: %+v", got)
	}

	// Reply as staff to the pending XSS comment: approves it, marks the reply.
	r = mod.get(fmt.Sprintf("/desk/comments/%d/reply", x.ID))
	wantStatus(t, "reply form", r, http.StatusOK)
	r = mod.post(fmt.Sprintf("/desk/comments/%d/reply", x.ID), url.Values{"body": {"Thanks, we have fixed it."}})
	wantStatus(t, "reply", r, http.StatusSeeOther)
	if e.commentStatus(x.ID) != newsroom.CommentApproved {
		t.Error("replying did not approve the comment")
	}
	list, _, _ := e.store.FindComments(ctx, newsroom.CommentFilter{ArticleID: x.ArticleID, Status: newsroom.CommentApproved})
	var staff *newsroom.Comment
	for _, c := range list {
		if c.ParentID == x.ID {
			staff = c
		}
	}
	if staff == nil || !staff.Staff || staff.Name != e.users[newsroom.RoleModerator].Name {
		t.Fatalf("staff reply: %+v", staff)
	}
	r = mod.get("/desk/comments?status=approved")
	if r.doc.Find(fmt.Sprintf("#c%d.staff .badge", staff.ID)).Length() != 1 {
		t.Error("the staff reply is not marked in the queue")
	}
}

func TestCommentSettingsForm(t *testing.T) {
	e := newEnv(t)
	ed := e.as(newsroom.RoleEditor)
	r := ed.get("/desk/comments/settings")
	wantStatus(t, "settings", r, http.StatusOK)
	if r.doc.Find("#s-max_length").AttrOr("value", "") != "10000" || r.doc.Find("#s-flood_seconds").AttrOr("value", "") != "15" {
		t.Error("settings form does not show the defaults")
	}
	form := url.Values{"max_length": {"500"}, "max_depth": {"3"}, "per_page": {"20"}, "max_links": {"1"}, "flood_seconds": {"30"},
		"close_after_days": {"14"}, "digest_minutes": {"0"}, "hold_first_time": {"1"}, "require_email": {"1"},
		"moderation_words": {"Casino\n203.0.113."}, "spam_words": {"cheap pills"}}
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("max_depth", "many")
	r = ed.post("/desk/comments/settings", bad)
	wantStatus(t, "bad settings", r, http.StatusUnprocessableEntity)
	if r.doc.Find("#s-max_depth").AttrOr("value", "") != "many" || r.doc.Find("#s-max_depth-err").Length() != 1 {
		t.Error("bad number not kept or not explained")
	}
	r = ed.post("/desk/comments/settings", form)
	wantStatus(t, "save settings", r, http.StatusSeeOther)
	r = ed.get("/desk/comments/settings?saved=1")
	if r.doc.Find("#s-close_after_days").AttrOr("value", "") != "14" || r.doc.Find("#s-moderation_words").Text() != "casino\n203.0.113." {
		t.Errorf("saved settings not shown: %q", r.doc.Find("#s-moderation_words").Text())
	}
	if r.doc.Find(`input[name=manual_approval]`).AttrOr("checked", "none") != "none" {
		t.Error("manual approval ticked though it was not sent")
	}
}
