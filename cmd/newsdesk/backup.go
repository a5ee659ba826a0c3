package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"newsdesk/internal/backup"
	"newsdesk/internal/sqlstore"
)

// backupCmd is "newsdesk backup --out FILE": a consistent snapshot of the
// live database (the site keeps serving) and the data directory's files,
// in one engine-neutral archive.
func backupCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c := defaultConfig(getenv)
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	storageFlags(fs, &c)
	out := fs.String("out", "", "write the archive to `FILE`")
	quiet := fs.Bool("quiet", false, "draw no progress bars")
	if err := fs.Parse(args); err != nil {
		return usagef("backup: %v", err)
	}
	if *out == "" {
		return usagef("backup: --out FILE is required")
	}
	if fs.NArg() > 0 {
		return usagef("backup: unexpected argument %q", fs.Arg(0))
	}
	if _, err := sqlstore.Status(ctx, c.dsn()); err != nil {
		return usagef("backup: %s: %v", redactDSN(c.dsn()), err)
	}
	st, err := openStoreWith(ctx, c, sqlstore.Options{MigrateTo: -1})
	if err != nil {
		return err
	}
	defer st.Close()
	var progress io.Writer = stderr
	if *quiet {
		progress = nil
	}
	start := time.Now()
	m, err := backup.Write(ctx, st, *out, backup.Options{DataDir: c.DataDir, Progress: progress})
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	d := time.Since(start)
	info, err := os.Stat(*out)
	if err != nil {
		return err
	}
	var rows int64
	for _, t := range m.Tables {
		rows += t.Rows
	}
	fmt.Fprintf(stdout, "backup %s: %s from %s (%s, schema version %d)\n", *out, humanBytes(info.Size()), redactDSN(c.dsn()), m.SourceDialect, m.SchemaVersion)
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "table\trows\tsha256\t")
	for _, t := range m.Tables {
		fmt.Fprintf(tw, "%s\t%d\t%s\t\n", t.Name, t.Rows, t.SHA256[:16])
	}
	tw.Flush()
	fmt.Fprintf(stdout, "%d tables, %d rows (%d articles); %d files, %s\n", len(m.Tables), rows, m.Rows("articles"), len(m.Files), humanBytes(m.FileBytes()))
	fmt.Fprintf(stdout, "took %s: %s, %.0f articles/s\n", d.Round(time.Millisecond), rate(info.Size(), d), float64(m.Rows("articles"))/d.Seconds())
	return nil
}

// restoreCmd is "newsdesk restore FILE --data DIR [--db DSN]": into an
// empty target only; every count and checksum is checked before the
// load commits. With --db postgres://... a SQLite site's backup moves it
// to PostgreSQL.
func restoreCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c := defaultConfig(getenv)
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	storageFlags(fs, &c)
	quiet := fs.Bool("quiet", false, "draw no progress bars")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return usagef("restore: %v", err)
	}
	if len(rest) > 1 {
		return usagef("restore: unexpected argument %q", rest[1])
	}
	file := ""
	if len(rest) == 1 {
		file = rest[0]
	}
	if file == "" {
		return usagef("restore: which archive? usage: newsdesk restore FILE --data DIR [--db DSN]")
	}
	if _, err := backup.ReadManifest(file); err != nil {
		return usagef("restore: %v", err)
	}
	if err := backup.CheckEmptyDir(c.DataDir); err != nil {
		return usagef("restore: refusing: %v", err)
	}
	if err := checkEmptyDatabase(ctx, c); err != nil {
		return usagef("restore: refusing: %v", err)
	}
	var progress io.Writer = stderr
	if *quiet {
		progress = nil
	}
	open := func(ctx context.Context, version int) (*sqlstore.Store, error) {
		return openStoreWith(ctx, c, sqlstore.Options{MigrateTo: version})
	}
	start := time.Now()
	rep, err := backup.Restore(ctx, file, c.DataDir, open, progress)
	if err != nil {
		if isPostgres(c.DB) {
			return fmt.Errorf("restore: %w (nothing was loaded; the database may hold an empty schema now: drop and create it again before the next try)", err)
		}
		return fmt.Errorf("restore: %w (nothing was loaded; %s was emptied again)", err, c.DataDir)
	}
	d := time.Since(start)
	info, _ := os.Stat(file)
	m := rep.Manifest
	target := "sqlite"
	if isPostgres(c.DB) {
		target = "postgres"
	}
	fmt.Fprintf(stdout, "restored %s into %s (%s -> %s); data in %s\n", file, redactDSN(c.dsn()), m.SourceDialect, target, c.DataDir)
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "table\trows\tarchive\tcheck")
	var rows int64
	for _, t := range rep.Tables {
		check := "sha256 ok"
		if t.Derived {
			check = "count ok (rebuilt by the database)"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\n", t.Name, t.Rows, t.Want, check)
		rows += t.Rows
	}
	tw.Flush()
	fmt.Fprintf(stdout, "%d tables, %d rows (%d articles); %d files, %s, sha256 ok\n", len(rep.Tables), rows, m.Rows("articles"), rep.Files, humanBytes(rep.Bytes))
	fmt.Fprintf(stdout, "schema version %d (backup at %d); took %s: %s, %.0f articles/s\n", rep.Migrated, m.SchemaVersion,
		d.Round(time.Millisecond), rate(info.Size(), d), float64(m.Rows("articles"))/d.Seconds())
	return nil
}

// parseInterspersed parses flags that may stand before and after the
// positional arguments, which it returns.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return rest, nil
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// checkEmptyDatabase refuses a target database that holds anything.
func checkEmptyDatabase(ctx context.Context, c Config) error {
	dsn := c.dsn()
	if !isPostgres(dsn) {
		path := strings.TrimPrefix(dsn, "sqlite:")
		if info, err := os.Stat(path); err == nil && info.Size() > 0 {
			return fmt.Errorf("%s already holds a database: restore only into a new one", path)
		}
		return nil
	}
	octx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	st, err := sqlstore.Status(octx, dsn)
	if err != nil {
		return fmt.Errorf("cannot open %s: %v", redactDSN(dsn), err)
	}
	if st.Tables > 0 {
		what := fmt.Sprintf("%d tables", st.Tables)
		if st.Current > 0 {
			what += fmt.Sprintf(", newsdesk schema version %d", st.Current)
		}
		return fmt.Errorf("database %s is not empty (%s): restore only into an empty database (createdb a new one)", redactDSN(dsn), what)
	}
	return nil
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

func rate(n int64, d time.Duration) string {
	return fmt.Sprintf("%.1f MB/s", float64(n)/1e6/max(d.Seconds(), 1e-6))
}
