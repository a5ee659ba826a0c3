// Command search measures full-text search latency over a generated corpus
// on SQLite or PostgreSQL: the store's Search (ranked, with marked
// snippets) and the /search page served by the real site handler on a
// loopback listener, without the page cache. It reports the median and 95th
// percentile per query and over all of them, and stops by itself within
// --budget.
//
//	go run ./bench/search --dir /tmp/nd-search-sqlite                # SQLite
//	go run ./bench/search --db postgres://postgres@127.0.0.1:5432/test?sslmode=disable --dir /tmp/nd-search-pg
//
// The corpus (--articles, 100,000 by default) is generated once per
// database with plain INSERTs in large transactions; the search index is
// filled by the migration's triggers, exactly as on a live site. A second
// run on the same database reuses it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
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

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "search bench:", err)
		os.Exit(1)
	}
}

// sections and their topic words: every article mixes its section's words
// with common filler, so words have realistic, known frequencies.
var sections = []struct {
	slug  string
	words []string
}{
	{"harbour", []string{"harbour", "quay", "ferry", "ferries", "breakwater", "pilot", "dock"}},
	{"politics", []string{"council", "election", "budget", "mayor", "vote", "party", "minister"}},
	{"economy", []string{"prices", "shipyard", "wages", "market", "exports", "bank", "fish"}},
	{"world", []string{"treaty", "border", "embassy", "summit", "talks", "tunnel", "strait"}},
	{"science", []string{"aurora", "telescope", "seagrass", "survey", "research", "climate", "storm"}},
	{"culture", []string{"novel", "festival", "concert", "museum", "painter", "prize", "theatre"}},
	{"sport", []string{"regatta", "derby", "league", "coach", "stadium", "sailing", "cup"}},
	{"region", []string{"causeway", "school", "road", "flood", "storm", "warning", "bus"}},
}

// russian words for the Russian tenth of the corpus (inflected forms).
var russian = []string{"выборы", "выборах", "выборов", "совет", "совета", "паром", "паромы", "пароме",
	"шторм", "шторма", "гавань", "гавани", "рыбаки", "рыбаков", "ёлка", "ёлку", "остров", "островах"}

func filler(r *rand.Rand) string {
	// Pseudo-words from syllables: a vocabulary of ~8,000 with a Zipf-like
	// spread (low syllable indexes are common).
	syl := []string{"ka", "ro", "ve", "li", "mar", "sen", "tor", "al", "be", "dun", "es", "fi", "gol", "hin", "is", "jor", "kel", "lum", "mo", "nor"}
	n := 2 + r.IntN(2)
	var b strings.Builder
	for range n {
		i := int(float64(len(syl)) * r.Float64() * r.Float64())
		b.WriteString(syl[i])
	}
	return b.String()
}

func sentence(r *rand.Rand, topic []string, words int) string {
	var ws []string
	for range words {
		switch p := r.IntN(10); {
		case p < 2:
			ws = append(ws, topic[r.IntN(len(topic))])
		case p < 3:
			ws = append(ws, []string{"the", "a", "of", "and", "to", "in"}[r.IntN(6)])
		default:
			ws = append(ws, filler(r))
		}
	}
	s := []rune(strings.Join(ws, " "))
	return strings.ToUpper(string(s[:1])) + string(s[1:]) + "."
}

func run() error {
	fs := flag.NewFlagSet("search", flag.ContinueOnError)
	dir := fs.String("dir", "", "`directory` for the SQLite file (and nothing else with --db)")
	dsn := fs.String("db", "", "PostgreSQL `DSN` (default: SQLite in --dir)")
	n := fs.Int("articles", 100_000, "corpus size")
	runs := fs.Int("runs", 40, "timed runs per query")
	budget := fs.Duration("budget", 30*time.Minute, "stop after this long, whatever is left")
	if err := fs.Parse(os.Args[1:]); err != nil {
		return err
	}
	if *dsn == "" {
		if *dir == "" {
			return errors.New("--dir or --db is required")
		}
		if err := os.MkdirAll(*dir, 0o755); err != nil {
			return err
		}
		*dsn = filepath.Join(*dir, "search.db")
	}
	ctx, cancel := context.WithTimeout(context.Background(), *budget)
	defer cancel()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	st, err := sqlstore.Open(ctx, *dsn, sqlstore.Options{Logger: quiet})
	if err != nil {
		return err
	}
	defer st.Close()
	now := time.Now().UTC()
	if err := fill(ctx, st, *n, now); err != nil {
		return err
	}
	var count int
	if err := st.DB().QueryRowContext(ctx, "SELECT count(*) FROM articles").Scan(&count); err != nil {
		return err
	}
	fmt.Printf("database %s, %d articles, %s\n", st.Dialect(), count, time.Now().Format(time.RFC3339))

	srv, err := site.New(site.Config{Store: st, SiteName: "Bench", BaseURL: "http://bench.example", Logger: quiet, Now: func() time.Time { return now }})
	if err != nil {
		return err
	}
	ts := httptest.NewServer(srv.Handler()) // 127.0.0.1, no page cache
	defer ts.Close()

	monthAgo := now.AddDate(0, -1, 0)
	queries := []struct {
		name string
		q    newsroom.SearchQuery
	}{
		{"common word", newsroom.SearchQuery{Text: "harbour"}},
		{"two words", newsroom.SearchQuery{Text: "ferry breakwater"}},
		{"phrase", newsroom.SearchQuery{Text: `"storm warning"`}},
		{"stem (ferries)", newsroom.SearchQuery{Text: "ferries"}},
		{"negation", newsroom.SearchQuery{Text: "storm -flood"}},
		{"or", newsroom.SearchQuery{Text: "regatta OR festival"}},
		{"rare word", newsroom.SearchQuery{Text: "zephyrine"}},
		{"russian", newsroom.SearchQuery{Text: "выборах"}},
		{"section filter", newsroom.SearchQuery{Text: "storm", Category: "region"}},
		{"date range", newsroom.SearchQuery{Text: "council", From: monthAgo, To: now}},
		{"page 5", newsroom.SearchQuery{Text: "harbour", Offset: 40}},
		{"symbols", newsroom.SearchQuery{Text: `"harbour (quay" -* OR`}},
	}
	var allStore, allHTTP []time.Duration
	fmt.Printf("\n%-16s %8s %10s %10s %10s %10s\n", "query", "hits", "store p50", "store p95", "page p50", "page p95")
	client := ts.Client()
	for _, tq := range queries {
		if ctx.Err() != nil {
			fmt.Println("budget spent; stopping")
			break
		}
		q := tq.q
		q.PublicAt, q.Limit = &now, 10
		var total int
		var ds, dh []time.Duration
		for i := range *runs + 3 {
			t0 := time.Now()
			_, tot, err := st.Search(ctx, q)
			d := time.Since(t0)
			if err != nil {
				return fmt.Errorf("%s: %w", tq.name, err)
			}
			total = tot
			if i >= 3 {
				ds = append(ds, d)
			}
		}
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
		for i := range *runs + 3 {
			t0 := time.Now()
			res, err := client.Get(ts.URL + "/search?" + v.Encode())
			if err != nil {
				return err
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			d := time.Since(t0)
			if res.StatusCode != http.StatusOK {
				return fmt.Errorf("%s: GET /search: %d", tq.name, res.StatusCode)
			}
			if i >= 3 {
				dh = append(dh, d)
			}
		}
		allStore, allHTTP = append(allStore, ds...), append(allHTTP, dh...)
		fmt.Printf("%-16s %8d %10s %10s %10s %10s\n", tq.name, total, pct(ds, 50), pct(ds, 95), pct(dh, 50), pct(dh, 95))
	}
	fmt.Printf("%-16s %8s %10s %10s %10s %10s\n", "all", "", pct(allStore, 50), pct(allStore, 95), pct(allHTTP, 50), pct(allHTTP, 95))
	return nil
}

func pct(ds []time.Duration, p int) string {
	if len(ds) == 0 {
		return "-"
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := (len(s)*p + 99) / 100
	return s[max(i-1, 0)].Round(10 * time.Microsecond).String()
}

// fill adds articles until there are n: sections, tags and authors first,
// then articles in transactions of 1,000, published over the past two
// years, a tenth in Russian, one in 2,000 with the rare word "zephyrine".
func fill(ctx context.Context, st *sqlstore.Store, n int, now time.Time) error {
	db := st.DB()
	var have int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM articles").Scan(&have); err != nil {
		return err
	}
	if have >= n {
		return nil
	}
	if have == 0 {
		for i, s := range sections {
			if err := st.CreateCategory(ctx, &newsroom.Category{Slug: s.slug, Name: strings.ToUpper(s.slug[:1]) + s.slug[1:], Position: i}); err != nil {
				return err
			}
		}
		for i := range 40 {
			if _, err := st.EnsureTag(ctx, fmt.Sprintf("tag-%d", i), fmt.Sprintf("Topic %s", filler(rand.New(rand.NewPCG(uint64(i), 9))))); err != nil {
				return err
			}
		}
		if err := st.CreateAuthor(ctx, &newsroom.Author{Slug: "bench-writer", Name: "Bench Writer", Label: newsroom.LabelStaff}); err != nil {
			return err
		}
	}
	timeArg := func(t time.Time) any {
		if st.Dialect() == "sqlite" {
			return t.UTC().Format("2006-01-02T15:04:05.000000Z")
		}
		return t.UTC()
	}
	catIDs := map[string]int64{}
	for _, s := range sections {
		c, err := st.CategoryBySlug(ctx, s.slug)
		if err != nil {
			return err
		}
		catIDs[s.slug] = c.ID
	}
	tags, err := st.Tags(ctx)
	if err != nil {
		return err
	}
	au, err := st.AuthorBySlug(ctx, "bench-writer")
	if err != nil {
		return err
	}
	start := time.Now()
	r := rand.New(rand.NewPCG(42, uint64(have)))
	for i := have; i < n; {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		for end := min(i+1000, n); i < end; i++ {
			sec := sections[r.IntN(len(sections))]
			lang, topic := "en", sec.words
			if i%10 == 9 {
				lang, topic = "ru", russian
			}
			headline := sentence(r, topic, 6+r.IntN(5))
			standfirst := sentence(r, topic, 15)
			var paras []string
			for range 4 + r.IntN(4) {
				s := sentence(r, topic, 20+r.IntN(20))
				if i%2000 == 7 {
					s += " Zephyrine winds were reported."
				}
				if lang == "en" && r.IntN(8) == 0 {
					s += " A storm warning was issued."
				}
				paras = append(paras, s)
			}
			body := strings.Join(paras, "\n\n")
			html := "<p>" + strings.Join(paras, "</p>\n<p>") + "</p>"
			pub := now.Add(-time.Duration(r.Int64N(int64(2 * 365 * 24 * time.Hour))))
			var id int64
			err := tx.QueryRowContext(ctx, `INSERT INTO articles (slug, status, headline, standfirst, body, body_html,
				headline_html, standfirst_html, language, published_at, created_at, updated_at, revision,
				comments_open, comment_count, sources, legal_marks)
				VALUES ($1, 'published', $2, $3, $4, $5, $6, $7, $8, $9, $9, $9, 1, $10, 0, '[]', '[]') RETURNING id`,
				fmt.Sprintf("bench-%d", i), headline, standfirst, body, html, headline, standfirst, lang,
				timeArg(pub), true).Scan(&id)
			if err != nil {
				tx.Rollback()
				return fmt.Errorf("insert article %d: %w", i, err)
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO article_categories (article_id, category_id, position) VALUES ($1, $2, 0)", id, catIDs[sec.slug]); err != nil {
				tx.Rollback()
				return err
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO article_authors (article_id, author_id, position, label) VALUES ($1, $2, 0, '')", id, au.ID); err != nil {
				tx.Rollback()
				return err
			}
			for k, t := range []newsroom.Tag{tags[r.IntN(len(tags))], tags[r.IntN(len(tags))]} {
				if _, err := tx.ExecContext(ctx, "INSERT INTO article_tags (article_id, tag_id, position) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", id, t.ID, k); err != nil {
					tx.Rollback()
					return err
				}
			}
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		if i%10_000 == 0 || i == n {
			fmt.Fprintf(os.Stderr, "  %d articles (%s)\n", i, time.Since(start).Round(time.Second))
		}
	}
	if st.Dialect() == "postgres" {
		// What autovacuum does on a live site: statistics and the
		// visibility map (index-only scans).
		if _, err := db.ExecContext(ctx, "VACUUM ANALYZE"); err != nil {
			return err
		}
	} else if _, err := db.ExecContext(ctx, "ANALYZE; INSERT INTO article_fts(article_fts) VALUES ('optimize')"); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "corpus of %d articles written in %s\n", n, time.Since(start).Round(time.Second))
	return nil
}
