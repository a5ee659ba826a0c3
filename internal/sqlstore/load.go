package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Loader writes a backup's rows into a freshly migrated database, all in
// one transaction: a restore that fails leaves the database as it was.
// Triggers stay on, so tables the database derives itself (the search
// text kept by triggers on articles) are rebuilt rather than loaded.
type Loader struct {
	s      *Store
	tx     *sql.Tx
	tables map[string]Table
	order  []Table
}

// BeginLoad starts a load. It removes the rows that migrations seeded
// (the backup carries their current values). Call Commit or Rollback.
func (s *Store) BeginLoad(ctx context.Context) (*Loader, error) {
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin load: %w", err)
	}
	l := &Loader{s: s, tx: tx, tables: map[string]Table{}}
	if l.order, err = listTables(ctx, tx, s.d); err != nil {
		tx.Rollback()
		return nil, fmt.Errorf("begin load: %w", err)
	}
	for _, t := range l.order {
		l.tables[t.Name] = t
	}
	for i := len(l.order) - 1; i >= 0; i-- {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+quoteIdent(l.order[i].Name)); err != nil {
			tx.Rollback()
			return nil, fmt.Errorf("begin load: empty %s: %w", l.order[i].Name, err)
		}
	}
	return l, nil
}

// Tables returns the target's tables, parents first.
func (l *Loader) Tables() []Table { return l.order }

// Count returns the number of rows a table holds now.
func (l *Loader) Count(ctx context.Context, table string) (int64, error) {
	var n int64
	err := l.tx.QueryRowContext(ctx, "SELECT count(*) FROM "+quoteIdent(table)).Scan(&n)
	return n, err
}

// Derived reports whether the database filled table by itself (through
// triggers) while its parents were loaded: its archived rows must not be
// loaded, and only its row count can be compared.
func (l *Loader) Derived(ctx context.Context, table string) (bool, error) {
	n, err := l.Count(ctx, table)
	return n > 0, err
}

// Load inserts rows of table with the named columns; next returns the
// next row (values as a backup decodes them: nil, json.Number, string or
// []byte), or nil at the end. It returns how many rows were inserted.
func (l *Loader) Load(ctx context.Context, table string, columns []string, next func() ([]any, error)) (int64, error) {
	t, ok := l.tables[table]
	if !ok {
		return 0, fmt.Errorf("table %s is not in this database's schema", table)
	}
	types := map[string]string{}
	for _, c := range t.Columns {
		types[c.Name] = c.Type
	}
	colTypes := make([]string, len(columns))
	for i, c := range columns {
		typ, ok := types[c]
		if !ok {
			return 0, fmt.Errorf("column %s.%s is not in this database's schema", table, c)
		}
		colTypes[i] = typ
	}
	// Columns pointing at the table's own rows are written after all its
	// rows are in, so a row may name a parent that comes later.
	var selfIdx, keyIdx []int
	if len(t.PrimaryKey) > 0 {
		for _, c := range t.SelfRefs {
			if i := slices.Index(columns, c); i >= 0 {
				selfIdx = append(selfIdx, i)
			}
		}
		for _, k := range t.PrimaryKey {
			i := slices.Index(columns, k)
			if i < 0 {
				selfIdx = nil // cannot address rows: insert as they come
				break
			}
			keyIdx = append(keyIdx, i)
		}
	}
	type later struct{ vals []any }
	var updates []later

	perRow := len(columns)
	batchRows := max(1, min(500, 8000/max(perRow, 1)))
	head := "INSERT INTO " + quoteIdent(table) + " (" + columnList(columns) + ") VALUES "
	var args []any
	var n, inBatch int64
	flush := func() error {
		if inBatch == 0 {
			return nil
		}
		var b strings.Builder
		b.WriteString(head)
		for r := 0; r < int(inBatch); r++ {
			if r > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(")
			b.WriteString(placeholders(r*perRow+1, perRow))
			b.WriteString(")")
		}
		if _, err := l.tx.ExecContext(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("load %s: %w", table, err)
		}
		n += inBatch
		args, inBatch = args[:0], 0
		return nil
	}
	for {
		row, err := next()
		if err != nil {
			return n, err
		}
		if row == nil {
			break
		}
		if len(row) != perRow {
			return n, fmt.Errorf("load %s: a row has %d values for %d columns", table, len(row), perRow)
		}
		vals := make([]any, perRow)
		for i, v := range row {
			if vals[i], err = toColumn(v, colTypes[i]); err != nil {
				return n, fmt.Errorf("load %s.%s: %w", table, columns[i], err)
			}
		}
		if len(selfIdx) > 0 {
			deferred := false
			for _, i := range selfIdx {
				if vals[i] != nil {
					deferred = true
				}
			}
			if deferred {
				updates = append(updates, later{slices.Clone(vals)})
				for _, i := range selfIdx {
					vals[i] = nil
				}
			}
		}
		args = append(args, vals...)
		if inBatch++; inBatch >= int64(batchRows) {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	if err := flush(); err != nil {
		return n, err
	}
	if len(updates) > 0 {
		var set, where []string
		for j, i := range selfIdx {
			set = append(set, fmt.Sprintf("%s = $%d", quoteIdent(columns[i]), j+1))
		}
		for j, i := range keyIdx {
			where = append(where, fmt.Sprintf("%s = $%d", quoteIdent(columns[i]), len(selfIdx)+j+1))
		}
		stmt, err := l.tx.PrepareContext(ctx, "UPDATE "+quoteIdent(table)+" SET "+strings.Join(set, ", ")+" WHERE "+strings.Join(where, " AND "))
		if err != nil {
			return n, fmt.Errorf("load %s: %w", table, err)
		}
		defer stmt.Close()
		for _, u := range updates {
			var a []any
			for _, i := range selfIdx {
				a = append(a, u.vals[i])
			}
			for _, i := range keyIdx {
				a = append(a, u.vals[i])
			}
			if _, err := stmt.ExecContext(ctx, a...); err != nil {
				return n, fmt.Errorf("load %s: link rows to their parents: %w", table, err)
			}
		}
	}
	return n, nil
}

// toColumn converts a decoded backup value for a column of the target's
// neutral type.
func toColumn(v any, typ string) (any, error) {
	switch x := v.(type) {
	case nil, []byte:
		return v, nil
	case json.Number:
		switch typ {
		case "integer":
			if i, err := x.Int64(); err == nil {
				return i, nil
			}
			return x.Float64()
		case "real":
			return x.Float64()
		case "boolean":
			return x.String() != "0", nil
		}
		return x.String(), nil
	case string:
		if typ == "boolean" {
			return x == "1" || x == "t" || x == "true", nil
		}
		return x, nil
	case bool:
		if typ == "boolean" {
			return x, nil
		}
		if x {
			return int64(1), nil
		}
		return int64(0), nil
	}
	return nil, fmt.Errorf("unexpected value of type %T", v)
}

// Rows reads back table's named columns in the order a backup wrote them,
// as engine-neutral values (see Snapshot.Rows), inside the load.
func (l *Loader) Rows(ctx context.Context, table string, columns []string, fn func([]any) error) error {
	t, ok := l.tables[table]
	if !ok {
		return fmt.Errorf("table %s is not in this database's schema", table)
	}
	types := map[string]string{}
	for _, c := range t.Columns {
		types[c.Name] = c.Type
	}
	view := Table{Name: t.Name, PrimaryKey: t.PrimaryKey}
	for _, c := range columns {
		view.Columns = append(view.Columns, Column{Name: c, Type: types[c]})
	}
	if len(view.PrimaryKey) == 0 {
		view.PrimaryKey = columns
	}
	return readRows(ctx, l.tx, l.s.d, view, fn)
}

// Commit moves PostgreSQL's id sequences past the loaded ids and commits.
func (l *Loader) Commit(ctx context.Context) error {
	if l.s.d == postgresDialect {
		rows, err := l.tx.QueryContext(ctx, `SELECT table_name, column_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')`)
		if err != nil {
			return fmt.Errorf("load: sequences: %w", err)
		}
		var pairs [][2]string
		for rows.Next() {
			var t, c string
			if err := rows.Scan(&t, &c); err != nil {
				rows.Close()
				return err
			}
			pairs = append(pairs, [2]string{t, c})
		}
		rows.Close()
		for _, p := range pairs {
			q := fmt.Sprintf("SELECT setval(pg_get_serial_sequence($1, $2), coalesce((SELECT max(%s) FROM %s), 0) + 1, false)",
				quoteIdent(p[1]), quoteIdent(p[0]))
			if _, err := l.tx.ExecContext(ctx, q, quoteIdent(p[0]), p[1]); err != nil {
				return fmt.Errorf("load: sequence of %s.%s: %w", p[0], p[1], err)
			}
		}
	}
	if err := l.tx.Commit(); err != nil {
		return fmt.Errorf("load: commit: %w", err)
	}
	l.s.notify(ctx, []string{"*"})
	return nil
}

// Rollback abandons the load.
func (l *Loader) Rollback() error { return l.tx.Rollback() }

// Tables lists the tables of the store's database, parents first.
func (s *Store) Tables(ctx context.Context) ([]Table, error) { return listTables(ctx, s.rdb, s.d) }
