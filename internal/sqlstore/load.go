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
// The triggers of the loaded tables are off while it loads (the archive
// holds every value they would compute), and the tables the database
// derives itself (the search text and index kept by triggers) are built
// once, in one statement each, by Finish.
type Loader struct {
	s      *Store
	tx     *sql.Tx
	tables map[string]Table
	order  []Table
	// suspended holds what Finish must undo: SQLite's dropped triggers
	// (their CREATE statements), PostgreSQL's tables whose triggers are
	// disabled.
	suspended []string
	finished  bool
	// appending: rows are added to those the database holds (BeginAppend);
	// Finish leaves the derived tables to RebuildDerived.
	appending bool
}

// derivedTables are the tables the database fills by itself from other
// tables, with the statement that fills each one after a load (the same
// as the one migration 0007 ends with; keep them in step). Their archived
// rows are not loaded and only their row counts are compared.
var derivedTables = map[string][2]string{ // table -> {sqlite, postgres}
	"article_search": {
		`INSERT INTO article_search (article_id, headline, standfirst, body, tags)
		SELECT a.id, a.headline, a.standfirst, newsdesk_plain(CASE WHEN a.body_html <> '' THEN a.body_html ELSE a.body END),
			coalesce((SELECT group_concat(t.name, ' ') FROM article_tags x JOIN tags t ON t.id = x.tag_id
				WHERE x.article_id = a.id), '')
		FROM articles a`,
		// PostgreSQL's row also carries the status and publication time
		// search filters by (0130); its BEFORE trigger computes the vectors.
		`INSERT INTO article_search (article_id, language, headline, standfirst, body, tags, status, published_at)
		SELECT a.id, a.language, a.headline, a.standfirst,
			newsdesk_plain(CASE WHEN a.body_html <> '' THEN a.body_html ELSE a.body END), newsdesk_article_tags(a.id),
			a.status, a.published_at
		FROM articles a`,
	},
}

// BeginLoad starts a load. It removes the rows that migrations seeded
// (the backup carries their current values) and suspends the triggers of
// every table but the derived ones. Call Finish, then Commit; or Rollback.
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
	if err := l.suspendTriggers(ctx); err != nil {
		tx.Rollback()
		return nil, fmt.Errorf("begin load: %w", err)
	}
	return l, nil
}

// BeginAppend starts a load of rows added to those the database already
// holds (a generated archive over the demo outlet): nothing is emptied,
// and as in BeginLoad the triggers of the loaded tables are off until
// Commit. Commit does not fill the derived tables: rows appended are not
// in the search index until RebuildDerived, which should run once after
// the last append (not after each: it reads every row). The rows must
// carry their ids (Commit moves PostgreSQL's sequences past them).
func (s *Store) BeginAppend(ctx context.Context) (*Loader, error) {
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin append: %w", err)
	}
	l := &Loader{s: s, tx: tx, tables: map[string]Table{}, appending: true}
	if l.order, err = listTables(ctx, tx, s.d); err != nil {
		tx.Rollback()
		return nil, fmt.Errorf("begin append: %w", err)
	}
	for _, t := range l.order {
		l.tables[t.Name] = t
	}
	if err := l.suspendTriggers(ctx); err != nil {
		tx.Rollback()
		return nil, fmt.Errorf("begin append: %w", err)
	}
	return l, nil
}

// MaxID returns the largest id of table within the load (0 when empty),
// for rows appended with ids of their own.
func (l *Loader) MaxID(ctx context.Context, table string) (int64, error) {
	if _, ok := l.tables[table]; !ok {
		return 0, fmt.Errorf("table %s is not in this database's schema", table)
	}
	var n int64
	err := l.tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM "+quoteIdent(table)).Scan(&n)
	return n, err
}

// RebuildDerived empties the tables the database derives from the others
// (the search index) and fills them again from every stored row, in one
// transaction, with the statements a restore ends with. It is for after
// BeginAppend's loads; it takes time in proportion to the archive.
func (s *Store) RebuildDerived(ctx context.Context) error {
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("rebuild derived tables: %w", err)
	}
	defer func() {
		tx.Rollback() // after Commit: nothing to undo
		if s.d == sqliteDialect {
			// Back to SQLite's default page cache (see below).
			s.wdb.ExecContext(context.WithoutCancel(ctx), "PRAGMA cache_size = -2000")
		}
	}()
	tables, err := listTables(ctx, tx, s.d)
	if err != nil {
		return fmt.Errorf("rebuild derived tables: %w", err)
	}
	if s.d == sqliteDialect {
		// As in a load: a bigger page cache for one large transaction.
		if _, err := tx.ExecContext(ctx, "PRAGMA cache_size = -65536"); err != nil {
			return err
		}
	}
	for _, t := range tables {
		stmts, derived := derivedTables[t.Name]
		if !derived {
			continue
		}
		stmt := stmts[0]
		if s.d == postgresDialect {
			stmt = stmts[1]
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+quoteIdent(t.Name)); err != nil {
			return fmt.Errorf("rebuild %s: %w", t.Name, err)
		}
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("rebuild %s: %w", t.Name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("rebuild derived tables: %w", err)
	}
	s.notify(ctx, []string{"*"})
	return nil
}

// suspendTriggers turns off the triggers of the tables that are loaded
// (the derived tables keep theirs: they compute the search index from a
// row). Both engines do it inside the transaction, so a rollback brings
// them back.
func (l *Loader) suspendTriggers(ctx context.Context) error {
	if l.s.d == postgresDialect {
		for _, t := range l.order {
			if _, derived := derivedTables[t.Name]; derived {
				continue
			}
			if _, err := l.tx.ExecContext(ctx, "ALTER TABLE "+quoteIdent(t.Name)+" DISABLE TRIGGER USER"); err != nil {
				return fmt.Errorf("disable the triggers of %s: %w", t.Name, err)
			}
			l.suspended = append(l.suspended, t.Name)
		}
		return nil
	}
	// The whole load is one transaction: with SQLite's default 2 MB page
	// cache it spills pages to the log again and again. 64 MiB, for this
	// connection of a restore that closes afterwards.
	if _, err := l.tx.ExecContext(ctx, "PRAGMA cache_size = -65536"); err != nil {
		return err
	}
	rows, err := l.tx.QueryContext(ctx, "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
	if err != nil {
		return err
	}
	var names []string
	for rows.Next() {
		var name, table, stmt string
		if err := rows.Scan(&name, &table, &stmt); err != nil {
			rows.Close()
			return err
		}
		if _, derived := derivedTables[table]; !derived {
			names = append(names, name)
			l.suspended = append(l.suspended, stmt)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, n := range names {
		if _, err := l.tx.ExecContext(ctx, "DROP TRIGGER "+quoteIdent(n)); err != nil {
			return fmt.Errorf("drop trigger %s: %w", n, err)
		}
	}
	return nil
}

// Finish fills the derived tables from the loaded ones and turns the
// triggers back on. Call it after the last Load, before counting.
func (l *Loader) Finish(ctx context.Context) error {
	if l.finished {
		return nil
	}
	l.finished = true
	for _, t := range l.order {
		stmts, derived := derivedTables[t.Name]
		if !derived || l.appending {
			continue
		}
		stmt := stmts[0]
		if l.s.d == postgresDialect {
			stmt = stmts[1]
		}
		if _, err := l.tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("load: rebuild %s: %w", t.Name, err)
		}
	}
	for _, x := range l.suspended {
		stmt := x // SQLite: the trigger's CREATE statement
		if l.s.d == postgresDialect {
			stmt = "ALTER TABLE " + quoteIdent(x) + " ENABLE TRIGGER USER"
		}
		if _, err := l.tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("load: restore triggers: %w", err)
		}
	}
	return nil
}

// Tables returns the target's tables, parents first.
func (l *Loader) Tables() []Table { return l.order }

// Count returns the number of rows a table holds now.
func (l *Loader) Count(ctx context.Context, table string) (int64, error) {
	var n int64
	err := l.tx.QueryRowContext(ctx, "SELECT count(*) FROM "+quoteIdent(table)).Scan(&n)
	return n, err
}

// Derived reports whether the database fills table by itself (Finish
// does): its archived rows must not be loaded, and only its row count can
// be compared.
func (l *Loader) Derived(table string) bool {
	_, derived := derivedTables[table]
	_, present := l.tables[table]
	return derived && present
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
	// Columns pointing at the table's own rows (a reply's comment, a
	// section's parent): a row is inserted after the row it points at, so
	// a row whose parent has not come yet waits. Rows still waiting at the
	// end (a cycle, or a key that cannot be kept in a map) are inserted
	// without the link and linked afterwards, one UPDATE each.
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
	ordered := len(selfIdx) > 0 && len(keyIdx) == 1
	seen := map[any]bool{}
	ready := func(vals []any) bool {
		for _, i := range selfIdx {
			if vals[i] == nil {
				continue
			}
			if !mapKey(vals[i]) || !seen[vals[i]] {
				return false
			}
		}
		return true
	}
	type later struct{ vals []any }
	var updates []later
	// A link table's publication times (0134) are its articles': the
	// rows loaded are given them, whatever the backup held, since the
	// triggers that keep them are off.
	linkIdx, linkLo, linkHi := -1, int64(0), int64(-1)
	if linkTables[table] && slices.ContainsFunc(t.Columns, func(c Column) bool { return c.Name == "published_at" }) {
		linkIdx = slices.Index(columns, "article_id")
	}
	var waiting [][]any

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
			if l.s.d == postgresDialect {
				b.WriteString(placeholders(r*perRow+1, perRow))
			} else {
				// SQLite takes $N for a named parameter and looks each
				// name up in a list: thousands of them in one statement
				// cost more than the insert. Plain ? is numbered as it comes.
				b.WriteString(anonymous(perRow))
			}
			b.WriteString(")")
		}
		if _, err := l.tx.ExecContext(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("load %s: %w", table, err)
		}
		n += inBatch
		args, inBatch = args[:0], 0
		return nil
	}
	// add puts a row in the batch. A parent in the same INSERT is fine:
	// both engines check foreign keys at the end of the statement.
	add := func(vals []any) error {
		if ordered && mapKey(vals[keyIdx[0]]) {
			seen[vals[keyIdx[0]]] = true
		}
		args = append(args, vals...)
		if inBatch++; inBatch >= int64(batchRows) {
			return flush()
		}
		return nil
	}
	// unlinked adds a row without its links, to be linked by an UPDATE.
	unlinked := func(vals []any) error {
		updates = append(updates, later{slices.Clone(vals)})
		for _, i := range selfIdx {
			vals[i] = nil
		}
		return add(vals)
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
		if linkIdx >= 0 {
			if id, ok := vals[linkIdx].(int64); ok && linkHi < linkLo {
				linkLo, linkHi = id, id
			} else if ok {
				linkLo, linkHi = min(linkLo, id), max(linkHi, id)
			}
		}
		switch {
		case len(selfIdx) == 0 || ready(vals):
			err = add(vals)
		case ordered:
			waiting = append(waiting, vals)
		default:
			err = unlinked(vals)
		}
		if err != nil {
			return n, err
		}
	}
	// The rows that waited for a parent that came later, in rounds.
	for len(waiting) > 0 {
		var still [][]any
		for _, vals := range waiting {
			if !ready(vals) {
				still = append(still, vals)
				continue
			}
			if err := add(vals); err != nil {
				return n, err
			}
		}
		if len(still) == len(waiting) {
			for _, vals := range still {
				if err := unlinked(vals); err != nil {
					return n, err
				}
			}
			still = nil
		}
		waiting = still
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
	if linkIdx >= 0 && linkLo <= linkHi {
		if _, err := l.tx.ExecContext(ctx, "UPDATE "+quoteIdent(table)+` SET published_at =
			(SELECT a.published_at FROM articles a WHERE a.id = `+quoteIdent(table)+`.article_id)
			WHERE article_id BETWEEN $1 AND $2`, linkLo, linkHi); err != nil {
			return n, fmt.Errorf("load %s: publication times: %w", table, err)
		}
	}
	return n, nil
}

// linkTables are the tables whose rows carry their article's publication
// time (0134), which Load fills in.
var linkTables = map[string]bool{"article_tags": true, "article_authors": true}

// anonymous returns n comma-separated "?" placeholders.
func anonymous(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// mapKey reports whether a column value can be a map key (a blob cannot).
func mapKey(v any) bool {
	switch v.(type) {
	case int64, float64, string, bool:
		return true
	}
	return false
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

// Commit finishes the load if Finish was not called, moves PostgreSQL's
// id sequences past the loaded ids and commits.
func (l *Loader) Commit(ctx context.Context) error {
	if err := l.Finish(ctx); err != nil {
		return err
	}
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
