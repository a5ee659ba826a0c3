package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/textsearch"
)

// FindArticles returns one page of articles matching f and the total count.
// Listings carry authors, categories, tags and lead image but no body. A
// Query runs a full-text search (see Search) and orders by relevance; a
// blank query does not filter, one with no words in it finds nothing.
func (s *Store) FindArticles(ctx context.Context, f newsroom.ArticleFilter) ([]*newsroom.Article, int, error) {
	if strings.TrimSpace(f.Query) != "" {
		hits, total, err := s.search(ctx, textsearch.Parse(f.Query), f, time.Time{}, time.Time{}, false)
		if err != nil {
			return nil, 0, fmt.Errorf("find articles: %w", err)
		}
		list := make([]*newsroom.Article, len(hits))
		for i, h := range hits {
			list[i] = h.Article
		}
		return list, total, nil
	}
	limit, offset := pageBounds(f.Limit, f.Offset)
	total := -1
	if !f.NoTotal {
		where, args := s.where(f, false)
		if err := s.rq.QueryRowContext(ctx, "SELECT count(*) FROM articles a"+where, args...).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("find articles: %w", err)
		}
		if total == 0 || offset >= total {
			return []*newsroom.Article{}, total, nil
		}
	}
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	from, conds, order, err := s.listQuery(ctx, f, arg)
	if err != nil {
		return nil, 0, fmt.Errorf("find articles: %w", err)
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	args = append(args, limit, offset)
	page := fmt.Sprintf("%s LIMIT $%d OFFSET $%d", order, len(args)-1, len(args))
	query := "SELECT " + listCols + from + where + page
	if s.idsFirst(f) {
		// The outer query orders the page's rows as the inner one chose
		// them (a link list's order is its link's time, the same as its
		// article's).
		query = "SELECT " + listCols + " FROM (SELECT a.id" + from + where + page + ") AS p JOIN articles a ON a.id = p.id" + articleOrder(f)
		// Planned for its values every time (an unnamed statement, its
		// description cached, still one round trip): PostgreSQL took the
		// narrow inner query's generic plan after five runs, estimated
		// without the bounds, and it hashed a dense tag's every story
		// (30 ms against 0.7 for a tag page at 100,000 articles).
		args = append([]any{pgx.QueryExecModeCacheDescribe}, args...)
	}
	list, err := s.selectArticles(ctx, s.rq, false, query, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find articles: %w", err)
	}
	return list, total, nil
}

// FindArticleLists returns a page of each of fs, in the order of fs, in
// two queries however many lists there are (the pages, then all their
// articles' relations): the home page's stream and section blocks were
// two queries each, and on PostgreSQL each is a round trip. Each filter
// must be a public list newest first (PublicAt set, the default or
// published sort, descending, no Query); totals are not counted. A story
// in several lists is a copy in each.
func (s *Store) FindArticleLists(ctx context.Context, fs []newsroom.ArticleFilter) ([][]*newsroom.Article, error) {
	out := make([][]*newsroom.Article, len(fs))
	if len(fs) == 0 {
		return out, nil
	}
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	pg := s.d == postgresDialect
	if pg {
		arg = hiddenArg(arg)
	}
	arms := make([]string, len(fs))
	for i, f := range fs {
		if f.PublicAt == nil || strings.TrimSpace(f.Query) != "" || f.Ascending ||
			(f.Sort != "" && f.Sort != newsroom.SortPublished) {
			return nil, fmt.Errorf("find article lists: list %d is not a public list newest first", i)
		}
		from, conds, order, err := s.listQuery(ctx, f, arg)
		if err != nil {
			return nil, fmt.Errorf("find article lists: %w", err)
		}
		limit, offset := pageBounds(f.Limit, f.Offset)
		where := " WHERE " + strings.Join(conds, " AND ")
		// SQLite takes ORDER BY and LIMIT in a compound's arm only inside
		// a subquery; each arm walks its index and stops as alone. The
		// LIMIT and OFFSET are written in (integers of pageBounds): bound
		// as parameters, they made SQLite prepare the whole compound again
		// on every call (a fifth of a never-viewed home page's CPU at a
		// million articles).
		bounds := " LIMIT " + strconv.Itoa(limit) + " OFFSET " + strconv.Itoa(offset)
		if !pg {
			arms[i] = "SELECT * FROM (SELECT " + strconv.Itoa(i) + " AS list, " + listCols + from + where + order +
				bounds + ") AS l" + strconv.Itoa(i)
			continue
		}
		// PostgreSQL: the page's ids from the indexes (see idsFirst), then
		// its rows. The bounds are literals and every value is hidden
		// from the planner (hiddenArg), so that the plan depends on the
		// query's text alone and PostgreSQL keeps one generic plan per
		// connection after its first five runs: planning the home page's
		// nine arms was more than half of the query's time.
		arms[i] = "SELECT * FROM (SELECT " + strconv.Itoa(i) + " AS list, " + listCols +
			" FROM (SELECT a.id" + from + where + order + bounds + ") AS p JOIN articles a ON a.id = p.id) AS l" + strconv.Itoa(i)
	}
	rows, err := s.rq.QueryContext(ctx, strings.Join(arms, "\n\tUNION ALL ")+"\n\tORDER BY 1, published_at DESC, id DESC", args...)
	if err != nil {
		return nil, fmt.Errorf("find article lists: %w", err)
	}
	defer rows.Close()
	var all []*newsroom.Article
	related := map[int64]bool{} // stories of a list that wants their relations
	for rows.Next() {
		var list int
		a, err := scanArticle(rows, false, &list)
		if err != nil {
			return nil, fmt.Errorf("find article lists: %w", err)
		}
		if list < 0 || list >= len(out) {
			return nil, fmt.Errorf("find article lists: row of list %d", list)
		}
		out[list] = append(out[list], a)
		if !fs[list].NoRelations {
			related[a.ID] = true
		}
		all = append(all, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find article lists: %w", err)
	}
	rows.Close()
	first, distinct, copies := byStory(all)
	need := distinct[:0:0]
	for _, a := range distinct {
		if related[a.ID] {
			need = append(need, a)
		}
	}
	if err := s.loadRelations(ctx, s.rq, need, false); err != nil {
		return nil, fmt.Errorf("find article lists: %w", err)
	}
	for _, a := range copies {
		*a = *first[a.ID]
	}
	for i := range out {
		if out[i] == nil {
			out[i] = []*newsroom.Article{}
		}
	}
	return out, nil
}

// idsFirst reports whether FindArticles reads f's page in two steps on
// PostgreSQL: an inner query picks the page's ids (the offset's and the
// limit's) from the indexes alone, and the outer one reads only those
// rows. It does for a public list newest (or oldest) first: the edition's
// walk by date is an index-only scan of articles_language_public, whose
// key ends in the id (migration 0135); a tag's or an author's stories
// come in the order of their link index (0134), each looked up in
// articles_search_filter for its status and language; a section's
// membership is a probe of its join table's key. Before, each story the
// page skipped or tested was a read of its row: a deep page (?page=N, an
// OFFSET) read every row before it. SQLite's indexes end in the rowid
// and already give the id.
func (s *Store) idsFirst(f newsroom.ArticleFilter) bool {
	return s.d == postgresDialect && f.PublicAt != nil && (f.Sort == "" || f.Sort == newsroom.SortPublished)
}

// hiddenArg wraps a PostgreSQL bind function so that each value is read
// through a one-row subquery, "(SELECT $n::type)", which the planner
// plans as an InitPlan without looking at the value: a statement's
// estimated cost is then the same whatever its arguments, and
// PostgreSQL (plan_cache_mode auto) switches to the statement's generic
// plan after five custom ones instead of planning it again on every run.
// The plan is the same either way (the values' only use is as index
// conditions, equal to a unique slug or bounding a date), and the
// executor evaluates each InitPlan once.
func hiddenArg(arg func(any) string) func(any) string {
	return func(v any) string {
		p := arg(v)
		switch v.(type) {
		case string:
			return "(SELECT " + p + "::text)"
		case int64, int:
			return "(SELECT " + p + "::bigint)"
		case time.Time:
			return "(SELECT " + p + "::timestamptz)"
		}
		return p
	}
}

// ArticleRelations fills the authors, categories and tags of every article
// of list in one query; a story in list twice (copies from two lists) is
// read once.
func (s *Store) ArticleRelations(ctx context.Context, list []*newsroom.Article) error {
	first, distinct, copies := byStory(list)
	if err := s.loadRelations(ctx, s.rq, distinct, false); err != nil {
		return fmt.Errorf("article relations: %w", err)
	}
	for _, a := range copies {
		f := first[a.ID]
		a.Authors, a.Categories, a.Tags = f.Authors, f.Categories, f.Tags
	}
	return nil
}

// byStory splits list into the first copy of each story (distinct, and
// by id in first) and the later copies of a story already met.
func byStory(list []*newsroom.Article) (first map[int64]*newsroom.Article, distinct, copies []*newsroom.Article) {
	first = make(map[int64]*newsroom.Article, len(list))
	for _, a := range list {
		if _, ok := first[a.ID]; ok {
			copies = append(copies, a)
		} else {
			first[a.ID] = a
			distinct = append(distinct, a)
		}
	}
	return first, distinct, copies
}

// articleOrder is the ORDER BY of a list without a query.
func articleOrder(f newsroom.ArticleFilter) string {
	col := "a.updated_at"
	switch {
	case f.Sort == newsroom.SortPublished || f.Sort == "" && f.PublicAt != nil:
		col = "a.published_at"
	case f.Sort == newsroom.SortHeadline:
		col = "lower(a.headline)"
	case f.Sort == newsroom.SortComments:
		col = "a.comment_count"
	}
	dir := " DESC"
	if f.Ascending {
		dir = " ASC"
	}
	if col == "a.published_at" && f.PublicAt != nil {
		// Public stories all have a date: without the NULL test the
		// index on (status, published_at) (its rowid last) gives the
		// order, and a page reads its rows and stops instead of sorting
		// every public article of the archive.
		return " ORDER BY a.published_at" + dir + ", a.id" + dir
	}
	if col == "a.published_at" {
		// Never-published stories last either way.
		return " ORDER BY (a.published_at IS NULL), a.published_at" + dir + ", a.id" + dir
	}
	return " ORDER BY " + col + dir + ", a.id" + dir
}

// ArticleByID returns the full article or a NotFound error.
func (s *Store) ArticleByID(ctx context.Context, id int64) (*newsroom.Article, error) {
	return lookup(ctx, "article by id", s.fullArticle, s.rq, "a.id = $1", id)
}

// ArticleBySlug returns the full article or a NotFound error.
func (s *Store) ArticleBySlug(ctx context.Context, slug string) (*newsroom.Article, error) {
	return lookup(ctx, "article by slug", s.fullArticle, s.rq, "a.slug = $1", slug)
}

// ArticleIDByOldPath returns the article that once lived at path, or a
// NotFound error.
func (s *Store) ArticleIDByOldPath(ctx context.Context, path string) (int64, error) {
	var id int64
	err := s.rq.QueryRowContext(ctx, "SELECT article_id FROM old_paths WHERE path = $1", path).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("article by old path: %w", notFound("article"))
	}
	if err != nil {
		return 0, fmt.Errorf("article by old path: %w", err)
	}
	return id, nil
}

// Revisions lists the saved revisions of an article, newest first. An
// unknown article is a NotFound error.
// LatestRevision returns the newest revision's record without its text:
// one indexed row, for the editor's heartbeat.
func (s *Store) LatestRevision(ctx context.Context, articleID int64) (*newsroom.Revision, error) {
	rv := newsroom.Revision{ArticleID: articleID}
	var by sql.NullInt64
	err := s.rdb.QueryRowContext(ctx, `SELECT number, saved_at, saved_by, note, status, reason FROM revisions
		WHERE article_id = $1 ORDER BY number DESC LIMIT 1`, articleID).
		Scan(&rv.Number, scanTime(&rv.SavedAt), &by, &rv.Note, &rv.Status, &rv.Reason)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, newsroom.Errorf(newsroom.NotFound, "", "article %d has no revision", articleID)
	}
	if err != nil {
		return nil, fmt.Errorf("latest revision: %w", err)
	}
	rv.SavedBy = by.Int64
	return &rv, nil
}

func (s *Store) Revisions(ctx context.Context, articleID int64) ([]newsroom.Revision, error) {
	var out []newsroom.Revision
	err := eachRow(ctx, s.rdb, `SELECT article_id, number, headline, standfirst, body, body_html,
		saved_at, saved_by, note, status, reason FROM revisions WHERE article_id = $1 ORDER BY number DESC`,
		[]any{articleID}, func(r *sql.Rows) error {
			var rv newsroom.Revision
			var by sql.NullInt64
			if err := r.Scan(&rv.ArticleID, &rv.Number, &rv.Headline, &rv.Standfirst, &rv.Body,
				&rv.BodyHTML, scanTime(&rv.SavedAt), &by, &rv.Note, &rv.Status, &rv.Reason); err != nil {
				return err
			}
			rv.SavedBy = by.Int64
			out = append(out, rv)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("revisions: %w", err)
	}
	if len(out) == 0 {
		if err := s.articleExists(ctx, s.rdb, articleID); err != nil {
			return nil, fmt.Errorf("revisions: %w", err)
		}
	}
	return out, nil
}

func (s *Store) articleExists(ctx context.Context, q queryer, id int64) error {
	var one int
	err := q.QueryRowContext(ctx, "SELECT 1 FROM articles WHERE id = $1", id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("article")
	}
	return err
}
