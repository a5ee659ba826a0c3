package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
)

// Table is one table as the database itself describes it: backups find
// every table and column at run time, so a table added by a migration is
// carried without anyone listing it.
type Table struct {
	Name       string
	Columns    []Column
	PrimaryKey []string // column names, in key order; empty when none
	// References are the tables its foreign keys point at (itself
	// excluded); SelfRefs are its columns that point at its own rows.
	References []string
	SelfRefs   []string
}

// Column is a column and its engine-neutral type: integer, real, boolean,
// text, timestamp, date, blob, or the engine's own name for anything else.
type Column struct {
	Name string
	Type string
}

// ColumnNames returns the names of t's columns.
func (t Table) ColumnNames() []string {
	out := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		out[i] = c.Name
	}
	return out
}

// Snapshot is a consistent, read-only view of the whole database, taken
// while the site keeps serving. Close it when done.
type Snapshot struct {
	Dialect string
	// Version is the schema version the snapshot is at.
	Version int
	tables  []Table
	q       queryer
	d       *dialect
	close   func() error
}

// Snapshot takes a consistent snapshot without stopping writers: on
// SQLite a VACUUM INTO copy next to dir (removed by Close), on
// PostgreSQL a REPEATABLE READ, READ ONLY transaction.
func (s *Store) Snapshot(ctx context.Context, dir string) (*Snapshot, error) {
	sn := &Snapshot{Dialect: s.d.name, d: s.d}
	switch s.d {
	case sqliteDialect:
		f, err := os.CreateTemp(dir, ".newsdesk-snapshot-*.db")
		if err != nil {
			return nil, fmt.Errorf("snapshot: %w", err)
		}
		path := f.Name()
		f.Close()
		os.Remove(path) // VACUUM INTO wants to create it
		if _, err := s.rdb.ExecContext(ctx, "VACUUM INTO $1", path); err != nil {
			os.Remove(path)
			return nil, fmt.Errorf("snapshot: vacuum into %s: %w", path, err)
		}
		db, err := sql.Open("sqlite", path+"?_pragma=query_only(1)")
		if err != nil {
			os.Remove(path)
			return nil, err
		}
		db.SetMaxOpenConns(1)
		sn.q = db
		sn.close = func() error { return errors.Join(db.Close(), os.Remove(path)) }
	default:
		tx, err := s.wdb.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
		if err != nil {
			return nil, fmt.Errorf("snapshot: %w", err)
		}
		sn.q = tx
		sn.close = tx.Rollback
	}
	var err error
	if sn.tables, err = listTables(ctx, sn.q, s.d); err == nil {
		err = sn.q.QueryRowContext(ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&sn.Version)
	}
	if err != nil {
		sn.Close()
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	return sn, nil
}

// Tables returns every table, parents before the tables that refer to
// them.
func (sn *Snapshot) Tables() []Table { return sn.tables }

// Count returns the number of rows of a table.
func (sn *Snapshot) Count(ctx context.Context, table string) (int64, error) {
	var n int64
	err := sn.q.QueryRowContext(ctx, "SELECT count(*) FROM "+quoteIdent(table)).Scan(&n)
	return n, err
}

// Rows calls fn with every row of t in primary-key order, as
// engine-neutral values: nil, int64, float64, string or []byte (booleans
// are 0 and 1, times text in one fixed format, dates YYYY-MM-DD). The
// slice is reused between calls.
func (sn *Snapshot) Rows(ctx context.Context, t Table, fn func([]any) error) error {
	return readRows(ctx, sn.q, sn.d, t, fn)
}

// Close ends the snapshot.
func (sn *Snapshot) Close() error {
	if sn.close == nil {
		return nil
	}
	err := sn.close()
	sn.close = nil
	return err
}

func readRows(ctx context.Context, q queryer, d *dialect, t Table, fn func([]any) error) error {
	rows, err := q.QueryContext(ctx, "SELECT "+columnList(t.ColumnNames())+" FROM "+quoteIdent(t.Name)+orderBy(d, t))
	if err != nil {
		return fmt.Errorf("read %s: %w", t.Name, err)
	}
	defer rows.Close()
	vals := make([]any, len(t.Columns))
	ptrs := make([]any, len(t.Columns))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("read %s: %w", t.Name, err)
		}
		for i, v := range vals {
			vals[i] = neutral(v, t.Columns[i].Type)
		}
		if err := fn(vals); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s: %w", t.Name, err)
	}
	return nil
}

// neutral converts a scanned value to its engine-neutral form.
func neutral(v any, typ string) any {
	switch x := v.(type) {
	case bool:
		if x {
			return int64(1)
		}
		return int64(0)
	case time.Time:
		if typ == "date" {
			return x.Format(time.DateOnly)
		}
		return x.UTC().Format(sqliteTimeFormat)
	case int32:
		return int64(x)
	case float32:
		return float64(x)
	}
	return v
}

// orderBy sorts rows the same way on both engines: by the primary key (or
// every column), text in byte order, NULLs first.
func orderBy(d *dialect, t Table) string {
	keys := t.PrimaryKey
	if len(keys) == 0 {
		keys = t.ColumnNames()
	}
	types := map[string]string{}
	for _, c := range t.Columns {
		types[c.Name] = c.Type
	}
	parts := make([]string, len(keys))
	for i, k := range keys {
		p := quoteIdent(k)
		if d == postgresDialect && types[k] == "text" {
			p += ` COLLATE "C"`
		}
		parts[i] = p + " ASC NULLS FIRST"
	}
	return " ORDER BY " + strings.Join(parts, ", ")
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func columnList(cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = quoteIdent(c)
	}
	return strings.Join(q, ", ")
}

// listTables reads every base table of the database with its columns,
// primary key and foreign keys, parents first.
func listTables(ctx context.Context, q queryer, d *dialect) ([]Table, error) {
	var tables []Table
	var err error
	if d == sqliteDialect {
		tables, err = sqliteTables(ctx, q)
	} else {
		tables, err = postgresTables(ctx, q)
	}
	if err != nil {
		return nil, err
	}
	return orderTables(tables)
}

func queryStrings(ctx context.Context, q queryer, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func sqliteTables(ctx context.Context, q queryer) ([]Table, error) {
	// table_list names virtual tables and their shadow tables (the FTS
	// index) apart from base tables; the index is rebuilt by triggers.
	names, err := queryStrings(ctx, q, `SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table'
		AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	var out []Table
	for _, name := range names {
		t := Table{Name: name}
		rows, err := q.QueryContext(ctx, "SELECT name, type, pk FROM pragma_table_xinfo($1) WHERE hidden = 0 ORDER BY cid", name)
		if err != nil {
			return nil, fmt.Errorf("columns of %s: %w", name, err)
		}
		type pkCol struct {
			name string
			pos  int
		}
		var pk []pkCol
		for rows.Next() {
			var c Column
			var decl string
			var pos int
			if err := rows.Scan(&c.Name, &decl, &pos); err != nil {
				rows.Close()
				return nil, err
			}
			c.Type = sqliteType(decl)
			t.Columns = append(t.Columns, c)
			if pos > 0 {
				pk = append(pk, pkCol{c.Name, pos})
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		sort.Slice(pk, func(i, j int) bool { return pk[i].pos < pk[j].pos })
		for _, p := range pk {
			t.PrimaryKey = append(t.PrimaryKey, p.name)
		}
		if err := t.readReferences(ctx, q, `SELECT "table", "from" FROM pragma_foreign_key_list($1)`, name); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// sqliteType maps a declared type to a neutral one by SQLite's affinity
// rules.
func sqliteType(decl string) string {
	u := strings.ToUpper(decl)
	switch {
	case strings.Contains(u, "INT"):
		return "integer"
	case strings.Contains(u, "CHAR"), strings.Contains(u, "CLOB"), strings.Contains(u, "TEXT"):
		return "text"
	case u == "", strings.Contains(u, "BLOB"):
		return "blob"
	case strings.Contains(u, "REAL"), strings.Contains(u, "FLOA"), strings.Contains(u, "DOUB"):
		return "real"
	case strings.Contains(u, "BOOL"):
		return "boolean"
	case strings.Contains(u, "DATETIME"), strings.Contains(u, "TIMESTAMP"):
		return "timestamp"
	case u == "DATE":
		return "date"
	}
	return "numeric"
}

func postgresTables(ctx context.Context, q queryer) ([]Table, error) {
	names, err := queryStrings(ctx, q, `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname`)
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	var out []Table
	for _, name := range names {
		t := Table{Name: name}
		rel := quoteIdent(name)
		rows, err := q.QueryContext(ctx, `SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
			WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
			ORDER BY a.attnum`, rel)
		if err != nil {
			return nil, fmt.Errorf("columns of %s: %w", name, err)
		}
		for rows.Next() {
			var c Column
			var typ string
			if err := rows.Scan(&c.Name, &typ); err != nil {
				rows.Close()
				return nil, err
			}
			c.Type = postgresType(typ)
			t.Columns = append(t.Columns, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if t.PrimaryKey, err = queryStrings(ctx, q, `SELECT a.attname FROM pg_index i
			JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
			WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`, rel); err != nil {
			return nil, fmt.Errorf("primary key of %s: %w", name, err)
		}
		if err := t.readReferences(ctx, q, `SELECT p.relname, a.attname FROM pg_constraint c
			JOIN pg_class p ON p.oid = c.confrelid
			JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey)
			WHERE c.conrelid = $1::regclass AND c.contype = 'f'`, rel); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

func postgresType(typ string) string {
	switch {
	case typ == "bigint", typ == "integer", typ == "smallint":
		return "integer"
	case typ == "boolean":
		return "boolean"
	case strings.HasPrefix(typ, "timestamp"):
		return "timestamp"
	case typ == "date":
		return "date"
	case typ == "double precision", typ == "real":
		return "real"
	case typ == "bytea":
		return "blob"
	case typ == "text", strings.HasPrefix(typ, "character"):
		return "text"
	}
	return typ
}

// readReferences adds the foreign keys that query (parent table, column)
// returns for the table named by arg.
func (t *Table) readReferences(ctx context.Context, q queryer, query string, arg any) error {
	rows, err := q.QueryContext(ctx, query, arg)
	if err != nil {
		return fmt.Errorf("foreign keys of %s: %w", t.Name, err)
	}
	defer rows.Close()
	for rows.Next() {
		var parent, from string
		if err := rows.Scan(&parent, &from); err != nil {
			return fmt.Errorf("foreign keys of %s: %w", t.Name, err)
		}
		t.addReference(parent, from)
	}
	return rows.Err()
}

func (t *Table) addReference(parent, column string) {
	if parent == t.Name {
		if !slices.Contains(t.SelfRefs, column) {
			t.SelfRefs = append(t.SelfRefs, column)
		}
		return
	}
	if !slices.Contains(t.References, parent) {
		t.References = append(t.References, parent)
	}
}

// orderTables sorts tables so that every table comes after the tables it
// refers to (by name among equals, so the order is the same on both
// engines). A cycle between tables is an error: no load order exists.
func orderTables(tables []Table) ([]Table, error) {
	byName := map[string]Table{}
	for _, t := range tables {
		byName[t.Name] = t
	}
	done := map[string]bool{}
	var out []Table
	for len(out) < len(tables) {
		progressed := false
		for _, t := range tables { // tables are sorted by name
			if done[t.Name] {
				continue
			}
			ready := true
			for _, p := range t.References {
				if _, known := byName[p]; known && !done[p] {
					ready = false
					break
				}
			}
			if ready {
				done[t.Name] = true
				out = append(out, t)
				progressed = true
				break // restart from the first name
			}
		}
		if !progressed {
			var left []string
			for _, t := range tables {
				if !done[t.Name] {
					left = append(left, t.Name)
				}
			}
			return nil, fmt.Errorf("foreign keys form a cycle among %s: no load order", strings.Join(left, ", "))
		}
	}
	return out, nil
}

// DataFiles returns the paths of the SQLite database files under a data
// directory (the database and its journal), which a backup carries as
// table content rather than as files.
func DataFiles(dataDir string) []string {
	p := filepath.Join(dataDir, "newsdesk.db")
	return []string{p, p + "-wal", p + "-shm", p + "-journal"}
}
