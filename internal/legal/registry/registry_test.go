package registry_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"newsdesk/internal/editorial"
	"newsdesk/internal/legal"
	"newsdesk/internal/legal/registry"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/render"
	"newsdesk/internal/sqlstore"
	"newsdesk/internal/storetest"
)

var ctx = context.Background()

// keys records the change keys the store reports.
type keys struct {
	mu   sync.Mutex
	seen []string
}

func (k *keys) Changed(_ context.Context, c newsroom.Change) {
	k.mu.Lock()
	k.seen = append(k.seen, c.Keys...)
	k.mu.Unlock()
}

func (k *keys) has(key string) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return slices.Contains(k.seen, key)
}

func (k *keys) reset() {
	k.mu.Lock()
	k.seen = nil
	k.mu.Unlock()
}

// hooks records the editorial service's hooks as they run.
type hooks struct {
	mu       sync.Mutex
	saved    []int   // AfterSave: the revision saved
	updated  [][]int // OnUpdate: revisions before and after
	excluded []int   // OnUpdate: how many exclusions the saved article has
}

func (h *hooks) afterSave(_ context.Context, a *newsroom.Article) {
	h.mu.Lock()
	h.saved = append(h.saved, a.Revision)
	h.mu.Unlock()
}

func (h *hooks) onUpdate(_ context.Context, prev, next *newsroom.Article) {
	h.mu.Lock()
	h.updated = append(h.updated, []int{prev.Revision, next.Revision})
	h.excluded = append(h.excluded, len(next.LegalExclusions))
	h.mu.Unlock()
}

func (h *hooks) String() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return fmt.Sprintf("saved %v updated %v exclusions %v", h.saved, h.updated, h.excluded)
}

func (h *hooks) reset() {
	h.mu.Lock()
	h.saved, h.updated, h.excluded = nil, nil, nil
	h.mu.Unlock()
}

type env struct {
	store  *sqlstore.Store
	svc    *registry.Service
	ed     *editorial.Service
	keys   *keys
	hooks  *hooks
	editor *newsroom.User
	admin  *newsroom.User
	corr   *newsroom.User
	now    time.Time
}

// newEnv wires a real store (SQLite file or PostgreSQL database), the
// renderer with the engine's hook, the editorial service and the registry,
// as cmd/newsdesk does.
func newEnv(t *testing.T, dsn string) *env {
	t.Helper()
	e := &env{keys: &keys{}, hooks: &hooks{}, now: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	clock := func() time.Time { return e.now }
	st, err := sqlstore.Open(ctx, dsn, sqlstore.Options{Now: clock, Notifier: e.keys})
	if err != nil {
		t.Fatal(err)
	}
	e.store = st
	engine := legal.NewEngine(clock, time.UTC)
	r := render.New(engine.Hook)
	e.ed = editorial.New(editorial.Config{Store: st, Render: r, Now: clock, AfterSave: e.hooks.afterSave,
		OnUpdate: []func(ctx context.Context, prev, next *newsroom.Article){e.hooks.onUpdate}})
	e.svc = registry.New(registry.Config{Store: st, Engine: engine, Render: r.Article, Editorial: e.ed, Now: clock, Language: "en"})
	t.Cleanup(func() { e.svc.Close(); st.Close() })
	go e.svc.Run(ctx) // the re-render jobs, as on the node holding their lease
	if err := e.svc.Load(ctx); err != nil {
		t.Fatal(err)
	}
	for _, role := range []newsroom.Role{newsroom.RoleEditor, newsroom.RoleAdmin, newsroom.RoleCorrespondent} {
		u := &newsroom.User{Email: string(role) + "@example.com", Name: string(role), Role: role, PasswordHash: "x"}
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		switch role {
		case newsroom.RoleEditor:
			e.editor = u
		case newsroom.RoleAdmin:
			e.admin = u
		default:
			e.corr = u
		}
	}
	if err := st.CreateCategory(ctx, &newsroom.Category{Slug: "region", Name: "Region"}); err != nil {
		t.Fatal(err)
	}
	return e
}

func dialects(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, newEnv(t, storetest.SQLitePath(t))) })
	t.Run("postgres", func(t *testing.T) { fn(t, newEnv(t, storetest.PostgresDSN(t))) })
}

func (e *env) publish(t *testing.T, headline, body string, at time.Time) *newsroom.Article {
	t.Helper()
	a := &newsroom.Article{
		Headline: headline, Body: body, Status: newsroom.Published, PublishedAt: at,
		Categories: []newsroom.Category{{Slug: "region"}}, Language: "en",
	}
	if err := e.ed.Create(ctx, e.editor, a); err != nil {
		t.Fatal(err)
	}
	return a
}

func (e *env) get(t *testing.T, id int64) *newsroom.Article {
	t.Helper()
	a, err := e.store.ArticleByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func tidewatch(from string, until string) *newsroom.LegalEntity {
	l := newsroom.LegalListing{List: "Foreign agents"}
	l.From, _ = time.Parse("2006-01-02", from)
	if until != "" {
		l.Until, _ = time.Parse("2006-01-02", until)
	}
	return &newsroom.LegalEntity{
		Name: "Tidewatch", Marker: "**",
		Forms:    map[string][]string{"en": {"Tidewatch"}, "ru": {"Тайдвотч"}},
		Notes:    map[string]string{"en": "registered as a foreign agent", "ru": "внесён в реестр иностранных агентов"},
		Listings: []newsroom.LegalListing{l},
	}
}

func TestRerenderAfterRegistryChange(t *testing.T) {
	dialects(t, func(t *testing.T, e *env) {
		old := e.publish(t, "Tidewatch editor fined", "The court fined Tidewatch on Monday.", time.Date(2021, 10, 7, 9, 0, 0, 0, time.UTC))
		recent := e.publish(t, "Tidewatch closes", "Tidewatch closed its office.", time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC))
		other := e.publish(t, "Ferry returns", "The ferry is back.", time.Date(2026, 2, 2, 9, 0, 0, 0, time.UTC))
		if strings.Contains(e.get(t, old.ID).BodyHTML, "**") {
			t.Fatal("marked before the entity was registered")
		}

		// Listed from 2020 until 2025: the 2021 story gets the marks, the
		// 2026 one does not.
		e.keys.reset()
		ent := tidewatch("2020-01-01", "2025-04-17")
		if err := e.svc.Create(ctx, e.editor, ent); err != nil {
			t.Fatal(err)
		}
		e.svc.Wait()
		got := e.get(t, old.ID)
		if got.HeadlineHTML != "Tidewatch<span class=\"legal-mark\">\u00a0**</span> editor fined" ||
			got.BodyHTML != "<p>The court fined Tidewatch<span class=\"legal-mark\">\u00a0**</span><span class=\"legal-note\"> (registered as a foreign agent)</span> on Monday.</p>\n" {
			t.Errorf("2021 story after registering: %q / %q", got.HeadlineHTML, got.BodyHTML)
		}
		if got.Revision != old.Revision || !got.UpdatedAt.Equal(old.UpdatedAt) || len(got.LegalMarks) != 2 {
			t.Errorf("re-render moved revision %d->%d or updated_at, marks %v", old.Revision, got.Revision, got.LegalMarks)
		}
		if !e.keys.has(fmt.Sprintf("article:%d", old.ID)) || e.keys.has(fmt.Sprintf("article:%d", other.ID)) {
			t.Errorf("change keys = %v; want the re-rendered article's and not the unrelated one's", e.keys.seen)
		}
		if g := e.get(t, recent.ID); strings.Contains(g.BodyHTML+g.HeadlineHTML, "**") || len(g.LegalMarks) != 0 {
			t.Errorf("2026 story marked although the listing ended in 2025: %q", g.BodyHTML)
		}
		p := e.svc.Progress()
		if p.Running || p.Total != 3 || p.Scanned != 3 || p.Affected != 2 || p.Updated != 1 || p.Err != "" {
			t.Errorf("progress = %+v; want 3 scanned, 2 naming Tidewatch, 1 updated", p)
		}

		// The listing is extended: the 2026 story is marked too.
		ent.Listings[0].Until = time.Time{}
		if err := e.svc.Update(ctx, e.editor, ent); err != nil {
			t.Fatal(err)
		}
		e.svc.Wait()
		if g := e.get(t, recent.ID); !strings.Contains(g.HeadlineHTML, "Tidewatch<span class=\"legal-mark\">\u00a0**</span>") {
			t.Errorf("2026 story not marked after the listing was extended: %q", g.HeadlineHTML)
		}

		// The policy changes to every mention with footnotes.
		if err := e.svc.SetPolicy(ctx, e.editor, newsroom.LegalPolicy{Marking: newsroom.MarkEvery}); newsroom.ErrorCode(err) != newsroom.Forbidden {
			t.Errorf("an editor set the policy: %v", err)
		}
		if err := e.svc.SetPolicy(ctx, e.admin, newsroom.LegalPolicy{Marking: newsroom.MarkEvery, Notes: newsroom.NoteFootnote}); err != nil {
			t.Fatal(err)
		}
		e.svc.Wait()
		if g := e.get(t, old.ID); !strings.HasSuffix(g.BodyHTML, "<p class=\"legal-note\">** Tidewatch — registered as a foreign agent</p>") {
			t.Errorf("footnote policy not applied: %q", g.BodyHTML)
		}

		// Removing the entity removes its marks.
		if err := e.svc.Delete(ctx, e.editor, ent.ID); err != nil {
			t.Fatal(err)
		}
		e.svc.Wait()
		for _, id := range []int64{old.ID, recent.ID} {
			if g := e.get(t, id); strings.Contains(g.BodyHTML+g.HeadlineHTML, "**") || len(g.LegalMarks) != 0 {
				t.Errorf("article %d still marked after removal: %q", id, g.BodyHTML)
			}
		}
	})
}

// TestSwitchesRunTheEditorialHooks: a per-article switch is a save
// through the one editorial service, so it runs the hooks every other save
// runs (main's: the scheduler's poke and the error reports' follow-up).
func TestSwitchesRunTheEditorialHooks(t *testing.T) {
	dialects(t, func(t *testing.T, e *env) {
		ent := tidewatch("2020-01-01", "")
		if err := e.svc.Create(ctx, e.editor, ent); err != nil {
			t.Fatal(err)
		}
		a := e.publish(t, "The Tidewatch sails", "The research ship Tidewatch left port.", e.now.Add(-time.Hour))
		e.hooks.reset()
		off, err := e.svc.SwitchOff(ctx, e.editor, a.ID, a.Revision, ent.ID, "the research ship, not the outlet")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.SwitchOn(ctx, e.editor, a.ID, off.Revision, ent.ID); err != nil {
			t.Fatal(err)
		}
		r := a.Revision
		if got, want := e.hooks.String(), fmt.Sprintf("saved [%d %d] updated [[%d %d] [%d %d]] exclusions [1 0]", r+1, r+2, r, r+1, r+1, r+2); got != want {
			t.Errorf("hooks after switching off and on: %s; want %s", got, want)
		}
		// A refused switch saves nothing and runs no hook.
		e.hooks.reset()
		if _, err := e.svc.SwitchOff(ctx, e.corr, a.ID, r+2, ent.ID, "a ship"); newsroom.ErrorCode(err) != newsroom.Forbidden {
			t.Fatalf("a correspondent's switch: %v; want Forbidden", err)
		}
		if got := e.hooks.String(); got != "saved [] updated [] exclusions []" {
			t.Errorf("hooks after a refused switch: %s", got)
		}
	})
}

func TestSwitchOffForOneArticle(t *testing.T) {
	dialects(t, func(t *testing.T, e *env) {
		ent := tidewatch("2020-01-01", "")
		if err := e.svc.Create(ctx, e.editor, ent); err != nil {
			t.Fatal(err)
		}
		a := e.publish(t, "The Tidewatch sails", "The research ship Tidewatch left port.", e.now.Add(-time.Hour))
		if len(a.LegalMarks) != 2 {
			t.Fatalf("marks on save = %v", a.LegalMarks)
		}
		_, err := e.svc.SwitchOff(ctx, e.corr, a.ID, a.Revision, ent.ID, "a ship")
		if newsroom.ErrorCode(err) != newsroom.Forbidden {
			t.Errorf("a correspondent switched a mark off: %v", err)
		}
		_, err = e.svc.SwitchOff(ctx, e.editor, a.ID, a.Revision, ent.ID, "  ")
		if ve := newsroom.AsError(err); ve == nil || ve.Field != "reason" {
			t.Errorf("no reason: %v; want an error on reason", err)
		}
		off, err := e.svc.SwitchOff(ctx, e.editor, a.ID, a.Revision, ent.ID, "the research ship, not the outlet")
		if err != nil {
			t.Fatal(err)
		}
		got := e.get(t, a.ID)
		if strings.Contains(got.BodyHTML+got.HeadlineHTML, "**") || len(got.LegalMarks) != 0 || got.Revision != a.Revision+1 {
			t.Errorf("after switching off: rev %d marks %v body %q", got.Revision, got.LegalMarks, got.BodyHTML)
		}
		if len(got.LegalExclusions) != 1 || got.LegalExclusions[0].By != e.editor.ID || got.LegalExclusions[0].Reason != "the research ship, not the outlet" {
			t.Errorf("exclusions = %+v", got.LegalExclusions)
		}
		f := e.svc.Inspect(got)
		if len(f) != 2 || f[0].State != legal.FoundExcluded || f[0].Where != "headline" || f[1].Where != "body" {
			t.Errorf("findings = %+v; want the entity found in headline and body, switched off", f)
		}
		revs, err := e.store.Revisions(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if revs[0].Note != "Legal marker switched off for Tidewatch: the research ship, not the outlet" {
			t.Errorf("revision note = %q", revs[0].Note)
		}

		// A registry change re-renders the article and keeps the switch.
		ent.Notes["en"] = "listed as a foreign agent"
		if err := e.svc.Update(ctx, e.editor, ent); err != nil {
			t.Fatal(err)
		}
		e.svc.Wait()
		if g := e.get(t, a.ID); strings.Contains(g.BodyHTML, "**") {
			t.Errorf("the switch did not survive a registry change: %q", g.BodyHTML)
		}

		on, err := e.svc.SwitchOn(ctx, e.editor, a.ID, off.Revision, ent.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(on.BodyHTML, "Tidewatch<span class=\"legal-mark\">\u00a0**</span><span class=\"legal-note\"> (listed as a foreign agent)</span>") || len(on.LegalExclusions) != 0 {
			t.Errorf("after switching back on: %q %+v", on.BodyHTML, on.LegalExclusions)
		}
		revs, _ = e.store.Revisions(ctx, a.ID)
		if revs[0].Note != "Legal marker switched back on for Tidewatch" {
			t.Errorf("revision note = %q", revs[0].Note)
		}
	})
}

func TestImportAndPermissions(t *testing.T) {
	dialects(t, func(t *testing.T, e *env) {
		a := e.publish(t, "Salt League dissolved", "The Salt League was dissolved.", e.now.Add(-time.Hour))
		if _, err := e.svc.Entities(ctx, e.corr); newsroom.ErrorCode(err) != newsroom.Forbidden {
			t.Errorf("a correspondent read the registry: %v", err)
		}
		if _, err := e.svc.Entities(ctx, nil); newsroom.ErrorCode(err) != newsroom.Unauthorized {
			t.Errorf("anonymous read the registry: %v", err)
		}
		bad := "name,list,listed_from,forms_en,note_en\n" +
			"Salt League,Liquidated,2018-01-01,Salt League,liquidated by a court\n" +
			"Broken,Liquidated,someday,Broken,x\n"
		_, err := e.svc.ImportCSV(ctx, e.editor, strings.NewReader(bad))
		if ve := newsroom.AsError(err); ve == nil || ve.Field != "line:3" {
			t.Fatalf("malformed import: %v; want an error on line 3", err)
		}
		if list, _ := e.svc.Entities(ctx, e.editor); len(list) != 0 {
			t.Errorf("a failed import stored %d entities", len(list))
		}
		good := strings.Replace(bad, "Broken,Liquidated,someday,Broken,x\n", "", 1)
		res, err := e.svc.ImportCSV(ctx, e.editor, strings.NewReader(good))
		if err != nil || res.Created != 1 {
			t.Fatalf("import = %+v, %v", res, err)
		}
		e.svc.Wait()
		if g := e.get(t, a.ID); !strings.Contains(g.BodyHTML, "Salt League<span class=\"legal-mark\">\u00a0*</span><span class=\"legal-note\"> (liquidated by a court)</span>") {
			t.Errorf("imported entity not marked: %q", g.BodyHTML)
		}
		var out strings.Builder
		if err := e.svc.ExportCSV(ctx, e.editor, &out); err != nil || !strings.Contains(out.String(), "Salt League,Liquidated,2018-01-01,,*,Salt League,") {
			t.Errorf("export = %q, %v", out.String(), err)
		}
	})
}

func TestRefreshSeesOtherNodes(t *testing.T) {
	dialects(t, func(t *testing.T, e *env) {
		// A second node: its own engine and service on the same database.
		engine := legal.NewEngine(func() time.Time { return e.now }, nil)
		other := registry.New(registry.Config{Store: e.store, Engine: engine, Render: render.New(engine.Hook).Article, Editorial: e.ed})
		t.Cleanup(other.Close)
		if err := other.Load(ctx); err != nil {
			t.Fatal(err)
		}
		if changed, err := other.Refresh(ctx); err != nil || changed {
			t.Fatalf("Refresh with no change = %v, %v", changed, err)
		}
		if err := e.svc.Create(ctx, e.editor, tidewatch("2020-01-01", "")); err != nil {
			t.Fatal(err)
		}
		e.svc.Wait()
		if changed, err := other.Refresh(ctx); err != nil || !changed || engine.Index().Len() != 1 {
			t.Errorf("Refresh after another node's change = %v, %v, %d entities", changed, err, engine.Index().Len())
		}
	})
}
