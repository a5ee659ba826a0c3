package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

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
	order := articleOrder(f)

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
	if f.PublicAt != nil {
		var err error
		if dense, err = s.denseList(ctx, f); err != nil {
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
