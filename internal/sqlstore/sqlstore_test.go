package sqlstore_test

import (
	"context"
	"io/fs"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/sqlstore"
	"newsdesk/internal/storetest"
)

func openSQLite(t *testing.T, opts sqlstore.Options) *sqlstore.Store {
	t.Helper()
	return open(t, storetest.SQLitePath(t), opts)
}

func openPostgres(t *testing.T, opts sqlstore.Options) *sqlstore.Store {
	t.Helper()
	return open(t, storetest.PostgresDSN(t), opts)
}

func open(t *testing.T, dsn string, opts sqlstore.Options) *sqlstore.Store {
	t.Helper()
	st, err := sqlstore.Open(context.Background(), dsn, opts)
	if err != nil {
		t.Fatalf("Open(%q): %v", dsn, err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return st
}

func TestSQLite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Store { return openSQLite(t, sqlstore.Options{}) })
}

func TestPostgres(t *testing.T) {
	if os.Getenv(storetest.PostgresEnv) == "" {
		t.Skip(storetest.PostgresEnv + " not set; skipping PostgreSQL conformance run")
	}
	storetest.Run(t, func(t *testing.T) storetest.Store { return openPostgres(t, sqlstore.Options{}) })
}

// dialects runs fn once per database, each with a fresh store.
func dialects(t *testing.T, fn func(t *testing.T, open func(t *testing.T, opts sqlstore.Options) *sqlstore.Store)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, openSQLite) })
	t.Run("postgres", func(t *testing.T) { fn(t, openPostgres) })
}

func TestMigrationListsMatch(t *testing.T) {
	names := func(dir string) []string {
		var out []string
		entries, err := fs.ReadDir(sqlstore.Migrations(), dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			out = append(out, e.Name())
		}
		return out
	}
	lite, pg := names("migrations/sqlite"), names("migrations/postgres")
	if len(lite) == 0 {
		t.Fatal("no migrations embedded")
	}
	if diff := cmp.Diff(lite, pg); diff != "" {
		t.Errorf("sqlite and postgres migrations differ (-sqlite +postgres):\n%s", diff)
	}
}

func TestOpenTwiceMigratesOnce(t *testing.T) {
	dialects(t, func(t *testing.T, openFn func(t *testing.T, opts sqlstore.Options) *sqlstore.Store) {
		st := openFn(t, sqlstore.Options{})
		v, err := st.SchemaVersion(context.Background())
		if err != nil || v < 1 {
			t.Fatalf("SchemaVersion = %d, %v; want >= 1", v, err)
		}
		if got := st.Dialect(); got != "sqlite" && got != "postgres" {
			t.Errorf("Dialect() = %q", got)
		}
		if err := st.Ping(context.Background()); err != nil {
			t.Errorf("Ping: %v", err)
		}
	})
}

func TestSQLiteReopen(t *testing.T) {
	path := storetest.SQLitePath(t)
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, "sqlite:"+path, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetSetting(ctx, "site.name", "The Harbour Ledger"); err != nil {
		t.Fatal(err)
	}
	st.Close()
	st = open(t, path, sqlstore.Options{})
	if got, err := st.Setting(ctx, "site.name"); err != nil || got != "The Harbour Ledger" {
		t.Errorf("Setting after reopen = %q, %v", got, err)
	}
	var mode string
	if err := st.DB().QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
}

func TestSQLiteMemory(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Store { return open(t, ":memory:", sqlstore.Options{}) })
}

func TestSQLiteConcurrentOpen(t *testing.T) {
	path := storetest.SQLitePath(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st, err := sqlstore.Open(context.Background(), path, sqlstore.Options{})
			if err == nil {
				st.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("process %d: Open: %v", i, err)
		}
	}
}

func TestPostgresConcurrentOpen(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{})
			if err == nil {
				st.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("node %d: Open: %v", i, err)
		}
	}
}

// recorder is a Notifier that keeps every change.
type recorder struct {
	mu      sync.Mutex
	changes []newsroom.Change
}

func (r *recorder) Changed(_ context.Context, c newsroom.Change) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.changes = append(r.changes, c)
}

func (r *recorder) last(t *testing.T) map[string]bool {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.changes) == 0 {
		t.Fatal("no change was notified")
	}
	keys := map[string]bool{}
	for _, k := range r.changes[len(r.changes)-1].Keys {
		keys[k] = true
	}
	r.changes = nil
	return keys
}

func TestNotifier(t *testing.T) {
	dialects(t, func(t *testing.T, openFn func(t *testing.T, opts sqlstore.Options) *sqlstore.Store) {
		ctx := context.Background()
		rec := &recorder{}
		now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
		st := openFn(t, sqlstore.Options{Notifier: rec, Now: func() time.Time { return now }})

		world := &newsroom.Category{Slug: "world", Name: "World"}
		if err := st.CreateCategory(ctx, world); err != nil {
			t.Fatal(err)
		}
		wantKeys(t, rec.last(t), "home", "category:world")
		sport := &newsroom.Category{Slug: "sport", Name: "Sport"}
		if err := st.CreateCategory(ctx, sport); err != nil {
			t.Fatal(err)
		}
		rec.last(t)
		if _, err := st.EnsureTag(ctx, "harbour", "Harbour"); err != nil {
			t.Fatal(err)
		}
		wantKeys(t, rec.last(t), "home", "tag:harbour")
		au := &newsroom.Author{Name: "Mira Kask"}
		if err := st.CreateAuthor(ctx, au); err != nil {
			t.Fatal(err)
		}
		wantKeys(t, rec.last(t), "home", "author:"+itoa(au.ID))

		a := &newsroom.Article{Headline: "Ferry timetable changes", Status: newsroom.Published, PublishedAt: now,
			Categories: []newsroom.Category{{ID: world.ID}}, Tags: []newsroom.Tag{{Slug: "harbour"}},
			Authors: []newsroom.Byline{{AuthorID: au.ID}}}
		if err := st.CreateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		wantKeys(t, rec.last(t), "article:"+itoa(a.ID), "home", "category:world", "tag:harbour", "author:"+itoa(au.ID))
		if a.CreatedAt != now || a.PublishedAt != now {
			t.Errorf("CreatedAt, PublishedAt = %v, %v; want the clock's %v", a.CreatedAt, a.PublishedAt, now)
		}

		now = now.Add(time.Hour)
		a.Categories = []newsroom.Category{{ID: sport.ID}}
		if err := st.UpdateArticle(ctx, a, a.Revision); err != nil {
			t.Fatal(err)
		}
		wantKeys(t, rec.last(t), "category:world", "category:sport", "article:"+itoa(a.ID))
		// A new section is not a change readers read: EditedAt stays (it
		// moved on every save of a published article when the store
		// decided it; Article.Prepare decides it now).
		if a.UpdatedAt != now || !a.EditedAt.IsZero() {
			t.Errorf("UpdatedAt, EditedAt = %v, %v; want %v and zero", a.UpdatedAt, a.EditedAt, now)
		}

		if err := st.AddCorrection(ctx, &newsroom.Correction{ArticleID: a.ID, Kind: newsroom.KindCorrection, Text: "The ferry leaves at 9, not 10.", At: now}); err != nil {
			t.Fatal(err)
		}
		wantKeys(t, rec.last(t), "article:"+itoa(a.ID), "category:sport")
		// Share clicks are counted, not changes: no page is dropped.
		rec.mu.Lock()
		before := len(rec.changes)
		rec.mu.Unlock()
		if err := st.AddShares(ctx, map[newsroom.ShareKey]int{{ArticleID: a.ID, Network: "telegram"}: 2}); err != nil {
			t.Fatal(err)
		}
		rec.mu.Lock()
		if len(rec.changes) != before {
			t.Errorf("AddShares announced %v", rec.changes[before:])
		}
		rec.mu.Unlock()

		// A failed write notifies nothing.
		if err := st.UpdateArticle(ctx, a, 1); newsroom.ErrorCode(err) != newsroom.Conflict {
			t.Fatalf("stale update: %v", err)
		}
		rec.mu.Lock()
		n := len(rec.changes)
		rec.mu.Unlock()
		if n != 0 {
			t.Errorf("a failed update notified %d changes", n)
		}
	})
}

func wantKeys(t *testing.T, got map[string]bool, want ...string) {
	t.Helper()
	for _, k := range want {
		if !got[k] {
			t.Errorf("change keys %v lack %q", got, k)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestListPagesDense runs storetest.CheckListPages with every section,
// tag and author list dense (walked by date, each story's membership
// tested), the form a large archive's lists take.
func TestListPagesDense(t *testing.T) {
	dialects(t, func(t *testing.T, open func(t *testing.T, opts sqlstore.Options) *sqlstore.Store) {
		defer sqlstore.SetDenseAt(3)()
		storetest.CheckListPages(t, open(t, sqlstore.Options{}))
	})
}

// TestPostgresSerialQueries: the store's connections run each query
// without parallel workers, unless the DSN says otherwise.
func TestPostgresSerialQueries(t *testing.T) {
	st := openPostgres(t, sqlstore.Options{})
	var v string
	if err := st.DB().QueryRowContext(context.Background(), "SHOW max_parallel_workers_per_gather").Scan(&v); err != nil {
		t.Fatal(err)
	}
	if v != "0" {
		t.Errorf("max_parallel_workers_per_gather = %s on the store's connection; want 0", v)
	}
}
