package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"newsdesk/internal/newsroom"
)

// CreateArticle stores a new article and sets its ID, CreatedAt, UpdatedAt
// and Revision (1). Its workflow times (PublishedAt, ScheduledAt, EditedAt)
// are saved as given: the domain decides them (Article.Prepare). A taken
// slug is a Conflict on "slug"; unknown authors, categories or tags are
// Invalid naming the field. On error a is left as it was.
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
		a.TrashedAt = normTime(a.TrashedAt)
		lead, sources, marks, err := articleJSON(a)
		if err != nil {
			return nil, err
		}
		var createdBy, group any
		if a.CreatedBy != 0 {
			createdBy = a.CreatedBy
		}
		if err := s.joinGroup(ctx, tx, a); err != nil {
			return nil, err
		}
		if a.TranslationGroup != 0 {
			group = a.TranslationGroup
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO articles (slug, status, headline, standfirst,
			body, body_html, headline_html, standfirst_html, language, published_at, scheduled_at,
			created_at, updated_at, edited_at, revision, comments_open, comment_count, lead_image,
			sources, legal_marks, created_by, translation_group, machine_translated, trashed_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)
			RETURNING id`,
			a.Slug, string(a.Status), a.Headline, a.Standfirst, a.Body, a.BodyHTML, a.HeadlineHTML,
			a.StandfirstHTML, a.Language, s.d.timeArg(a.PublishedAt), s.d.timeArg(a.ScheduledAt),
			s.d.timeArg(now), s.d.timeArg(now), s.d.timeArg(a.EditedAt), 1, a.CommentsOpen,
			max(a.CommentCount, 0), lead, sources, marks, createdBy, group, a.MachineTranslated,
			s.d.timeArg(a.TrashedAt)).Scan(&a.ID)
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
		if err := s.insertRevision(ctx, tx, a, now); err != nil {
			return nil, err
		}
		if err := s.loadRelations(ctx, tx, []*newsroom.Article{a}, false); err != nil {
			return nil, err
		}
		keys := newsroom.ArticleKeys(a)
		if a.TranslationOf != 0 {
			// The original's pages now list the new member.
			keys = append(keys, "article:"+strconv.FormatInt(a.TranslationOf, 10))
		}
		return keys, nil
	})
	if err != nil {
		*a = orig
		return fmt.Errorf("create article: %w", err)
	}
	return nil
}

// UpdateArticle replaces the article's fields if its stored revision is
// still expectedRevision; otherwise it changes nothing and returns a
// Conflict on "revision". It bumps Revision and UpdatedAt, keeps the old
// path for redirects when the URL changes, and records a Revision. The workflow times
// (PublishedAt, ScheduledAt, EditedAt) are saved as given: the domain
// decides when they move (Article.Prepare). CreatedAt, CreatedBy and
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
		a.TranslationGroup, a.MachineTranslated = old.TranslationGroup, old.MachineTranslated
		if a.TranslationGroup != 0 && a.Language != old.Language {
			if err := s.languageFree(ctx, tx, a.TranslationGroup, a.Language, a.ID, "language"); err != nil {
				return nil, err
			}
		}
		a.UpdatedAt = now
		a.PublishedAt, a.ScheduledAt, a.EditedAt = normTime(a.PublishedAt), normTime(a.ScheduledAt), normTime(a.EditedAt)
		a.TrashedAt = normTime(a.TrashedAt)
		lead, sources, marks, err := articleJSON(a)
		if err != nil {
			return nil, err
		}
		res, err := tx.ExecContext(ctx, `UPDATE articles SET slug = $1, status = $2, headline = $3,
			standfirst = $4, body = $5, body_html = $6, headline_html = $7, standfirst_html = $8,
			language = $9, published_at = $10, scheduled_at = $11, updated_at = $12, edited_at = $13,
			revision = $14, comments_open = $15, lead_image = $16, sources = $17, legal_marks = $18,
			trashed_at = $21
			WHERE id = $19 AND revision = $20`,
			a.Slug, string(a.Status), a.Headline, a.Standfirst, a.Body, a.BodyHTML, a.HeadlineHTML,
			a.StandfirstHTML, a.Language, s.d.timeArg(a.PublishedAt), s.d.timeArg(a.ScheduledAt),
			s.d.timeArg(now), s.d.timeArg(a.EditedAt), a.Revision, a.CommentsOpen, lead, sources,
			marks, a.ID, expectedRevision, s.d.timeArg(a.TrashedAt))
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
		if err := s.insertRevision(ctx, tx, a, now); err != nil {
			return nil, err
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

// insertRevision records the saved state of a as revision a.Revision,
// with who saved it (a.SavedBy) and why (a.RevisionReason, a.RevisionNote).
func (s *Store) insertRevision(ctx context.Context, tx *sql.Tx, a *newsroom.Article, now time.Time) error {
	savedBy := sql.NullInt64{Int64: a.SavedBy, Valid: a.SavedBy != 0}
	_, err := tx.ExecContext(ctx, `INSERT INTO revisions (article_id, number, headline, standfirst,
		body, body_html, saved_at, saved_by, note, status, reason)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		a.ID, a.Revision, a.Headline, a.Standfirst, a.Body, a.BodyHTML, s.d.timeArg(now), savedBy, a.RevisionNote,
		string(a.Status), a.RevisionReason)
	if err != nil {
		return fmt.Errorf("record revision: %w", err)
	}
	return nil
}
