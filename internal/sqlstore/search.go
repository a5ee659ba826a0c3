package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"slices"
	"strings"
	"time"

	"modernc.org/sqlite"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/textsearch"
)

// searchDialect is how one database runs a full-text query. Every SQL text
// takes the rendered query as $1.
type searchDialect struct {
	// render turns a parsed query into the $1 argument.
	render func(q textsearch.Query) string
	// from joins the index to articles "a"; match selects the hits; rank
	// is a relevance expression, higher is better.
	from, match, rank string
	// snippets selects (article id, marked headline, marked body snippet)
	// for the ids bound from $2 on; %s is where their placeholders go.
	snippets string
}

// Weights of the columns headline, standfirst, body, tags in SQLite's bm25;
// PostgreSQL weighs A (headline), B (tags, standfirst), C (body) with
// ts_rank's defaults.
const sqliteRank = "(-bm25(article_fts, 10.0, 4.0, 1.0, 6.0))"

var sqliteSearch = searchDialect{
	render: textsearch.Query.FTS5,
	from:   "article_fts JOIN articles a INDEXED BY articles_search_filter ON a.id = article_fts.rowid",
	match:  "article_fts MATCH $1",
	rank:   sqliteRank,
	snippets: `SELECT rowid, highlight(article_fts, 0, '` + textsearch.MarkStart + `', '` + textsearch.MarkEnd + `'),
		snippet(article_fts, 2, '` + textsearch.MarkStart + `', '` + textsearch.MarkEnd + `', '…', 32)
		FROM article_fts WHERE article_fts MATCH $1 AND rowid IN (%s)`,
}

// pgTSQuery reads the rendered query in both configurations, so English
// articles match English stems and Russian ones Russian stems.
const pgTSQuery = "(websearch_to_tsquery('english', $1) || websearch_to_tsquery('russian', $1))"

var postgresSearch = searchDialect{
	render: textsearch.Query.Websearch,
	from:   "article_search s JOIN articles a ON a.id = s.article_id",
	match:  "s.tsv @@ " + pgTSQuery,
	rank:   "ts_rank(s.tsv, " + pgTSQuery + ")",
	snippets: `SELECT s.article_id,
		ts_headline(newsdesk_search_config(s.language), s.headline, q.q,
			'HighlightAll=true, StartSel="` + textsearch.MarkStart + `", StopSel="` + textsearch.MarkEnd + `"'),
		ts_headline(newsdesk_search_config(s.language), left(s.body, 50000), q.q,
			'MaxFragments=2, MaxWords=28, MinWords=12, StartSel="` + textsearch.MarkStart + `", StopSel="` + textsearch.MarkEnd + `", FragmentDelimiter=" … "')
		FROM article_search s, (SELECT ` + pgTSQuery + ` AS q) q WHERE s.article_id IN (%s)`,
}

func init() {
	sqliteDialect.search = sqliteSearch
	postgresDialect.search = postgresSearch
	// The SQLite triggers of migration 0007 call these two.
	sqlite.MustRegisterDeterministicScalarFunction("newsdesk_plain", 1, textFunc(textsearch.Plain))
	sqlite.MustRegisterDeterministicScalarFunction("newsdesk_index", 1, textFunc(textsearch.IndexText))
}

// textFunc adapts a string function to an SQLite scalar function; NULL
// stays NULL.
func textFunc(fn func(string) string) func(*sqlite.FunctionContext, []driver.Value) (driver.Value, error) {
	return func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		switch v := args[0].(type) {
		case nil:
			return nil, nil
		case string:
			return fn(v), nil
		case []byte:
			return fn(string(v)), nil
		default:
			return fn(fmt.Sprint(v)), nil
		}
	}
}

// Search runs a full-text search over headline, standfirst, body and tag
// names, best match first (newest first among equals), with marked
// headlines and snippets. A query with no words in it finds nothing.
func (s *Store) Search(ctx context.Context, q newsroom.SearchQuery) ([]newsroom.SearchHit, int, error) {
	f := newsroom.ArticleFilter{Status: q.Status, Category: q.Category, Tag: q.Tag, PublicAt: q.PublicAt,
		Visible: q.Visible, Language: q.Language, Limit: q.Limit, Offset: q.Offset}
	hits, total, err := s.search(ctx, textsearch.Parse(q.Text), f, q.From, q.To, true)
	if err != nil {
		return nil, 0, fmt.Errorf("search: %w", err)
	}
	return hits, total, nil
}

func (s *Store) search(ctx context.Context, q textsearch.Query, f newsroom.ArticleFilter, from, to time.Time, snippets bool) ([]newsroom.SearchHit, int, error) {
	hits := []newsroom.SearchHit{}
	if q.Empty() {
		return hits, 0, nil
	}
	sd := s.d.search
	limit, offset := pageBounds(f.Limit, f.Offset)
	args := []any{sd.render(q)}
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	conds := append([]string{sd.match}, s.filterConds(f, arg)...)
	if !from.IsZero() {
		conds = append(conds, "a.published_at >= "+arg(s.d.timeArg(normTime(from))))
	}
	if !to.IsZero() {
		conds = append(conds, "a.published_at < "+arg(s.d.timeArg(normTime(to))))
	}
	where := " WHERE " + strings.Join(conds, " AND ")

	var total int
	if err := s.rdb.QueryRowContext(ctx, "SELECT count(*) FROM "+sd.from+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	if total == 0 || offset >= total {
		return hits, total, nil
	}
	page := fmt.Sprintf(" ORDER BY rank DESC, a.published_at DESC, a.id DESC LIMIT %s OFFSET %s", arg(limit), arg(offset))
	var ids []any
	ranks := map[int64]float64{}
	err := eachRow(ctx, s.rdb, "SELECT a.id, "+sd.rank+" AS rank FROM "+sd.from+where+page, args, func(r *sql.Rows) error {
		var id int64
		var rank float64
		if err := r.Scan(&id, &rank); err != nil {
			return err
		}
		ids = append(ids, id)
		ranks[id] = rank
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	if len(ids) == 0 {
		return hits, total, nil
	}
	list, err := s.queryArticles(ctx, s.rdb, false, " WHERE a.id IN ("+placeholders(1, len(ids))+")", ids...)
	if err != nil {
		return nil, 0, err
	}
	byID := map[int64]*newsroom.Article{}
	for _, a := range list {
		byID[a.ID] = a
	}
	marks := map[int64][2]string{}
	if snippets {
		q := fmt.Sprintf(sd.snippets, placeholders(2, len(ids)))
		err := eachRow(ctx, s.rdb, q, append([]any{args[0]}, ids...), func(r *sql.Rows) error {
			var id int64
			var h, sn string
			if err := r.Scan(&id, &h, &sn); err != nil {
				return err
			}
			marks[id] = [2]string{h, sn}
			return nil
		})
		if err != nil {
			return nil, 0, fmt.Errorf("snippets: %w", err)
		}
	}
	for _, v := range ids {
		id := v.(int64)
		a := byID[id]
		if a == nil {
			continue // deleted between the two reads
		}
		h := newsroom.SearchHit{Article: a, Rank: ranks[id]}
		if snippets {
			m := marks[id]
			h.HeadlineHTML = textsearch.MarkedHTML(m[0])
			if h.HeadlineHTML == "" {
				h.HeadlineHTML = textsearch.MarkedHTML(a.Headline)
			}
			h.SnippetHTML = textsearch.MarkedHTML(strings.TrimSpace(m[1]))
			if strings.TrimSpace(m[1]) == "" {
				h.SnippetHTML = textsearch.MarkedHTML(a.Standfirst)
			}
		}
		hits = append(hits, h)
	}
	return hits, total, nil
}

// sortByIDs orders list as ids are ordered, dropping any not in list.
func sortByIDs(list []*newsroom.Article, ids []int64) []*newsroom.Article {
	pos := map[int64]int{}
	for i, id := range ids {
		pos[id] = i
	}
	slices.SortFunc(list, func(a, b *newsroom.Article) int { return pos[a.ID] - pos[b.ID] })
	return list
}
