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

// pgTSQueryIn is the query for an edition's search: only that language's
// configuration, since its stories are indexed in it. Both configurations
// OR-ed made two index scans of one lexeme for an English word (and the
// planner's estimate twice the matches), and an unstemmed lexeme besides
// the stem for a Russian one.
func pgTSQueryIn(language string) string {
	switch language {
	case "":
		return pgTSQuery
	case "ru":
		return "websearch_to_tsquery('russian', $1)"
	}
	return "websearch_to_tsquery('english', $1)"
}

// pgFlags selects where a row of alias matched, headline, standfirst and
// tags, for the query tsq. Each ts_filter makes a new vector, so it is
// only called on rows whose lead vector matches at all (about half of a
// common word's candidates; the rest matched in the body alone).
func pgFlags(alias, tsq string) string {
	var out []string
	for _, w := range []string{"a", "b", "c"} {
		out = append(out, "CASE WHEN "+alias+".lead_tsv @@ "+tsq+" THEN ts_filter("+alias+".lead_tsv, '{"+w+"}') @@ "+tsq+" ELSE false END")
	}
	return strings.Join(out, ", ")
}

func postgresCandidates(ctx context.Context, s *Store, q textsearch.Query, f newsroom.ArticleFilter, from, to time.Time) ([]candidate, int, error) {
	args := []any{q.Websearch()}
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	tsq := pgTSQueryIn(f.Language)
	// tsIn is tsq for the query text in parameter p.
	tsIn := func(p string) string { return strings.ReplaceAll(tsq, "$1", p) }
	// Status and time on article_search itself; what else the filter asks
	// on articles, joined only then.
	var sconds []string
	switch {
	case f.Status != nil:
		sconds = append(sconds, "s.status = "+arg(string(*f.Status)))
	case f.PublicAt == nil && !f.IncludeTrash:
		sconds = append(sconds, "s.status <> "+arg(string(newsroom.Trash)))
	}
	// The RUM index returns matches newest first by itself; it orders by
	// the distance back from a time (<=|), so a public search (published
	// before f.PublicAt, never a draft without a date) can use it.
	rum := s.rum && f.PublicAt != nil
	// pub is the publication time as conditions compare it. Where RUM
	// indexes exist it is an expression no index takes: a RUM index scan
	// with a condition on published_at alone, and none on its vector,
	// returns rows out of the order asked for (RUM 1.3.13), and as the
	// date range of a bitmap it reads the whole index.
	pub := "s.published_at"
	if s.rumIndexes {
		pub = "(s.published_at + interval '0 s')"
	}
	var publicAt string // the parameter of f.PublicAt
	if f.PublicAt != nil {
		sconds = append(sconds, "s.status = "+arg(string(newsroom.Published)))
		publicAt = arg(normTime(*f.PublicAt))
		sconds = append(sconds, pub+" <= "+publicAt)
	}
	for _, b := range []struct {
		t  time.Time
		op string
	}{{from, ">="}, {f.PublishedFrom, ">="}, {to, "<"}, {f.PublishedBefore, "<"}} {
		if !b.t.IsZero() {
			sconds = append(sconds, pub+" "+b.op+" "+arg(normTime(b.t)))
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
	exactMatch := loose == q.Websearch() // no phrase, no negation: the index alone decides
	looseArg := "$1"
	if !exactMatch {
		looseArg = arg(loose) // the last argument: queries without it drop it
	}
	where := strings.Join(append([]string{"s.tsv @@ " + tsIn(looseArg)}, sconds...), " AND ")

	// The archive's span, for the windows and the estimate.
	first, last, err := s.archiveSpan(ctx)
	if err != nil {
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
	// Two ways to the newest matches, each with the planner held to it:
	//
	//   - a window: bitmap scans only, the GIN index's match ANDed with a
	//     date range. A walk of the date index checking each row's vector
	//     (what the planner likes with ORDER BY … LIMIT) reads the whole
	//     body vector of every row it passes, and past millions of rows
	//     for a rare word. Its cost is the matches in the window.
	//   - RUM (the whole archive): the RUM index's ordered scan only. The
	//     planner, misled by a language filter it takes as independent of
	//     the words (a Russian word matches only Russian stories), prefers
	//     a bitmap scan and a sort of every match, or a walk of the date
	//     index; sorts are turned off to rule those out (the outer sort of
	//     the rows taken is in every plan alike; JIT is off, which that
	//     cost would otherwise switch on). Its cost is every match in the
	//     archive, which RUM sorts by date inside the index: 5 ms for a
	//     word in one story in nine at 100,000, 28 ms for two words in
	//     three in five.
	//
	// So with RUM the newest 1/32 of the archive is tried first as a
	// window, enough for the densest words, and RUM takes the rest.
	const (
		windowPlan = "SELECT set_config('enable_indexscan', 'off', true), set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'on', true), set_config('enable_sort', 'on', true)"
		rumPlan    = "SELECT set_config('enable_indexscan', 'on', true), set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true), set_config('enable_sort', 'off', true)"
	)
	// The first window's settings go with those of the whole search, in
	// one round trip: plans made for the values at hand, so the query text
	// is parsed into a tsquery once, not per row as in a generic plan.
	if _, err := tx.ExecContext(ctx, windowPlan+", set_config('plan_cache_mode', 'force_custom_plan', true), set_config('jit', 'off', true)"); err != nil {
		return nil, 0, err
	}
	plan := windowPlan
	usePlan := func(p string) error {
		if p == plan {
			return nil
		}
		plan = p
		_, err := tx.ExecContext(ctx, p)
		return err
	}
	var cands []candidate
	var taken int
	var oldest time.Time // of the rows taken
	covered := span
	// pass takes the newest rows matching cond in widening windows until
	// more than the bound are found (with RUM, in one ordered scan of the
	// whole archive); with check, the whole query (a phrase's order,
	// negations) is checked on those rows alone.
	windows := []float64{1.0 / 32, 1.0 / 4, 1}
	if rum {
		windows = []float64{1.0 / 32, 1}
	}
	reached := 1.0 // the window where a pass stopped
	// take is how many rows a pass takes: the bound, or a quarter of it
	// when each row's vector must be read to check the whole query (a
	// phrase, a negation), the slow part of such a search.
	take := bound
	pass := func(cond string, args []any, check bool, windows []float64) error {
		take = bound
		if check {
			take = max(bound/4, 1)
		}
		for i := 0; i < len(windows); i++ {
			frac := windows[i]
			reached = frac
			cands, taken, oldest = cands[:0], 0, time.Time{}
			w := strings.Replace(where, "s.tsv @@ "+tsIn(looseArg), cond, 1)
			wargs := args
			if frac < 1 && span > 0 {
				from := last.Add(-time.Duration(float64(span) * frac))
				wargs = append(slices.Clone(args), normTime(from))
				if f.PublicAt != nil {
					// No draft without a date can match: an OR with
					// "published_at IS NULL" would only keep the words'
					// condition out of the bitmap, and each row's vector
					// would be read to check it.
					w += fmt.Sprintf(" AND s.published_at >= $%d", len(wargs))
				} else {
					w += fmt.Sprintf(" AND (s.published_at >= $%d OR s.published_at IS NULL)", len(wargs))
				}
				covered = last.Sub(from)
			} else {
				frac, covered = 1, span
			}
			ok := "true"
			if check {
				ok = "c.tsv @@ " + tsq
			}
			order, p := " ORDER BY s.published_at DESC NULLS FIRST, s.article_id DESC", windowPlan
			if rum && frac == 1 {
				order, p = " ORDER BY s.published_at <=| "+publicAt+"::timestamptz", rumPlan
			}
			if err := usePlan(p); err != nil {
				return err
			}
			query := "SELECT c.article_id, c.published_at, " + pgFlags("c", tsq) + ", " + ok +
				" FROM (SELECT s.article_id, s.published_at, s.lead_tsv, s.tsv FROM article_search s" + join + " WHERE " + w +
				order + fmt.Sprintf(" LIMIT %d) c", take+1) +
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
			// With RUM, after the first window: a word so common that
			// RUM's sort of all its matches would cost more than a window
			// holding enough of them (the matches read from the table in
			// a window cost about as much as 15 matches sorted in RUM)
			// gets that window, sized from the first one's density.
			if rum && i == 0 && taken > 0 {
				if all := float64(taken) / frac; all > 16*float64(take) {
					next := min(frac*float64(take+1)/float64(taken)*1.25, 1)
					windows = []float64{frac, next, 1}
				}
			}
		}
		return nil
	}
	// The loose query first: the index answers it without reading a
	// vector. When checking the whole query on its newest rows leaves too
	// few to fill the page asked for (a rare phrase of common words, a
	// negation of a common word), the whole query goes into the index
	// scan of the same window, whose recheck reads the vector of every
	// loose match there: slower, bounded by the window.
	err = pass("s.tsv @@ "+tsIn(looseArg), args, !exactMatch, windows)
	if err == nil && !exactMatch && taken > take && len(cands) < f.Offset+max(f.Limit, 1) {
		// Without the loose text, the last argument.
		err = pass("s.tsv @@ "+tsq, args[:len(args)-1], false, []float64{reached})
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
	// The newest older stories whose headline matches join in: with RUM
	// the lead vector's RUM index walked back from the oldest candidate;
	// else the GIN index of lead_tsv (0131) or a walk of the date index
	// checking the small lead vector, the planner's choice.
	hargs := slices.Clone(args)
	if !exactMatch {
		hargs = hargs[:len(hargs)-1] // the loose text, unused here
	}
	hwhere := strings.Replace(where, "s.tsv @@ "+tsIn(looseArg), "s.lead_tsv @@ "+tsq+" AND ts_filter(s.lead_tsv, '{a}') @@ "+tsq, 1)
	horder := " ORDER BY s.published_at DESC, s.article_id DESC"
	if !oldest.IsZero() {
		hargs = append(hargs, oldest)
		hwhere += fmt.Sprintf(" AND %s < $%d", pub, len(hargs))
		if rum {
			horder = fmt.Sprintf(" ORDER BY s.published_at <=| $%d::timestamptz", len(hargs))
		}
	}
	var older []candidate
	hplan := rumPlan
	if !rum || oldest.IsZero() {
		hplan = "SELECT set_config('enable_indexscan', 'on', true), set_config('enable_seqscan', 'on', true), " +
			"set_config('enable_bitmapscan', 'on', true), set_config('enable_sort', 'on', true)"
	}
	if err := usePlan(hplan); err != nil {
		return nil, 0, err
	}
	err = eachRow(ctx, tx, "SELECT s.article_id, s.published_at FROM article_search s"+join+" WHERE "+hwhere+
		horder+fmt.Sprintf(" LIMIT %d", headlineExtra), hargs, func(r *sql.Rows) error {
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
		older, err = keepMatching(ctx, tx, "SELECT article_id FROM article_search s WHERE s.tsv @@ "+tsq+" AND article_id IN (%s)", args[0], older)
		if err != nil {
			return nil, 0, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, 0, err
	}
	return append(cands, older...), total, nil
}

// archiveSpan returns the first and last publication times in
// article_search, read at most once every spanTTL: a search needs them
// only to size its date windows and its estimate, and a story published
// since is still inside the newest window (which has no upper end).
func (s *Store) archiveSpan(ctx context.Context) (first, last time.Time, err error) {
	s.span.Lock()
	defer s.span.Unlock()
	if !s.span.at.IsZero() && time.Since(s.span.at) < spanTTL {
		return s.span.first, s.span.last, nil
	}
	if err := s.rdb.QueryRowContext(ctx, "SELECT (SELECT min(published_at) FROM article_search), (SELECT max(published_at) FROM article_search)").Scan(scanTime(&first), scanTime(&last)); err != nil {
		return first, last, err
	}
	s.span.at, s.span.first, s.span.last = time.Now(), first, last
	return first, last, nil
}

const spanTTL = 5 * time.Second

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
