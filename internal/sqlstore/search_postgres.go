package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/textsearch"
)

// pgTSQuery reads the rendered query in both configurations, so English
// articles match English stems and Russian ones Russian stems.
const pgTSQuery = "(websearch_to_tsquery('english', $1) || websearch_to_tsquery('russian', $1))"

// PostgreSQL: article_search carries status, publication time and the
// small lead_tsv (migration 0130), so candidates need no join to articles
// unless a section, tag, language or author filter asks for one. A capped
// count of the query's words (phrases loosened, which the GIN index
// answers without reading a vector) decides the plan: a query with few
// matches reads them all through the GIN index (a MATERIALIZED CTE, so
// the planner cannot turn it into a walk of the date index past millions
// of rows) and is counted exactly; a broader one walks article_search_recent
// newest first and stops after the bound. Where the terms matched is read
// from lead_tsv by weight (A headline, B standfirst, C tags).
var postgresSearch = searchDialect{
	render:     textsearch.Query.Websearch,
	candidates: postgresCandidates,
	snippets: `SELECT s.article_id,
		ts_headline(newsdesk_search_config(s.language), s.headline, q.q,
			'HighlightAll=true, StartSel="` + textsearch.MarkStart + `", StopSel="` + textsearch.MarkEnd + `"'),
		ts_headline(newsdesk_search_config(s.language), left(s.body, 50000), q.q,
			'MaxFragments=2, MaxWords=28, MinWords=12, StartSel="` + textsearch.MarkStart + `", StopSel="` + textsearch.MarkEnd + `", FragmentDelimiter=" … "')
		FROM article_search s, (SELECT ` + pgTSQuery + ` AS q) q WHERE s.article_id IN (%s)`,
}

const pgWhere = "ts_filter(%[1]s.lead_tsv, '{a}') @@ " + pgTSQuery + ", ts_filter(%[1]s.lead_tsv, '{b}') @@ " + pgTSQuery +
	", ts_filter(%[1]s.lead_tsv, '{c}') @@ " + pgTSQuery

func postgresCandidates(ctx context.Context, s *Store, q textsearch.Query, f newsroom.ArticleFilter, from, to time.Time) ([]candidate, int, error) {
	args := []any{q.Websearch()}
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	// Status and time on article_search itself; what else the filter asks
	// on articles, joined only then.
	var sconds []string
	switch {
	case f.Status != nil:
		sconds = append(sconds, "s.status = "+arg(string(*f.Status)))
	case f.PublicAt == nil && !f.IncludeTrash:
		sconds = append(sconds, "s.status <> "+arg(string(newsroom.Trash)))
	}
	if f.PublicAt != nil {
		sconds = append(sconds, "s.status = "+arg(string(newsroom.Published)), "s.published_at <= "+arg(normTime(*f.PublicAt)))
	}
	for _, b := range []struct {
		t  time.Time
		op string
	}{{from, ">="}, {f.PublishedFrom, ">="}, {to, "<"}, {f.PublishedBefore, "<"}} {
		if !b.t.IsZero() {
			sconds = append(sconds, "s.published_at "+b.op+" "+arg(normTime(b.t)))
		}
	}
	rest := f
	rest.Status, rest.PublicAt, rest.IncludeTrash = nil, nil, true
	rest.PublishedFrom, rest.PublishedBefore = time.Time{}, time.Time{}
	aconds := s.filterConds(rest, arg)
	join := ""
	if len(aconds) > 0 {
		join = " JOIN articles a ON a.id = s.article_id"
		sconds = append(sconds, aconds...)
	}
	where := strings.Join(append([]string{"s.tsv @@ " + pgTSQuery}, sconds...), " AND ")
	bound := searchBound

	// How many match at most: the loosened query, capped.
	loose := q.Loose()
	largs := append([]any{loose.Websearch()}, args[1:]...)
	var many int
	if err := s.rdb.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT 1 FROM article_search s"+join+" WHERE "+where+fmt.Sprintf(" LIMIT %d) x", bound+1), largs...).Scan(&many); err != nil {
		return nil, 0, fmt.Errorf("count: %w", err)
	}
	if many == 0 {
		return nil, 0, nil
	}
	var cands []candidate
	scan := func(query string, args []any) error {
		older := len(cands) > 0 // the second scan, of older headline matches
		return eachRow(ctx, s.rdb, query, args, func(r *sql.Rows) error {
			c := candidate{older: older}
			if err := r.Scan(&c.id, scanTime(&c.published), &c.headline, &c.stand, &c.tags); err != nil {
				return err
			}
			cands = append(cands, c)
			return nil
		})
	}
	if many <= bound {
		query := "WITH m AS MATERIALIZED (SELECT s.article_id, s.published_at, s.lead_tsv FROM article_search s" + join + " WHERE " + where + ")" +
			" SELECT m.article_id, m.published_at, " + fmt.Sprintf(pgWhere, "m") + " FROM m"
		if err := scan(query, args); err != nil {
			return nil, 0, err
		}
		return cands, len(cands), nil
	}
	query := "SELECT s.article_id, s.published_at, " + fmt.Sprintf(pgWhere, "s") + " FROM article_search s" + join + " WHERE " + where +
		fmt.Sprintf(" ORDER BY s.published_at DESC, s.article_id DESC LIMIT %d", bound+1)
	if err := scan(query, args); err != nil {
		return nil, 0, err
	}
	if len(cands) <= bound {
		return cands, len(cands), nil
	}
	cands = cands[:bound]
	oldest := cands[bound-1].published
	var first, last time.Time
	if err := s.rdb.QueryRowContext(ctx, "SELECT min(published_at), max(published_at) FROM article_search").Scan(scanTime(&first), scanTime(&last)); err != nil {
		return nil, 0, err
	}
	total := bound + 1
	if !oldest.IsZero() && !first.IsZero() {
		total = estimate(bound, float64(last.Sub(oldest)), float64(last.Sub(first)))
	}
	// The newest older stories whose headline matches join in.
	hargs := append([]any{}, args...)
	hwhere := strings.Replace(where, "s.tsv @@ "+pgTSQuery, "s.lead_tsv @@ "+pgTSQuery+" AND ts_filter(s.lead_tsv, '{a}') @@ "+pgTSQuery, 1)
	if !oldest.IsZero() {
		hargs = append(hargs, oldest)
		hwhere += fmt.Sprintf(" AND s.published_at < $%d", len(hargs))
	}
	n := len(cands)
	query = "SELECT s.article_id, s.published_at, " + fmt.Sprintf(pgWhere, "s") + " FROM article_search s" + join + " WHERE " + hwhere +
		fmt.Sprintf(" ORDER BY s.published_at DESC, s.article_id DESC LIMIT %d", headlineExtra)
	if err := scan(query, hargs); err != nil {
		return nil, 0, err
	}
	// A headline match whose negated words are in the body is no match.
	if q.Loose().Websearch() != q.Websearch() && len(cands) > n {
		var ids []any
		for _, c := range cands[n:] {
			ids = append(ids, c.id)
		}
		keep := map[int64]bool{}
		err := eachRow(ctx, s.rdb, "SELECT article_id FROM article_search s WHERE s.tsv @@ "+pgTSQuery+" AND article_id IN ("+placeholders(2, len(ids))+")",
			append([]any{args[0]}, ids...), func(r *sql.Rows) error {
				var id int64
				if err := r.Scan(&id); err != nil {
					return err
				}
				keep[id] = true
				return nil
			})
		if err != nil {
			return nil, 0, err
		}
		kept := cands[:n]
		for _, c := range cands[n:] {
			if keep[c.id] {
				kept = append(kept, c)
			}
		}
		cands = kept
	}
	return cands, total, nil
}
