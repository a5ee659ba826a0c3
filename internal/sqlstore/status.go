package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"
	"time"
)

// Ready reports why the store cannot serve: the SQLite file is gone, the
// database does not answer, or its schema is not the one this binary
// knows. It costs a stat and one query; nil means ready.
func (s *Store) Ready(ctx context.Context) error {
	if s.path != "" {
		if _, err := os.Stat(s.path); err != nil {
			return fmt.Errorf("database file %s is missing: %w", s.path, unwrapPathErr(err))
		}
	}
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		return fmt.Errorf("database does not answer: %w", err)
	}
	if want := LatestVersion(s.d.name); v != want {
		return fmt.Errorf("database schema is at version %d, this binary expects %d", v, want)
	}
	return nil
}

func unwrapPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// MigrationState is one migration as a database knows it.
type MigrationState struct {
	Version   int
	Name      string    // file name; "" when this binary does not know it
	AppliedAt time.Time // zero when pending
}

// MigrationStatus is where a database stands.
type MigrationStatus struct {
	Dialect    string
	Current    int // highest applied version (0: none)
	Latest     int // highest version this binary knows
	Migrations []MigrationState
	// Tables counts the tables in the database (its current schema on
	// PostgreSQL), newsdesk's or not.
	Tables int
	// Search is the index searches use (SearchFTS5, SearchRUM or
	// SearchGIN), SearchWhy why not RUM on PostgreSQL.
	Search, SearchWhy string
}

// Pending counts the migrations this binary would apply.
func (m MigrationStatus) Pending() int {
	n := 0
	for _, x := range m.Migrations {
		if x.AppliedAt.IsZero() {
			n++
		}
	}
	return n
}

// Status reads where the database at dsn stands without changing it.
func Status(ctx context.Context, dsn string) (MigrationStatus, error) {
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		path := strings.TrimPrefix(dsn, "sqlite:")
		if _, err := os.Stat(path); err != nil {
			return MigrationStatus{}, fmt.Errorf("no database at %s: %w", path, unwrapPathErr(err))
		}
	}
	s := &Store{now: time.Now, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := s.connect(ctx, dsn, false, 0); err != nil {
		return MigrationStatus{}, err
	}
	defer s.Close()
	ms, err := migrations(s.d.name)
	if err != nil {
		return MigrationStatus{}, err
	}
	st := MigrationStatus{Dialect: s.d.name, Latest: LatestVersion(s.d.name)}
	tables, err := listTables(ctx, s.wdb, s.d)
	if err != nil {
		return st, err
	}
	st.Tables = len(tables)
	applied := map[int]time.Time{}
	rows, err := s.wdb.QueryContext(ctx, "SELECT version, applied_at FROM schema_migrations ORDER BY version")
	if err != nil && !isMissingTable(err) {
		return st, fmt.Errorf("read schema_migrations: %w", err)
	}
	if err == nil {
		for rows.Next() {
			var v int
			var at time.Time
			if err := rows.Scan(&v, scanTime(&at)); err != nil {
				rows.Close()
				return st, err
			}
			applied[v] = at
			st.Current = max(st.Current, v)
		}
		if err := rows.Close(); err != nil {
			return st, err
		}
	}
	known := map[int]bool{}
	for _, m := range ms {
		known[m.version] = true
		st.Migrations = append(st.Migrations, MigrationState{Version: m.version, Name: m.name, AppliedAt: applied[m.version]})
	}
	for v, at := range applied {
		if !known[v] {
			st.Migrations = append(st.Migrations, MigrationState{Version: v, AppliedAt: at})
		}
	}
	sort.Slice(st.Migrations, func(i, j int) bool { return st.Migrations[i].Version < st.Migrations[j].Version })
	st.Search = SearchFTS5
	if s.d == postgresDialect {
		ready, why, err := rumState(ctx, s.wdb)
		if err != nil {
			return st, fmt.Errorf("search index: %w", err)
		}
		st.Search, st.SearchWhy = SearchGIN, why
		if ready {
			st.Search = SearchRUM
		}
	}
	return st, nil
}

// isMissingTable reports a query on a table that does not exist.
func isMissingTable(err error) bool {
	if pgCode(err) == "42P01" {
		return true
	}
	return err != nil && strings.Contains(err.Error(), "no such table")
}

// PoolStats returns the connection pools' statistics by name: "write",
// "read" where reads have their own pool (SQLite), and "replica" with a
// read replica (PostgreSQL, OpenReplica).
func (s *Store) PoolStats() map[string]sql.DBStats {
	out := map[string]sql.DBStats{"write": s.wdb.Stats()}
	if s.rpool != nil {
		out["read"] = s.rpool.Stats()
	}
	if s.replica != nil {
		out["replica"] = s.replica.db.Stats()
	}
	return out
}
