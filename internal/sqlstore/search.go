package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"modernc.org/sqlite"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/textsearch"
)

// How search works at scale (issue 19). Ranking every match costs as much
// as the archive is large (bm25 over a common word at a million articles
// took 9 s on SQLite), so a search takes a bounded candidate set through
// the index, the newest newsroom.SearchCandidates matches plus the newest
// few whose headline matches, and ranks only those: by where the terms
// matched (headline > standfirst > tags > body; a headline that is the
// query above one that contains it) plus recency, which also breaks ties.
// A query with fewer matches than the bound is ranked whole and counted
// exactly; beyond it the total is estimated from how far back in the
// archive the newest matches reach.

// searchDialect is how one database finds and describes candidates.
type searchDialect struct {
	// candidates returns the candidates of q under the filter conditions
	// and the total, estimated when more matched than were taken.
	candidates func(ctx context.Context, s *Store, q textsearch.Query, f newsroom.ArticleFilter, from, to time.Time) ([]candidate, int, error)
	// snippets selects (article id, marked headline, marked body snippet)
	// for the ids bound from $2 on (the query is $1); %s is where their
	// placeholders go. render makes $1 from the query.
	snippets string
	render   func(q textsearch.Query) string
}

// candidate is one match considered for ranking: where the query's terms
// matched and when it was published.
type candidate struct {
	id                    int64
	published             time.Time
	headline, stand, tags bool
	older                 bool // an older headline match, beyond the newest
	coverage              float64
	exact                 bool
	score                 float64
}

// keepMatching returns the candidates of cs whose id the query (its
// matching clause as $1, then "IN (%s)" filled with the ids from $2) still
// finds: an older headline match is checked against the whole query, so
// that its negated words in the body rule it out.
func keepMatching(ctx context.Context, q queryer, query string, match any, cs []candidate) ([]candidate, error) {
	args := make([]any, 1, len(cs)+1)
	args[0] = match
	for _, c := range cs {
		args = append(args, c.id)
	}
	keep := map[int64]bool{}
	err := eachRow(ctx, q, fmt.Sprintf(query, placeholders(2, len(cs))), args, func(r *sql.Rows) error {
		var id int64
		if err := r.Scan(&id); err != nil {
			return err
		}
		keep[id] = true
		return nil
	})
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(cs, func(c candidate) bool { return !keep[c.id] }), nil
}

// Score weights: where the terms matched, and recency (its weight halves
// every searchHalfLife of age).
const (
	weightHeadline  = 6.0 // plus up to 4 for how much of the headline the query is
	weightExact     = 4.0 // the headline is the query
	weightStand     = 3.0
	weightTags      = 2.0
	weightBody      = 1.0 // every candidate matched somewhere
	weightRecency   = 2.0
	searchHalfLife  = 90 * 24 * time.Hour
	headlineExtra   = 50  // older headline matches taken besides the newest
	maxCoverageRead = 150 // headlines of the newest read for the coverage score (and every older one's)
)

// searchBound is newsroom.SearchCandidates; tests lower it to see the
// bounded path on a small corpus.
var searchBound = newsroom.SearchCandidates

func (c *candidate) rank(now time.Time) {
	c.score = weightBody
	if c.headline {
		c.score += weightHeadline + 4*c.coverage
		if c.exact {
			c.score += weightExact
		}
	}
	if c.stand {
		c.score += weightStand
	}
	if c.tags {
		c.score += weightTags
	}
	if !c.published.IsZero() {
		age := max(now.Sub(c.published), 0)
		c.score += weightRecency * math.Exp2(-float64(age)/float64(searchHalfLife))
	}
}

// estimate extrapolates a total from candidates that reached back only
// part of the archive: taken matches were found in the fraction covered of
// the span ordered on. It is rounded to two significant digits and is
// always above taken, so that a total above newsroom.SearchCandidates
// means an estimate.
func estimate(taken int, covered, span float64) int {
	est := float64(taken + 1)
	if covered > 0 && span > covered {
		est = max(est, float64(taken)*span/covered)
	}
	mag := math.Pow(10, math.Max(0, math.Floor(math.Log10(est))-1))
	return max(int(math.Round(est/mag)*mag), taken+1)
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

// headlines reads the headlines of the headline-matching candidates (the
// newest maxCoverageRead of them and the older ones) and scores how much
// of each the query is.
func (s *Store) headlines(ctx context.Context, q textsearch.Query, cands []candidate) error {
	var ids []any
	at := map[int64]int{}
	newest := 0
	for i := range cands {
		if cands[i].headline && !cands[i].older {
			newest++
		}
		if cands[i].headline && (cands[i].older || newest <= maxCoverageRead) {
			ids = append(ids, cands[i].id)
			at[cands[i].id] = i
		}
	}
	if len(ids) == 0 {
		return nil
	}
	hs := q.HeadlineScorer()
	return eachRow(ctx, s.rdb, "SELECT article_id, headline FROM article_search WHERE article_id IN ("+placeholders(1, len(ids))+")", ids, func(r *sql.Rows) error {
		var id int64
		var h string
		if err := r.Scan(&id, &h); err != nil {
			return err
		}
		c := &cands[at[id]]
		c.coverage, c.exact = hs.Coverage(h)
		return nil
	})
}

func (s *Store) search(ctx context.Context, q textsearch.Query, f newsroom.ArticleFilter, from, to time.Time, snippets bool) ([]newsroom.SearchHit, int, error) {
	hits := []newsroom.SearchHit{}
	if q.Empty() {
		return hits, 0, nil
	}
	sd := s.d.search
	limit, offset := pageBounds(f.Limit, f.Offset)
	cands, total, err := sd.candidates(ctx, s, q, f, from, to)
	if err != nil {
		return nil, 0, err
	}
	if offset >= len(cands) {
		return hits, total, nil
	}
	// Newest first, so that the headlines read for coverage are the newest.
	slices.SortFunc(cands, func(a, b candidate) int {
		if c := b.published.Compare(a.published); c != 0 {
			return c
		}
		return int(b.id - a.id)
	})
	if err := s.headlines(ctx, q, cands); err != nil {
		return nil, 0, fmt.Errorf("headlines: %w", err)
	}
	now := time.Now()
	if f.PublicAt != nil {
		now = *f.PublicAt
	}
	for i := range cands {
		cands[i].rank(now)
	}
	slices.SortStableFunc(cands, func(a, b candidate) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return 0 // already newest first
	})
	page := cands[offset:min(offset+limit, len(cands))]
	ids := make([]any, len(page))
	for i, c := range page {
		ids[i] = c.id
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
		sq := fmt.Sprintf(sd.snippets, placeholders(2, len(ids)))
		err := eachRow(ctx, s.rdb, sq, append([]any{sd.render(q)}, ids...), func(r *sql.Rows) error {
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
	for _, c := range page {
		a := byID[c.id]
		if a == nil {
			continue // deleted between the two reads
		}
		h := newsroom.SearchHit{Article: a, Rank: c.score}
		if snippets {
			m := marks[c.id]
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
