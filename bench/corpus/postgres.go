package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"newsdesk/internal/sqlstore"
)

// rebuildPostgres builds PostgreSQL's search table as RebuildDerived does,
// but without keeping its full-text indexes (two GIN, two RUM) up to date
// row by row: they are dropped first and built again from their own
// definitions at the end, in one pass each (at 100,000 articles the row-
// by-row way took longer than writing the articles). Between the two the
// table is rewritten in publication order (CLUSTER on its date index), as
// migration 0132 leaves it and as a live site's table grows: the rows a
// search window reads sit together. The generated ids are not in
// publication order, so without it every row of a window is on a page of
// its own.
func rebuildPostgres(ctx context.Context, st *sqlstore.Store, stderr io.Writer) error {
	conn, err := st.DB().Conn(ctx) // one session: its maintenance_work_mem
	if err != nil {
		return err
	}
	defer conn.Close()
	rows, err := conn.QueryContext(ctx, `SELECT indexname, indexdef FROM pg_indexes
		WHERE schemaname = current_schema() AND tablename = 'article_search' AND indexname <> 'article_search_recent'
		AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = 'article_search'::regclass)
		ORDER BY indexname`)
	if err != nil {
		return err
	}
	var names, defs []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return err
		}
		names, defs = append(names, name), append(defs, def)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	step := func(what string, stmt string) error {
		t0 := time.Now()
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		fmt.Fprintf(stderr, "corpus: search index: %s in %v\n", what, time.Since(t0).Round(time.Millisecond))
		return nil
	}
	for _, n := range names {
		if err := step("drop "+n, `DROP INDEX "`+n+`"`); err != nil {
			return err
		}
	}
	t0 := time.Now()
	if err := st.RebuildDerived(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "corpus: search index: rows and vectors in %v\n", time.Since(t0).Round(time.Millisecond))
	if err := step("maintenance_work_mem", "SET maintenance_work_mem = '256MB'"); err != nil {
		return err
	}
	if err := step("cluster in publication order", "CLUSTER article_search USING article_search_recent"); err != nil {
		return err
	}
	for i, def := range defs {
		if err := step(names[i], def); err != nil {
			return err
		}
	}
	return nil
}
