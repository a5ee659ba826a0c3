package comments_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/clocktest"
	"newsdesk/internal/comments"
	"newsdesk/internal/mail"
	"newsdesk/internal/mail/mailtest"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/sqlstore"
	"newsdesk/internal/storetest"
)

var ctx = context.Background()

type env struct {
	st    *sqlstore.Store
	svc   *comments.Service
	cfg   comments.Config // what svc was built from
	clock *clocktest.Clock
	logs  *bytes.Buffer
	a, b  *newsroom.Article
}

func newEnv(t *testing.T) *env {
	t.Helper()
	c := clocktest.New(time.Date(2026, 5, 4, 8, 0, 0, 0, time.UTC))
	st, err := sqlstore.Open(ctx, storetest.SQLitePath(t), sqlstore.Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var logs bytes.Buffer
	cfg := comments.Config{Store: st, Now: c.Now, Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		SiteName: "The Test Courier", BaseURL: "https://news.example"}
	e := &env{st: st, svc: comments.New(cfg), cfg: cfg, clock: c, logs: &logs}
	sec := &newsroom.Category{Slug: "region", Name: "Region"}
	must(t, st.CreateCategory(ctx, sec))
	e.a = e.article(t, "Harbour ice closes the quay", sec, nil)
	e.b = e.article(t, "Ferry timetable changes", sec, nil)
	return e
}

func (e *env) article(t *testing.T, headline string, sec *newsroom.Category, authors []newsroom.Byline) *newsroom.Article {
	t.Helper()
	a := &newsroom.Article{Headline: headline, Body: "Text.", BodyHTML: "<p>Text.</p>", Status: newsroom.Published,
		PublishedAt: e.clock.Now().Add(-time.Hour), CommentsOpen: true, Categories: []newsroom.Category{{ID: sec.ID}}, Authors: authors}
	must(t, e.st.CreateArticle(ctx, a))
	return a
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func (e *env) settings(t *testing.T, change func(s *newsroom.CommentSettings)) {
	t.Helper()
	s := newsroom.DefaultCommentSettings()
	change(&s)
	must(t, e.svc.SaveSettings(ctx, &newsroom.User{Role: newsroom.RoleEditor}, s))
}

func (e *env) post(t *testing.T, a *newsroom.Article, name, body, ip string) *newsroom.Comment {
	t.Helper()
	c, key, err := e.svc.Post(ctx, a.ID, newsroom.CommentInput{Name: name, Email: strings.ToLower(strings.Fields(name)[0]) + "@example.org", Body: body},
		comments.Meta{IP: ip, UserAgent: "test"})
	if err != nil {
		t.Fatalf("Post(%q): %v", body, err)
	}
	if key == "" || !comments.OwnedBy(c, key) || comments.OwnedBy(c, key+"x") {
		t.Fatal("the author's key does not prove ownership (or anything does)")
	}
	return c
}

func TestFloodIsRefusedAndLogged(t *testing.T) {
	e := newEnv(t)
	e.post(t, e.a, "Ann Reader", "First.", "192.0.2.1")
	e.clock.Add(10 * time.Second)
	_, _, err := e.svc.Post(ctx, e.a.ID, newsroom.CommentInput{Name: "Ann", Email: "ann@example.org", Body: "Again."}, comments.Meta{IP: "192.0.2.1"})
	if newsroom.ErrorCode(err) != newsroom.RateLimited {
		t.Fatalf("second comment after 10 s = %v; want rate_limited", err)
	}
	if !strings.Contains(e.logs.String(), "flood refused") || !strings.Contains(e.logs.String(), "192.0.2.1") {
		t.Errorf("flood not logged with the address: %s", e.logs.String())
	}
	e.post(t, e.a, "Bo Other", "Another address is fine.", "192.0.2.2")
	e.clock.Add(5 * time.Second)
	e.post(t, e.a, "Ann Reader", "After 15 s.", "192.0.2.1")
}

func TestTrashEmptiesAfterThirtyDays(t *testing.T) {
	e := newEnv(t)
	e.settings(t, func(s *newsroom.CommentSettings) { s.FloodSeconds = 0 })
	c := e.post(t, e.a, "Ann Reader", "To be trashed.", "192.0.2.1")
	keep := e.post(t, e.a, "Bo Reader", "To stay.", "192.0.2.1")
	mod := &newsroom.User{ID: 1, Role: newsroom.RoleModerator}
	if n, err := e.svc.Moderate(ctx, mod, []int64{c.ID}, comments.Trash); err != nil || n != 1 {
		t.Fatalf("trash: %d, %v", n, err)
	}
	e.clock.Add(29 * 24 * time.Hour)
	if n, err := e.svc.PurgeTrash(ctx); err != nil || n != 0 {
		t.Errorf("purge after 29 days = %d, %v; want 0", n, err)
	}
	e.clock.Add(24*time.Hour + time.Minute)
	if n, err := e.svc.PurgeTrash(ctx); err != nil || n != 1 {
		t.Errorf("purge after 30 days = %d, %v; want 1", n, err)
	}
	if _, err := e.st.CommentByID(ctx, c.ID); !newsroom.IsNotFound(err) {
		t.Errorf("trashed comment still there: %v", err)
	}
	if _, err := e.st.CommentByID(ctx, keep.ID); err != nil {
		t.Errorf("pending comment purged: %v", err)
	}
	if _, err := e.svc.Moderate(ctx, &newsroom.User{Role: newsroom.RoleCorrespondent}, []int64{keep.ID}, comments.Approve); newsroom.ErrorCode(err) != newsroom.Forbidden {
		t.Errorf("correspondent moderating: %v; want forbidden", err)
	}
	if _, err := e.svc.Moderate(ctx, mod, []int64{keep.ID}, "publish"); newsroom.ErrorCode(err) != newsroom.Invalid {
		t.Errorf("unknown action: %v", err)
	}
}

func TestStaffReplyIsMarkedAndApprovesItsParent(t *testing.T) {
	e := newEnv(t)
	c := e.post(t, e.a, "Ann Reader", "Is the quay open?", "192.0.2.1")
	if c.Status != newsroom.CommentPending {
		t.Fatalf("first comment status %s; want pending", c.Status)
	}
	editor := &newsroom.User{Role: newsroom.RoleEditor, Name: "Desk Editor", Email: "desk@example.org"}
	must(t, e.st.CreateUser(ctx, editor))
	r, err := e.svc.Reply(ctx, editor, c.ID, "It reopens at noon.")
	if err != nil {
		t.Fatal(err)
	}
	if !r.Staff || r.UserID != editor.ID || r.Status != newsroom.CommentApproved || r.ParentID != c.ID || r.Depth != 1 || r.Name != "Desk Editor" {
		t.Errorf("staff reply = %+v", r)
	}
	parent, _ := e.st.CommentByID(ctx, c.ID)
	if parent.Status != newsroom.CommentApproved {
		t.Errorf("parent after a staff reply: %s", parent.Status)
	}
	if a, _ := e.st.ArticleByID(ctx, e.a.ID); a.CommentCount != 2 {
		t.Errorf("count = %d; want 2", a.CommentCount)
	}
	if _, err := e.svc.Reply(ctx, editor, c.ID, "  "); newsroom.ErrorCode(err) != newsroom.Invalid {
		t.Errorf("empty staff reply: %v", err)
	}
	edited, err := e.svc.Edit(ctx, editor, c.ID, newsroom.CommentInput{Name: "Ann R.", Email: "ann@example.org", Body: "Is the <b>quay</b> open?"})
	if err != nil || edited.BodyHTML != "<p>Is the &lt;b&gt;quay&lt;/b&gt; open?</p>\n" || edited.Name != "Ann R." {
		t.Errorf("edit: %+v, %v", edited, err)
	}
}

func TestDigestGoesToEditorsAndTheArticlesAuthors(t *testing.T) {
	e := newEnv(t)
	smtp := mailtest.Start(t)
	e.cfg.Mail = mail.NewSMTP(mail.Config{Host: smtp.Host, Port: smtp.Port, From: "Newsroom <desk@news.example>"})
	e.svc = comments.New(e.cfg)
	e.settings(t, func(s *newsroom.CommentSettings) { s.FloodSeconds, s.DigestMinutes = 0, 30 })

	user := func(email string, role newsroom.Role, disabled bool) *newsroom.User {
		u := &newsroom.User{Email: email, Name: email, Role: role, Disabled: disabled}
		must(t, e.st.CreateUser(ctx, u))
		return u
	}
	user("editor@news.example", newsroom.RoleEditor, false)
	user("moderator@news.example", newsroom.RoleModerator, false)
	user("admin@news.example", newsroom.RoleAdmin, false)
	user("gone@news.example", newsroom.RoleEditor, true)
	corr := user("mira@news.example", newsroom.RoleCorrespondent, false)
	mira := &newsroom.Author{Slug: "mira", Name: "Mira Kask", Label: newsroom.LabelOwnCorr, UserID: corr.ID}
	must(t, e.st.CreateAuthor(ctx, mira))
	wire := &newsroom.Author{Slug: "wire", Name: "Coast Wire", Label: newsroom.LabelAgency}
	must(t, e.st.CreateAuthor(ctx, wire))
	sec, _ := e.st.CategoryBySlug(ctx, "region")
	byMira := e.article(t, "Mira's story", sec, []newsroom.Byline{{AuthorID: mira.ID}, {AuthorID: wire.ID}})

	// The first run starts the clock for digests; nothing older is sent.
	if n, err := e.svc.SendDigest(ctx); err != nil || n != 0 {
		t.Fatalf("first digest = %d, %v", n, err)
	}
	e.clock.Add(time.Minute)
	e.post(t, byMira, "Ann Reader", "Great <script>alert(1)</script> reporting.\nSecond line.", "192.0.2.1")
	e.post(t, byMira, "Bo Reader", "I disagree.", "192.0.2.2")
	e.post(t, e.a, "Cy Reader", "On another story.", "192.0.2.3")
	e.settings(t, func(s *newsroom.CommentSettings) {
		s.FloodSeconds, s.DigestMinutes, s.SpamWords = 0, 30, []string{"casino"}
	})
	e.post(t, e.a, "Spam Bot", "casino", "192.0.2.4")

	if n, err := e.svc.SendDigest(ctx); err != nil || n != 0 {
		t.Fatalf("digest before the interval = %d, %v; want 0", n, err)
	}
	e.clock.Add(30 * time.Minute)
	n, err := e.svc.SendDigest(ctx)
	if err != nil || n != 3 {
		t.Fatalf("digest = %d messages, %v; want 3 (editor, moderator, author)", n, err)
	}
	msgs := smtp.Wait(3, 5*time.Second)
	by := map[string]mailtest.Received{}
	for _, m := range msgs {
		if len(m.To) != 1 {
			t.Errorf("a digest went to %v; want one recipient each", m.To)
		}
		by[m.To[0]] = m
		if !strings.Contains(strings.ToLower(string(m.Raw)), "content-type: text/plain") {
			t.Errorf("digest to %v is not text/plain", m.To)
		}
		if strings.Contains(m.Text, "casino") {
			t.Errorf("spam in the digest to %v", m.To)
		}
	}
	for _, to := range []string{"editor@news.example", "moderator@news.example"} {
		m, ok := by[to]
		if !ok || m.Subject != "3 new comments on The Test Courier" || !strings.Contains(m.Text, "Cy Reader") || !strings.Contains(m.Text, "Ann Reader") {
			t.Errorf("digest to %s: %q\n%s", to, m.Subject, m.Text)
		}
	}
	m := by["mira@news.example"]
	if m.Subject != "2 new comments on The Test Courier" || strings.Contains(m.Text, "Cy Reader") || !strings.Contains(m.Text, "<script>alert(1)</script>") {
		t.Errorf("digest to the author: %q\n%s", m.Subject, m.Text)
	}
	if !strings.Contains(m.Text, "Mira's story") || !strings.Contains(m.Text, "https://news.example/desk/comments?status=pending") {
		t.Errorf("author digest lacks the headline or the moderation link:\n%s", m.Text)
	}
	for _, to := range []string{"admin@news.example", "gone@news.example"} {
		if _, ok := by[to]; ok {
			t.Errorf("%s got a digest", to)
		}
	}

	// Nothing new: no mail next time.
	e.clock.Add(31 * time.Minute)
	if n, err := e.svc.SendDigest(ctx); err != nil || n != 0 {
		t.Errorf("empty digest = %d, %v", n, err)
	}
	if got := len(smtp.Messages()); got != 3 {
		t.Errorf("%d messages in all; want 3 (a digest, never one mail per comment)", got)
	}
}

// TestReadsAreChecked: staff reads need a moderator (editors and admins
// moderate too); readers get approved comments and, with their secret,
// their own that wait.
func TestReadsAreChecked(t *testing.T) {
	e := newEnv(t)
	post := func(name, body, ip string) (*newsroom.Comment, string) {
		t.Helper()
		c, key, err := e.svc.Post(ctx, e.a.ID, newsroom.CommentInput{Name: name, Email: strings.ToLower(name) + "@example.org", Body: body},
			comments.Meta{IP: ip})
		must(t, err)
		return c, key
	}
	waiting, key := post("Ann", "Is the quay open?", "192.0.2.1") // a first comment waits
	approved, _ := post("Bo", "It was open at dawn.", "192.0.2.2")
	editor := &newsroom.User{Role: newsroom.RoleEditor}
	if _, err := e.svc.SetStatus(ctx, editor, []int64{approved.ID}, newsroom.CommentApproved); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		role newsroom.Role
		code newsroom.Code
	}{{"", newsroom.Unauthorized}, {newsroom.RoleCorrespondent, newsroom.Forbidden}, {newsroom.RoleModerator, ""}, {newsroom.RoleEditor, ""}, {newsroom.RoleAdmin, ""}} {
		var u *newsroom.User
		if c.role != "" {
			u = &newsroom.User{Role: c.role}
		}
		list, total, lerr := e.svc.List(ctx, u, newsroom.CommentFilter{ArticleID: e.a.ID})
		got, gerr := e.svc.Get(ctx, u, waiting.ID)
		counts, cerr := e.svc.Count(ctx, u)
		for name, err := range map[string]error{"List": lerr, "Get": gerr, "Count": cerr} {
			if newsroom.ErrorCode(err) != c.code && (c.code != "" || err != nil) {
				t.Errorf("%s as %q: %v; want %q", name, c.role, err, c.code)
			}
		}
		if c.code == "" && (len(list) != 2 || total != 2 || got.ID != waiting.ID || counts[newsroom.CommentPending] != 1 || counts[newsroom.CommentApproved] != 1) {
			t.Errorf("as %s: list %d/%d, get %d, counts %v", c.role, len(list), total, got.ID, counts)
		}
		if c.code != "" && (list != nil || got != nil || counts != nil) {
			t.Errorf("as %q: refused reads returned comments", c.role)
		}
	}
	if _, _, err := e.svc.List(ctx, editor, newsroom.CommentFilter{Status: "hidden"}); newsroom.AsError(err) == nil || newsroom.AsError(err).Field != "status" {
		t.Errorf("List with an unknown status: %v; want Invalid on status", err)
	}

	// Readers.
	list, total, err := e.svc.Approved(ctx, newsroom.CommentFilter{ArticleID: e.a.ID, Status: newsroom.CommentPending})
	if err != nil || total != 1 || len(list) != 1 || list[0].ID != approved.ID {
		t.Errorf("Approved = %d comments (total %d), %v; want only the approved one", len(list), total, err)
	}
	if c, err := e.svc.ApprovedByID(ctx, approved.ID); err != nil || c.ID != approved.ID {
		t.Errorf("ApprovedByID(approved) = %v, %v", c, err)
	}
	if _, err := e.svc.ApprovedByID(ctx, waiting.ID); !newsroom.IsNotFound(err) {
		t.Errorf("ApprovedByID(waiting) = %v; want not found", err)
	}
	own, err := e.svc.OwnPending(ctx, map[int64]string{waiting.ID: key, approved.ID: key})
	if err != nil || len(own) != 1 || own[0].ID != waiting.ID {
		t.Errorf("OwnPending with the secret = %v, %v; want the waiting comment only", own, err)
	}
	if own, err := e.svc.OwnPending(ctx, map[int64]string{waiting.ID: key + "0"}); err != nil || len(own) != 0 {
		t.Errorf("OwnPending with a wrong secret = %v, %v; want none", own, err)
	}
	for keys, want := range map[string]bool{key: true, key + "0": false, "": false} {
		if got, err := e.svc.Owns(ctx, map[int64]string{waiting.ID: keys}); err != nil || got != want {
			t.Errorf("Owns(%q) = %v, %v; want %v", keys, got, err, want)
		}
	}
	// Trashed, the comment is no longer the reader's to see.
	if _, err := e.svc.SetStatus(ctx, editor, []int64{waiting.ID}, newsroom.CommentTrash); err != nil {
		t.Fatal(err)
	}
	if own, err := e.svc.OwnPending(ctx, map[int64]string{waiting.ID: key}); err != nil || len(own) != 0 {
		t.Errorf("OwnPending of a trashed comment = %v, %v; want none", own, err)
	}
}
