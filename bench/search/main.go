// Command search measures full-text search latency over a generated corpus
// on SQLite or PostgreSQL: the store's Search (ranked, with marked
// snippets) and the /search page served by the real site handler on a
// loopback listener, without the page cache. Each query class cycles
// through several queries; it reports the median and 95th percentile per
// class and whether the target (p95 of the page under 50 ms) is met, and
// stops measuring by itself after --budget (counted from the end of the
// corpus generation, which takes as long as it takes).
//
//	go run ./bench/search --dir /work/data/search/sqlite-100k --articles 100000
//	go run ./bench/search --pg 'postgres://postgres@127.0.0.1:5432/nd_search_100k?sslmode=disable' --articles 100000
//
// The corpus (corpus.go) is made once per database, from scratch: the
// SQLite file in --dir, or the PostgreSQL database named in --pg (created
// when missing). A second run with the same --articles reuses it.
//
// With --queries it measures a corpus made by bench/corpus instead (the
// one bench/run.sh, bench/cold and bench/storm use), as it is: the
// newsdesk.db in --dir, or the database of --pg, and the searches of that
// corpus's queries.txt (a class, a tab, a search path), every class one
// of the five:
//
//	go run ./bench/search --dir /work/data/scale/c1m --queries /work/data/scale/c1m/out/queries.txt
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/site"
	"newsdesk/internal/sqlstore"
)

// target is the goal for an uncached search at a million articles.
const target = 50 * time.Millisecond

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "search bench:", err)
		os.Exit(1)
	}
}

type class struct {
	name    string
	target  bool // one of the five classes
	queries []newsroom.SearchQuery
	paths   []string // the pages to ask for (default: made from queries)
}

// texts are English queries; the site's English edition searches English
// stories (issue 17), as does the store here.
func texts(ts ...string) []newsroom.SearchQuery {
	var qs []newsroom.SearchQuery
	for _, t := range ts {
		qs = append(qs, newsroom.SearchQuery{Text: t, Language: "en"})
	}
	return qs
}

// russianTexts are queries of the Russian edition, /ru/search.
func russianTexts(ts ...string) []newsroom.SearchQuery {
	qs := texts(ts...)
	for i := range qs {
		qs[i].Language = "ru"
	}
	return qs
}

func run() error {
	fs := flag.NewFlagSet("search", flag.ContinueOnError)
	dir := fs.String("dir", "", "`directory` for the SQLite corpus (search.db)")
	dsn := fs.String("pg", "", "PostgreSQL `DSN` of the corpus database (created when missing); instead of --dir")
	n := fs.Int("articles", 100_000, "corpus size")
	runs := fs.Int("runs", 40, "timed runs per query class")
	noRUM := fs.Bool("no-rum", false, "PostgreSQL: search through the GIN index even where the RUM indexes exist")
	budget := fs.Duration("budget", 60*time.Minute, "stop measuring after this long, whatever is left (the corpus generation is not counted)")
	queryFile := fs.String("queries", "", "bench/corpus's queries.txt: measure that corpus (newsdesk.db in --dir, or --pg) with its searches, making none")
	if err := fs.Parse(os.Args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if *n < 100 {
		return errors.New("--articles must be at least 100")
	}
	if *runs < 1 {
		return errors.New("--runs must be at least 1")
	}
	if *budget <= 0 {
		return errors.New("--budget must be positive")
	}
	ctx := context.Background()
	storeDSN := *dsn
	switch {
	case *dsn != "" && *dir != "":
		return errors.New("give --dir (SQLite) or --pg (PostgreSQL), not both")
	case *dsn != "" && *queryFile != "":
		// bench/corpus's database, as it is
	case *dsn != "":
		if err := ensureDatabase(ctx, *dsn); err != nil {
			return err
		}
	case *dir != "" && *queryFile != "":
		storeDSN = filepath.Join(*dir, "newsdesk.db")
		if _, err := os.Stat(storeDSN); err != nil {
			return fmt.Errorf("--queries: %w", err)
		}
	case *dir != "":
		if err := os.MkdirAll(*dir, 0o755); err != nil {
			return err
		}
		storeDSN = filepath.Join(*dir, "search.db")
	default:
		return errors.New("--dir or --pg is required")
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	st, err := sqlstore.Open(ctx, storeDSN, sqlstore.Options{Logger: quiet, NoRUM: *noRUM})
	if err != nil {
		return err
	}
	defer st.Close()
	// The corpus is dated from a fixed day, so that a rerun measures the
	// same articles; "now" is that day. bench/corpus's is dated from the
	// time it was made, in the past.
	now := time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)
	var fromFile []class
	if *queryFile != "" {
		now = time.Now().UTC()
		if fromFile, err = readQueries(*queryFile); err != nil {
			return err
		}
	} else if err := fill(ctx, st, *dsn, *n, now); err != nil {
		return err
	}
	var count int
	if err := st.DB().QueryRowContext(ctx, "SELECT count(*) FROM articles").Scan(&count); err != nil {
		return err
	}
	// The budget runs from here: making the corpus (minutes to tens of
	// minutes) is not part of it.
	deadline := time.Now().Add(*budget)
	spent := func() bool { return time.Now().After(deadline) }
	fmt.Printf("database %s (search index %s), %d articles, %s, %d runs per class, budget %s, load average %s\n", st.Dialect(), st.SearchIndex(), count, time.Now().Format(time.RFC3339), *runs, *budget, loadAverage())

	srv, err := site.New(site.Config{Store: st, SiteName: "Bench", BaseURL: "http://bench.example", Logger: quiet, Now: func() time.Time { return now }})
	if err != nil {
		return err
	}
	ts := httptest.NewServer(srv.Handler()) // 127.0.0.1, no page cache
	defer ts.Close()

	if fromFile != nil {
		return measure(ctx, st, ts.Client(), ts.URL, fromFile, now, *runs, spent, nil)
	}
	// An old story's own headline as the query: it must come first.
	old := makeArticle(*n/3, *n, now)
	for k := 1; old.status != "published" || old.language != "en"; k++ {
		old = makeArticle(*n/3+k, *n, now)
	}
	monthAgo := now.AddDate(0, -1, 0)
	classes := []class{
		{"common word", true, texts("harbour", "council", "festival", "market", "summit"), nil},
		{"two words", true, texts("ferry breakwater", "council budget", "museum prize", "league coach"), nil},
		{"phrase", true, texts(`"storm warning"`, `"warning was issued"`, `"harbour pilot"`, `"council budget"`), nil},
		{"rare word", true, texts("zephyrine", "quillwort", "zephyrine reported"), nil},
		{"russian", true, russianTexts("выборах", "паромы", "шторма", "совета гавани"), nil},
		{"stem (ferries)", false, texts("ferries", "elections", "prizes"), nil},
		{"negation", false, texts("storm -flood", "harbour -ferry"), nil},
		{"or", false, texts("regatta OR festival", "aurora OR glacier"), nil},
		{"section filter", false, []newsroom.SearchQuery{{Text: "storm", Category: "region", Language: "en"}, {Text: "talks", Category: "world", Language: "en"}}, nil},
		{"date range", false, []newsroom.SearchQuery{{Text: "council", From: monthAgo, To: now, Language: "en"}, {Text: "harbour", From: monthAgo, To: now, Language: "en"}}, nil},
		{"page 5", false, []newsroom.SearchQuery{{Text: "harbour", Offset: 40, Language: "en"}, {Text: "market", Offset: 40, Language: "en"}}, nil},
		{"old headline", false, texts(old.headline), nil},
	}
	return measure(ctx, st, ts.Client(), ts.URL, classes, now, *runs, spent, &old)
}

// measure times each class: the store's Search, then the page through
// the site handler at base; with old, the "old headline" class also says
// where that story came.
func measure(ctx context.Context, st *sqlstore.Store, client *http.Client, base string, classes []class, now time.Time,
	runs int, spent func() bool, old *article) error {
	var allStore, allPage []time.Duration
	met, missed := 0, 0
	fmt.Printf("\n%-15s %-16s %9s %9s %9s %9s  %s\n", "class", "hits (first q.)", "store p50", "store p95", "page p50", "page p95", "target p95 < 50 ms (page)")
	for _, c := range classes {
		if spent() {
			fmt.Println("budget spent; stopping")
			break
		}
		var ds, dh []time.Duration
		hits := ""
		for k, q := range c.queries {
			q.PublicAt, q.Limit = &now, 10
			c.queries[k] = q
			// Warm-up: two runs of each query.
			for range 2 {
				if _, _, err := st.Search(ctx, q); err != nil {
					return fmt.Errorf("%s %q: %w", c.name, q.Text, err)
				}
			}
			got, total, err := st.Search(ctx, q)
			if err != nil {
				return err
			}
			if k == 0 {
				hits = fmt.Sprint(total)
				if total > newsroom.SearchCandidates {
					hits = "about " + hits
				}
			}
			if c.name == "old headline" && old != nil {
				pos := slices.IndexFunc(got, func(h newsroom.SearchHit) bool { return h.Article.ID == old.id })
				hits += fmt.Sprintf(" (story at %d)", pos+1)
			}
		}
		for i := range runs {
			if spent() && i > 0 {
				break
			}
			q := c.queries[i%len(c.queries)]
			t0 := time.Now()
			if _, _, err := st.Search(ctx, q); err != nil {
				return fmt.Errorf("%s %q: %w", c.name, q.Text, err)
			}
			ds = append(ds, time.Since(t0))
		}
		for i := range runs {
			if spent() && i > 0 {
				break
			}
			q := c.queries[i%len(c.queries)]
			v := url.Values{"q": {q.Text}}
			if q.Category != "" {
				v.Set("section", q.Category)
			}
			if !q.From.IsZero() {
				v.Set("from", q.From.Format(time.DateOnly))
				v.Set("to", q.To.Format(time.DateOnly))
			}
			if q.Offset > 0 {
				v.Set("page", fmt.Sprint(q.Offset/10+1))
			}
			path := "/search?"
			if q.Language == "ru" {
				path = "/ru/search?"
			}
			path += v.Encode()
			if c.paths != nil {
				path = c.paths[i%len(c.paths)]
			}
			t0 := time.Now()
			res, err := client.Get(base + path)
			if err != nil {
				return err
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				return fmt.Errorf("%s: GET %s: %d", c.name, path, res.StatusCode)
			}
			dh = append(dh, time.Since(t0))
		}
		allStore, allPage = append(allStore, ds...), append(allPage, dh...)
		verdict := ""
		if c.target {
			if pct(dh, 95) < target {
				verdict, met = "met", met+1
			} else {
				verdict, missed = "NOT met", missed+1
			}
		}
		if len(ds) < runs || len(dh) < runs {
			verdict += fmt.Sprintf(" (budget spent: %d+%d of %d runs)", len(ds), len(dh), runs)
		}
		fmt.Printf("%-15s %-16s %9s %9s %9s %9s  %s\n", c.name, hits, show(pct(ds, 50)), show(pct(ds, 95)), show(pct(dh, 50)), show(pct(dh, 95)), verdict)
	}
	fmt.Printf("%-15s %-16s %9s %9s %9s %9s\n", "all", "", show(pct(allStore, 50)), show(pct(allStore, 95)), show(pct(allPage, 50)), show(pct(allPage, 95)))
	fmt.Printf("\nsearch target (p95 < 50 ms): %d of %d classes met; load average at the end %s\n", met, met+missed, loadAverage())
	look := texts("harbour", "zephyrine")
	if old == nil {
		look = nil
		for _, c := range classes {
			look = append(look, c.queries[0])
		}
	}
	for _, q := range look {
		fmt.Printf("  %s: %s\n", q.Text, strings.Join(topHeadlines(ctx, st, q.Text, q.Language, now), " | "))
	}
	return nil
}

// readQueries reads bench/corpus's queries.txt: a class, a tab and a
// search path a line (/search?q=… or, on the Russian edition,
// /ru/search?q=…), in classes in the file's order.
func readQueries(file string) ([]class, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var out []class
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		name, path, ok := strings.Cut(line, "\t")
		u, err := url.Parse(path)
		if !ok || err != nil || !strings.HasSuffix(u.Path, "/search") || u.Query().Get("q") == "" {
			return nil, fmt.Errorf("%s: not a class and a search path: %q", file, line)
		}
		q := newsroom.SearchQuery{Text: u.Query().Get("q"), Language: "en"}
		if strings.HasPrefix(u.Path, "/ru/") {
			q.Language = "ru"
		}
		if len(out) == 0 || out[len(out)-1].name != name {
			out = append(out, class{name: name, target: true})
		}
		c := &out[len(out)-1]
		c.queries, c.paths = append(c.queries, q), append(c.paths, path)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no searches", file)
	}
	return out, nil
}

// topHeadlines is the first three results of a query, for a look at the
// ranking.
func topHeadlines(ctx context.Context, st *sqlstore.Store, text, lang string, now time.Time) []string {
	hits, _, err := st.Search(ctx, newsroom.SearchQuery{Text: text, PublicAt: &now, Limit: 3, Language: lang})
	if err != nil {
		return []string{err.Error()}
	}
	var out []string
	for _, h := range hits {
		out = append(out, fmt.Sprintf("%s (%s)", h.Article.Headline, h.Article.PublishedAt.Format(time.DateOnly)))
	}
	return out
}

// loadAverage is the machine's 1, 5 and 15 minute load averages, or "?"
// where /proc/loadavg cannot be read.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "?"
}

func pct(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := (len(s)*p + 99) / 100
	return s[max(i-1, 0)]
}

func show(d time.Duration) string {
	return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000)
}
