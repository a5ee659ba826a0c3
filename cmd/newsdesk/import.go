package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"newsdesk/internal/comments"
	"newsdesk/internal/editorial"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/pages"
	"newsdesk/internal/render"
	"newsdesk/internal/wordpress"
)

// stringList is a flag that may be given several times.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// importWordPress runs `newsdesk import wordpress FILE.xml ...`: it reads
// the export files, brings their content in, and prints a summary.
func importWordPress(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c := defaultConfig(getenv)
	fs := flag.NewFlagSet("import wordpress", flag.ContinueOnError)
	fs.SetOutput(stderr)
	storageFlags(fs, &c)
	fs.StringVar(&c.Nodes.Media, "media", c.Nodes.Media, "media storage (as serve --media): a `DIR`ectory or s3://BUCKET/PREFIX?endpoint=URL&region=R")
	uploads := fs.String("uploads", "", "a copy of the old site's wp-content/uploads `folder`")
	fetch := fs.Bool("fetch", false, "download pictures from the old site instead")
	var hosts stringList
	fs.Var(&hosts, "fetch-host", "another `host` pictures may be downloaded from (repeatable)")
	dryRun := fs.Bool("dry-run", false, "do everything but write, and print the summary")
	tz := fs.String("timezone", "", "the old site's time zone (IANA name), for dates the export gives only locally; default: the zone its own dates show")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: newsdesk import wordpress FILE.xml [FILE2.xml ...] [--uploads DIR | --fetch [--fetch-host H]] [--dry-run] [--data DIR] [--db DSN]")
		fs.PrintDefaults()
	}
	// Files and flags may come in any order.
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil
			}
			return usagef("import wordpress: %v", err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		files, args = append(files, rest[0]), rest[1:]
	}
	if len(files) == 0 {
		return usagef("import wordpress: give the export file(s): newsdesk import wordpress FILE.xml [FILE2.xml ...]")
	}
	if *fetch && *uploads != "" {
		return usagef("import wordpress: use --uploads or --fetch, not both")
	}
	opts := wordpress.Options{Uploads: *uploads, Fetch: *fetch, FetchHosts: hosts, DryRun: *dryRun}
	for _, f := range files {
		if _, err := os.Stat(f); err != nil {
			return usagef("import wordpress: %v", err)
		}
		opts.Files = append(opts.Files, wordpress.PathFile(f))
	}
	if *tz != "" {
		loc, err := time.LoadLocation(*tz)
		if err != nil {
			return usagef("import wordpress: --timezone: %v", err)
		}
		opts.Location = loc
	}
	st, err := openStore(ctx, c, nil, nil)
	if err != nil {
		return err
	}
	defer st.Close()
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	a := &app{cfg: c, store: st, log: logger, now: time.Now}
	renderer := render.New()
	ed := editorial.New(editorial.Config{Store: st, Render: renderer, Now: time.Now})
	if a.legal, err = a.newLegal(ctx, renderer, ed); err != nil {
		return err
	}
	defer a.legal.Close()
	lib, err := newMediaLibrary(ctx, c, st)
	if err != nil {
		return err
	}
	deps := wordpress.Deps{Store: st, Editorial: ed, Media: lib,
		Pages:         &pages.Service{Store: st, Redirects: st, Render: renderer, Now: time.Now, Language: c.Language},
		RenderComment: comments.Render}
	terminal := isTerminal(stderr)
	lastPhase := ""
	sum, err := wordpress.Import(ctx, deps, opts, func(p wordpress.Progress) {
		if terminal && lastPhase != "" && p.Phase != lastPhase {
			fmt.Fprintln(stderr)
		}
		lastPhase = p.Phase
		fmt.Fprint(stderr, wordpress.ProgressLine(p, terminal))
	})
	if terminal {
		fmt.Fprintln(stderr)
	}
	var se *wordpress.SyntaxError
	if errors.As(err, &se) || newsroom.ErrorCode(err) == newsroom.Invalid {
		return fmt.Errorf("import wordpress: the file is refused and nothing was written: %w", err)
	}
	if !*dryRun {
		// A database that never started gets its first administrator now,
		// and no demo content: the newsroom's own archive moved in.
		a.cfg.NoDemo = true
		if ferr := a.firstStart(ctx, renderer, stdout); ferr != nil && err == nil {
			err = ferr
		}
	}
	if err != nil {
		return fmt.Errorf("import wordpress: %w", err)
	}
	sum.WriteText(stdout)
	return nil
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
