// Command corpus fills a newsdesk database with a benchmark corpus: the demo
// outlet (sections, authors, tags, photographs), more authors and tags, then
// N more published articles, English and Russian, written by a generator
// from phrase banks per section (text.go) and spread over the past two
// years (--days), ids in publication order. It writes the rows in bulk through the store's loader
// (sqlstore.BeginAppend: 10,000 articles per transaction, multi-row
// INSERTs, the search triggers off) and builds the search index once at
// the end (RebuildDerived), so that 100,000 articles take minutes, not
// half an hour. The database is left ready for `newsdesk serve --no-demo`.
//
//	go run ./bench/corpus --data DIR [--db DSN] [--articles 20000] [--russian 0.2] --out DIR
//
// In --out it writes article.txt (one English article's path, the page
// benchmarked hot), cold.txt (every other generated article's path,
// shuffled: pages never viewed, for the cache-miss runs), archive.txt
// (every page of every section, tag and author listing in both editions
// as the site links them, page 1 and each page's "Older" link in turn,
// "?until=DAY&skip=N" (archive.go); shuffled and capped at
// --archive-pages: the long tail a crawler walks),
// section.txt (the hot article's section path), id.txt (its id) and
// queries.txt (searches by class, a tab, and the search path: common
// words, two words, phrases, rare words, Russian words).
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
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
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

// options are the command's flags.
type options struct {
	data, dsn, out     string
	n, comments, reply int
	batch, archiveCap  int
	days               int
	russian            float64
	seed               uint64
}

func run(args []string, stderr io.Writer) error {
	var o options
	fs := flag.NewFlagSet("corpus", flag.ContinueOnError)
	fs.StringVar(&o.data, "data", "", "data `directory` (SQLite file and media)")
	fs.StringVar(&o.dsn, "db", "", "database `DSN` (default: SQLite in --data)")
	fs.IntVar(&o.n, "articles", 20000, "how many articles to generate besides the demo")
	fs.StringVar(&o.out, "out", "", "`directory` for the URL lists")
	fs.IntVar(&o.comments, "comments", 200000, "how many approved comments to spread over the articles")
	fs.IntVar(&o.reply, "reply-every", 0, "make every `N`th comment a reply to its article's first comment (0: none)")
	fs.IntVar(&o.batch, "batch", 10000, "articles per transaction")
	fs.IntVar(&o.archiveCap, "archive-pages", 200000, "at most this many listing pages in archive.txt")
	fs.IntVar(&o.days, "days", 730, "spread the articles over the past `N` days")
	fs.Float64Var(&o.russian, "russian", 0.2, "share of the generated articles in Russian (0 to 1)")
	fs.Uint64Var(&o.seed, "seed", 1, "random seed")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case o.data == "" || o.out == "":
		return errors.New("--data and --out are required")
	case o.n < 0 || o.comments < 0:
		return errors.New("--articles and --comments must be 0 or more")
	case o.days < 1:
		return errors.New("--days must be at least 1")
	case o.batch < 1:
		return errors.New("--batch must be at least 1")
	case o.russian < 0 || o.russian > 1:
		return errors.New("--russian must be between 0 and 1")
	}
	if err := os.MkdirAll(filepath.Join(o.data, "media"), 0o755); err != nil {
		return err
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	if o.dsn == "" {
		o.dsn = filepath.Join(o.data, "newsdesk.db")
	}
	ctx := context.Background()
	now := time.Now().UTC()
	st, err := sqlstore.Open(ctx, o.dsn, sqlstore.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return err
	}
	defer st.Close()
	if done, err := st.Setting(ctx, "initialized_at"); err != nil {
		return err
	} else if done != "" {
		return errors.New("the database is not empty")
	}

	all := time.Now()
	start := time.Now()
	r := render.New()
	if _, err := demo.Seed(ctx, demo.Deps{Store: st, Render: r.Article, MediaDir: filepath.Join(o.data, "media"), Now: now, Language: "en"}); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	tx, err := newTaxonomy(ctx, st, now)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "corpus: demo loaded, %d sections, %d authors, %d tags, %d lead pictures, in %v\n",
		len(tx.sections), len(tx.authors), len(tx.tagIDs), tx.pictures, time.Since(start).Round(time.Millisecond))

	start = time.Now()
	gen, err := generate(ctx, st, tx, o, now, stderr)
	if err != nil {
		return err
	}
	took := time.Since(start)
	fmt.Fprintf(stderr, "corpus: %d articles (%d in Russian) in %v (%.0f/s)\n", o.n, gen.russian, took.Round(time.Millisecond),
		float64(o.n)/max(took.Seconds(), 1e-9))
	start = time.Now()
	if st.Dialect() == "postgres" {
		err = rebuildPostgres(ctx, st, stderr)
	} else {
		err = st.RebuildDerived(ctx)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "corpus: search index built in %v\n", time.Since(start).Round(time.Millisecond))

	rng := rand.New(rand.NewPCG(o.seed, 2))
	hot := gen.hot()
	if o.comments > 0 && len(gen.ids) > 0 {
		start = time.Now()
		if err := addComments(ctx, st, gen.ids, gen.ids[hot], o.comments, o.reply, now, rng); err != nil {
			return fmt.Errorf("comments: %w", err)
		}
		fmt.Fprintf(stderr, "corpus: comments: %d approved comments (50 on the benchmarked article, the rest spread evenly) in %v\n",
			o.comments, time.Since(start).Round(time.Millisecond))
	}
	if err := st.SetSetting(ctx, "initialized_at", now.Format(time.RFC3339)); err != nil {
		return err
	}
	if st.Dialect() == "postgres" {
		// Fresh statistics, as autovacuum would have them on a live site
		// (SQLite keeps none unless asked, and a live site does not ask).
		start = time.Now()
		if _, err := st.DB().ExecContext(ctx, "ANALYZE"); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "corpus: ANALYZE in %v\n", time.Since(start).Round(time.Millisecond))
	}

	if len(gen.paths) == 0 {
		pub := newsroom.Published
		list, _, err := st.FindArticles(ctx, newsroom.ArticleFilter{Status: &pub, Language: "en", Limit: 1})
		if err != nil || len(list) == 0 {
			return fmt.Errorf("no published demo article: %v", err)
		}
		return writeFiles(o.out, list[0].URL(), sectionPath(list[0]), list[0].ID, nil, nil)
	}
	hotArt, err := st.ArticleByID(ctx, gen.ids[hot])
	if err != nil {
		return err
	}
	cold := append(append([]string{}, gen.paths[:hot]...), gen.paths[hot+1:]...)
	rng.Shuffle(len(cold), func(i, j int) { cold[i], cold[j] = cold[j], cold[i] })
	archive := tx.lists.pages("en", o.archiveCap, rng)
	if err := writeReport(o.out, hotArt); err != nil {
		return err
	}
	if err := writeFiles(o.out, hotArt.URL(), sectionPath(hotArt), hotArt.ID, cold, archive); err != nil {
		return err
	}
	if err := writeQueries(o.out, tx.rare); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "corpus: done in %v\n", time.Since(all).Round(time.Millisecond))
	return nil
}

// taxonomy is what generated articles are filed under: the demo's
// sections, authors and tags and the ones added here, and the demo's lead
// pictures by section.
type taxonomy struct {
	sections []string // slugs
	catIDs   map[string]int64
	catSlug  map[int64]string
	parent   map[int64]int64 // section -> its parent section (0: none)
	authors  []int64
	authorSl map[int64]string
	tagIDs   []int64
	tagSl    map[int64]string
	// bySection: the tags that fit a section's stories; byPlace: the
	// tag of each place the generator writes about.
	bySection map[string][]int64
	byPlace   map[string]int64
	pictures  int
	leads     map[string][]string // section -> lead image JSON
	// rare: the made-up first words of the long-tail tags (a handful of
	// stories each), for rare-word searches.
	rare []string
	// lists: every public list's stories, the demo's and the generated
	// ones, for archive.txt.
	lists lists
}

// sectionTags are the demo tags that fit each section's phrase bank.
var sectionTags = map[string][]string{
	"region":           {"transport", "housing", "schools", "storms"},
	"harbour-district": {"harbour", "fishing", "shipyard", "transport"},
	"ostra-isles":      {"ferries", "storms", "schools", "wind-power"},
	"politics":         {"elections", "budget", "courts"},
	"economy":          {"fishing", "shipyard", "wind-power", "budget"},
	"world":            {"ketterland", "ferries", "fishing", "elections"},
	"science":          {"climate", "health", "storms"},
	"culture":          {"music", "tourism"},
	"sport":            {"football", "rowing"},
	"opinion":          {"ferries", "harbour", "schools", "budget"},
}

func newTaxonomy(ctx context.Context, st *sqlstore.Store, now time.Time) (*taxonomy, error) {
	tx := &taxonomy{catIDs: map[string]int64{}, catSlug: map[int64]string{}, parent: map[int64]int64{},
		authorSl: map[int64]string{}, tagSl: map[int64]string{},
		bySection: map[string][]int64{}, byPlace: map[string]int64{}, leads: map[string][]string{}, lists: lists{}}
	cats, err := st.Categories(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range cats {
		tx.sections = append(tx.sections, c.Slug)
		tx.catIDs[c.Slug] = c.ID
		tx.catSlug[c.ID] = c.Slug
		tx.parent[c.ID] = c.ParentID
	}
	// Thirty more reporters besides the demo's nine.
	for i := range 30 {
		name := firstEN[i%len(firstEN)] + " " + lastEN[(i*7+3)%len(lastEN)]
		a := &newsroom.Author{Slug: strings.ToLower(strings.ReplaceAll(name, " ", "-")) + "-" + strconv.Itoa(i+1),
			Name: name, Label: newsroom.LabelStaff}
		if err := st.CreateAuthor(ctx, a); err != nil {
			return nil, fmt.Errorf("author %s: %w", a.Slug, err)
		}
	}
	authors, err := st.Authors(ctx)
	if err != nil {
		return nil, err
	}
	for _, a := range authors {
		if a.Slug != "" {
			tx.authors = append(tx.authors, a.ID)
			tx.authorSl[a.ID] = a.Slug
		}
	}
	// A tag for every place, and a hundred more about the coast's
	// businesses and boats (few stories each: the long tail of tags).
	for _, p := range places {
		t, err := st.EnsureTag(ctx, slugPlace(p.en), p.en)
		if err != nil {
			return nil, err
		}
		tx.byPlace[p.en] = t.ID
	}
	w := writer{rng: rand.New(rand.NewPCG(7, 7))}
	for i := range 100 {
		word := w.rare(sylEN)
		name := word + " " + []string{"Fisheries", "Boatyard", "Trust", "Farm", "Co-operative"}[i%5]
		tx.rare = append(tx.rare, word)
		if _, err := st.EnsureTag(ctx, slugPlace(name)+"-"+strconv.Itoa(i+1), name); err != nil {
			return nil, err
		}
	}
	tags, err := st.Tags(ctx)
	if err != nil {
		return nil, err
	}
	bySlug := map[string]int64{}
	for _, t := range tags {
		tx.tagIDs = append(tx.tagIDs, t.ID)
		tx.tagSl[t.ID] = t.Slug
		bySlug[t.Slug] = t.ID
	}
	for sec, slugs := range sectionTags {
		for _, s := range slugs {
			if id, ok := bySlug[s]; ok {
				tx.bySection[sec] = append(tx.bySection[sec], id)
			}
		}
	}
	// The demo's lead pictures, to reuse on stories of the same section,
	// and its public stories' lists.
	pub := newsroom.Published
	list, _, err := st.FindArticles(ctx, newsroom.ArticleFilter{Status: &pub, Limit: 500})
	if err != nil {
		return nil, err
	}
	for _, a := range list {
		full, err := st.ArticleByID(ctx, a.ID)
		if err != nil {
			return nil, err
		}
		if !full.PublishedAt.After(now) {
			var cats, tags, authors []int64
			for _, c := range full.Categories {
				cats = append(cats, c.ID)
			}
			for _, t := range full.Tags {
				tags = append(tags, t.ID)
			}
			for _, b := range full.Authors {
				authors = append(authors, b.AuthorID)
			}
			tx.lists.add(tx, full.Language, full.PublishedAt, full.ID, cats, tags, authors)
		}
		if full.LeadImage == nil || full.PrimaryCategory() == nil {
			continue
		}
		b, err := json.Marshal(full.LeadImage)
		if err != nil {
			return nil, err
		}
		sec := full.PrimaryCategory().Slug
		tx.leads[sec] = append(tx.leads[sec], string(b))
		tx.pictures++
	}
	return tx, nil
}

// made is one generated article, rendered, as rows for the loader.
type made struct {
	slug, section, lang, headline, standfirst, body string
	bodyHTML, headHTML, standHTML, lead, at         string
	published                                       time.Time
	cats, authors, tags                             []int64
	i                                               int   // its place in the corpus
	id                                              int64 // given when loaded
}

// generated is what generate wrote: ids and paths in id order.
type generated struct {
	ids     []int64
	paths   []string
	langs   []string
	russian int
}

// hot returns the index of the article benchmarked hot: an English one
// from the middle.
func (g *generated) hot() int {
	for i := len(g.ids) / 2; i < len(g.ids); i++ {
		if g.langs[i] == "en" {
			return i
		}
	}
	return len(g.ids) / 2
}

// generate writes o.n articles: workers write and render them, one
// goroutine loads them in batches of o.batch per transaction.
func generate(ctx context.Context, st *sqlstore.Store, tx *taxonomy, o options, now time.Time, stderr io.Writer) (*generated, error) {
	g := &generated{}
	workers := max(1, runtime.GOMAXPROCS(0))
	jobs := make(chan int, 256)
	out := make(chan *made, 1024)
	var wg sync.WaitGroup
	var genErr error
	var errOnce sync.Once
	for range workers {
		wg.Go(func() {
			r := render.New()
			for i := range jobs {
				m, err := makeArticle(r, tx, o, i, now)
				if err != nil {
					errOnce.Do(func() { genErr = err })
					continue
				}
				out <- m
			}
		})
	}
	go func() {
		for i := range o.n {
			jobs <- i
		}
		close(jobs)
		wg.Wait()
		close(out)
	}()
	var batch []*made
	// Article i gets id base+i, whichever worker wrote it and whenever
	// it is loaded: ids follow publication times (makeArticle).
	var base int64
	g.ids, g.paths, g.langs = make([]int64, o.n), make([]string, o.n), make([]string, o.n)
	done := 0
	start := time.Now()
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		l, err := st.BeginAppend(ctx)
		if err != nil {
			return err
		}
		defer l.Rollback()
		if base == 0 {
			if base, err = l.MaxID(ctx, "articles"); err != nil {
				return err
			}
			base++
		}
		for _, m := range batch {
			m.id = base + int64(m.i)
		}
		if err := loadBatch(ctx, l, batch); err != nil {
			return err
		}
		if err := l.Commit(ctx); err != nil {
			return err
		}
		for _, m := range batch {
			path := "/" + m.section + "/" + m.slug
			g.ids[m.i] = m.id
			g.paths[m.i] = newsroom.EditionPath(m.lang, "en", path)
			g.langs[m.i] = m.lang
			if m.lang == "ru" {
				g.russian++
			}
			tx.lists.add(tx, m.lang, m.published, m.id, m.cats, m.tags, m.authors)
		}
		done += len(batch)
		batch = batch[:0]
		el := time.Since(start)
		fmt.Fprintf(stderr, "corpus: %d articles (%.0f/s)\n", done, float64(done)/el.Seconds())
		return nil
	}
	for m := range out {
		batch = append(batch, m)
		if len(batch) == o.batch {
			if err := flush(); err != nil {
				return nil, err // the command exits: the workers go with it
			}
		}
	}
	if genErr != nil {
		return nil, genErr
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return g, nil
}

// makeArticle writes article i: its own random source (seed, i), so the
// corpus is the same whatever the number of workers.
func makeArticle(r *render.Renderer, tx *taxonomy, o options, i int, now time.Time) (*made, error) {
	rng := rand.New(rand.NewPCG(o.seed, uint64(i)+1000))
	w := writer{rng: rng}
	lang := "en"
	if rng.Float64() < o.russian {
		lang = "ru"
	}
	sec := tx.sections[rng.IntN(len(tx.sections))]
	s := w.story(sec, lang)
	a := &newsroom.Article{Headline: s.headline, Standfirst: s.standfirst, Body: s.body}
	if err := r.Article(a); err != nil {
		return nil, fmt.Errorf("article %d: %w", i+1, err)
	}
	// Article i is published in the i-th of n equal slots of the span, at
	// a random moment of it: ids grow with publication time, as on a
	// live site (stories get their ids as they are written), which the
	// store counts on (SQLite's search takes the newest matches by rowid)
	// and which decides how the rows of a list or a search window lie on
	// disk. Before 3 December 2026 the times were drawn at random over
	// the span, so the newest ids were stories of any date.
	span := time.Duration(o.days) * 24 * time.Hour
	slot := max(span/time.Duration(max(o.n, 1)), 1)
	at := now.Add(-time.Hour - span + time.Duration(i)*slot + time.Duration(rng.Int64N(int64(slot))))
	m := &made{slug: s.slugBase + "-" + strconv.Itoa(i+1), section: sec, lang: lang,
		headline: s.headline, standfirst: s.standfirst, body: s.body, bodyHTML: a.BodyHTML,
		headHTML: a.HeadlineHTML, standHTML: a.StandfirstHTML, at: at.Format("2006-01-02T15:04:05.000000Z"),
		published: at.Truncate(time.Microsecond), i: i}
	if leads := tx.leads[sec]; len(leads) > 0 && rng.IntN(4) > 0 {
		m.lead = leads[rng.IntN(len(leads))]
	}
	m.cats = []int64{tx.catIDs[sec]}
	if rng.IntN(5) == 0 {
		if other := tx.catIDs[tx.sections[rng.IntN(len(tx.sections))]]; other != m.cats[0] {
			m.cats = append(m.cats, other)
		}
	}
	m.authors = []int64{tx.authors[rng.IntN(len(tx.authors))]}
	if rng.IntN(5) == 0 {
		if other := tx.authors[rng.IntN(len(tx.authors))]; other != m.authors[0] {
			m.authors = append(m.authors, other)
		}
	}
	seen := map[int64]bool{}
	addTag := func(id int64) {
		if id != 0 && !seen[id] {
			seen[id] = true
			m.tags = append(m.tags, id)
		}
	}
	if fit := tx.bySection[sec]; len(fit) > 0 {
		addTag(fit[rng.IntN(len(fit))])
	}
	if rng.IntN(2) == 0 {
		addTag(tx.byPlace[s.place])
	}
	if rng.IntN(8) == 0 {
		addTag(tx.tagIDs[rng.IntN(len(tx.tagIDs))])
	}
	return m, nil
}

// loadBatch writes a batch's rows: the articles, their sections, authors
// and tags, and each one's first revision.
func loadBatch(ctx context.Context, l *sqlstore.Loader, batch []*made) error {
	num := func(n int64) any { return json.Number(strconv.FormatInt(n, 10)) }
	load := func(table string, cols []string, each func(m *made, emit func(...any))) error {
		var rows [][]any
		for _, m := range batch {
			each(m, func(v ...any) { rows = append(rows, v) })
		}
		k := 0
		_, err := l.Load(ctx, table, cols, func() ([]any, error) {
			if k == len(rows) {
				return nil, nil
			}
			k++
			return rows[k-1], nil
		})
		return err
	}
	err := load("articles", []string{"id", "slug", "status", "headline", "standfirst", "body", "body_html", "headline_html",
		"standfirst_html", "language", "published_at", "created_at", "updated_at", "revision", "comments_open", "lead_image"},
		func(m *made, emit func(...any)) {
			var lead any
			if m.lead != "" {
				lead = m.lead
			}
			emit(num(m.id), m.slug, string(newsroom.Published), m.headline, m.standfirst, m.body, m.bodyHTML,
				m.headHTML, m.standHTML, m.lang, m.at, m.at, m.at, num(1), true, lead)
		})
	if err != nil {
		return err
	}
	if err := load("article_categories", []string{"article_id", "category_id", "position"}, func(m *made, emit func(...any)) {
		for p, c := range m.cats {
			emit(num(m.id), num(c), num(int64(p)))
		}
	}); err != nil {
		return err
	}
	if err := load("article_authors", []string{"article_id", "author_id", "position", "label"}, func(m *made, emit func(...any)) {
		for p, a := range m.authors {
			emit(num(m.id), num(a), num(int64(p)), "")
		}
	}); err != nil {
		return err
	}
	if err := load("article_tags", []string{"article_id", "tag_id", "position"}, func(m *made, emit func(...any)) {
		for p, t := range m.tags {
			emit(num(m.id), num(t), num(int64(p)))
		}
	}); err != nil {
		return err
	}
	return load("revisions", []string{"article_id", "number", "headline", "standfirst", "body", "body_html", "saved_at", "status"},
		func(m *made, emit func(...any)) {
			emit(num(m.id), num(1), m.headline, m.standfirst, m.body, m.bodyHTML, m.at, string(newsroom.Published))
		})
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
	const batch = 500
	sqlite := st.Dialect() == "sqlite"
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
		if sqlite {
			// SQLite looks every $N up by name: thousands per statement
			// cost more than the insert (docs/PERFORMANCE.md, restore).
			rows = append(rows, "(?, 0, ?, ?, ?, '', ?, ?, '127.0.0.1', 'bench', ?, ?, ?)")
		} else {
			p := len(args)
			rows = append(rows, fmt.Sprintf("($%d, 0, $%d, $%d, $%d, '', $%d, $%d, '127.0.0.1', 'bench', $%d, $%d, $%d)",
				p+1, p+2, p+3, p+4, p+5, p+6, p+7, p+8, p+9))
		}
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

func writeFiles(dir, article, section string, id int64, cold, archive []string) error {
	files := map[string]string{
		"article.txt": article + "\n",
		"section.txt": section + "\n",
		"id.txt":      strconv.FormatInt(id, 10) + "\n",
		"cold.txt":    strings.Join(cold, "\n") + "\n",
		"archive.txt": strings.Join(archive, "\n") + "\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// searchClasses are the searches of issue 19's target, as a reader types
// them into this corpus's site: words the phrase banks use in most
// stories, two of them, a phrase, Russian words on the Russian edition.
// Rare words are taken from the long-tail tags (writeQueries).
var searchClasses = []struct {
	class, prefix string
	queries       []string
}{
	{"common word", "/search?q=", []string{"harbour", "council", "residents", "officials", "plans"}},
	{"two words", "/search?q=", []string{"harbour council", "residents plan", "council evening", "officials date"}},
	{"phrase", "/search?q=", []string{`"public consultation"`, `"next year"`, `"regional council"`, `"harbour was quiet"`}},
	{"Russian word", "/ru/search?q=", []string{"гавани", "совета", "решение", "жителей", "план"}},
}

// writeQueries writes queries.txt: one search a line, its class, a tab
// and its path, for bench/run.sh's uncached search runs.
func writeQueries(dir string, rare []string) error {
	var b strings.Builder
	for _, c := range searchClasses {
		for _, q := range c.queries {
			fmt.Fprintf(&b, "%s\t%s%s\n", c.class, c.prefix, url.QueryEscape(q))
		}
	}
	for _, w := range rare[:min(len(rare), 5)] {
		fmt.Fprintf(&b, "rare word\t/search?q=%s\n", url.QueryEscape(w))
	}
	return os.WriteFile(filepath.Join(dir, "queries.txt"), []byte(b.String()), 0o644)
}
