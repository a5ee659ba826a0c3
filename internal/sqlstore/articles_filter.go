package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/newsroom"
)

const (
	defaultLimit = 20
	maxLimit     = 500
)

// pageBounds applies the default and maximum page size.
func pageBounds(limit, offset int) (int, int) {
	if limit <= 0 {
		limit = defaultLimit
	}
	return min(limit, maxLimit), max(offset, 0)
}

// where returns the WHERE clause (or "") of f and its arguments; see
// filterConds for dense.
func (s *Store) where(f newsroom.ArticleFilter, dense bool) (string, []any) {
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	conds := s.conds(f, arg, dense)
	if len(conds) == 0 {
		return "", args
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// denseAt is how many articles make a list dense (see denseList).
var denseAt = 1000

// denseList reports whether the list f selects (a section with its
// children, a tag or an author) has at least denseAt articles, counting
// no further than that. A newest-first page of a dense list is found
// fastest by walking the articles by date and checking each one's
// membership (a few index rows per result, however long the archive);
// a sparse list's few article ids are better gathered first, since the
// dense way would walk every article for it (docs/PERFORMANCE.md has the
// figures). A filter with none of the three, or with more than one, is
// never dense.
//
// The answer is kept for a minute per list: it changes slowly, and the
// count itself costs a few milliseconds on PostgreSQL.
func (s *Store) denseList(ctx context.Context, f newsroom.ArticleFilter) (bool, error) {
	var key, query string
	var arg any
	n := 0
	if f.Category != "" {
		n++
		key, arg = "c\x00"+f.Category, f.Category
		query = `SELECT count(*) FROM (SELECT 1 FROM article_categories ac
		WHERE ac.category_id IN (` + subCategories + `) LIMIT $2) AS x`
	}
	if f.Tag != "" {
		n++
		key, arg = "t\x00"+f.Tag, f.Tag
		query = `SELECT count(*) FROM (SELECT 1 FROM article_tags atg
		WHERE atg.tag_id = (SELECT id FROM tags WHERE slug = $1) LIMIT $2) AS x`
	}
	if f.AuthorID != 0 {
		n++
		key, arg = "a\x00"+strconv.FormatInt(f.AuthorID, 10), f.AuthorID
		query = `SELECT count(*) FROM (SELECT 1 FROM article_authors aa WHERE aa.author_id = $1 LIMIT $2) AS x`
	}
	if n != 1 {
		return false, nil
	}
	key += "\x00" + strconv.Itoa(denseAt)
	if v, ok := s.density.Load(key); ok {
		if d := v.(density); time.Since(d.at) < time.Minute {
			return d.dense, nil
		}
	}
	var count int
	if err := s.rq.QueryRowContext(ctx, query, arg, denseAt).Scan(&count); err != nil {
		return false, err
	}
	s.density.Store(key, density{dense: count >= denseAt, at: time.Now()})
	return count >= denseAt, nil
}

// listQuery returns the FROM, the conditions and the ORDER BY of the
// list f without a query (its LIMIT and OFFSET are the caller's),
// binding values through arg. A public list of one tag or one author,
// newest first, walks the link table's index of (tag or author,
// publication time; 0134) in order and reads a row per story shown,
// however many stories the tag or author has. Any other public list of
// a section, tag or author drives from its ids or, when it is dense
// (see denseList), walks the articles by date.
func (s *Store) listQuery(ctx context.Context, f newsroom.ArticleFilter, arg func(any) string) (from string, conds []string, order string, err error) {
	if from, conds, order, ok := s.linkList(f, arg); ok {
		return from, conds, order, nil
	}
	dense := false
	if f.PublicAt != nil {
		if dense, err = s.denseList(ctx, f); err != nil {
			return "", nil, "", err
		}
	}
	return " FROM articles a", s.conds(f, arg, dense), articleOrder(f), nil
}

// linkList is listQuery's form for a public list of one tag or one
// author by publication time (and nothing else of a section, tag or
// author); ok is false for any other list. The link's time is its
// article's (kept by 0134's triggers), so the order and the time
// condition are the index's; the article's own conditions (published,
// language) are checked on each row read, and its published_at <= now is
// left out as the link's says the same.
func (s *Store) linkList(f newsroom.ArticleFilter, arg func(any) string) (from string, conds []string, order string, ok bool) {
	if f.PublicAt == nil || f.Category != "" || (f.Tag != "") == (f.AuthorID != 0) ||
		(f.Sort != "" && f.Sort != newsroom.SortPublished) {
		return "", nil, "", false
	}
	rest := f
	if f.Tag != "" {
		from = " FROM article_tags x JOIN articles a ON a.id = x.article_id"
		conds = append(conds, "x.tag_id = (SELECT id FROM tags WHERE slug = "+arg(f.Tag)+")")
		rest.Tag = ""
	} else {
		from = " FROM article_authors x JOIN articles a ON a.id = x.article_id"
		conds = append(conds, "x.author_id = "+arg(f.AuthorID))
		rest.AuthorID = 0
	}
	// Every bound of the time is the link's, so that the index walk
	// starts and stops at it (a day page deep in the archive).
	// Only the tighter upper bound: given both, SQLite started the walk
	// at one and tested the other on every row (4.5 ms against 0.05 for
	// an author's day page two years deep at a million articles).
	if before := f.PublishedBefore; !before.IsZero() && !before.After(*f.PublicAt) {
		conds = append(conds, "x.published_at < "+arg(s.d.timeArg(normTime(before))))
	} else {
		conds = append(conds, "x.published_at <= "+arg(s.d.timeArg(normTime(*f.PublicAt))))
		if !before.IsZero() {
			conds = append(conds, "x.published_at < "+arg(s.d.timeArg(normTime(before))))
		}
	}
	if !f.PublishedFrom.IsZero() {
		conds = append(conds, "x.published_at >= "+arg(s.d.timeArg(normTime(f.PublishedFrom))))
	}
	rest.PublicAt, rest.PublishedFrom, rest.PublishedBefore = nil, time.Time{}, time.Time{}
	st := newsroom.Published
	rest.Status = &st
	dir := " DESC"
	if f.Ascending {
		dir = " ASC"
	}
	return from, append(conds, s.conds(rest, arg, false)...), " ORDER BY x.published_at" + dir + ", x.article_id" + dir, true
}

// density is a remembered answer of denseList.
type density struct {
	dense bool
	at    time.Time
}

// subCategories selects the id of the section with slug $1 and of every
// section below it.
const subCategories = `WITH RECURSIVE sub(id) AS (
	SELECT id FROM categories WHERE slug = $1
	UNION SELECT c.id FROM categories c JOIN sub ON c.parent_id = sub.id)
	SELECT id FROM sub`

// filterConds returns the conditions on articles "a" for every field of f
// but Query, binding values through arg.
func (s *Store) filterConds(f newsroom.ArticleFilter, arg func(any) string) []string {
	return s.conds(f, arg, false)
}

// conds is filterConds; with dense, the section, tag or author
// condition is a correlated EXISTS (see denseList) rather than an id
// list.
func (s *Store) conds(f newsroom.ArticleFilter, arg func(any) string, dense bool) []string {
	var conds []string
	if f.Status != nil {
		conds = append(conds, "a.status = "+arg(string(*f.Status)))
	} else if f.PublicAt == nil && !f.IncludeTrash {
		conds = append(conds, "a.status <> "+arg(string(newsroom.Trash)))
	}
	if f.PublicAt != nil {
		conds = append(conds, "a.status = "+arg(string(newsroom.Published)))
		// An earlier PublishedBefore implies it; given both bounds the
		// index walk may start at the later one (see linkList).
		if f.PublishedBefore.IsZero() || f.PublishedBefore.After(*f.PublicAt) {
			conds = append(conds, "a.published_at <= "+arg(s.d.timeArg(normTime(*f.PublicAt))))
		}
	}
	if !f.PublishedFrom.IsZero() {
		conds = append(conds, "a.published_at >= "+arg(s.d.timeArg(normTime(f.PublishedFrom))))
	}
	if !f.PublishedBefore.IsZero() {
		conds = append(conds, "a.published_at < "+arg(s.d.timeArg(normTime(f.PublishedBefore))))
	}
	if f.Category != "" && dense {
		// On PostgreSQL "OFFSET 0" keeps the EXISTS a probe of each story
		// the walk meets: its planner takes the section (whose ids come
		// through the recursive query) for nine stories in ten, and for a
		// deep page it hashed the whole archive's index against every
		// story of the section instead (30 ms against 22 for ?page=50 at
		// 100,000 articles, and growing with the archive).
		keep := ""
		if s.d == postgresDialect {
			keep = " OFFSET 0"
		}
		conds = append(conds, `EXISTS (SELECT 1 FROM article_categories ac
			WHERE ac.article_id = a.id AND ac.category_id IN (WITH RECURSIVE sub(id) AS (
				SELECT id FROM categories WHERE slug = `+arg(f.Category)+`
				UNION SELECT c.id FROM categories c JOIN sub ON c.parent_id = sub.id)
			SELECT id FROM sub)`+keep+`)`)
	} else if f.Category != "" {
		conds = append(conds, `a.id IN (SELECT ac.article_id FROM article_categories ac
			WHERE ac.category_id IN (WITH RECURSIVE sub(id) AS (
				SELECT id FROM categories WHERE slug = `+arg(f.Category)+`
				UNION SELECT c.id FROM categories c JOIN sub ON c.parent_id = sub.id)
			SELECT id FROM sub))`)
	}
	if f.Tag != "" && dense {
		conds = append(conds, `EXISTS (SELECT 1 FROM article_tags atg
			WHERE atg.article_id = a.id AND atg.tag_id = (SELECT id FROM tags WHERE slug = `+arg(f.Tag)+`))`)
	} else if f.Tag != "" {
		conds = append(conds, `a.id IN (SELECT atg.article_id FROM article_tags atg
			JOIN tags t ON t.id = atg.tag_id WHERE t.slug = `+arg(f.Tag)+`)`)
	}
	if f.AuthorID != 0 && dense {
		conds = append(conds, `EXISTS (SELECT 1 FROM article_authors aa
			WHERE aa.article_id = a.id AND aa.author_id = `+arg(f.AuthorID)+`)`)
	} else if f.AuthorID != 0 {
		conds = append(conds, "a.id IN (SELECT article_id FROM article_authors WHERE author_id = "+arg(f.AuthorID)+")")
	}
	if f.Language != "" {
		conds = append(conds, "a.language = "+arg(f.Language))
	}
	if f.CreatedBy != 0 {
		conds = append(conds, "a.created_by = "+arg(f.CreatedBy))
	}
	if v := f.Visible; v != nil {
		// Public at v.Now, or created by or credited to the user (never
		// user 0: imported and demo stories have no creator).
		public := "a.status = " + arg(string(newsroom.Published)) + " AND a.published_at <= " + arg(s.d.timeArg(normTime(v.Now)))
		if v.UserID == 0 {
			conds = append(conds, public)
		} else {
			u := arg(v.UserID)
			conds = append(conds, "(("+public+") OR a.created_by = "+u+
				` OR a.id IN (SELECT aa.article_id FROM article_authors aa JOIN authors au ON au.id = aa.author_id
				WHERE au.user_id = `+u+`))`)
		}
	}
	return conds
}
