package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/textsearch"
)

// pgTSQuery reads the rendered query in both configurations, so English
// articles match English stems and Russian ones Russian stems.
const pgTSQuery = "(websearch_to_tsquery('english', $1) || websearch_to_tsquery('russian', $1))"

// PostgreSQL: article_search carries status, publication time, language
// and the small lead_tsv (migration 0130), so candidates need no join to
// articles unless a section, tag or author filter asks for one. A capped
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

// pgFlags selects where a row of %[1]s matched: headline, standfirst,
// tags.
const pgFlags = "ts_filter(%[1]s.lead_tsv, '{a}') @@ " + pgTSQuery + ", ts_filter(%[1]s.lead_tsv, '{b}') @@ " + pgTSQuery +
	", ts_filter(%[1]s.lead_tsv, '{c}') @@ " + pgTSQuery

// tsQuery is pgTSQuery for the query text in parameter p.
func tsQuery(p string) string { return strings.ReplaceAll(pgTSQuery, "$1", p) }

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
	if f.Language != "" {
		sconds = append(sconds, "s.language = "+arg(f.Language))
	}
	rest := f
	rest.Status, rest.PublicAt, rest.IncludeTrash, rest.Language = nil, nil, true, ""
	rest.PublishedFrom, rest.PublishedBefore = time.Time{}, time.Time{}
	aconds := s.filterConds(rest, arg)
	join := ""
	if len(aconds) > 0 {
		join = " JOIN articles a ON a.id = s.article_id"
		sconds = append(sconds, aconds...)
	}
	bound := searchBound
	loose := q.Loose().Websearch()
	exactMatch := loose == q.Websearch() // no phrase, no negation: the GIN index alone decides
	looseArg := "$1"
	if !exactMatch {
		looseArg = arg(loose) // the last argument: queries without it drop it
	}
	where := strings.Join(append([]string{"s.tsv @@ " + tsQuery(looseArg)}, sconds...), " AND ")

	// The archive's span, for the windows.
	var first, last time.Time
	if err := s.rdb.QueryRowContext(ctx, "SELECT (SELECT min(published_at) FROM article_search), (SELECT max(published_at) FROM article_search)").Scan(scanTime(&first), scanTime(&last)); err != nil {
		return nil, 0, err
	}
	if f.PublicAt != nil && f.PublicAt.Before(last) {
		last = *f.PublicAt
	}
	span := last.Sub(first)

	tx, err := s.searchDB(ctx).BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	// Bitmap scans only: the GIN index's match ANDed with the window of
	// the date index. A walk of the date index checking each row's vector
	// (what the planner likes with ORDER BY … LIMIT) reads the whole body
	// vector of every row it passes, and past millions of rows for a rare
	// word.
	// And plans made for the values at hand, so the query text is parsed
	// into a tsquery once, not per row as in a generic plan.
	if _, err := tx.ExecContext(ctx, "SELECT set_config('enable_indexscan', 'off', true), set_config('enable_seqscan', 'off', true), set_config('plan_cache_mode', 'force_custom_plan', true)"); err != nil {
		return nil, 0, err
	}
	var cands []candidate
	var taken int
	var oldest time.Time // of the rows taken
	covered := span
	// pass takes the newest rows matching cond in widening windows until
	// more than the bound are found; with check, the whole query (a
	// phrase's order, negations) is checked on those rows alone.
	windows := []float64{1.0 / 32, 1.0 / 4, 1}
	reached := 0 // the window where a pass stopped
	// take is how many rows a pass takes: the bound, or a quarter of it
	// when each row's vector must be read to check the whole query (a
	// phrase, a negation), the slow part of such a search.
	take := bound
	pass := func(cond string, args []any, check bool, windows []float64) error {
		take = bound
		if check {
			take = max(bound/4, 1)
		}
		for i, frac := range windows {
			reached = i
			cands, taken, oldest = cands[:0], 0, time.Time{}
			w := strings.Replace(where, "s.tsv @@ "+tsQuery(looseArg), cond, 1)
			wargs := args
			if frac < 1 && span > 0 {
				from := last.Add(-time.Duration(float64(span) * frac))
				wargs = append(slices.Clone(args), normTime(from))
				w += fmt.Sprintf(" AND (s.published_at >= $%d OR s.published_at IS NULL)", len(wargs))
				covered = last.Sub(from)
			} else {
				frac, covered = 1, span
			}
			ok := "true"
			if check {
				ok = "c.tsv @@ " + pgTSQuery
			}
			query := "SELECT c.article_id, c.published_at, " + fmt.Sprintf(pgFlags, "c") + ", " + ok +
				" FROM (SELECT s.article_id, s.published_at, s.lead_tsv, s.tsv FROM article_search s" + join + " WHERE " + w +
				fmt.Sprintf(" ORDER BY s.published_at DESC NULLS FIRST, s.article_id DESC LIMIT %d) c", take+1) +
				" ORDER BY c.published_at DESC NULLS FIRST, c.article_id DESC"
			err := eachRow(ctx, tx, query, wargs, func(r *sql.Rows) error {
				var c candidate
				var ok bool
				if err := r.Scan(&c.id, scanTime(&c.published), &c.headline, &c.stand, &c.tags, &ok); err != nil {
					return err
				}
				if taken++; taken <= take {
					oldest = c.published
				}
				if ok {
					cands = append(cands, c)
				}
				return nil
			})
			if err != nil || taken > take || frac == 1 {
				return err
			}
		}
		return nil
	}
	// The loose query first: the GIN index answers it without reading a
	// vector. When checking the whole query on its newest rows leaves too
	// few to fill the page asked for (a rare phrase of common words, a
	// negation of a common word), the whole query goes into the bitmap
	// scan of the same window, whose recheck reads the vector of every
	// loose match there: slower, bounded by the window.
	err = pass("s.tsv @@ "+tsQuery(looseArg), args, !exactMatch, windows)
	if err == nil && !exactMatch && taken > take && len(cands) < f.Offset+max(f.Limit, 1) {
		// Without the loose text, the last argument.
		err = pass("s.tsv @@ "+pgTSQuery, args[:len(args)-1], false, windows[reached:reached+1])
	}
	if err != nil {
		return nil, 0, err
	}
	switch {
	case taken <= take && covered >= span:
		return cands, len(cands), nil // every match, counted exactly
	case taken > take && !oldest.IsZero():
		covered = last.Sub(oldest) // how far back the newest rows reach
	}
	if len(cands) > take {
		cands = cands[:take]
	}
	total := estimate(len(cands), float64(covered), float64(span))
	if len(cands) > 0 {
		oldest = cands[len(cands)-1].published
	}
	// The newest older stories whose headline matches join in (the GIN
	// index of lead_tsv, 0131, or a walk of the date index checking the
	// small lead vector: the planner's choice, both cheap).
	hargs := slices.Clone(args)
	if !exactMatch {
		hargs = hargs[:len(hargs)-1] // the loose text, unused here
	}
	hwhere := strings.Replace(where, "s.tsv @@ "+tsQuery(looseArg), "s.lead_tsv @@ "+pgTSQuery+" AND ts_filter(s.lead_tsv, '{a}') @@ "+pgTSQuery, 1)
	if !oldest.IsZero() {
		hargs = append(hargs, oldest)
		hwhere += fmt.Sprintf(" AND s.published_at < $%d", len(hargs))
	}
	var older []candidate
	if _, err := tx.ExecContext(ctx, "SELECT set_config('enable_indexscan', 'on', true), set_config('enable_seqscan', 'on', true)"); err != nil {
		return nil, 0, err
	}
	err = eachRow(ctx, tx, "SELECT s.article_id, s.published_at FROM article_search s"+join+" WHERE "+hwhere+
		fmt.Sprintf(" ORDER BY s.published_at DESC, s.article_id DESC LIMIT %d", headlineExtra), hargs, func(r *sql.Rows) error {
		c := candidate{headline: true, older: true}
		if err := r.Scan(&c.id, scanTime(&c.published)); err != nil {
			return err
		}
		older = append(older, c)
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	// A headline match whose negated words are in the body is no match.
	if q.Negated() && len(older) > 0 {
		older, err = keepMatching(ctx, tx, "SELECT article_id FROM article_search s WHERE s.tsv @@ "+pgTSQuery+" AND article_id IN (%s)", args[0], older)
		if err != nil {
			return nil, 0, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, 0, err
	}
	return append(cands, older...), total, nil
}

// searchDB is the pool a search's read-only transaction runs on: the read
// replica when a public read may use it (replica.go), else the primary.
func (s *Store) searchDB(ctx context.Context) *sql.DB {
	if r, ok := s.rdb.(*routed); ok && r.onReplica(ctx) {
		r.rp.reads.Add(1)
		return r.rp.db
	}
	if db, ok := s.rdb.(*sql.DB); ok {
		return db
	}
	return s.wdb
}
