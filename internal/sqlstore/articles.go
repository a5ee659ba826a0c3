package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/textsearch"
)

// listCols are the article columns a listing reads; fullCols add the body.
const (
	listCols = `a.id, a.slug, a.status, a.headline, a.standfirst, a.headline_html,
	a.standfirst_html, a.language, a.published_at, a.scheduled_at, a.created_at,
	a.updated_at, a.edited_at, a.revision, a.comments_open, a.comment_count,
	a.lead_image, a.sources, a.legal_marks, a.created_by`
	fullCols = listCols + `, a.body, a.body_html`
)

const (
	defaultLimit = 20
	maxLimit     = 500
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
	order := " ORDER BY a.updated_at DESC, a.id DESC"
	if f.PublicAt != nil {
		order = " ORDER BY a.published_at DESC, a.id DESC"
	}

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
	dense := false
	if f.Category != "" && f.PublicAt != nil {
		var err error
		if dense, err = s.denseCategory(ctx, f.Category); err != nil {
			return nil, 0, fmt.Errorf("find articles: %w", err)
		}
	}
	where, args := s.where(f, dense)
	args = append(args, limit, offset)
	page := fmt.Sprintf("%s LIMIT $%d OFFSET $%d", order, len(args)-1, len(args))
	list, err := s.queryArticles(ctx, s.rq, false, where+page, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find articles: %w", err)
	}
	return list, total, nil
}

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
// section's few article ids are better gathered first. Measured on 100,000
// articles: the first 9 of a 54,000-article section took 80 ms the sparse
// way and 0.3 ms the dense way; the dense way for a 3-article section
// would walk every article.
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
	}
	if f.PublicAt != nil {
		conds = append(conds, "a.status = "+arg(string(newsroom.Published)),
			"a.published_at <= "+arg(s.d.timeArg(normTime(*f.PublicAt))))
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
	if f.CreatedBy != 0 {
		conds = append(conds, "a.created_by = "+arg(f.CreatedBy))
	}
	return conds
}

// ArticleByID returns the full article or a NotFound error.
func (s *Store) ArticleByID(ctx context.Context, id int64) (*newsroom.Article, error) {
	a, err := s.fullArticle(ctx, s.rq, "a.id = $1", id)
	if err != nil {
		return nil, fmt.Errorf("article by id: %w", err)
	}
	return a, nil
}

// ArticleBySlug returns the full article or a NotFound error.
func (s *Store) ArticleBySlug(ctx context.Context, slug string) (*newsroom.Article, error) {
	a, err := s.fullArticle(ctx, s.rq, "a.slug = $1", slug)
	if err != nil {
		return nil, fmt.Errorf("article by slug: %w", err)
	}
	return a, nil
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

// fullArticle loads one article with everything, or returns NotFound.
func (s *Store) fullArticle(ctx context.Context, q queryer, cond string, args ...any) (*newsroom.Article, error) {
	list, err := s.queryArticles(ctx, q, true, " WHERE "+cond, args...)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, notFound("article")
	}
	return list[0], nil
}

// queryArticles reads articles selected by tail (WHERE/ORDER/LIMIT) and
// loads their relations in a few batched queries.
func (s *Store) queryArticles(ctx context.Context, q queryer, full bool, tail string, args ...any) ([]*newsroom.Article, error) {
	cols := listCols
	if full {
		cols = fullCols
	}
	rows, err := q.QueryContext(ctx, "SELECT "+cols+" FROM articles a"+tail, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	list := []*newsroom.Article{}
	for rows.Next() {
		a, err := scanArticle(rows, full)
		if err != nil {
			return nil, err
		}
		list = append(list, a)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if err := s.loadRelations(ctx, q, list, full); err != nil {
		return nil, err
	}
	return list, nil
}

func scanArticle(rows *sql.Rows, full bool) (*newsroom.Article, error) {
	var (
		a              newsroom.Article
		status         string
		lead           sql.NullString
		sources, marks string
		createdBy      sql.NullInt64
	)
	dest := []any{&a.ID, &a.Slug, &status, &a.Headline, &a.Standfirst, &a.HeadlineHTML,
		&a.StandfirstHTML, &a.Language, scanTime(&a.PublishedAt), scanTime(&a.ScheduledAt),
		scanTime(&a.CreatedAt), scanTime(&a.UpdatedAt), scanTime(&a.EditedAt), &a.Revision,
		&a.CommentsOpen, &a.CommentCount, &lead, &sources, &marks, &createdBy}
	if full {
		dest = append(dest, &a.Body, &a.BodyHTML)
	}
	if err := rows.Scan(dest...); err != nil {
		return nil, err
	}
	a.Status = newsroom.Status(status)
	a.CreatedBy = createdBy.Int64
	if lead.Valid && lead.String != "" {
		a.LeadImage = new(newsroom.Image)
		if err := json.Unmarshal([]byte(lead.String), a.LeadImage); err != nil {
			return nil, fmt.Errorf("article %d lead image: %w", a.ID, err)
		}
	}
	if err := unmarshalList(sources, &a.Sources); err != nil {
		return nil, fmt.Errorf("article %d sources: %w", a.ID, err)
	}
	if err := unmarshalList(marks, &a.LegalMarks); err != nil {
		return nil, fmt.Errorf("article %d legal marks: %w", a.ID, err)
	}
	return &a, nil
}

// unmarshalList decodes a JSON array, leaving *dst nil when it is empty.
func unmarshalList[T any](s string, dst *[]T) error {
	if s == "" || s == "[]" || s == "null" {
		*dst = nil
		return nil
	}
	if err := json.Unmarshal([]byte(s), dst); err != nil {
		return err
	}
	if len(*dst) == 0 {
		*dst = nil
	}
	return nil
}

// marshalList encodes a slice as a JSON array ("[]" when empty).
func marshalList[T any](v []T) (string, error) {
	if len(v) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(v)
	return string(b), err
}

// idArgs returns the ids of list as bind arguments and an index by id.
func idArgs(list []*newsroom.Article) ([]any, map[int64]*newsroom.Article) {
	args := make([]any, len(list))
	byID := make(map[int64]*newsroom.Article, len(list))
	for i, a := range list {
		args[i] = a.ID
		byID[a.ID] = a
	}
	return args, byID
}

// loadRelations fills authors, categories and tags of every article in list
// with one query each; with full, also share counts and corrections.
func (s *Store) loadRelations(ctx context.Context, q queryer, list []*newsroom.Article, full bool) error {
	if len(list) == 0 {
		return nil
	}
	ids, byID := idArgs(list)
	in := "(" + placeholders(1, len(ids)) + ")"
	for _, a := range list {
		a.Authors, a.Categories, a.Tags = nil, nil, nil
		if full {
			a.ShareCounts, a.Corrections = map[string]int{}, nil
		}
	}

	err := eachRow(ctx, q, `SELECT aa.article_id, au.id, au.name, au.slug, aa.label, au.label
		FROM article_authors aa JOIN authors au ON au.id = aa.author_id
		WHERE aa.article_id IN `+in+` ORDER BY aa.article_id, aa.position`, ids, func(r *sql.Rows) error {
		var id int64
		var b newsroom.Byline
		var def string
		if err := r.Scan(&id, &b.AuthorID, &b.Name, &b.Slug, &b.Label, &def); err != nil {
			return err
		}
		if b.Label == "" {
			b.Label = def
		}
		byID[id].Authors = append(byID[id].Authors, b)
		return nil
	})
	if err != nil {
		return fmt.Errorf("load authors: %w", err)
	}

	err = eachRow(ctx, q, `SELECT ac.article_id, `+categoryCols+`
		FROM article_categories ac JOIN categories c ON c.id = ac.category_id
		WHERE ac.article_id IN `+in+` ORDER BY ac.article_id, ac.position`, ids, func(r *sql.Rows) error {
		var id int64
		var c newsroom.Category
		var parent sql.NullInt64
		if err := r.Scan(&id, &c.ID, &c.Slug, &c.Name, &parent, &c.Position, &c.Description); err != nil {
			return err
		}
		c.ParentID = parent.Int64
		byID[id].Categories = append(byID[id].Categories, c)
		return nil
	})
	if err != nil {
		return fmt.Errorf("load categories: %w", err)
	}

	err = eachRow(ctx, q, `SELECT atg.article_id, t.id, t.slug, t.name
		FROM article_tags atg JOIN tags t ON t.id = atg.tag_id
		WHERE atg.article_id IN `+in+` ORDER BY atg.article_id, atg.position, t.name`, ids, func(r *sql.Rows) error {
		var id int64
		var t newsroom.Tag
		if err := r.Scan(&id, &t.ID, &t.Slug, &t.Name); err != nil {
			return err
		}
		byID[id].Tags = append(byID[id].Tags, t)
		return nil
	})
	if err != nil {
		return fmt.Errorf("load tags: %w", err)
	}
	if !full {
		return nil
	}

	err = eachRow(ctx, q, `SELECT article_id, network, count FROM article_shares
		WHERE article_id IN `+in, ids, func(r *sql.Rows) error {
		var id int64
		var network string
		var n int
		if err := r.Scan(&id, &network, &n); err != nil {
			return err
		}
		byID[id].ShareCounts[network] = n
		return nil
	})
	if err != nil {
		return fmt.Errorf("load share counts: %w", err)
	}

	err = eachRow(ctx, q, `SELECT id, article_id, at, kind, text FROM corrections
		WHERE article_id IN `+in+` ORDER BY article_id, at, id`, ids, func(r *sql.Rows) error {
		var c newsroom.Correction
		var kind string
		if err := r.Scan(&c.ID, &c.ArticleID, scanTime(&c.At), &kind, &c.Text); err != nil {
			return err
		}
		c.Kind = newsroom.CorrectionKind(kind)
		byID[c.ArticleID].Corrections = append(byID[c.ArticleID].Corrections, c)
		return nil
	})
	if err != nil {
		return fmt.Errorf("load corrections: %w", err)
	}
	return s.loadLegalExclusions(ctx, q, in, ids, byID)
}

// eachRow runs a query and calls fn for every row.
func eachRow(ctx context.Context, q queryer, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return rows.Close()
}

// CreateArticle stores a new article and sets its ID, CreatedAt, UpdatedAt
// and Revision (1). A published article without PublishedAt gets now. A
// taken slug is a Conflict on "slug"; unknown authors, categories or tags
// are Invalid naming the field. On error a is left as it was.
func (s *Store) CreateArticle(ctx context.Context, a *newsroom.Article) error {
	orig := *a
	a.Normalize()
	if err := a.Validate(); err != nil {
		*a = orig
		return fmt.Errorf("create article: %w", err)
	}
	err := s.inTx(ctx, func(tx *sql.Tx, now time.Time) ([]string, error) {
		a.CreatedAt, a.UpdatedAt, a.Revision = now, now, 1
		a.PublishedAt, a.ScheduledAt, a.EditedAt = normTime(a.PublishedAt), normTime(a.ScheduledAt), normTime(a.EditedAt)
		if a.Status == newsroom.Published && a.PublishedAt.IsZero() {
			a.PublishedAt = now
		}
		lead, sources, marks, err := articleJSON(a)
		if err != nil {
			return nil, err
		}
		var createdBy any
		if a.CreatedBy != 0 {
			createdBy = a.CreatedBy
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO articles (slug, status, headline, standfirst,
			body, body_html, headline_html, standfirst_html, language, published_at, scheduled_at,
			created_at, updated_at, edited_at, revision, comments_open, comment_count, lead_image,
			sources, legal_marks, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
			RETURNING id`,
			a.Slug, string(a.Status), a.Headline, a.Standfirst, a.Body, a.BodyHTML, a.HeadlineHTML,
			a.StandfirstHTML, a.Language, s.d.timeArg(a.PublishedAt), s.d.timeArg(a.ScheduledAt),
			s.d.timeArg(now), s.d.timeArg(now), s.d.timeArg(a.EditedAt), 1, a.CommentsOpen,
			max(a.CommentCount, 0), lead, sources, marks, createdBy).Scan(&a.ID)
		switch {
		case s.d.isUnique(err):
			return nil, newsroom.Errorf(newsroom.Conflict, "slug", "the slug %q is taken by another article", a.Slug)
		case s.d.isForeignKey(err):
			return nil, newsroom.Errorf(newsroom.Invalid, "created_by", "unknown user %d", a.CreatedBy)
		case err != nil:
			return nil, err
		}
		if err := s.writeRelations(ctx, tx, a); err != nil {
			return nil, err
		}
		if err := s.writeLegalExclusions(ctx, tx, a, now); err != nil {
			return nil, err
		}
		if a.Status == newsroom.Published {
			if err := s.insertRevision(ctx, tx, a, now); err != nil {
				return nil, err
			}
		}
		if err := s.loadRelations(ctx, tx, []*newsroom.Article{a}, false); err != nil {
			return nil, err
		}
		return newsroom.ArticleKeys(a), nil
	})
	if err != nil {
		*a = orig
		return fmt.Errorf("create article: %w", err)
	}
	return nil
}

// UpdateArticle replaces the article's fields if its stored revision is
// still expectedRevision; otherwise it changes nothing and returns a
// Conflict on "revision". It bumps Revision and UpdatedAt, moves EditedAt
// when a published article is saved published again, keeps the old path
// for redirects when the URL changes, and records a Revision when the
// article is published before or after the save. CreatedAt, CreatedBy and
// CommentCount are kept from the stored article. On error a is left as it was.
func (s *Store) UpdateArticle(ctx context.Context, a *newsroom.Article, expectedRevision int) error {
	orig := *a
	a.Normalize()
	if err := a.Validate(); err != nil {
		*a = orig
		return fmt.Errorf("update article: %w", err)
	}
	err := s.inTx(ctx, func(tx *sql.Tx, now time.Time) ([]string, error) {
		list, err := s.queryArticles(ctx, tx, false, " WHERE a.id = $1"+s.d.forUpdate, a.ID)
		if err != nil {
			return nil, err
		}
		if len(list) == 0 {
			return nil, notFound("article")
		}
		old := list[0]
		if old.Revision != expectedRevision {
			return nil, staleRevision(old.Revision, expectedRevision)
		}
		a.Revision = expectedRevision + 1
		a.CreatedAt, a.CreatedBy, a.CommentCount = old.CreatedAt, old.CreatedBy, old.CommentCount
		a.UpdatedAt = now
		a.PublishedAt, a.ScheduledAt = normTime(a.PublishedAt), normTime(a.ScheduledAt)
		if a.Status == newsroom.Published && a.PublishedAt.IsZero() {
			a.PublishedAt = old.PublishedAt
			if a.PublishedAt.IsZero() {
				a.PublishedAt = now
			}
		}
		a.EditedAt = old.EditedAt
		if old.Status == newsroom.Published && a.Status == newsroom.Published {
			a.EditedAt = now
		}
		lead, sources, marks, err := articleJSON(a)
		if err != nil {
			return nil, err
		}
		res, err := tx.ExecContext(ctx, `UPDATE articles SET slug = $1, status = $2, headline = $3,
			standfirst = $4, body = $5, body_html = $6, headline_html = $7, standfirst_html = $8,
			language = $9, published_at = $10, scheduled_at = $11, updated_at = $12, edited_at = $13,
			revision = $14, comments_open = $15, lead_image = $16, sources = $17, legal_marks = $18
			WHERE id = $19 AND revision = $20`,
			a.Slug, string(a.Status), a.Headline, a.Standfirst, a.Body, a.BodyHTML, a.HeadlineHTML,
			a.StandfirstHTML, a.Language, s.d.timeArg(a.PublishedAt), s.d.timeArg(a.ScheduledAt),
			s.d.timeArg(now), s.d.timeArg(a.EditedAt), a.Revision, a.CommentsOpen, lead, sources,
			marks, a.ID, expectedRevision)
		if s.d.isUnique(err) {
			return nil, newsroom.Errorf(newsroom.Conflict, "slug", "the slug %q is taken by another article", a.Slug)
		}
		if err != nil {
			return nil, err
		}
		if n, err := res.RowsAffected(); err != nil {
			return nil, err
		} else if n != 1 {
			return nil, staleRevision(-1, expectedRevision)
		}
		if err := s.writeRelations(ctx, tx, a); err != nil {
			return nil, err
		}
		if err := s.writeLegalExclusions(ctx, tx, a, now); err != nil {
			return nil, err
		}
		if err := s.loadRelations(ctx, tx, []*newsroom.Article{a}, false); err != nil {
			return nil, err
		}
		if oldURL, newURL := old.URL(), a.URL(); oldURL != newURL {
			if _, err := tx.ExecContext(ctx, `INSERT INTO old_paths (path, article_id, created_at)
				VALUES ($1, $2, $3) ON CONFLICT (path) DO UPDATE
				SET article_id = excluded.article_id, created_at = excluded.created_at`,
				oldURL, a.ID, s.d.timeArg(now)); err != nil {
				return nil, fmt.Errorf("keep old path: %w", err)
			}
			if _, err := tx.ExecContext(ctx, "DELETE FROM old_paths WHERE path = $1", newURL); err != nil {
				return nil, fmt.Errorf("keep old path: %w", err)
			}
		}
		if old.Status == newsroom.Published || a.Status == newsroom.Published {
			if err := s.insertRevision(ctx, tx, a, now); err != nil {
				return nil, err
			}
		}
		return append(newsroom.ArticleKeys(old), newsroom.ArticleKeys(a)...), nil
	})
	if err != nil {
		*a = orig
		return fmt.Errorf("update article: %w", err)
	}
	return nil
}

func staleRevision(stored, expected int) error {
	if stored < 0 {
		return newsroom.Errorf(newsroom.Conflict, "revision",
			"the article was changed by someone else since revision %d; reload it and try again", expected)
	}
	return newsroom.Errorf(newsroom.Conflict, "revision",
		"the article is at revision %d, not %d: someone else changed it; reload it and try again", stored, expected)
}

// articleJSON encodes the JSON columns of a.
func articleJSON(a *newsroom.Article) (lead any, sources, marks string, err error) {
	if a.LeadImage != nil {
		b, err := json.Marshal(a.LeadImage)
		if err != nil {
			return nil, "", "", err
		}
		lead = string(b)
	}
	if sources, err = marshalList(a.Sources); err != nil {
		return nil, "", "", err
	}
	if marks, err = marshalList(a.LegalMarks); err != nil {
		return nil, "", "", err
	}
	return lead, sources, marks, nil
}

// writeRelations replaces the article's authors, categories and tags. Each
// may name its row by ID or, if the ID is zero, by slug.
func (s *Store) writeRelations(ctx context.Context, tx *sql.Tx, a *newsroom.Article) error {
	for _, table := range []string{"article_authors", "article_categories", "article_tags"} {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+table+" WHERE article_id = $1", a.ID); err != nil {
			return err
		}
	}
	seen := map[int64]bool{}
	for i, b := range a.Authors {
		id, err := resolveID(ctx, tx, "authors", b.AuthorID, b.Slug)
		if err != nil {
			return err
		}
		if seen[id] {
			return newsroom.Errorf(newsroom.Invalid, "authors", "author %d is listed twice", id)
		}
		seen[id] = true
		_, err = tx.ExecContext(ctx, `INSERT INTO article_authors (article_id, author_id, position, label)
			VALUES ($1, $2, $3, $4)`, a.ID, id, i, b.Label)
		if s.d.isForeignKey(err) {
			return newsroom.Errorf(newsroom.Invalid, "authors", "unknown author %d", id)
		}
		if err != nil {
			return err
		}
	}
	clear(seen)
	for i, c := range a.Categories {
		id, err := resolveID(ctx, tx, "categories", c.ID, c.Slug)
		if err != nil {
			return err
		}
		if seen[id] {
			return newsroom.Errorf(newsroom.Invalid, "categories", "category %d is listed twice", id)
		}
		seen[id] = true
		_, err = tx.ExecContext(ctx, `INSERT INTO article_categories (article_id, category_id, position)
			VALUES ($1, $2, $3)`, a.ID, id, i)
		if s.d.isForeignKey(err) {
			return newsroom.Errorf(newsroom.Invalid, "categories", "unknown category %d", id)
		}
		if err != nil {
			return err
		}
	}
	clear(seen)
	for i, t := range a.Tags {
		id, err := resolveID(ctx, tx, "tags", t.ID, t.Slug)
		if err != nil {
			return err
		}
		if seen[id] {
			continue // a tag twice is harmless
		}
		seen[id] = true
		_, err = tx.ExecContext(ctx, `INSERT INTO article_tags (article_id, tag_id, position)
			VALUES ($1, $2, $3)`, a.ID, id, i)
		if s.d.isForeignKey(err) {
			return newsroom.Errorf(newsroom.Invalid, "tags", "unknown tag %d", id)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// resolveID returns id, or the id of the row with slug in table when id is
// zero. table is one of authors, categories, tags (the field name).
func resolveID(ctx context.Context, tx *sql.Tx, table string, id int64, slug string) (int64, error) {
	if id != 0 {
		return id, nil
	}
	if slug == "" {
		return 0, newsroom.Errorf(newsroom.Invalid, table, "every entry needs an id or a slug")
	}
	err := tx.QueryRowContext(ctx, "SELECT id FROM "+table+" WHERE slug = $1", slug).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		noun := map[string]string{"authors": "author", "categories": "category", "tags": "tag"}[table]
		return 0, newsroom.Errorf(newsroom.Invalid, table, "unknown %s %q", noun, slug)
	}
	return id, err
}

// insertRevision records the saved state of a as revision a.Revision.
func (s *Store) insertRevision(ctx context.Context, tx *sql.Tx, a *newsroom.Article, now time.Time) error {
	savedBy := sql.NullInt64{Int64: a.SavedBy, Valid: a.SavedBy != 0}
	_, err := tx.ExecContext(ctx, `INSERT INTO revisions (article_id, number, headline, standfirst,
		body, body_html, saved_at, saved_by, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		a.ID, a.Revision, a.Headline, a.Standfirst, a.Body, a.BodyHTML, s.d.timeArg(now), savedBy, a.RevisionNote)
	if err != nil {
		return fmt.Errorf("record revision: %w", err)
	}
	return nil
}

// Revisions lists the saved revisions of an article, newest first. An
// unknown article is a NotFound error.
func (s *Store) Revisions(ctx context.Context, articleID int64) ([]newsroom.Revision, error) {
	var out []newsroom.Revision
	err := eachRow(ctx, s.rdb, `SELECT article_id, number, headline, standfirst, body, body_html,
		saved_at, saved_by, note FROM revisions WHERE article_id = $1 ORDER BY number DESC`,
		[]any{articleID}, func(r *sql.Rows) error {
			var rv newsroom.Revision
			var by sql.NullInt64
			if err := r.Scan(&rv.ArticleID, &rv.Number, &rv.Headline, &rv.Standfirst, &rv.Body,
				&rv.BodyHTML, scanTime(&rv.SavedAt), &by, &rv.Note); err != nil {
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

// AddCorrection validates and appends a correction, sets its ID and At
// (now), and moves the article's UpdatedAt and EditedAt to At. An unknown
// article is a NotFound error.
func (s *Store) AddCorrection(ctx context.Context, c *newsroom.Correction) error {
	c.Text = strings.TrimSpace(c.Text)
	if err := c.Validate(); err != nil {
		return fmt.Errorf("add correction: %w", err)
	}
	err := s.inTx(ctx, func(tx *sql.Tx, now time.Time) ([]string, error) {
		list, err := s.queryArticles(ctx, tx, false, " WHERE a.id = $1"+s.d.forUpdate, c.ArticleID)
		if err != nil {
			return nil, err
		}
		if len(list) == 0 {
			return nil, notFound("article")
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO corrections (article_id, at, kind, text)
			VALUES ($1, $2, $3, $4) RETURNING id`,
			c.ArticleID, s.d.timeArg(now), string(c.Kind), c.Text).Scan(&id); err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE articles SET updated_at = $1, edited_at = $1 WHERE id = $2",
			s.d.timeArg(now), c.ArticleID); err != nil {
			return nil, err
		}
		c.ID, c.At = id, now
		return append(newsroom.ArticleKeys(list[0]), "corrections"), nil
	})
	if err != nil {
		return fmt.Errorf("add correction: %w", err)
	}
	return nil
}
