package reports_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/clocktest"
	"newsdesk/internal/editorial"
	"newsdesk/internal/mail"
	"newsdesk/internal/mail/mailtest"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/render"
	"newsdesk/internal/reports"
	"newsdesk/internal/sqlstore"
	"newsdesk/internal/storetest"
)

var ctx = context.Background()

// storyBody has "teh" twice, so a quote of it needs its context.
const storyBody = "The ferry left teh harbour at nine.\n\nBy noon teh ferry reached Kelby, the harbour master said."

// env is the report service on a real SQLite file, with the editorial
// service it applies suggestions through, and staff of every role.
type env struct {
	t     *testing.T
	st    *sqlstore.Store
	ed    *editorial.Service
	svc   *reports.Service
	clock *clocktest.Clock
	smtp  *mailtest.Server
	users map[newsroom.Role]*newsroom.User
	story *newsroom.Article
}

// newEnv builds the service as main does; mut changes its configuration
// first.
func newEnv(t *testing.T, mut func(c *reports.Config)) *env {
	t.Helper()
	clock := clocktest.New(time.Date(2026, 4, 14, 9, 0, 0, 0, time.UTC))
	st, err := sqlstore.Open(ctx, storetest.SQLitePath(t), sqlstore.Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	r := render.New()
	e := &env{t: t, st: st, clock: clock, users: map[newsroom.Role]*newsroom.User{}, smtp: mailtest.Start(t)}
	e.ed = editorial.New(editorial.Config{Store: st, Render: r, Now: clock.Now,
		OnUpdate: []func(ctx context.Context, prev, next *newsroom.Article){
			func(ctx context.Context, prev, next *newsroom.Article) { e.svc.ArticleUpdated(ctx, prev, next) },
		}})
	cfg := reports.Config{Store: st, Render: r, Editorial: e.ed, Now: clock.Now, PerIP: -1, PerArticle: -1, Logger: slog.New(slog.DiscardHandler),
		Mail:    mail.NewSMTP(mail.Config{Host: e.smtp.Host, Port: e.smtp.Port, From: "Courier desk <desk@example.com>"}),
		BaseURL: "https://courier.example", SiteName: "The Skerrow Courier", Language: "en"}
	if mut != nil {
		mut(&cfg)
	}
	e.svc = reports.New(cfg)
	for _, role := range []newsroom.Role{newsroom.RoleAdmin, newsroom.RoleEditor, newsroom.RoleCorrespondent, newsroom.RoleModerator} {
		u := &newsroom.User{Email: string(role) + "@courier.example", Name: "Test " + string(role), Role: role, PasswordHash: "x"}
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		e.users[role] = u
	}
	e.story = e.publish("Ferry back on time", storyBody)
	return e
}

// publish saves a published story through the editorial service, an hour
// ago by the test clock.
func (e *env) publish(headline, body string) *newsroom.Article {
	e.t.Helper()
	a := &newsroom.Article{Headline: headline, Standfirst: "The morning crossing ran as planned.", Body: body,
		Status: newsroom.Published, PublishedAt: e.clock.At(-time.Hour)}
	if err := e.ed.Create(ctx, e.users[newsroom.RoleEditor], a); err != nil {
		e.t.Fatal(err)
	}
	return a
}

// second is the reported place: the second "teh", with its context.
func second(a *newsroom.Article) newsroom.ReportSubmission {
	return newsroom.ReportSubmission{ArticleID: a.ID, Revision: a.Revision,
		Quote:      newsroom.Quote{Exact: "teh", Prefix: "By noon ", Suffix: " ferry reached"},
		Suggestion: "the", IP: "192.0.2.10"}
}

func (e *env) submit(sub newsroom.ReportSubmission) *newsroom.ErrorReport {
	e.t.Helper()
	r, err := e.svc.Submit(ctx, sub)
	if err != nil {
		e.t.Fatalf("Submit(%+v): %v", sub, err)
	}
	return r
}

func (e *env) get(id int64) *newsroom.ErrorReport {
	e.t.Helper()
	r, err := e.svc.Get(ctx, e.users[newsroom.RoleEditor], id)
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

// wantError checks err's code, field and (when want.msg is set) message.
func wantError(t *testing.T, what string, err error, code newsroom.Code, field, msg string) {
	t.Helper()
	e := newsroom.AsError(err)
	if e == nil {
		t.Fatalf("%s: error %v, want %s on %q", what, err, code, field)
	}
	if e.Code != code || e.Field != field || msg != "" && e.Message != msg {
		t.Errorf("%s: error {%s %q %q}, want {%s %q %q}", what, e.Code, e.Field, e.Message, code, field, msg)
	}
}

func TestSubmitFilesAndMerges(t *testing.T) {
	e := newEnv(t, nil)
	r := e.submit(second(e.story))
	if r.ID == 0 || r.Status != newsroom.ReportOpen || r.Part != newsroom.PartBody || r.Exact != "teh" {
		t.Fatalf("filed %+v", r)
	}
	if r.Before != "By noon " || r.After != " ferry reached Kelby, the harbour master said." {
		t.Errorf("sentence = %q + %q", r.Before, r.After)
	}
	// Another reader, the same place in other words of context: one report.
	sub := second(e.story)
	sub.IP, sub.Prefix, sub.Suffix, sub.Suggestion, sub.Email = "192.0.2.11", "noon ", " ferry", "the", "reader@example.org"
	again := e.submit(sub)
	got := e.get(r.ID)
	if again.ID != r.ID || got.Count != 2 || len(got.Suggestions) != 2 {
		t.Errorf("second report: id %d (first %d), count %d, %d suggestions; want one report of 2 readers", again.ID, r.ID, got.Count, len(got.Suggestions))
	}
	if n, err := e.svc.OpenCount(ctx); err != nil || n != 1 {
		t.Errorf("OpenCount = %d, %v; want 1", n, err)
	}
	// The first "teh" is another place.
	first := second(e.story)
	first.Prefix, first.Suffix = "ferry left ", " harbour"
	if other := e.submit(first); other.ID == r.ID {
		t.Error("the first occurrence merged into the second's report")
	}
}

func TestSubmitRefuses(t *testing.T) {
	e := newEnv(t, nil)
	draft := &newsroom.Article{Headline: "Draft with teh typo", Body: "teh"}
	if err := e.ed.Create(ctx, e.users[newsroom.RoleEditor], draft); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		edit  func(s *newsroom.ReportSubmission)
		code  newsroom.Code
		field string
		msg   string
	}{
		{"no article", func(s *newsroom.ReportSubmission) { s.ArticleID = 0 }, newsroom.Invalid, "article_id", ""},
		{"unknown article", func(s *newsroom.ReportSubmission) { s.ArticleID = 9999 }, newsroom.NotFound, "article_id", ""},
		{"a draft", func(s *newsroom.ReportSubmission) { s.ArticleID, s.Revision = draft.ID, draft.Revision }, newsroom.NotFound, "article_id", ""},
		{"empty quote", func(s *newsroom.ReportSubmission) { s.Exact = " \u200b " }, newsroom.Invalid, "exact", ""},
		{"quote too long", func(s *newsroom.ReportSubmission) { s.Exact = strings.Repeat("a", 301) }, newsroom.Invalid, "exact", ""},
		{"unknown part", func(s *newsroom.ReportSubmission) { s.Part = "footer" }, newsroom.Invalid, "part", ""},
		{"bad e-mail", func(s *newsroom.ReportSubmission) { s.Email = "reader at example" }, newsroom.Invalid, "email", ""},
		{"not in the story", func(s *newsroom.ReportSubmission) { s.Exact, s.Prefix, s.Suffix = "submarine", "", "" },
			newsroom.Unprocessable, "exact", newsroom.MsgQuoteNotFound},
		{"twice, without context", func(s *newsroom.ReportSubmission) { s.Prefix, s.Suffix = "", "" },
			newsroom.Unprocessable, "exact", newsroom.MsgQuoteAmbiguous},
		{"wrong context", func(s *newsroom.ReportSubmission) { s.Prefix = "At dusk " }, newsroom.Unprocessable, "exact", newsroom.MsgQuoteNotFound},
		{"revision never saved", func(s *newsroom.ReportSubmission) { s.Revision = 7 }, newsroom.Unprocessable, "revision", ""},
		{"only in the headline", func(s *newsroom.ReportSubmission) { s.Part = newsroom.PartHeadline }, newsroom.Unprocessable, "exact", newsroom.MsgQuoteNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sub := second(e.story)
			tt.edit(&sub)
			_, err := e.svc.Submit(ctx, sub)
			wantError(t, "Submit", err, tt.code, tt.field, tt.msg)
		})
	}
	// Nothing refused was filed.
	if n, _ := e.svc.OpenCount(ctx); n != 0 {
		t.Errorf("%d reports filed by refused submissions", n)
	}
}

func TestSubmitRateLimitsAndBlocks(t *testing.T) {
	e := newEnv(t, func(c *reports.Config) { c.PerIP, c.PerArticle = 2, 3 })
	sub := second(e.story)
	e.submit(sub)
	e.submit(sub)
	_, err := e.svc.Submit(ctx, sub)
	wantError(t, "third report from one address", err, newsroom.RateLimited, "", "")

	other := sub
	other.IP = "192.0.2.20"
	e.submit(other)
	other.IP = "192.0.2.21"
	_, err = e.svc.Submit(ctx, other)
	wantError(t, "fourth report about one article", err, newsroom.RateLimited, "", "")

	// A minute later both buckets have refilled.
	e.clock.Add(time.Minute)
	r := e.submit(other)

	// Spam, and block the senders: their next report is refused.
	if _, err := e.svc.SetStatus(ctx, e.users[newsroom.RoleModerator], r.ID, newsroom.ReportSpam, true); err != nil {
		t.Fatal(err)
	}
	e.clock.Add(time.Minute)
	_, err = e.svc.Submit(ctx, other)
	wantError(t, "report from a blocked address", err, newsroom.Forbidden, "", "")
}

func TestModerationPermissions(t *testing.T) {
	e := newEnv(t, nil)
	r := e.submit(second(e.story))
	tests := []struct {
		name string
		user *newsroom.User
		code newsroom.Code // "" = allowed
	}{
		{"signed out", nil, newsroom.Unauthorized},
		{"correspondent", e.users[newsroom.RoleCorrespondent], newsroom.Forbidden},
		{"moderator", e.users[newsroom.RoleModerator], ""},
		{"editor", e.users[newsroom.RoleEditor], ""},
		{"admin", e.users[newsroom.RoleAdmin], ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check := func(what string, err error) {
				t.Helper()
				if got := newsroom.ErrorCode(err); tt.code == "" && err != nil || tt.code != "" && got != tt.code {
					t.Errorf("%s: %v, want %q", what, err, tt.code)
				}
			}
			list, total, err := e.svc.List(ctx, tt.user, newsroom.ErrorReportFilter{})
			check("List", err)
			if tt.code == "" && (total != 1 || len(list) != 1 || list[0].ID != r.ID) {
				t.Errorf("List = %d of %d, want the one report", len(list), total)
			}
			_, err = e.svc.Get(ctx, tt.user, r.ID)
			check("Get", err)
			_, err = e.svc.SetStatus(ctx, tt.user, r.ID, newsroom.ReportOpen, false)
			check("SetStatus", err)
			if tt.code != "" {
				_, _, err = e.svc.Apply(ctx, tt.user, r.ID, reports.ApplyOptions{})
				check("Apply", err)
			}
		})
	}
	// Refused calls changed nothing.
	if got := e.get(r.ID); got.Status != newsroom.ReportOpen {
		t.Errorf("status after refused calls = %s", got.Status)
	}
	_, _, err := e.svc.List(ctx, e.users[newsroom.RoleEditor], newsroom.ErrorReportFilter{Status: "closed"})
	wantError(t, "List with an unknown status", err, newsroom.Invalid, "status", "")
	_, err = e.svc.SetStatus(ctx, e.users[newsroom.RoleEditor], r.ID, "closed", false)
	wantError(t, "SetStatus to an unknown status", err, newsroom.Invalid, "status", "")
	_, err = e.svc.SetStatus(ctx, e.users[newsroom.RoleEditor], 9999, newsroom.ReportRejected, false)
	wantError(t, "SetStatus of an unknown report", err, newsroom.NotFound, "", "")
}

func TestApply(t *testing.T) {
	e := newEnv(t, nil)
	r := e.submit(second(e.story))
	moderator, editor := e.users[newsroom.RoleModerator], e.users[newsroom.RoleEditor]

	_, _, err := e.svc.Apply(ctx, moderator, r.ID, reports.ApplyOptions{Correction: "We misspelled a word."})
	wantError(t, "a moderator's correction note", err, newsroom.Forbidden, "correction", "")
	_, _, err = e.svc.Apply(ctx, editor, r.ID, reports.ApplyOptions{SuggestionID: 9999})
	wantError(t, "an unknown suggestion", err, newsroom.Invalid, "suggestion_id", "")

	got, saved, err := e.svc.Apply(ctx, editor, r.ID, reports.ApplyOptions{Correction: "An earlier version misspelled a word."})
	if err != nil {
		t.Fatal(err)
	}
	want := "The ferry left teh harbour at nine.\n\nBy noon the ferry reached Kelby, the harbour master said."
	if saved.Body != want || saved.Revision != e.story.Revision+1 {
		t.Errorf("saved body %q revision %d, want %q revision %d", saved.Body, saved.Revision, want, e.story.Revision+1)
	}
	if got.Status != newsroom.ReportFixed || got.ResolvedBy != editor.ID {
		t.Errorf("report after apply: %s by %d, want fixed by %d", got.Status, got.ResolvedBy, editor.ID)
	}
	if len(saved.Corrections) != 1 || saved.Corrections[0].Text != "An earlier version misspelled a word." {
		t.Errorf("corrections = %+v", saved.Corrections)
	}
	_, _, err = e.svc.Apply(ctx, editor, r.ID, reports.ApplyOptions{})
	wantError(t, "applying a fixed report", err, newsroom.Conflict, "status", "")

	// A report with no suggestion needs the editor's text.
	sub := second(e.story)
	sub.Exact, sub.Prefix, sub.Suffix, sub.Suggestion = "teh", "ferry left ", " harbour", ""
	bare := e.submit(newsroom.ReportSubmission{ArticleID: sub.ArticleID, Quote: sub.Quote, IP: sub.IP})
	_, _, err = e.svc.Apply(ctx, editor, bare.ID, reports.ApplyOptions{})
	wantError(t, "no suggestion", err, newsroom.Unprocessable, "suggestion", "")
	// Applying writes the article with the user's rights: a moderator
	// resolves reports but may not write, and the refusal changes nothing.
	_, _, err = e.svc.Apply(ctx, moderator, bare.ID, reports.ApplyOptions{Text: "the"})
	wantError(t, "a moderator's apply", err, newsroom.Forbidden, "", "")
	if got := e.get(bare.ID); got.Status != newsroom.ReportOpen {
		t.Errorf("report after the refused apply: %s, want open", got.Status)
	}
	if _, saved, err = e.svc.Apply(ctx, editor, bare.ID, reports.ApplyOptions{Text: "the"}); err != nil {
		t.Fatalf("apply the editor's own text: %v", err)
	}
	if strings.Contains(saved.Body, "teh") {
		t.Errorf("body still has the typo: %q", saved.Body)
	}
}

func TestReportsFollowEdits(t *testing.T) {
	e := newEnv(t, nil)
	r := e.submit(second(e.story))
	editor := e.users[newsroom.RoleEditor]
	update := func(change func(a *newsroom.Article)) *newsroom.Article {
		t.Helper()
		cur, err := e.st.ArticleByID(ctx, e.story.ID)
		if err != nil {
			t.Fatal(err)
		}
		saved, err := e.ed.Update(ctx, editor, cur.ID, cur.Revision, func(a *newsroom.Article) error { change(a); return nil })
		if err != nil {
			t.Fatal(err)
		}
		return saved
	}
	// A paragraph added above moves the report with its text.
	saved := update(func(a *newsroom.Article) { a.Body = "A new first paragraph.\n\n" + a.Body })
	got := e.get(r.ID)
	if got.Status != newsroom.ReportOpen || got.Revision != saved.Revision {
		t.Errorf("after an edit elsewhere: %s at revision %d, want open at %d", got.Status, got.Revision, saved.Revision)
	}
	// Applying it still changes the right occurrence.
	sameSentence := got.Before + got.Exact + got.After
	if sameSentence != "By noon teh ferry reached Kelby, the harbour master said." {
		t.Errorf("sentence after the move = %q", sameSentence)
	}
	// Fixing the typo by hand resolves it.
	update(func(a *newsroom.Article) { a.Body = strings.Replace(a.Body, "noon teh", "noon the", 1) })
	if got := e.get(r.ID); got.Status != newsroom.ReportFixedByEdit {
		t.Errorf("after the typo was fixed by hand: %s, want fixed_by_edit", got.Status)
	}
	// Apply on a report whose text went away answers Conflict and closes it.
	r2 := e.submit(newsroom.ReportSubmission{ArticleID: e.story.ID, Quote: newsroom.Quote{Exact: "teh", Prefix: "ferry left ", Suffix: " harbour"}, IP: "192.0.2.30", Suggestion: "the"})
	cur, _ := e.st.ArticleByID(ctx, e.story.ID)
	// Changed without running the hooks (as another node's save would look).
	cur.Body = strings.Replace(cur.Body, "left teh", "left the", 1)
	if err := e.st.UpdateArticle(ctx, cur, cur.Revision); err != nil {
		t.Fatal(err)
	}
	_, _, err := e.svc.Apply(ctx, editor, r2.ID, reports.ApplyOptions{})
	wantError(t, "apply after the text went away", err, newsroom.Conflict, "", "")
	if got := e.get(r2.ID); got.Status != newsroom.ReportFixedByEdit {
		t.Errorf("report whose text went away: %s, want fixed_by_edit", got.Status)
	}
}

func TestReportAgainstTheRevisionOnScreen(t *testing.T) {
	e := newEnv(t, nil)
	old := *e.story
	// The editor changes the headline; a reader still has the old page.
	saved, err := e.ed.Update(ctx, e.users[newsroom.RoleEditor], e.story.ID, e.story.Revision, func(a *newsroom.Article) error {
		a.Headline = "Morning crossing keeps its hour"
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	r := e.submit(second(&old))
	if r.Revision != saved.Revision || r.ID == 0 {
		t.Errorf("report from the old page: revision %d id %d, want filed against %d", r.Revision, r.ID, saved.Revision)
	}
	// A quote the edit removed is answered fixed_by_edit and not filed.
	gone := newsroom.ReportSubmission{ArticleID: old.ID, Revision: old.Revision, Quote: newsroom.Quote{Exact: "back on time"}, IP: "192.0.2.40"}
	got := e.submit(gone)
	if got.Status != newsroom.ReportFixedByEdit || got.ID != 0 {
		t.Errorf("quote the edit removed: %s id %d, want fixed_by_edit and no id", got.Status, got.ID)
	}
	// Past the window no reader can have it on screen any more.
	e.clock.Add(reports.DefaultRecentRevisions + time.Minute)
	_, err = e.svc.Submit(ctx, second(&old))
	wantError(t, "report from a long-replaced revision", err, newsroom.Unprocessable, "revision", "")
}

func TestDigestAndReaderNotices(t *testing.T) {
	e := newEnv(t, nil)
	sub := second(e.story)
	sub.Email, sub.Comment = "reader@example.org", "Second paragraph."
	r := e.submit(sub)

	n, err := e.svc.SendDigest(ctx)
	if err != nil || n != 1 {
		t.Fatalf("SendDigest = %d, %v; want 1 item", n, err)
	}
	msgs := e.smtp.Wait(1, 10*time.Second)
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want the digest", len(msgs))
	}
	d := msgs[0]
	to := strings.Join(d.To, " ")
	for _, u := range e.users {
		if u.Role.CanModerate() != strings.Contains(to, u.Email) {
			t.Errorf("digest to %q: %s (%s) wrongly included or left out", to, u.Email, u.Role)
		}
	}
	for _, want := range []string{"Ferry back on time", "teh", "Second paragraph.", "https://courier.example/desk/error-reports"} {
		if !strings.Contains(d.Text, want) {
			t.Errorf("digest does not mention %q:\n%s", want, d.Text)
		}
	}
	if n, err := e.svc.SendDigest(ctx); err != nil || n != 0 {
		t.Errorf("second SendDigest = %d, %v; want nothing new", n, err)
	}

	// Nobody is told before the fix; after it, the reader once.
	if n, err := e.svc.SendNotices(ctx); err != nil || n != 0 {
		t.Errorf("SendNotices before the fix = %d, %v", n, err)
	}
	if _, _, err := e.svc.Apply(ctx, e.users[newsroom.RoleEditor], r.ID, reports.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	if n, err := e.svc.SendNotices(ctx); err != nil || n != 1 {
		t.Fatalf("SendNotices after the fix = %d, %v; want 1", n, err)
	}
	msgs = e.smtp.Wait(2, 10*time.Second)
	if len(msgs) != 2 || strings.Join(msgs[1].To, " ") != "reader@example.org" {
		t.Fatalf("notice: %+v", msgs)
	}
	if !strings.Contains(msgs[1].Text, "https://courier.example"+e.story.URL()) {
		t.Errorf("notice does not link the story:\n%s", msgs[1].Text)
	}
	if n, err := e.svc.SendNotices(ctx); err != nil || n != 0 {
		t.Errorf("SendNotices again = %d, %v; the address must be forgotten", n, err)
	}
	for _, sg := range e.get(r.ID).Suggestions {
		if sg.Email != "" {
			t.Errorf("suggestion %d keeps the address %q after the notice", sg.ID, sg.Email)
		}
	}
}
