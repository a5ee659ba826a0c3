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

// SQLite: the candidates are the newest matches in rowid order, which
// FTS5 walks backwards and stops after the bound (ids grow as stories are
// written, so the newest ids are the newest stories, near enough: a story
// written long ago and published today counts as old). Status and
// publication time come from the covering index articles_search_covering (0133).
// Where the terms matched is three more FTS5 queries, each restricted to a
// column and to the candidates' rowid range; no bm25, which would read
// every match.
var sqliteSearch = searchDialect{
	render:     textsearch.Query.FTS5,
	candidates: sqliteCandidates,
	snippets: `SELECT rowid, highlight(article_fts, 0, '` + textsearch.MarkStart + `', '` + textsearch.MarkEnd + `'),
		snippet(article_fts, 2, '` + textsearch.MarkStart + `', '` + textsearch.MarkEnd + `', '…', 32)
		FROM article_fts WHERE article_fts MATCH $1 AND rowid IN (%s)`,
}

const sqliteCandidateFrom = "SELECT a.id, a.published_at FROM article_fts JOIN articles a INDEXED BY articles_search_covering ON a.id = article_fts.rowid WHERE "

func sqliteCandidates(ctx context.Context, s *Store, q textsearch.Query, f newsroom.ArticleFilter, from, to time.Time) ([]candidate, int, error) {
	args := []any{q.FTS5()}
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	conds := append([]string{"article_fts MATCH $1"}, s.conds(f, arg, true)...) // a section as EXISTS per candidate, not the list of its every story
	if !from.IsZero() {
		conds = append(conds, "a.published_at >= "+arg(s.d.timeArg(normTime(from))))
	}
	if !to.IsZero() {
		conds = append(conds, "a.published_at < "+arg(s.d.timeArg(normTime(to))))
	}
	bound := searchBound
	scan := func(query string, args []any, headline bool, into *[]candidate) error {
		return eachRow(ctx, s.rdb, query, args, func(r *sql.Rows) error {
			c := candidate{headline: headline, older: headline}
			if err := r.Scan(&c.id, scanTime(&c.published)); err != nil {
				return err
			}
			*into = append(*into, c)
			return nil
		})
	}
	var cands []candidate
	where := strings.Join(conds, " AND ")
	if err := scan(sqliteCandidateFrom+where+fmt.Sprintf(" ORDER BY article_fts.rowid DESC LIMIT %d", bound+1), args, false, &cands); err != nil {
		return nil, 0, err
	}
	total := len(cands)
	if total == 0 {
		return nil, 0, nil
	}
	low := cands[len(cands)-1].id // the oldest rowid of the walk
	var older []candidate
	if len(cands) > bound {
		cands = cands[:bound]
		low = cands[bound-1].id
		var maxID, minID int64
		if err := s.rdb.QueryRowContext(ctx, "SELECT coalesce((SELECT max(id) FROM articles), 0), coalesce((SELECT min(id) FROM articles), 0)").Scan(&maxID, &minID); err != nil {
			return nil, 0, err
		}
		total = estimate(bound, float64(maxID-low+1), float64(maxID-minID+1))
		// The newest older stories whose headline matches join in, found
		// in the headline index (0131); negated words must not be in the
		// rest of the story either.
		hargs := append([]any{q.Positive().FTS5()}, args[1:]...)
		hargs = append(hargs, low)
		hq := strings.Replace(sqliteCandidateFrom, "article_fts JOIN", "article_headline_fts JOIN", 1)
		hq = strings.Replace(hq, "a.id = article_fts.rowid", "a.id = article_headline_fts.rowid", 1)
		hwhere := strings.Replace(where, "article_fts MATCH $1", "article_headline_fts MATCH $1", 1)
		hq += hwhere + fmt.Sprintf(" AND article_headline_fts.rowid < $%d ORDER BY article_headline_fts.rowid DESC LIMIT %d", len(hargs), headlineExtra)
		if err := scan(hq, hargs, true, &older); err != nil {
			return nil, 0, err
		}
		if q.Negated() && len(older) > 0 {
			var err error
			older, err = keepMatching(ctx, s.rdb, "SELECT rowid FROM article_fts WHERE article_fts MATCH $1 AND rowid IN (%s)", args[0], older)
			if err != nil {
				return nil, 0, err
			}
		}
	}
	at := make(map[int64]int, len(cands)+len(older))
	for i, c := range cands {
		at[c.id] = i
	}
	// Where else the older headline matches matched is not looked up
	// (an FTS5 query per id): they rank by headline and age alone.
	cands = append(cands, older...)
	for _, col := range []string{"headline", "standfirst", "tags"} {
		mark := func(id int64) {
			if i, ok := at[id]; ok {
				c := &cands[i]
				switch col {
				case "headline":
					c.headline = true
				case "standfirst":
					c.stand = true
				default:
					c.tags = true
				}
			}
		}
		each := func(query string, args []any) error {
			return eachRow(ctx, s.rdb, query, args, func(r *sql.Rows) error {
				var id int64
				if err := r.Scan(&id); err != nil {
					return err
				}
				mark(id)
				return nil
			})
		}
		expr := q.FTS5Column(col)
		window := "SELECT rowid FROM article_fts WHERE article_fts MATCH $1 AND rowid >= $2"
		if col == "headline" {
			expr = q.Positive().FTS5()
			window = "SELECT rowid FROM article_headline_fts WHERE article_headline_fts MATCH $1 AND rowid >= $2"
		}
		if err := each(window, []any{expr, low}); err != nil {
			return nil, 0, fmt.Errorf("%s matches: %w", col, err)
		}
	}
	return cands, total, nil
}
