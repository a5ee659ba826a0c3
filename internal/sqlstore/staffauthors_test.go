package sqlstore_test

import (
	"context"
	"testing"

	"newsdesk/internal/sqlstore"
	"newsdesk/internal/storetest"
)

// TestStaffAuthorsMigration: accounts made before migration 0096 get an
// author profile from it (a taken slug or a shared name gets the id
// added); an account that already had one keeps it alone.
func TestStaffAuthorsMigrationSQLite(t *testing.T) {
	testStaffAuthorsMigration(t, storetest.SQLitePath(t))
}

func TestStaffAuthorsMigrationPostgres(t *testing.T) {
	testStaffAuthorsMigration(t, storetest.PostgresDSN(t))
}

func testStaffAuthorsMigration(t *testing.T, dsn string) {
	ctx := context.Background()
	old, err := sqlstore.Open(ctx, dsn, sqlstore.Options{MigrateTo: 95})
	if err != nil {
		t.Fatal(err)
	}
	db := old.DB()
	for _, q := range []string{
		`INSERT INTO users (id, email, name, role, created_at) VALUES (1, 'a@example.org', 'Mara Quill', 'admin', '2026-01-01T00:00:00Z')`,
		`INSERT INTO users (id, email, name, role, created_at) VALUES (2, 'b@example.org', 'Mara Quill', 'editor', '2026-01-01T00:00:00Z')`,
		`INSERT INTO users (id, email, name, role, created_at) VALUES (3, 'c@example.org', 'Tom O''Dell', 'correspondent', '2026-01-01T00:00:00Z')`,
		`INSERT INTO users (id, email, name, role, created_at) VALUES (4, 'd@example.org', 'Has Profile', 'correspondent', '2026-01-01T00:00:00Z')`,
		`INSERT INTO authors (slug, name, label, user_id) VALUES ('has-profile', 'Has Profile', 'staff', 4)`,
		`INSERT INTO authors (slug, name, label) VALUES ('tom-odell', 'Tom O''Dell (guest)', 'guest')`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	old.Close()
	st := open(t, dsn, sqlstore.Options{})
	want := map[int64]string{1: "mara-quill-1", 2: "mara-quill-2", 3: "tom-odell-3", 4: "has-profile"}
	for id, slug := range want {
		a, err := st.AuthorByUserID(ctx, id)
		if err != nil || a.Slug != slug || a.Label != "staff" {
			t.Errorf("user %d: profile %+v, %v; want slug %s", id, a, err, slug)
		}
	}
	all, err := st.Authors(ctx)
	if err != nil || len(all) != 5 {
		t.Errorf("authors after the migration: %d, %v; want 5", len(all), err)
	}
}
