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

// denseAt is how many articles make a section dense (see denseCategory).
var denseAt = 1000

// denseCategory reports whether the section slug (with its children) has
// at least denseAt articles, counting no further than that. A newest-first
// page of a dense section is found fastest by walking the articles by date
// and checking each one's sections (a few rows per result); a sparse
// section's few article ids are better gathered first, since the dense way
// would walk every article for it (docs/PERFORMANCE.md has the figures).
//
// The answer is kept for a minute per section: it changes slowly, and the
// count itself costs a few milliseconds on PostgreSQL.
func (s *Store) denseCategory(ctx context.Context, slug string) (bool, error) {
	key := slug + "\x00" + strconv.Itoa(denseAt)
	if v, ok := s.density.Load(key); ok {
		if d := v.(density); time.Since(d.at) < time.Minute {
			return d.dense, nil
		}
	}
	var n int
	err := s.rq.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM article_categories ac
		WHERE ac.category_id IN (`+subCategories+`) LIMIT $2) AS x`, slug, denseAt).Scan(&n)
	if err != nil {
		return false, err
	}
	s.density.Store(key, density{dense: n >= denseAt, at: time.Now()})
	return n >= denseAt, nil
}

// density is a remembered answer of denseCategory.
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

// conds is filterConds; with dense, the section condition is a
// correlated EXISTS (see denseCategory) rather than an id list.
func (s *Store) conds(f newsroom.ArticleFilter, arg func(any) string, dense bool) []string {
	var conds []string
	if f.Status != nil {
		conds = append(conds, "a.status = "+arg(string(*f.Status)))
	} else if f.PublicAt == nil && !f.IncludeTrash {
		conds = append(conds, "a.status <> "+arg(string(newsroom.Trash)))
	}
	if f.PublicAt != nil {
		conds = append(conds, "a.status = "+arg(string(newsroom.Published)),
			"a.published_at <= "+arg(s.d.timeArg(normTime(*f.PublicAt))))
	}
	if !f.PublishedFrom.IsZero() {
		conds = append(conds, "a.published_at >= "+arg(s.d.timeArg(normTime(f.PublishedFrom))))
	}
	if !f.PublishedBefore.IsZero() {
		conds = append(conds, "a.published_at < "+arg(s.d.timeArg(normTime(f.PublishedBefore))))
	}
	if f.Category != "" && dense {
		conds = append(conds, `EXISTS (SELECT 1 FROM article_categories ac
			WHERE ac.article_id = a.id AND ac.category_id IN (WITH RECURSIVE sub(id) AS (
				SELECT id FROM categories WHERE slug = `+arg(f.Category)+`
				UNION SELECT c.id FROM categories c JOIN sub ON c.parent_id = sub.id)
			SELECT id FROM sub))`)
	} else if f.Category != "" {
		conds = append(conds, `a.id IN (SELECT ac.article_id FROM article_categories ac
			WHERE ac.category_id IN (WITH RECURSIVE sub(id) AS (
				SELECT id FROM categories WHERE slug = `+arg(f.Category)+`
				UNION SELECT c.id FROM categories c JOIN sub ON c.parent_id = sub.id)
			SELECT id FROM sub))`)
	}
	if f.Tag != "" {
		conds = append(conds, `a.id IN (SELECT atg.article_id FROM article_tags atg
			JOIN tags t ON t.id = atg.tag_id WHERE t.slug = `+arg(f.Tag)+`)`)
	}
	if f.AuthorID != 0 {
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
