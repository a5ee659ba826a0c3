package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/newsroom"
)

var _ newsroom.Discovery = (*Store)(nil)
var _ newsroom.ViewRecorder = (*Store)(nil)

// modifiedExpr is the later of an article's publication and last public
// edit, in SQL both databases understand.
const modifiedExpr = `CASE WHEN a.edited_at IS NOT NULL AND a.edited_at > a.published_at
	THEN a.edited_at ELSE a.published_at END`

// primarySlugExpr is the slug of an article's first section, which decides
// its URL.
const primarySlugExpr = `(SELECT c.slug FROM article_categories ac JOIN categories c ON c.id = ac.category_id
	WHERE ac.article_id = a.id ORDER BY ac.position LIMIT 1)`

// publicCond keeps articles public at $2 ($1 is the published status).
const publicCond = "a.status = $1 AND a.published_at <= $2"

// SitemapPages returns the newest modification time of each page of
// pageSize public articles, in ID order.
func (s *Store) SitemapPages(ctx context.Context, now time.Time, pageSize int) ([]time.Time, error) {
	if pageSize <= 0 {
		return nil, fmt.Errorf("sitemap pages: page size %d", pageSize)
	}
	var out []time.Time
	err := eachRow(ctx, s.rdb, `SELECT page, max(modified) FROM (
		SELECT (row_number() OVER (ORDER BY a.id) - 1) / $3 AS page, `+modifiedExpr+` AS modified
		FROM articles a WHERE `+publicCond+`) x GROUP BY page ORDER BY page`,
		[]any{string(newsroom.Published), s.d.timeArg(normTime(now)), pageSize}, func(r *sql.Rows) error {
			var page int
			var t time.Time
			if err := r.Scan(&page, scanTime(&t)); err != nil {
				return err
			}
			out = append(out, t)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("sitemap pages: %w", err)
	}
	return out, nil
}

// SitemapEntries returns page (1-based) of pageSize public articles in ID
// order.
func (s *Store) SitemapEntries(ctx context.Context, now time.Time, page, pageSize int) ([]newsroom.SitemapEntry, error) {
	if page < 1 || pageSize <= 0 {
		return nil, fmt.Errorf("sitemap entries: page %d of size %d", page, pageSize)
	}
	out, err := s.entries(ctx, now, " ORDER BY a.id LIMIT $3 OFFSET $4",
		string(newsroom.Published), s.d.timeArg(normTime(now)), pageSize, (page-1)*pageSize)
	if err != nil {
		return nil, fmt.Errorf("sitemap entries: %w", err)
	}
	return out, nil
}

// RecentEntries returns public articles published at or after since,
// newest first, at most limit; with lang, only that language's (the
// limit counts them, so an edition's news sitemap is never cut short by
// the other language's stories).
func (s *Store) RecentEntries(ctx context.Context, lang string, since, now time.Time, limit int) ([]newsroom.SitemapEntry, error) {
	tail, args := " AND a.published_at >= $3", []any{string(newsroom.Published), s.d.timeArg(normTime(now)), s.d.timeArg(normTime(since))}
	if lang != "" {
		tail += " AND a.language = $5"
	}
	args = append(args, limit)
	if lang != "" {
		args = append(args, lang)
	}
	out, err := s.entries(ctx, now, tail+" ORDER BY a.published_at DESC, a.id DESC LIMIT $4", args...)
	if err != nil {
		return nil, fmt.Errorf("recent entries: %w", err)
	}
	return out, nil
}

func (s *Store) entries(ctx context.Context, now time.Time, tail string, args ...any) ([]newsroom.SitemapEntry, error) {
	out := []newsroom.SitemapEntry{}
	// The rendered headline (with legal markers) where there is one.
	var groups []*newsroom.Article
	err := eachRow(ctx, s.rdb, `SELECT a.id, a.slug, `+primarySlugExpr+`,
		CASE WHEN a.headline_html = '' THEN a.headline ELSE a.headline_html END, a.language,
		a.published_at, `+modifiedExpr+`, a.translation_group FROM articles a WHERE `+publicCond+tail, args, func(r *sql.Rows) error {
		var e newsroom.SitemapEntry
		var slug string
		var section sql.NullString
		var group sql.NullInt64
		if err := r.Scan(&e.ID, &slug, &section, &e.Headline, &e.Language,
			scanTime(&e.PublishedAt), scanTime(&e.ModifiedAt), &group); err != nil {
			return err
		}
		if group.Valid {
			groups = append(groups, &newsroom.Article{ID: e.ID, TranslationGroup: group.Int64})
		}
		a := newsroom.Article{Slug: slug}
		if section.Valid {
			a.Categories = []newsroom.Category{{Slug: section.String}}
		}
		e.Path = a.URL()
		out = append(out, e)
		return nil
	})
	if err != nil || len(groups) == 0 {
		return out, err
	}
	// Every group on the page in one query: the alternates of each entry.
	if err := s.loadTranslations(ctx, s.rdb, groups); err != nil {
		return nil, err
	}
	byID := make(map[int64]*newsroom.Article, len(groups))
	for _, a := range groups {
		byID[a.ID] = a
	}
	for i := range out {
		if a := byID[out[i].ID]; a != nil {
			out[i].Translations = a.PublicTranslations(now)
		}
	}
	return out, nil
}

// dayArg is a day bucket as both databases take it: YYYY-MM-DD.
func dayArg(day time.Time) string { return day.Format(time.DateOnly) }

// MostRead returns the public articles with the most views on days from
// since on, most read first (the newer id first among equals). Its cost
// grows with the number of article-days viewed in the period.
func (s *Store) MostRead(ctx context.Context, since, now time.Time, limit int) ([]*newsroom.Article, error) {
	return s.MostReadIn(ctx, "", since, now, limit)
}

// MostReadIn is MostRead keeping the articles in lang ("" every
// language): an edition's list counts only its own stories.
func (s *Store) MostReadIn(ctx context.Context, lang string, since, now time.Time, limit int) ([]*newsroom.Article, error) {
	var ids []int64
	args := []any{string(newsroom.Published), s.d.timeArg(normTime(now)), dayArg(since), limit}
	langCond := ""
	if lang != "" {
		args = append(args, lang)
		langCond = " AND a.language = $5"
	}
	// The period's views are summed first (through the day index: "+ 0"
	// keeps SQLite off the primary key, which would read every day ever
	// counted), then joined to the articles (CROSS JOIN fixes that order
	// on SQLite; joined the other way round, it walked every public
	// article; docs/PERFORMANCE.md has the figures).
	err := eachRow(ctx, s.rq, `SELECT v.id FROM (SELECT article_id + 0 AS id, sum(count) AS n FROM article_views
			WHERE day >= $3 GROUP BY article_id + 0) AS v
		CROSS JOIN articles a
		WHERE a.id = v.id AND `+publicCond+langCond+`
		ORDER BY v.n DESC, v.id DESC LIMIT $4`,
		args, func(r *sql.Rows) error {
			var id int64
			if err := r.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("most read: %w", err)
	}
	list, err := s.articlesByIDs(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("most read: %w", err)
	}
	return list, nil
}

// relatedPool is how many of the newest articles (by id) sharing each of
// an article's tags and sections Related weighs. It bounds the work on a
// large archive, where sections can hold half of it (docs/PERFORMANCE.md
// has the figures).
const relatedPool = 200

// relatedTop is how many of the best-weighed candidates Related looks up
// (at least; eight times the limit if that is more): a draft or a
// scheduled story among them is skipped, so a few more than the limit.
const relatedTop = 32

// Related returns public articles sharing tags (each counts two) or a
// section (one) with article a (its Tags and Categories as loaded), the
// highest score first, then the newest. It weighs the relatedPool newest
// articles of each tag (by publication) and section (by id). The stories
// come in two queries: the best of them with their columns, then their
// relations.
func (s *Store) Related(ctx context.Context, a *newsroom.Article, now time.Time, limit int) ([]*newsroom.Article, error) {
	args := []any{string(newsroom.Published), s.d.timeArg(normTime(now)), a.ID, limit}
	var parts []string
	// A tag's pool is its newest public stories, in the order of its
	// index of publication times (0134); a section's, its newest by id.
	add := func(w int, table, col string, ref int64, newest string) {
		args = append(args, ref)
		parts = append(parts, fmt.Sprintf(`SELECT article_id AS id, %d AS w FROM (SELECT article_id FROM %s
			WHERE %s = $%d AND article_id <> $3%s LIMIT %d) AS p%d`,
			w, table, col, len(args), newest, relatedPool, len(parts)))
	}
	for _, t := range a.Tags {
		add(2, "article_tags", "tag_id", t.ID, " AND published_at <= $2 ORDER BY published_at DESC, article_id DESC")
	}
	for _, c := range a.Categories {
		add(1, "article_categories", "category_id", c.ID, " ORDER BY article_id DESC")
	}
	if len(parts) == 0 {
		return []*newsroom.Article{}, nil
	}
	// The candidates are weighed from the index alone and only the best
	// relatedTop of them are looked up in articles (to keep the public
	// ones and order equal scores by date): looking up every candidate,
	// up to relatedPool per tag and section, was most of a page's render.
	// CROSS JOIN keeps SQLite (3.54) from walking every public article and
	// probing the candidates: the candidates drive.
	args = append(args, max(relatedTop, 8*limit))
	list, err := s.selectArticles(ctx, s.rq, false, `WITH cand(id, w) AS (`+strings.Join(parts, " UNION ALL ")+`),
		top(id, score) AS (SELECT id, sum(w) FROM cand GROUP BY id ORDER BY 2 DESC, 1 DESC LIMIT $`+strconv.Itoa(len(args))+`)
		SELECT `+listCols+` FROM top CROSS JOIN articles a
		WHERE a.id = top.id AND `+publicCond+`
		ORDER BY top.score DESC, a.published_at DESC, a.id DESC LIMIT $4`, args...)
	if err != nil {
		return nil, fmt.Errorf("related: %w", err)
	}
	return list, nil
}

// articlesByIDs loads listings of ids, in the order of ids.
func (s *Store) articlesByIDs(ctx context.Context, ids []int64) ([]*newsroom.Article, error) {
	if len(ids) == 0 {
		return []*newsroom.Article{}, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	list, err := s.queryArticles(ctx, s.rdb, false, " WHERE a.id IN ("+placeholders(1, len(ids))+")", args...)
	if err != nil {
		return nil, err
	}
	return sortByIDs(list, ids), nil
}

// BodiesHTML returns the rendered bodies of ids; unknown ids are missing.
func (s *Store) BodiesHTML(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	err := eachRow(ctx, s.rdb, "SELECT id, body_html FROM articles WHERE id IN ("+placeholders(1, len(ids))+")", args,
		func(r *sql.Rows) error {
			var id int64
			var body string
			if err := r.Scan(&id, &body); err != nil {
				return err
			}
			out[id] = body
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("bodies: %w", err)
	}
	return out, nil
}

// Announce tells this node's notifier and, on PostgreSQL, the other nodes
// that the pages tagged with keys changed without a write of their own
// (for example "most-read" when the view counter's ranking moved).
func (s *Store) Announce(ctx context.Context, keys ...string) { s.notify(ctx, keys) }

// viewBatch is how many rows one INSERT of AddViews carries.
const viewBatch = 200

// AddViews adds counts to the day bucket day in one transaction, skipping
// articles that no longer exist. It notifies nobody: views change no page
// by themselves (the counter decides when "most read" has moved).
func (s *Store) AddViews(ctx context.Context, day time.Time, counts map[int64]int) error {
	if len(counts) == 0 {
		return nil
	}
	err := s.inTx(ctx, func(tx *sql.Tx, _ time.Time) ([]string, error) {
		ids := make([]any, 0, len(counts))
		for id, n := range counts {
			if n > 0 {
				ids = append(ids, id)
			}
		}
		var live []int64
		for start := 0; start < len(ids); start += 500 {
			chunk := ids[start:min(start+500, len(ids))]
			err := eachRow(ctx, tx, "SELECT id FROM articles WHERE id IN ("+placeholders(1, len(chunk))+")", chunk,
				func(r *sql.Rows) error {
					var id int64
					if err := r.Scan(&id); err != nil {
						return err
					}
					live = append(live, id)
					return nil
				})
			if err != nil {
				return nil, err
			}
		}
		// One order on every node: nodes flushing the same stories at
		// once then wait for each other's row locks, never deadlock.
		slices.Sort(live)
		d := dayArg(day)
		for start := 0; start < len(live); start += viewBatch {
			chunk := live[start:min(start+viewBatch, len(live))]
			var b strings.Builder
			args := make([]any, 0, 3*len(chunk))
			for i, id := range chunk {
				if i > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "($%d, $%d, $%d)", 3*i+1, 3*i+2, 3*i+3)
				args = append(args, id, d, counts[id])
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO article_views (article_id, day, count) VALUES `+b.String()+`
				ON CONFLICT (article_id, day) DO UPDATE SET count = article_views.count + excluded.count`, args...); err != nil {
				return nil, err
			}
		}
		return nil, nil
	})
	if err != nil {
		return fmt.Errorf("add views: %w", err)
	}
	return nil
}
