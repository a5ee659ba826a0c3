// Command cold measures how fast newsdesk renders pages nobody has viewed
// yet: it starts `newsdesk serve` with the page cache off (--cache-mb 0,
// so every request renders from the database) on a corpus made by
// bench/corpus, asks for article, home, section, tag and author pages and
// deep archive pages (the day page "?until=DAY" as deep as page 5000, or
// the last page of a shorter archive, and "?page=N", page 50 by default)
// one at a time over loopback, round-robin between the kinds so that the
// machine's drifting load falls on all of them alike, and prints p50, p99
// and max per kind, then each target of issue 19 with its figure and
// whether it is met. Every article request is a different article
// (--cold, shuffled by bench/corpus); the other kinds cycle over every
// section, tag and author of the corpus.
//
//	go run ./bench/cold --bin ./newsdesk --data DIR --cold DIR/out/cold.txt [--pg DSN] [--n 300] [--rounds 3]
//
// With --rounds R it does R passes of --n requests per kind and reports
// the median of the passes' percentiles. The exit status is 0 when the
// run worked, whether or not the targets are met (the table says so).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"newsdesk/bench/internal/benchutil"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/sqlstore"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "cold:", err)
		os.Exit(1)
	}
}

// kind is one kind of page and the paths it cycles over.
type kind struct {
	name  string
	paths []string
	next  int
	// per pass: the times of its requests
	times []time.Duration
	p50s  []time.Duration
	p99s  []time.Duration
	maxs  []time.Duration
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("cold", flag.ContinueOnError)
	bin := fs.String("bin", "newsdesk", "the newsdesk `binary` to start")
	data := fs.String("data", "", "data `directory` of the corpus (SQLite file and media)")
	pg := fs.String("pg", "", "PostgreSQL `DSN` of the corpus (default: SQLite in --data)")
	coldFile := fs.String("cold", "", "`file` of never-viewed article paths, one a line (bench/corpus's cold.txt)")
	n := fs.Int("n", 300, "requests per kind and pass")
	rounds := fs.Int("rounds", 3, "passes; figures are the medians of the passes'")
	deep := fs.Int("deep", 5000, "how deep the deep pages are, in pages of 20 (the last page if an archive is shorter): the day page (?until=) of the story that page would start with")
	pageDeep := fs.Int("page-deep", 50, "how deep the ?page=N pages are (served by OFFSET, for links printed before the day pages; the last page if an archive is shorter); 0: none")
	lang := fs.String("lang", "en", "the site's default `language` (archive pages list its edition)")
	extra := fs.String("serve-args", "", "more arguments for newsdesk serve, space-separated")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *data == "" || *coldFile == "" {
		return errors.New("--data and --cold are required")
	}
	dsn, db := filepath.Join(*data, "newsdesk.db"), "sqlite"
	if *pg != "" {
		dsn, db = *pg, "postgres"
	}
	ctx := context.Background()
	cold, err := benchutil.ReadLines(*coldFile)
	if err == nil && len(cold) == 0 {
		err = fmt.Errorf("%s lists no paths", *coldFile)
	}
	if err != nil {
		return err
	}
	kinds, articles, err := archivePaths(ctx, dsn, *lang, *deep, *pageDeep)
	if err != nil {
		return err
	}
	kinds = append([]*kind{{name: "article", paths: cold}, {name: "home", paths: []string{"/"}}}, kinds...)
	if len(cold) < *n**rounds {
		fmt.Fprintf(os.Stderr, "cold: %d article paths for %d requests: some articles are asked for twice (their database rows are then warm)\n",
			len(cold), *n**rounds)
	}

	serveArgs := []string{"serve", "--data", *data, "--addr", "127.0.0.1:0", "--no-demo", "--cache-mb", "0"}
	if *pg != "" {
		serveArgs = append(serveArgs, "--db", *pg)
	}
	serveArgs = append(serveArgs, strings.Fields(*extra)...)
	logf, err := os.CreateTemp("", "cold-newsdesk-*.log")
	if err != nil {
		return err
	}
	defer os.Remove(logf.Name())
	cmd := exec.Command(*bin, serveArgs...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", *bin, err)
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	}()
	base, err := waitServing(logf.Name(), 120*time.Second)
	if err != nil {
		return err
	}
	client := &http.Client{Timeout: 30 * time.Second}
	// One request of each kind first: the process's own start-up (templates,
	// statement caches, connections) is not what is measured.
	for _, k := range kinds {
		if _, err := get(client, base+k.paths[len(k.paths)-1]); err != nil {
			return err
		}
	}
	for range *rounds {
		for _, k := range kinds {
			k.times = k.times[:0]
		}
		for range *n {
			for _, k := range kinds {
				p := k.paths[k.next%len(k.paths)]
				k.next++
				d, err := get(client, base+p)
				if err != nil {
					return err
				}
				k.times = append(k.times, d)
			}
		}
		for _, k := range kinds {
			slices.Sort(k.times)
			k.p50s = append(k.p50s, benchutil.Percentile(k.times, 50))
			k.p99s = append(k.p99s, benchutil.Percentile(k.times, 99))
			k.maxs = append(k.maxs, k.times[len(k.times)-1])
		}
	}

	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Fprintf(stdout, "never-viewed pages, %s, %d articles, page cache off, 1 connection, %d requests per kind × %d passes (medians of the passes), load %s\n",
		db, articles, *n, *rounds, strings.Join(strings.Fields(string(load))[:3], " "))
	fmt.Fprintf(stdout, "| %-44s | %8s | %8s | %8s | %s\n", "page", "p50 ms", "p99 ms", "max ms", "paths")
	fmt.Fprintf(stdout, "|%s|---------:|---------:|---------:|------\n", strings.Repeat("-", 46))
	for _, k := range kinds {
		fmt.Fprintf(stdout, "| %-44s | %8.2f | %8.2f | %8.2f | %d distinct\n", k.name, benchutil.Ms(median(k.p50s)), benchutil.Ms(median(k.p99s)), benchutil.Ms(median(k.maxs)), min(len(k.paths), *n**rounds))
	}
	fmt.Fprintln(stdout)
	fmt.Fprintf(stdout, "| %-60s | %8s | %s\n", "target (issue 19)", "figure", "met?")
	fmt.Fprintf(stdout, "|%s|---------:|------\n", strings.Repeat("-", 62))
	for _, k := range kinds {
		stat, fig := "p99", median(k.p99s)
		if db == "postgres" {
			stat, fig = "p50", median(k.p50s)
		}
		met := "met"
		if fig >= 5*time.Millisecond {
			met = "NOT met"
		}
		fmt.Fprintf(stdout, "| %-60s | %5.2f ms | %s\n",
			fmt.Sprintf("never-viewed %s %s < 5 ms (%d articles, %s)", k.name, stat, articles, db), benchutil.Ms(fig), met)
	}
	return nil
}

// archivePaths opens the corpus's store (before the server starts) and
// returns the section, tag and author pages, their deep pages (day pages,
// and ?page=N pages unless pageDeep is 0), and how many public articles
// the corpus holds.
func archivePaths(ctx context.Context, dsn, lang string, deep, pageDeep int) ([]*kind, int, error) {
	st, err := sqlstore.Open(ctx, dsn, sqlstore.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return nil, 0, err
	}
	defer st.Close()
	now := time.Now()
	total := func(f newsroom.ArticleFilter) (int, error) {
		f.PublicAt, f.Limit, f.Language = &now, 1, lang
		_, n, err := st.FindArticles(ctx, f)
		return n, err
	}
	articles, err := total(newsroom.ArticleFilter{})
	if err != nil {
		return nil, 0, err
	}
	// deepPath is the archive's day page (?until=DAY, the links its
	// pages print) as deep as its page deep, or its last page: the day of
	// the story that page would start with.
	deepPath := func(path string, f newsroom.ArticleFilter) (string, error) {
		n, err := total(f)
		if err != nil || n <= 20 {
			return "", err
		}
		f.PublicAt, f.Limit, f.Language, f.NoTotal = &now, 1, lang, true
		f.Offset = (min(deep, (n+19)/20) - 1) * 20
		list, _, err := st.FindArticles(ctx, f)
		if err != nil || len(list) == 0 {
			return "", err
		}
		return path + "?until=" + list[0].PublishedAt.UTC().Format(time.DateOnly), nil
	}
	section, tag, author := &kind{name: "section"}, &kind{name: "tag"}, &kind{name: "author"}
	sectionDeep, tagDeep, authorDeep := &kind{name: "section, deep page"}, &kind{name: "tag, deep page"}, &kind{name: "author, deep page"}
	sectionPage, tagPage, authorPage := &kind{name: "section, ?page=N"}, &kind{name: "tag, ?page=N"}, &kind{name: "author, ?page=N"}
	pages := map[*kind]*kind{section: sectionPage, tag: tagPage, author: authorPage}
	add := func(k, kd *kind, path string, f newsroom.ArticleFilter) error {
		k.paths = append(k.paths, path)
		d, err := deepPath(path, f)
		if d != "" {
			kd.paths = append(kd.paths, d)
		}
		if err != nil || pageDeep <= 0 {
			return err
		}
		// ?page=N: an OFFSET of (N-1)×20 stories.
		n, err := total(f)
		if n > 20 {
			pages[k].paths = append(pages[k].paths, fmt.Sprintf("%s?page=%d", path, min(pageDeep, (n+19)/20)))
		}
		return err
	}
	cats, err := st.Categories(ctx)
	if err != nil {
		return nil, 0, err
	}
	for _, c := range cats {
		if err := add(section, sectionDeep, "/"+c.Slug+"/", newsroom.ArticleFilter{Category: c.Slug}); err != nil {
			return nil, 0, err
		}
	}
	tags, err := st.Tags(ctx)
	if err != nil {
		return nil, 0, err
	}
	for _, t := range tags {
		if err := add(tag, tagDeep, "/tag/"+t.Slug, newsroom.ArticleFilter{Tag: t.Slug}); err != nil {
			return nil, 0, err
		}
	}
	authors, err := st.Authors(ctx)
	if err != nil {
		return nil, 0, err
	}
	for _, a := range authors {
		if a.Slug == "" {
			continue
		}
		if err := add(author, authorDeep, "/author/"+a.Slug, newsroom.ArticleFilter{AuthorID: a.ID}); err != nil {
			return nil, 0, err
		}
	}
	var out []*kind
	for _, k := range []*kind{section, tag, author, sectionDeep, tagDeep, authorDeep, sectionPage, tagPage, authorPage} {
		if len(k.paths) > 0 {
			out = append(out, k)
		}
	}
	return out, articles, nil
}

// get asks for one page, reads it whole and returns the time to the last
// byte; anything but 200 is an error (a page that is not rendered is not
// measured).
func get(c *http.Client, url string) (time.Duration, error) {
	start := time.Now()
	res, err := c.Get(url)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	d := time.Since(start)
	if err != nil {
		return 0, err
	}
	if res.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("GET %s: %s", url, res.Status)
	}
	if x := res.Header.Get("X-Cache"); x == "hit" {
		return 0, fmt.Errorf("GET %s: answered from a cache (X-Cache: %s), not rendered", url, x)
	}
	return d, nil
}

var serving = regexp.MustCompile(`serving (http://[0-9.]+:[0-9]+)`)

// waitServing reads the server's log until it says where it serves.
func waitServing(logFile string, timeout time.Duration) (string, error) {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(logFile); err == nil {
			if m := serving.FindSubmatch(b); m != nil {
				return string(m[1]), nil
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	b, _ := os.ReadFile(logFile)
	return "", fmt.Errorf("newsdesk did not start in %s; its log:\n%s", timeout, b)
}

func median(v []time.Duration) time.Duration {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}
