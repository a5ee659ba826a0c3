package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

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
// loads their relations in one more query.
func (s *Store) queryArticles(ctx context.Context, q queryer, full bool, tail string, args ...any) ([]*newsroom.Article, error) {
	cols := listCols
	if full {
		cols = fullCols
	}
	return s.selectArticles(ctx, q, full, "SELECT "+cols+" FROM articles a"+tail, args...)
}

// selectArticles reads the articles query selects (listCols, or fullCols
// with full, in that order) and loads their relations.
func (s *Store) selectArticles(ctx context.Context, q queryer, full bool, query string, args ...any) ([]*newsroom.Article, error) {
	rows, err := q.QueryContext(ctx, query, args...)
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

// scanArticle scans a row of listCols (fullCols with full), after the
// columns before if any.
func scanArticle(rows *sql.Rows, full bool, before ...any) (*newsroom.Article, error) {
	var (
		a              newsroom.Article
		status         string
		lead           sql.NullString
		sources, marks string
		createdBy      sql.NullInt64
		group          sql.NullInt64
	)
	dest := append(before, &a.ID, &a.Slug, &status, &a.Headline, &a.Standfirst, &a.HeadlineHTML,
		&a.StandfirstHTML, &a.Language, scanTime(&a.PublishedAt), scanTime(&a.ScheduledAt),
		scanTime(&a.CreatedAt), scanTime(&a.UpdatedAt), scanTime(&a.EditedAt), &a.Revision,
		&a.CommentsOpen, &a.CommentCount, &lead, &sources, &marks, &createdBy, &group, &a.MachineTranslated,
		scanTime(&a.TrashedAt))
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

// idSlice returns the ids of list.
func idSlice(list []*newsroom.Article) []int64 {
	out := make([]int64, len(list))
	for i, a := range list {
		out[i] = a.ID
	}
	return out
}

// loadRelations fills authors, categories and tags of every article in list;
// with full, also share counts, corrections, legal exclusions and
// translations. It is one query (a UNION ALL of one arm per relation,
// each row tagged with its kind): on PostgreSQL every query is a round
// trip, and a never-viewed article page made six of them for its own
// relations and three for each list of related stories.
func (s *Store) loadRelations(ctx context.Context, q queryer, list []*newsroom.Article, full bool) error {
	if len(list) == 0 {
		return nil
	}
	ids, byID := idArgs(list)
	in, args := " IN ("+placeholders(1, len(ids))+")", ids
	pg := s.d == postgresDialect
	if pg {
		// One array for all the ids: one statement text however many
		// stories there are (an IN list's text differs with its length,
		// and pgx prepares each new text in a round trip of its own),
		// read through a subquery so that the estimates do not depend on
		// its length and PostgreSQL keeps the generic plan (see
		// hiddenArg).
		in, args = " = ANY((SELECT $1::bigint[])::bigint[])", []any{idSlice(list)}
	}
	for _, a := range list {
		a.Authors, a.Categories, a.Tags = nil, nil, nil
		if full {
			a.ShareCounts, a.Corrections, a.LegalExclusions, a.Translations = map[string]int{}, nil, nil, nil
		}
	}
	// The columns: kind, key (the article, or the translation group),
	// three to order a kind's rows by (an integer, a time, a text), then
	// three integers and five texts whose meaning is the kind's. The
	// NULL casts name their type for PostgreSQL, which types a UNION's
	// columns arm by arm.
	const (
		noTime = "CAST(NULL AS TIMESTAMPTZ)"
		noInt  = "CAST(NULL AS BIGINT)"
	)
	arms := []string{
		`SELECT 1 AS k, aa.article_id AS ref, aa.position AS p, ` + noTime + ` AS at, '' AS o,
			au.id AS i1, COALESCE(au.user_id, 0) AS i2, 0 AS i3, au.name AS t1, au.slug AS t2, aa.label AS t3, au.label AS t4, '' AS t5
			FROM article_authors aa JOIN authors au ON au.id = aa.author_id WHERE aa.article_id` + in,
		`SELECT 2, ac.article_id, ac.position, ` + noTime + `, '',
			c.id, c.parent_id, c.position, c.slug, c.name, c.description, c.names, c.descriptions
			FROM article_categories ac JOIN categories c ON c.id = ac.category_id WHERE ac.article_id` + in,
		`SELECT 3, atg.article_id, atg.position, ` + noTime + `, t.name,
			t.id, ` + noInt + `, 0, t.slug, t.name, '', '', ''
			FROM article_tags atg JOIN tags t ON t.id = atg.tag_id WHERE atg.article_id` + in,
	}
	var byGroup map[int64][]*newsroom.Article
	if full {
		arms = append(arms,
			`SELECT 4, article_id, 0, `+noTime+`, '', count, `+noInt+`, 0, network, '', '', '', ''
			FROM article_shares WHERE article_id`+in,
			`SELECT 5, article_id, 0, at, '', id, `+noInt+`, 0, kind, text, '', '', ''
			FROM corrections WHERE article_id`+in,
			`SELECT 6, article_id, 0, at, '', entity_id, by_user, 0, entity_name, reason, '', '', ''
			FROM article_legal_exclusions WHERE article_id`+in)
		var groups []any
		var groupIDs []int64
		byGroup = map[int64][]*newsroom.Article{}
		for _, a := range list {
			if a.TranslationGroup == 0 {
				continue
			}
			if _, ok := byGroup[a.TranslationGroup]; !ok {
				groups = append(groups, a.TranslationGroup)
				groupIDs = append(groupIDs, a.TranslationGroup)
			}
			byGroup[a.TranslationGroup] = append(byGroup[a.TranslationGroup], a)
		}
		if len(groups) > 0 {
			inGroups := " IN (" + placeholders(len(ids)+1, len(groups)) + ")"
			if pg {
				inGroups = " = ANY((SELECT $2::bigint[])::bigint[])"
			}
			arms = append(arms, `SELECT 7, t.translation_group, t.id, t.published_at, '', t.id, `+noInt+`, 0,
				t.slug, t.language, t.status, COALESCE((SELECT c.slug FROM article_categories ac JOIN categories c ON c.id = ac.category_id
					WHERE ac.article_id = t.id ORDER BY ac.position LIMIT 1), ''), ''
				FROM articles t WHERE t.translation_group`+inGroups)
			if pg {
				args = append(args, groupIDs)
			} else {
				args = append(append([]any{}, ids...), groups...)
			}
		}
	}
	err := eachRow(ctx, q, strings.Join(arms, "\n\t\tUNION ALL ")+"\n\t\tORDER BY 1, 2, 3, 4, 5, 6", args, func(r *sql.Rows) error {
		var (
			kind, key, pos     int64
			at                 time.Time
			ord                string
			i1, i3             int64
			i2                 sql.NullInt64
			t1, t2, t3, t4, t5 string
		)
		if err := r.Scan(&kind, &key, &pos, scanTime(&at), &ord, &i1, &i2, &i3, &t1, &t2, &t3, &t4, &t5); err != nil {
			return err
		}
		if kind == 7 {
			tr := newsroom.Translation{ID: i1, Slug: t1, Language: t2, Status: newsroom.Status(t3), Section: t4,
				PublishedAt: at, Original: i1 == key}
			for _, a := range byGroup[key] {
				if a.ID != tr.ID {
					a.Translations = append(a.Translations, tr)
				}
			}
			return nil
		}
		a := byID[key]
		switch kind {
		case 1:
			b := newsroom.Byline{AuthorID: i1, UserID: i2.Int64, Name: t1, Slug: t2, Label: t3}
			if b.Label == "" {
				b.Label = t4
			}
			a.Authors = append(a.Authors, b)
		case 2:
			c := newsroom.Category{ID: i1, ParentID: i2.Int64, Position: int(i3), Slug: t1, Name: t2, Description: t3}
			if err := (*langTexts)(&c.Names).Scan(t4); err != nil {
				return err
			}
			if err := (*langTexts)(&c.Descriptions).Scan(t5); err != nil {
				return err
			}
			a.Categories = append(a.Categories, c)
		case 3:
			a.Tags = append(a.Tags, newsroom.Tag{ID: i1, Slug: t1, Name: t2})
		case 4:
			a.ShareCounts[t1] = int(i1)
		case 5:
			a.Corrections = append(a.Corrections, newsroom.Correction{ID: i1, ArticleID: key, At: at,
				Kind: newsroom.CorrectionKind(t1), Text: t2})
		case 6:
			a.LegalExclusions = append(a.LegalExclusions, newsroom.LegalExclusion{EntityID: i1, By: i2.Int64,
				Entity: t1, Reason: t2, At: at})
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("load relations: %w", err)
	}
	return nil
}
