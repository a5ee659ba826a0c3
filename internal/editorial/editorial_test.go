package editorial_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"newsdesk/internal/clocktest"
	"newsdesk/internal/editorial"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/render"
	"newsdesk/internal/sqlstore"
	"newsdesk/internal/storetest"
)

var ctx = context.Background()

// env is the service over a real SQLite file, with hooks that record what
// they hear.
type env struct {
	t      *testing.T
	st     *sqlstore.Store
	ed     *editorial.Service
	clock  *clocktest.Clock
	users  map[newsroom.Role]*newsroom.User
	author *newsroom.Author
	mu     sync.Mutex
	heard  []string // "save ID rREV" and "update ID rPREV->rNEXT", in order
}

func newEnv(t *testing.T) *env {
	t.Helper()
	clock := clocktest.New(time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC))
	st, err := sqlstore.Open(ctx, storetest.SQLitePath(t), sqlstore.Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e := &env{t: t, st: st, clock: clock, users: map[newsroom.Role]*newsroom.User{}}
	e.ed = editorial.New(editorial.Config{Store: st, Render: render.New(), Now: clock.Now,
		AfterSave: func(_ context.Context, a *newsroom.Article) { e.hear("save %d r%d", a.ID, a.Revision) },
		OnUpdate: []func(ctx context.Context, prev, next *newsroom.Article){func(_ context.Context, prev, next *newsroom.Article) {
			e.hear("update %d r%d->r%d", next.ID, prev.Revision, next.Revision)
		}},
	})
	for _, role := range []newsroom.Role{newsroom.RoleAdmin, newsroom.RoleEditor, newsroom.RoleCorrespondent, newsroom.RoleModerator} {
		u := &newsroom.User{Email: string(role) + "@courier.example", Name: "Test " + string(role), Role: role, PasswordHash: "x"}
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		e.users[role] = u
	}
	if err := st.CreateCategory(ctx, &newsroom.Category{Slug: "harbour", Name: "Harbour"}); err != nil {
		t.Fatal(err)
	}
	e.author = &newsroom.Author{Slug: "ines-carrow", Name: "Ines Carrow", Label: newsroom.LabelOwnCorr}
	if err := st.CreateAuthor(ctx, e.author); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) hear(format string, args ...any) {
	e.mu.Lock()
	e.heard = append(e.heard, fmt.Sprintf(format, args...))
	e.mu.Unlock()
}

// took returns what the hooks heard since the last call.
func (e *env) took() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	s := strings.Join(e.heard, "; ")
	e.heard = nil
	return s
}

func (e *env) mayPublish(on bool) {
	e.t.Helper()
	v := ""
	if on {
		v = "true"
	}
	if err := e.st.SetSetting(ctx, editorial.SettingCorrespondentsMayPublish, v); err != nil {
		e.t.Fatal(err)
	}
}

// tagExists reports whether a tag with slug is stored.
func (e *env) tagExists(slug string) bool {
	e.t.Helper()
	_, err := e.st.TagBySlug(ctx, slug)
	if err != nil && !newsroom.IsNotFound(err) {
		e.t.Fatal(err)
	}
	return err == nil
}

// wantErr checks err's code and field ("" code: no error).
func wantErr(t *testing.T, what string, err error, code newsroom.Code, field string) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Errorf("%s: %v; want no error", what, err)
		}
		return
	}
	e := newsroom.AsError(err)
	if e == nil || e.Code != code || e.Field != field {
		t.Errorf("%s: %v; want %s on %q", what, err, code, field)
	}
}

func TestCreate(t *testing.T) {
	e := newEnv(t)
	past := e.clock.At(-24 * time.Hour)
	for _, c := range []struct {
		name       string
		role       newsroom.Role // "" is nobody signed in
		mayPublish bool
		a          newsroom.Article
		code       newsroom.Code
		field      string
	}{
		{name: "nobody", a: newsroom.Article{Headline: "Pier repairs"}, code: newsroom.Unauthorized},
		{name: "moderator", role: newsroom.RoleModerator, a: newsroom.Article{Headline: "Pier repairs"}, code: newsroom.Forbidden},
		{name: "correspondent's draft", role: newsroom.RoleCorrespondent, a: newsroom.Article{Headline: "Pier repairs"}},
		{name: "correspondent for review", role: newsroom.RoleCorrespondent, a: newsroom.Article{Headline: "Pier repairs", Body: "Repairs start on Monday.", Status: newsroom.Review}},
		{name: "correspondent publishing", role: newsroom.RoleCorrespondent, a: newsroom.Article{Headline: "Pier repairs", Body: "Repairs start on Monday.", Status: newsroom.Published},
			code: newsroom.Forbidden, field: "status"},
		{name: "correspondent publishing, allowed", role: newsroom.RoleCorrespondent, mayPublish: true,
			a: newsroom.Article{Headline: "Pier repairs", Body: "Repairs start on Monday.", Status: newsroom.Published}},
		{name: "correspondent backdating", role: newsroom.RoleCorrespondent, mayPublish: true,
			a: newsroom.Article{Headline: "Pier repairs", Body: "Repairs start on Monday.", Status: newsroom.Published, PublishedAt: past}, code: newsroom.Invalid, field: "published_at"},
		{name: "correspondent scheduling", role: newsroom.RoleCorrespondent,
			a: newsroom.Article{Headline: "Pier repairs", Body: "Repairs start on Monday.", Status: newsroom.Scheduled, ScheduledAt: e.clock.At(time.Hour)}, code: newsroom.Invalid, field: "scheduled_at"},
		{name: "editor publishing", role: newsroom.RoleEditor, a: newsroom.Article{Headline: "Pier repairs", Body: "Repairs start on Monday.", Status: newsroom.Published}},
		{name: "editor backdating", role: newsroom.RoleEditor, a: newsroom.Article{Headline: "Pier repairs", Body: "Repairs start on Monday.", Status: newsroom.Published, PublishedAt: past}},
		{name: "editor scheduling", role: newsroom.RoleEditor, a: newsroom.Article{Headline: "Pier repairs", Body: "Repairs start on Monday.", Status: newsroom.Scheduled, ScheduledAt: e.clock.At(time.Hour)}},
		{name: "editor scheduling in the past", role: newsroom.RoleEditor,
			a: newsroom.Article{Headline: "Pier repairs", Body: "Repairs start on Monday.", Status: newsroom.Scheduled, ScheduledAt: past}, code: newsroom.Invalid, field: "scheduled_at"},
		{name: "no headline", role: newsroom.RoleEditor, a: newsroom.Article{Status: newsroom.Published}, code: newsroom.Invalid, field: "headline"},
		{name: "admin", role: newsroom.RoleAdmin, a: newsroom.Article{Headline: "Pier repairs", Body: "Repairs start on Monday.", Status: newsroom.Published}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e.mayPublish(c.mayPublish)
			a := c.a
			a.Slug = newsroom.Slugify(c.name) // one story per row
			err := e.ed.Create(ctx, e.users[c.role], &a)
			wantErr(t, "Create", err, c.code, c.field)
			heard := e.took()
			if err != nil {
				if a.ID != 0 || heard != "" {
					t.Errorf("a refused create: id %d, hooks heard %q; want nothing saved or heard", a.ID, heard)
				}
				return
			}
			got, err := e.st.ArticleByID(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			u := e.users[c.role]
			if got.CreatedBy != u.ID || got.Status != a.Status || got.Revision != 1 || got.BodyHTML != a.BodyHTML {
				t.Errorf("stored: created by %d status %s revision %d; want %d %s 1", got.CreatedBy, got.Status, got.Revision, u.ID, a.Status)
			}
			if want := fmt.Sprintf("save %d r1", a.ID); heard != want {
				t.Errorf("hooks heard %q; want %q (AfterSave only: OnUpdate follows updates)", heard, want)
			}
			if got.Status == newsroom.Published && c.a.PublishedAt.IsZero() && !got.PublishedAt.Equal(e.clock.Now()) {
				t.Errorf("published at %v; want now, %v", got.PublishedAt, e.clock.Now())
			}
		})
	}
}

// TestNamesResolvedAfterTheChecks: authors by id, sections by slug and tags
// by name are looked up only once the role check has passed, and new tags
// are made only once every check has.
func TestNamesResolvedAfterTheChecks(t *testing.T) {
	e := newEnv(t)
	named := func(tag string) newsroom.Article {
		return newsroom.Article{Headline: "Dredger arrives", Body: "The dredger arrived.", Status: newsroom.Published,
			Authors:    []newsroom.Byline{{AuthorID: e.author.ID}},
			Categories: []newsroom.Category{{Slug: "harbour"}},
			Tags:       []newsroom.Tag{{Name: tag}}}
	}
	for _, c := range []struct {
		name  string
		role  newsroom.Role
		a     newsroom.Article
		tag   string // the slug the tag would get
		code  newsroom.Code
		field string
	}{
		{"moderator", newsroom.RoleModerator, named("Moderator Tag"), "moderator-tag", newsroom.Forbidden, ""},
		{"correspondent publishing", newsroom.RoleCorrespondent, named("Correspondent Tag"), "correspondent-tag", newsroom.Forbidden, "status"},
		{"no headline", newsroom.RoleEditor, func() newsroom.Article { a := named("Headless Tag"); a.Headline = ""; return a }(), "headless-tag", newsroom.Invalid, "headline"},
		{"unknown author", newsroom.RoleEditor, func() newsroom.Article {
			a := named("Ghost Tag")
			a.Authors = []newsroom.Byline{{AuthorID: 9999}}
			return a
		}(), "ghost-tag", newsroom.Invalid, "authors"},
		{"unknown section", newsroom.RoleEditor, func() newsroom.Article {
			a := named("Nowhere Tag")
			a.Categories = []newsroom.Category{{Slug: "nowhere"}}
			return a
		}(), "nowhere-tag", newsroom.Invalid, "categories"},
		{"bad tag name", newsroom.RoleEditor, named(strings.Repeat("x", newsroom.MaxTaxonomyName+1)), "", newsroom.Invalid, "name"},
		{"editor", newsroom.RoleEditor, named("Dredging"), "dredging", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := c.a
			err := e.ed.Create(ctx, e.users[c.role], &a)
			wantErr(t, "Create", err, c.code, c.field)
			if c.tag != "" && e.tagExists(c.tag) != (err == nil) {
				t.Errorf("tag %s stored: %v after Create: %v", c.tag, e.tagExists(c.tag), err)
			}
			if err != nil {
				return
			}
			got, err := e.st.ArticleByID(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Authors) != 1 || got.Authors[0].Name != "Ines Carrow" || got.Authors[0].Label != newsroom.LabelOwnCorr ||
				len(got.Categories) != 1 || got.Categories[0].Name != "Harbour" || len(got.Tags) != 1 || got.Tags[0].Name != "Dredging" {
				t.Errorf("stored names: authors %+v sections %+v tags %+v", got.Authors, got.Categories, got.Tags)
			}
		})
	}
	// An existing tag is reused, not doubled.
	a := named("dredging")
	a.Slug = "dredger-arrives-again"
	if err := e.ed.Create(ctx, e.users[newsroom.RoleEditor], &a); err != nil {
		t.Fatal(err)
	}
	tags, err := e.st.Tags(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(tags) != 1 || a.Tags[0].ID != tags[0].ID {
		t.Errorf("tags after reusing one: %+v (saved %+v)", tags, a.Tags)
	}
}

func TestUpdate(t *testing.T) {
	e := newEnv(t)
	editor, corr := e.users[newsroom.RoleEditor], e.users[newsroom.RoleCorrespondent]
	own := &newsroom.Article{Headline: "Quay lights"}
	if err := e.ed.Create(ctx, corr, own); err != nil {
		t.Fatal(err)
	}
	public := &newsroom.Article{Headline: "Quay lights switched on", Body: "The lights are on.", Status: newsroom.Published}
	if err := e.ed.Create(ctx, editor, public); err != nil {
		t.Fatal(err)
	}
	e.took()
	headline := func(h string) func(*newsroom.Article) error {
		return func(a *newsroom.Article) error { a.Headline = h; return nil }
	}
	for _, c := range []struct {
		name   string
		role   newsroom.Role
		id     *int64
		rev    int // 0: the stored revision
		change func(*newsroom.Article) error
		code   newsroom.Code
		field  string
	}{
		{"stale revision", newsroom.RoleEditor, &public.ID, 99, headline("Quay lights, later"), newsroom.Conflict, "revision"},
		{"moderator", newsroom.RoleModerator, &public.ID, 0, headline("Quay lights, moderated"), newsroom.Forbidden, ""},
		{"correspondent on a published story", newsroom.RoleCorrespondent, &public.ID, 0, headline("Quay lights, mine"), newsroom.Forbidden, ""},
		{"change refuses", newsroom.RoleEditor, &public.ID, 0, func(*newsroom.Article) error {
			return newsroom.Errorf(newsroom.Invalid, "body", "no")
		}, newsroom.Invalid, "body"},
		{"new tag refused", newsroom.RoleModerator, &public.ID, 0, func(a *newsroom.Article) error {
			a.Tags = append(a.Tags, newsroom.Tag{Name: "Refused Update Tag"})
			return nil
		}, newsroom.Forbidden, ""},
		{"correspondent's own draft", newsroom.RoleCorrespondent, &own.ID, 0, headline("Quay lights at dusk"), "", ""},
		{"editor", newsroom.RoleEditor, &public.ID, 0, headline("Quay lights switched on at dusk"), "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			before, err := e.st.ArticleByID(ctx, *c.id)
			if err != nil {
				t.Fatal(err)
			}
			rev := c.rev
			if rev == 0 {
				rev = before.Revision
			}
			next, err := e.ed.Update(ctx, e.users[c.role], *c.id, rev, c.change)
			wantErr(t, "Update", err, c.code, c.field)
			after, gerr := e.st.ArticleByID(ctx, *c.id)
			if gerr != nil {
				t.Fatal(gerr)
			}
			heard := e.took()
			if err != nil {
				if after.Revision != before.Revision || after.Headline != before.Headline || heard != "" {
					t.Errorf("refused update: revision %d->%d, headline %q, hooks heard %q; want nothing changed or heard",
						before.Revision, after.Revision, after.Headline, heard)
				}
				return
			}
			if after.Revision != before.Revision+1 || after.Headline != next.Headline {
				t.Errorf("stored revision %d headline %q; want %d %q", after.Revision, after.Headline, before.Revision+1, next.Headline)
			}
			want := fmt.Sprintf("update %d r%d->r%d; save %d r%d", *c.id, before.Revision, after.Revision, *c.id, after.Revision)
			if heard != want {
				t.Errorf("hooks heard %q; want %q", heard, want)
			}
		})
	}
	if e.tagExists("refused-update-tag") {
		t.Error("a refused update created its new tag")
	}
}

func TestAddCorrection(t *testing.T) {
	e := newEnv(t)
	draft := &newsroom.Article{Headline: "Tide tables"}
	public := &newsroom.Article{Headline: "Tide tables for May", Body: "High water at six.", Status: newsroom.Published}
	for _, a := range []*newsroom.Article{draft, public} {
		if err := e.ed.Create(ctx, e.users[newsroom.RoleEditor], a); err != nil {
			t.Fatal(err)
		}
	}
	e.clock.Add(time.Hour)
	for _, c := range []struct {
		name  string
		role  newsroom.Role
		c     newsroom.Correction
		code  newsroom.Code
		field string
	}{
		{"nobody", "", newsroom.Correction{ArticleID: public.ID, Kind: newsroom.KindCorrection, Text: "High water was at 06:10."}, newsroom.Unauthorized, ""},
		{"correspondent", newsroom.RoleCorrespondent, newsroom.Correction{ArticleID: public.ID, Kind: newsroom.KindCorrection, Text: "High water was at 06:10."}, newsroom.Forbidden, ""},
		{"no text", newsroom.RoleEditor, newsroom.Correction{ArticleID: public.ID, Kind: newsroom.KindCorrection}, newsroom.Invalid, "text"},
		{"unknown kind", newsroom.RoleEditor, newsroom.Correction{ArticleID: public.ID, Kind: "erratum", Text: "x"}, newsroom.Invalid, "kind"},
		{"unknown article", newsroom.RoleEditor, newsroom.Correction{ArticleID: 9999, Kind: newsroom.KindCorrection, Text: "x"}, newsroom.NotFound, ""},
		{"editor", newsroom.RoleEditor, newsroom.Correction{ArticleID: public.ID, Kind: newsroom.KindCorrection, Text: "High water was at 06:10."}, "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			corr := c.c
			err := e.ed.AddCorrection(ctx, e.users[c.role], &corr)
			if c.code == newsroom.NotFound {
				if !newsroom.IsNotFound(err) {
					t.Errorf("AddCorrection: %v; want not found", err)
				}
				return
			}
			wantErr(t, "AddCorrection", err, c.code, c.field)
			if err != nil {
				return
			}
			got, err := e.st.ArticleByID(ctx, public.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Corrections) != 1 || !got.Corrections[0].At.Equal(e.clock.Now()) || !got.EditedAt.Equal(e.clock.Now()) {
				t.Errorf("corrections %+v edited %v; want one dated now (%v), and updated now", got.Corrections, got.EditedAt, e.clock.Now())
			}
		})
	}
	err := e.ed.AddCorrection(ctx, e.users[newsroom.RoleEditor], &newsroom.Correction{ArticleID: draft.ID, Kind: newsroom.KindUpdate, Text: "Not yet."})
	if newsroom.AsError(err) == nil {
		t.Errorf("a correction to a draft: %v; want refused", err)
	}
}

func TestPreview(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		role newsroom.Role
		code newsroom.Code
	}{{"", newsroom.Unauthorized}, {newsroom.RoleModerator, newsroom.Forbidden}, {newsroom.RoleCorrespondent, ""}, {newsroom.RoleEditor, ""}} {
		a := &newsroom.Article{Headline: "Buoy \"seven\" moved", Body: "It moved *north*."}
		err := e.ed.Preview(ctx, e.users[c.role], a)
		wantErr(t, "Preview as "+string(c.role), err, c.code, "")
		if err == nil && (!strings.Contains(a.BodyHTML, "<em>north</em>") || !a.PublishedAt.Equal(e.clock.Now())) {
			t.Errorf("preview as %s: body %q published %v", c.role, a.BodyHTML, a.PublishedAt)
		}
	}
	list, _, err := e.st.FindArticles(ctx, newsroom.ArticleFilter{})
	if err != nil || len(list) != 0 {
		t.Errorf("after previews: %d articles stored, %v; want none", len(list), err)
	}
}
