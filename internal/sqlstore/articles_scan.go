package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"newsdesk/internal/newsroom"
)

// listCols are the article columns a listing reads; fullCols add the body.
const (
	listCols = `a.id, a.slug, a.status, a.headline, a.standfirst, a.headline_html,
	a.standfirst_html, a.language, a.published_at, a.scheduled_at, a.created_at,
	a.updated_at, a.edited_at, a.revision, a.comments_open, a.comment_count,
	a.lead_image, a.sources, a.legal_marks, a.created_by, a.translation_group,
	a.machine_translated, a.trashed_at`
	fullCols = listCols + `, a.body, a.body_html`
)

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
		group          sql.NullInt64
	)
	dest := []any{&a.ID, &a.Slug, &status, &a.Headline, &a.Standfirst, &a.HeadlineHTML,
		&a.StandfirstHTML, &a.Language, scanTime(&a.PublishedAt), scanTime(&a.ScheduledAt),
		scanTime(&a.CreatedAt), scanTime(&a.UpdatedAt), scanTime(&a.EditedAt), &a.Revision,
		&a.CommentsOpen, &a.CommentCount, &lead, &sources, &marks, &createdBy, &group, &a.MachineTranslated,
		scanTime(&a.TrashedAt)}
	if full {
		dest = append(dest, &a.Body, &a.BodyHTML)
	}
	if err := rows.Scan(dest...); err != nil {
		return nil, err
	}
	a.Status = newsroom.Status(status)
	a.CreatedBy = createdBy.Int64
	a.TranslationGroup = group.Int64
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

	err := eachRow(ctx, q, `SELECT aa.article_id, au.id, au.name, au.slug, aa.label, au.label, COALESCE(au.user_id, 0)
		FROM article_authors aa JOIN authors au ON au.id = aa.author_id
		WHERE aa.article_id IN `+in+` ORDER BY aa.article_id, aa.position`, ids, func(r *sql.Rows) error {
		var id int64
		var b newsroom.Byline
		var def string
		if err := r.Scan(&id, &b.AuthorID, &b.Name, &b.Slug, &b.Label, &def, &b.UserID); err != nil {
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
		if err := r.Scan(append([]any{&id}, categoryDest(&c)...)...); err != nil {
			return err
		}
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
	if err := s.loadTranslations(ctx, q, list); err != nil {
		return fmt.Errorf("load translations: %w", err)
	}
	return s.loadLegalExclusions(ctx, q, in, ids, byID)
}
