package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/sqlstore"
)

// The corpus: articles published over five years in id order (with a few
// days' jitter, as a newsroom publishes), one in ten in Russian, one in a
// hundred a draft. Every article mixes its section's topic words (a fifth
// of the words) with stop words and pseudo-words of a Zipf-like
// vocabulary, so a topic word is in about one English article in eight.
// Fixed words give the query classes known frequencies:
//
//   - "storm warning" ends about one English paragraph in eight (a phrase
//     with hundreds of thousands of matches at a million articles);
//   - "zephyrine" is in one article in 2,000 (a rare word), "quillwort" in
//     one in 50,000 (rarer);
//   - Russian articles use inflected forms of their topic words
//     (выборы, выборах, выборов…), so stems matter.
var sections = []struct {
	slug  string
	words []string
}{
	{"harbour", []string{"harbour", "quay", "ferry", "ferries", "breakwater", "pilot", "dock", "tug"}},
	{"politics", []string{"council", "election", "budget", "mayor", "vote", "party", "minister", "motion"}},
	{"economy", []string{"prices", "shipyard", "wages", "market", "exports", "bank", "fish", "tariff"}},
	{"world", []string{"treaty", "border", "embassy", "summit", "talks", "tunnel", "strait", "envoy"}},
	{"science", []string{"aurora", "telescope", "seagrass", "survey", "research", "climate", "glacier", "probe"}},
	{"culture", []string{"novel", "festival", "concert", "museum", "painter", "prize", "theatre", "choir"}},
	{"sport", []string{"regatta", "derby", "league", "coach", "stadium", "sailing", "cup", "rowing"}},
	{"region", []string{"causeway", "school", "road", "flood", "storm", "warning", "bus", "bridge"}},
}

// russianTopics are the Russian articles' topic words, several forms each.
var russianTopics = [][]string{
	{"выборы", "выборах", "выборов", "выборам"},
	{"совет", "совета", "советом", "совете"},
	{"паром", "паромы", "пароме", "паромов"},
	{"шторм", "шторма", "штормом", "штормовое"},
	{"гавань", "гавани", "гаванью"},
	{"рыбаки", "рыбаков", "рыбакам"},
	{"остров", "острова", "островах", "островов"},
	{"бюджет", "бюджета", "бюджете"},
}

var (
	latinSyl    = []string{"ka", "ro", "ve", "li", "mar", "sen", "tor", "al", "be", "dun", "es", "fi", "gol", "hin", "is", "jor", "kel", "lum", "mo", "nor", "pa", "qui", "ras", "tu"}
	cyrillicSyl = []string{"ка", "ро", "ве", "ли", "мар", "сен", "тор", "ал", "бе", "дун", "ес", "фи", "гол", "хин", "ис", "жор", "кел", "лум", "мо", "нор", "па", "ры", "ста", "ту"}
	enStop      = []string{"the", "a", "of", "and", "to", "in", "on", "for", "with", "at"}
	ruStop      = []string{"и", "в", "на", "с", "по", "о", "к", "за", "от", "из"}
)

type gen struct {
	r *rand.Rand
	b strings.Builder
}

// pseudo is a made-up word of two or three syllables; low syllables are
// common, so a few thousand words make up most of the text.
func (g *gen) pseudo(syl []string) string {
	n := 2 + g.r.IntN(2)
	var b strings.Builder
	for range n {
		b.WriteString(syl[int(float64(len(syl))*g.r.Float64()*g.r.Float64())])
	}
	return b.String()
}

// sentence is words words: a fifth topic words, a tenth stop words, the
// rest pseudo-words; capitalised, with a full stop.
func (g *gen) sentence(ru bool, topic []string, words int) string {
	g.b.Reset()
	for k := range words {
		var w string
		switch p := g.r.IntN(10); {
		case p < 2 && ru:
			forms := russianTopics[g.r.IntN(len(russianTopics))]
			w = forms[g.r.IntN(len(forms))]
		case p < 2:
			w = topic[g.r.IntN(len(topic))]
		case p < 3 && ru:
			w = ruStop[g.r.IntN(len(ruStop))]
		case p < 3:
			w = enStop[g.r.IntN(len(enStop))]
		case ru:
			w = g.pseudo(cyrillicSyl)
		default:
			w = g.pseudo(latinSyl)
		}
		if k == 0 {
			r := []rune(w)
			w = strings.ToUpper(string(r[:1])) + string(r[1:])
		} else {
			g.b.WriteByte(' ')
		}
		g.b.WriteString(w)
	}
	g.b.WriteByte('.')
	return g.b.String()
}

// article is one generated story.
type article struct {
	id                     int64
	slug, status, language string
	headline, standfirst   string
	body, bodyHTML         string
	published              time.Time // zero for a draft
	section                int
	tags                   [2]int
}

const (
	corpusYears = 5
	tagCount    = 60
)

// makeArticle generates article i (0-based) of n; the same i always gives
// the same article.
func makeArticle(i, n int, now time.Time) article {
	g := gen{r: rand.New(rand.NewPCG(uint64(i), 0x5eed))}
	a := article{id: int64(i + 1), slug: fmt.Sprintf("story-%d", i+1), status: "published", language: "en"}
	a.section = g.r.IntN(len(sections))
	ru := i%10 == 9
	if ru {
		a.language = "ru"
	}
	topic := sections[a.section].words
	a.headline = strings.TrimSuffix(g.sentence(ru, topic, 5+g.r.IntN(5)), ".")
	a.standfirst = g.sentence(ru, topic, 15+g.r.IntN(10))
	paras := make([]string, 5+g.r.IntN(4))
	for k := range paras {
		s := g.sentence(ru, topic, 25+g.r.IntN(20))
		if !ru && g.r.IntN(8) == 0 {
			s += " A storm warning was issued."
		}
		paras[k] = s
	}
	if i%2000 == 7 {
		paras[len(paras)/2] += " Zephyrine winds were reported."
	}
	if i%50000 == 11 {
		paras[0] += " Quillwort grows in the lake."
	}
	a.body = strings.Join(paras, "\n\n")
	a.bodyHTML = "<p>" + strings.Join(paras, "</p>\n<p>") + "</p>"
	a.tags = [2]int{g.r.IntN(tagCount), g.r.IntN(tagCount)}
	if a.tags[1] == a.tags[0] {
		a.tags[1] = (a.tags[0] + 1) % tagCount
	}
	if i%100 == 42 {
		a.status = "draft"
		return a
	}
	span := time.Duration(corpusYears) * 365 * 24 * time.Hour
	start := now.Add(-span)
	pub := start.Add(time.Duration(float64(span) * float64(i) / float64(n)))
	pub = pub.Add(time.Duration(g.r.Int64N(int64(72*time.Hour))) - 36*time.Hour)
	if pub.After(now) {
		pub = now.Add(-time.Minute)
	}
	a.published = pub.Truncate(time.Second)
	return a
}

func tagName(k int) string {
	g := gen{r: rand.New(rand.NewPCG(uint64(k), 0x7a9))}
	return "Topic " + g.pseudo(latinSyl)
}

// fill makes the corpus of n articles in an empty store; a store that
// already holds a complete corpus of n is used as it is.
func fill(ctx context.Context, st *sqlstore.Store, pgDSN string, n int, now time.Time) error {
	db := st.DB()
	if _, err := db.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS bench_search_corpus (articles BIGINT NOT NULL, made_at TEXT NOT NULL)"); err != nil {
		return err
	}
	var have int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM articles").Scan(&have); err != nil {
		return err
	}
	var made int
	err := db.QueryRowContext(ctx, "SELECT articles FROM bench_search_corpus").Scan(&made)
	switch {
	case err == nil && made == n:
		return nil
	case err == nil:
		return fmt.Errorf("the database holds a corpus of %d articles, not %d: use another --dir or --pg database", made, n)
	case !errors.Is(err, sql.ErrNoRows):
		return err
	case have > 0:
		return fmt.Errorf("the database has %d articles but no complete corpus (an interrupted run?): remove it and start again", have)
	}
	start := time.Now()
	if err := setup(ctx, st); err != nil {
		return err
	}
	cats, tags, author, err := ids(ctx, db)
	if err != nil {
		return err
	}
	if st.Dialect() == "postgres" {
		err = fillPostgres(ctx, pgDSN, n, now, cats, tags, author)
	} else {
		err = fillSQLite(ctx, db, n, now, cats, tags, author)
	}
	if err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, "INSERT INTO bench_search_corpus (articles, made_at) VALUES ($1, $2)", n, time.Now().UTC().Format(time.RFC3339)); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "corpus of %d articles made in %s\n", n, time.Since(start).Round(time.Second))
	return nil
}

// setup creates the sections, tags and the author through the store.
func setup(ctx context.Context, st *sqlstore.Store) error {
	for i, s := range sections {
		if err := st.CreateCategory(ctx, &newsroom.Category{Slug: s.slug, Name: strings.ToUpper(s.slug[:1]) + s.slug[1:], Position: i}); err != nil {
			return err
		}
	}
	for k := range tagCount {
		if _, err := st.EnsureTag(ctx, fmt.Sprintf("tag-%d", k), tagName(k)); err != nil {
			return err
		}
	}
	return st.CreateAuthor(ctx, &newsroom.Author{Slug: "bench-writer", Name: "Bench Writer", Label: newsroom.LabelStaff})
}

// ids returns the ids of the sections (in order), tags (by number) and the
// author made by setup.
func ids(ctx context.Context, db *sql.DB) (cats, tags []int64, author int64, err error) {
	for _, s := range sections {
		var id int64
		if err = db.QueryRowContext(ctx, "SELECT id FROM categories WHERE slug = $1", s.slug).Scan(&id); err != nil {
			return
		}
		cats = append(cats, id)
	}
	for k := range tagCount {
		var id int64
		if err = db.QueryRowContext(ctx, "SELECT id FROM tags WHERE slug = $1", fmt.Sprintf("tag-%d", k)).Scan(&id); err != nil {
			return
		}
		tags = append(tags, id)
	}
	err = db.QueryRowContext(ctx, "SELECT id FROM authors WHERE slug = 'bench-writer'").Scan(&author)
	return
}

func progress(i, n int, start time.Time) {
	if i%50_000 == 0 || i == n {
		fmt.Fprintf(os.Stderr, "  %d/%d (%s)\n", i, n, time.Since(start).Round(time.Second))
	}
}

// fillSQLite writes the articles with the search triggers dropped, then
// fills article_search from them in one pass (its own trigger feeds FTS5,
// with Russian stems, exactly as on a live site) and puts the triggers
// back: one index write per article instead of three.
func fillSQLite(ctx context.Context, db *sql.DB, n int, now time.Time, cats, tags []int64, author int64) error {
	saved := map[string]string{}
	rows, err := db.QueryContext(ctx, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ('articles_search_ai', 'article_tags_search_ai')")
	if err != nil {
		return err
	}
	for rows.Next() {
		var name, q string
		if err := rows.Scan(&name, &q); err != nil {
			rows.Close()
			return err
		}
		saved[name] = q
	}
	rows.Close()
	if len(saved) != 2 {
		return fmt.Errorf("search triggers not found (have %v)", saved)
	}
	for name := range saved {
		if _, err := db.ExecContext(ctx, "DROP TRIGGER "+name); err != nil {
			return err
		}
	}
	ts := func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return t.UTC().Format("2006-01-02T15:04:05.000000Z")
	}
	start := time.Now()
	const batch = 5000
	for i := 0; i < n; {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		insA, err := tx.PrepareContext(ctx, `INSERT INTO articles (id, slug, status, headline, standfirst, body, body_html,
			headline_html, standfirst_html, language, published_at, created_at, updated_at, revision,
			comments_open, comment_count, sources, legal_marks)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $4, $5, $8, $9, $10, $10, 1, 1, 0, '[]', '[]')`)
		if err != nil {
			tx.Rollback()
			return err
		}
		insC, _ := tx.PrepareContext(ctx, "INSERT INTO article_categories (article_id, category_id, position) VALUES ($1, $2, 0)")
		insU, _ := tx.PrepareContext(ctx, "INSERT INTO article_authors (article_id, author_id, position, label) VALUES ($1, $2, 0, '')")
		insT, _ := tx.PrepareContext(ctx, "INSERT INTO article_tags (article_id, tag_id, position) VALUES ($1, $2, $3)")
		first := i
		for end := min(i+batch, n); i < end; i++ {
			a := makeArticle(i, n, now)
			created := a.published
			if created.IsZero() {
				created = now.Add(-time.Hour)
			}
			if _, err = insA.ExecContext(ctx, a.id, a.slug, a.status, a.headline, a.standfirst, a.body, a.bodyHTML,
				a.language, ts(a.published), ts(created)); err != nil {
				break
			}
			if _, err = insC.ExecContext(ctx, a.id, cats[a.section]); err != nil {
				break
			}
			if _, err = insU.ExecContext(ctx, a.id, author); err != nil {
				break
			}
			for k, t := range a.tags {
				if _, err = insT.ExecContext(ctx, a.id, tags[t], k); err != nil {
					break
				}
			}
		}
		if err == nil {
			_, err = tx.ExecContext(ctx, `INSERT INTO article_search (article_id, headline, standfirst, body, tags)
				SELECT a.id, a.headline, a.standfirst, newsdesk_plain(CASE WHEN a.body_html <> '' THEN a.body_html ELSE a.body END),
					coalesce((SELECT group_concat(t.name, ' ') FROM article_tags x JOIN tags t ON t.id = x.tag_id
						WHERE x.article_id = a.id), '')
				FROM articles a WHERE a.id > $1 AND a.id <= $2`, first, i)
		}
		if err != nil {
			tx.Rollback()
			return fmt.Errorf("articles %d–%d: %w", first+1, i, err)
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		progress(i, n, start)
	}
	for _, q := range saved {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	fmt.Fprintln(os.Stderr, "  optimize and analyze")
	_, err = db.ExecContext(ctx, "INSERT INTO article_fts(article_fts) VALUES ('optimize'); ANALYZE")
	return err
}

// fillPostgres streams the articles with COPY while the search triggers
// are disabled and article_search has no secondary index, fills
// article_search in one INSERT … SELECT per 50,000 (its trigger computes
// the vectors, as on a live site), then rebuilds the indexes from their
// own definitions and enables the triggers again.
func fillPostgres(ctx context.Context, dsn string, n int, now time.Time, cats, tags []int64, author int64) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	exec := func(q string, args ...any) error {
		_, err := conn.Exec(ctx, q, args...)
		return err
	}
	if err := exec("ALTER TABLE articles DISABLE TRIGGER articles_search_sync"); err != nil {
		return err
	}
	if err := exec("ALTER TABLE article_tags DISABLE TRIGGER article_tags_search_sync"); err != nil {
		return err
	}
	var defs []string
	rows, err := conn.Query(ctx, `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'article_search'
		AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = 'article_search'::regclass)`)
	if err != nil {
		return err
	}
	var names []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			return err
		}
		names, defs = append(names, name), append(defs, def)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, name := range names {
		if err := exec("DROP INDEX " + pgx.Identifier{name}.Sanitize()); err != nil {
			return err
		}
	}
	start := time.Now()
	i := 0
	var cur article
	// What the link tables need, kept from the articles' pass.
	links := make([]article, n)
	arts := pgx.CopyFromFunc(func() ([]any, error) {
		if i >= n {
			return nil, nil
		}
		cur = makeArticle(i, n, now)
		links[i] = article{id: cur.id, section: cur.section, tags: cur.tags}
		i++
		progress(i, n, start)
		var pub any
		created := now.Add(-time.Hour)
		if !cur.published.IsZero() {
			pub, created = cur.published, cur.published
		}
		return []any{cur.id, cur.slug, cur.status, cur.headline, cur.standfirst, cur.body, cur.bodyHTML,
			cur.headline, cur.standfirst, cur.language, pub, created, created, 1, true, 0, "[]", "[]"}, nil
	})
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"articles"}, []string{"id", "slug", "status", "headline", "standfirst",
		"body", "body_html", "headline_html", "standfirst_html", "language", "published_at", "created_at", "updated_at",
		"revision", "comments_open", "comment_count", "sources", "legal_marks"}, arts); err != nil {
		return fmt.Errorf("copy articles: %w", err)
	}
	copyLinks := func(table string, cols []string, row func(a article) [][]any) error {
		j := 0
		var pending [][]any
		src := pgx.CopyFromFunc(func() ([]any, error) {
			for len(pending) == 0 {
				if j >= n {
					return nil, nil
				}
				pending = row(links[j])
				j++
			}
			r := pending[0]
			pending = pending[1:]
			return r, nil
		})
		_, err := conn.CopyFrom(ctx, pgx.Identifier{table}, cols, src)
		if err != nil {
			return fmt.Errorf("copy %s: %w", table, err)
		}
		return nil
	}
	fmt.Fprintf(os.Stderr, "  sections, authors, tags (%s)\n", time.Since(start).Round(time.Second))
	if err := copyLinks("article_categories", []string{"article_id", "category_id", "position"}, func(a article) [][]any {
		return [][]any{{a.id, cats[a.section], 0}}
	}); err != nil {
		return err
	}
	if err := copyLinks("article_authors", []string{"article_id", "author_id", "position", "label"}, func(a article) [][]any {
		return [][]any{{a.id, author, 0, ""}}
	}); err != nil {
		return err
	}
	if err := copyLinks("article_tags", []string{"article_id", "tag_id", "position"}, func(a article) [][]any {
		return [][]any{{a.id, tags[a.tags[0]], 0}, {a.id, tags[a.tags[1]], 1}}
	}); err != nil {
		return err
	}
	if err := exec("SELECT setval(pg_get_serial_sequence('articles', 'id'), (SELECT max(id) FROM articles))"); err != nil {
		return err
	}
	for from := 0; from < n; from += 50_000 {
		err := exec(`INSERT INTO article_search (article_id, language, headline, standfirst, body, tags, status, published_at)
			SELECT a.id, a.language, a.headline, a.standfirst, newsdesk_plain(CASE WHEN a.body_html <> '' THEN a.body_html ELSE a.body END),
				newsdesk_article_tags(a.id), a.status, a.published_at
			FROM articles a WHERE a.id > $1 AND a.id <= $2`, from, from+50_000)
		if err != nil {
			return fmt.Errorf("search index: %w", err)
		}
		fmt.Fprintf(os.Stderr, "  search rows %d (%s)\n", min(from+50_000, n), time.Since(start).Round(time.Second))
	}
	if err := exec("SET maintenance_work_mem = '512MB'"); err != nil {
		return err
	}
	for _, def := range defs {
		fmt.Fprintf(os.Stderr, "  %s (%s)\n", def, time.Since(start).Round(time.Second))
		if err := exec(def); err != nil {
			return err
		}
	}
	if err := exec("ALTER TABLE articles ENABLE TRIGGER articles_search_sync"); err != nil {
		return err
	}
	if err := exec("ALTER TABLE article_tags ENABLE TRIGGER article_tags_search_sync"); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "  vacuum analyze (%s)\n", time.Since(start).Round(time.Second))
	return exec("VACUUM ANALYZE")
}

// ensureDatabase creates the database named in dsn when it does not
// exist, connecting to the server's postgres database to do it.
func ensureDatabase(ctx context.Context, dsn string) error {
	u, err := url.Parse(dsn)
	if err != nil {
		return fmt.Errorf("--pg: %w", err)
	}
	name := strings.TrimPrefix(u.Path, "/")
	if name == "" {
		return errors.New("--pg: the DSN names no database")
	}
	u.Path = "/postgres"
	conn, err := pgx.Connect(ctx, u.String())
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	return err
}
