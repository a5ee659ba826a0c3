// Command corpus fills a newsdesk database with a benchmark corpus: the demo
// outlet (sections, authors, tags, photographs), then N more published
// articles made from the demo stories, spread over the past two years. It
// writes through the store, as the application does, and leaves the
// database ready for `newsdesk serve --no-demo`.
//
//	go run ./bench/corpus --data DIR [--db DSN] [--articles 20000] --out DIR
//
// In --out it writes article.txt (one article's path, the page benchmarked
// hot), cold.txt (every other generated article's path, shuffled: pages
// never viewed, for the cache-miss run), section.txt (that article's
// section path) and id.txt (its id).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/demo"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/render"
	"newsdesk/internal/sqlstore"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "corpus:", err)
		os.Exit(1)
	}
}

func run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("corpus", flag.ContinueOnError)
	data := fs.String("data", "", "data `directory` (SQLite file and media)")
	dsn := fs.String("db", "", "database `DSN` (default: SQLite in --data)")
	n := fs.Int("articles", 20000, "how many articles to generate besides the demo")
	out := fs.String("out", "", "`directory` for the URL lists")
	comments := fs.Int("comments", 200000, "how many approved comments to spread over the articles (when the build has comments)")
	replyEvery := fs.Int("reply-every", 0, "make every `N`th comment a reply to its article's first comment (0: none)")
	seed := fs.Uint64("seed", 1, "random seed")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *data == "" || *out == "" {
		return errors.New("--data and --out are required")
	}
	if err := os.MkdirAll(filepath.Join(*data, "media"), 0o755); err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	if *dsn == "" {
		*dsn = filepath.Join(*data, "newsdesk.db")
	}
	ctx := context.Background()
	now := time.Now().UTC()
	st, err := sqlstore.Open(ctx, *dsn, sqlstore.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return err
	}
	defer st.Close()
	if done, err := st.Setting(ctx, "initialized_at"); err != nil {
		return err
	} else if done != "" {
		return errors.New("the database is not empty")
	}

	start := time.Now()
	r := render.New()
	if _, err := demo.Seed(ctx, demo.Deps{Store: st, Render: r.Article, MediaDir: filepath.Join(*data, "media"), Now: now, Language: "en"}); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	pub := newsroom.Published
	list, _, err := st.FindArticles(ctx, newsroom.ArticleFilter{Status: &pub, Limit: 500})
	if err != nil {
		return err
	}
	var models []*newsroom.Article
	for _, a := range list {
		if a.Language != "en" {
			continue
		}
		full, err := st.ArticleByID(ctx, a.ID)
		if err != nil {
			return err
		}
		models = append(models, full)
	}
	if len(models) == 0 {
		return errors.New("the demo has no published English articles")
	}
	fmt.Fprintf(stderr, "corpus: demo loaded (%d model articles) in %v\n", len(models), time.Since(start).Round(time.Millisecond))

	rng := rand.New(rand.NewPCG(*seed, 2))
	span := 2 * 365 * 24 * time.Hour
	paths := make([]string, 0, *n)
	var ids []int64
	start = time.Now()
	for i := range *n {
		m := models[i%len(models)]
		a := *m
		a.ID, a.Revision = 0, 0
		a.Slug = m.Slug + "-" + strconv.Itoa(i+1)
		a.Headline = fmt.Sprintf("%s, part %d", m.Headline, i+1)
		a.HeadlineHTML = render.Inline(a.Headline)
		a.PublishedAt = now.Add(-time.Hour - time.Duration(rng.Int64N(int64(span))))
		a.EditedAt = time.Time{}
		a.Corrections, a.ShareCounts = nil, nil
		a.Authors = append([]newsroom.Byline(nil), m.Authors...)
		a.Categories = append([]newsroom.Category(nil), m.Categories...)
		a.Tags = append([]newsroom.Tag(nil), m.Tags...)
		if err := st.CreateArticle(ctx, &a); err != nil {
			return fmt.Errorf("article %d: %w", i+1, err)
		}
		paths = append(paths, a.URL())
		ids = append(ids, a.ID)
		if (i+1)%5000 == 0 {
			el := time.Since(start)
			fmt.Fprintf(stderr, "corpus: %d articles (%.0f/s)\n", i+1, float64(i+1)/el.Seconds())
		}
	}
	fmt.Fprintf(stderr, "corpus: %d articles in %v\n", *n, time.Since(start).Round(time.Millisecond))
	if *comments > 0 && len(ids) > 0 {
		start = time.Now()
		hot := ids[len(ids)/2]
		if err := addComments(ctx, st, ids, hot, *comments, *replyEvery, now, rng); err != nil {
			return fmt.Errorf("comments: %w", err)
		}
		fmt.Fprintf(stderr, "corpus: comments: %d approved comments (50 on the benchmarked article, the rest spread evenly) in %v\n",
			*comments, time.Since(start).Round(time.Millisecond))
	}
	if err := st.SetSetting(ctx, "initialized_at", now.Format(time.RFC3339)); err != nil {
		return err
	}
	if st.Dialect() == "postgres" {
		// Fresh statistics, as autovacuum would have them on a live site.
		if _, err := st.DB().ExecContext(ctx, "ANALYZE"); err != nil {
			return err
		}
	}

	// The hot article is one from the middle; the others stay cold.
	hot := len(paths) / 2
	if len(paths) == 0 {
		return writeFiles(*out, models[0].URL(), sectionPath(models[0]), models[0].ID, nil)
	}
	hotArt, err := st.ArticleByID(ctx, ids[hot])
	if err != nil {
		return err
	}
	cold := append(append([]string{}, paths[:hot]...), paths[hot+1:]...)
	rng.Shuffle(len(cold), func(i, j int) { cold[i], cold[j] = cold[j], cold[i] })
	if err := writeReport(*out, hotArt); err != nil {
		return err
	}
	return writeFiles(*out, hotArt.URL(), sectionPath(hotArt), hotArt.ID, cold)
}

// addComments writes n approved comments straight into the comments table
// in one transaction, in batches (CreateComment, one transaction each, would
// take minutes), then sets every article's comment count. The hot article
// gets 50 of them, some as replies.
func addComments(ctx context.Context, st *sqlstore.Store, ids []int64, hot int64, n, replyEvery int, now time.Time, rng *rand.Rand) error {
	tx, err := st.DB().BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ts := func(t time.Time) any {
		if st.Dialect() == "sqlite" {
			return t.UTC().Format("2006-01-02T15:04:05.000000Z")
		}
		return t.UTC()
	}
	const batch = 200
	var args []any
	var rows []string
	flush := func() error {
		if len(rows) == 0 {
			return nil
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO comments (article_id, depth, status, name, email,
			website, body, body_html, ip, user_agent, created_at, updated_at, status_at)
			VALUES `+strings.Join(rows, ", "), args...)
		args, rows = args[:0], rows[:0]
		return err
	}
	names := []string{"Mara Holm", "Ivo Tann", "Lise Varde", "Oskar Rist", "Nell Brenn", "Tomas Kail"}
	for i := range n {
		article := ids[rng.IntN(len(ids))]
		if i < 50 {
			article = hot
		}
		name := names[i%len(names)]
		body := fmt.Sprintf("Comment number %d. The ferry timetable matters to everyone on the coast, and this report gets it right.", i+1)
		at := now.Add(-time.Duration(rng.Int64N(int64(30 * 24 * time.Hour))))
		p := len(args)
		rows = append(rows, fmt.Sprintf("($%d, 0, $%d, $%d, $%d, '', $%d, $%d, '127.0.0.1', 'bench', $%d, $%d, $%d)",
			p+1, p+2, p+3, p+4, p+5, p+6, p+7, p+8, p+9))
		args = append(args, article, string(newsroom.CommentApproved), name,
			strings.ToLower(strings.ReplaceAll(name, " ", "."))+"@example.com",
			body, "<p>"+body+"</p>", ts(at), ts(at), ts(at))
		if len(rows) == batch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	if replyEvery > 0 {
		// Threads, for the restore benchmark: reply links are rows
		// pointing at rows of their own table.
		if _, err := tx.ExecContext(ctx, `UPDATE comments SET depth = 1, parent_id = (SELECT min(f.id) FROM comments f
			WHERE f.article_id = comments.article_id)
			WHERE id % $1 = 0 AND id > (SELECT min(f.id) FROM comments f WHERE f.article_id = comments.article_id)`, replyEvery); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE articles SET comment_count = (SELECT count(*) FROM comments c
		WHERE c.article_id = articles.id AND c.status = $1)`, string(newsroom.CommentApproved)); err != nil {
		return err
	}
	return tx.Commit()
}

// writeReport writes report.json: an error report about two words of the
// article's first paragraph, with the words around them as context.
func writeReport(dir string, a *newsroom.Article) error {
	para, _, _ := strings.Cut(a.Body, "\n")
	w := strings.Fields(para)
	if len(w) < 10 {
		return nil
	}
	body, err := json.Marshal(map[string]any{
		"article_id": a.ID, "revision": a.Revision,
		"prefix": strings.Join(w[:5], " ") + " ", "exact": strings.Join(w[5:7], " "),
		"suffix": " " + strings.Join(w[7:10], " "), "suggestion": "", "comment": "A benchmark report.",
	})
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "report.json"), body, 0o644)
}

func sectionPath(a *newsroom.Article) string {
	if c := a.PrimaryCategory(); c != nil {
		return "/" + c.Slug + "/"
	}
	return "/"
}

func writeFiles(dir, article, section string, id int64, cold []string) error {
	files := map[string]string{
		"article.txt": article + "\n",
		"section.txt": section + "\n",
		"id.txt":      strconv.FormatInt(id, 10) + "\n",
		"cold.txt":    strings.Join(cold, "\n") + "\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			return err
		}
	}
	return nil
}
