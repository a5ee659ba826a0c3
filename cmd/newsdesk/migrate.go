package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"newsdesk/internal/sqlstore"
)

// migrateCmd is "newsdesk migrate [--status]": with --status it shows
// where the database stands and changes nothing; without, it applies the
// pending migrations (as serve does on start) and says where it stands.
// Exit status 1 with --status when migrations are pending, 2 when the
// database is newer than this binary.
func migrateCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c := defaultConfig(getenv)
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	storageFlags(fs, &c)
	status := fs.Bool("status", false, "show applied and pending migrations; change nothing")
	if err := fs.Parse(args); err != nil {
		return usagef("migrate: %v", err)
	}
	if fs.NArg() > 0 {
		return usagef("migrate: unexpected argument %q", fs.Arg(0))
	}
	if !*status {
		st, err := openStore(ctx, c, nil, nil)
		if err != nil {
			return err
		}
		defer st.Close()
		v, err := st.SchemaVersion(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: schema at version %d (up to date)\n", redactDSN(c.dsn()), v)
		return nil
	}
	octx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	ms, err := sqlstore.Status(octx, c.dsn())
	if err != nil {
		return usagef("migrate --status: %s: %v", redactDSN(c.dsn()), err)
	}
	fmt.Fprintf(stdout, "database:  %s (%s)\n", redactDSN(c.dsn()), ms.Dialect)
	fmt.Fprintf(stdout, "schema:    version %d; this binary knows up to %d\n", ms.Current, ms.Latest)
	switch ms.Search {
	case sqlstore.SearchRUM:
		fmt.Fprintln(stdout, "search:    RUM indexes (the newest matches in date order from the index)")
	case sqlstore.SearchGIN:
		fmt.Fprintf(stdout, "search:    GIN index over date windows (%s; a start creates the RUM indexes when the server has the extension)\n", ms.SearchWhy)
	default:
		fmt.Fprintln(stdout, "search:    FTS5")
	}
	for _, m := range ms.Migrations {
		name, state := m.Name, "pending"
		if name == "" {
			name = fmt.Sprintf("%04d (unknown to this binary)", m.Version)
		}
		if !m.AppliedAt.IsZero() {
			state = "applied " + m.AppliedAt.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(stdout, "  %-40s %s\n", name, state)
	}
	switch {
	case ms.Current > ms.Latest:
		return usagef("migrate --status: the database is newer than this binary (version %d > %d): run a newer newsdesk", ms.Current, ms.Latest)
	case ms.Pending() > 0:
		fmt.Fprintf(stdout, "%d pending: run \"newsdesk migrate\" (or start the server) to apply them\n", ms.Pending())
		return fmt.Errorf("migrate --status: %d migrations pending", ms.Pending())
	}
	fmt.Fprintln(stdout, "up to date")
	return nil
}
