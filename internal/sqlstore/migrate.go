package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations
var migrationFS embed.FS

// migrationLockID is the pg_advisory_lock key held while migrating, so that
// several nodes starting at once apply each migration exactly once.
const migrationLockID = 7_310_402_118

// migration is one numbered SQL file.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded migrations of a dialect, in order.
func migrations(dialect string) ([]migration, error) {
	dir := path.Join("migrations", dialect)
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must start with a number and '_'", e.Name())
		}
		b, err := fs.ReadFile(migrationFS, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		if len(out) > 0 && out[len(out)-1].version == v {
			return nil, fmt.Errorf("migration %s: version %d used twice", e.Name(), v)
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// migrate applies pending migrations, each in its own transaction, and
// records them in schema_migrations. On PostgreSQL it holds an advisory
// lock on one connection for the whole run.
func (s *Store) migrate(ctx context.Context) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("migrate: %w", err)
		}
	}()
	ms, err := migrations(s.d.name)
	if err != nil {
		return err
	}
	conn, err := s.wdb.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if s.d.lockMigrations != "" {
		if _, err := conn.ExecContext(ctx, s.d.lockMigrations, int64(migrationLockID)); err != nil {
			return err
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), s.d.unlockMigrations, int64(migrationLockID))
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		applied_at `+s.d.timeType+` NOT NULL
	)`); err != nil {
		return err
	}
	applied := map[int]bool{}
	rows, err := conn.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return err
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return err
		}
		applied[v] = true
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if len(ms) > 0 {
		newest := 0
		for v := range applied {
			newest = max(newest, v)
		}
		if newest > ms[len(ms)-1].version {
			return &SchemaTooNewError{Database: newest, Binary: ms[len(ms)-1].version}
		}
	}
	if s.upTo < 0 {
		if s.d == postgresDialect {
			return s.setupRUM(ctx, conn, false)
		}
		return nil // read as it stands (a backup of a live database)
	}
	for _, m := range ms {
		if applied[m.version] || (s.upTo > 0 && m.version > s.upTo) {
			continue
		}
		start := time.Now()
		if err := s.applyMigration(ctx, conn, m); err != nil {
			return fmt.Errorf("%s: %w", m.name, err)
		}
		s.log.Info("applied migration", "dialect", s.d.name, "migration", m.name, "took", time.Since(start).Round(time.Millisecond))
	}
	if s.d == postgresDialect {
		// The optional RUM index needs the whole schema: not built while
		// a restore stops at a backup's version.
		return s.setupRUM(ctx, conn, s.upTo == 0)
	}
	return nil
}

func (s *Store) applyMigration(ctx context.Context, conn *sql.Conn, m migration) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Another process may have applied it since we looked (SQLite has no
	// advisory lock; its write transaction serializes us from here on).
	var done int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations WHERE version = $1", m.version).Scan(&done); err != nil {
		return err
	}
	if done > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
		m.version, s.d.timeArg(s.stamp())); err != nil {
		return err
	}
	return tx.Commit()
}

// SchemaTooNewError is returned by Open for a database that a newer
// newsdesk has migrated: this binary does not know its tables and must not
// write to them.
type SchemaTooNewError struct {
	Database, Binary int // highest applied and highest known migration
}

func (e *SchemaTooNewError) Error() string {
	return fmt.Sprintf("the database schema is at version %d, newer than this newsdesk knows (version %d): "+
		"run the newsdesk release that migrated it (or a later one)", e.Database, e.Binary)
}

// LatestVersion returns the highest migration version this binary embeds
// for a dialect ("sqlite" or "postgres").
func LatestVersion(dialect string) int {
	ms, err := migrations(dialect)
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// SchemaVersion returns the highest applied migration version.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	if err := s.rdb.QueryRowContext(ctx, "SELECT max(version) FROM schema_migrations").Scan(&v); err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	return int(v.Int64), nil
}

// Migrations returns the embedded migration files, under
// migrations/sqlite and migrations/postgres.
func Migrations() fs.FS { return migrationFS }
