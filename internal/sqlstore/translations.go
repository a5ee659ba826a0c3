package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"newsdesk/internal/newsroom"
)

// loadTranslations fills the Translations of every article of list that
// is in a group, with one query for all of them.
func (s *Store) loadTranslations(ctx context.Context, q queryer, list []*newsroom.Article) error {
	var groups []any
	byGroup := map[int64][]*newsroom.Article{}
	for _, a := range list {
		a.Translations = nil
		if a.TranslationGroup == 0 {
			continue
		}
		if _, ok := byGroup[a.TranslationGroup]; !ok {
			groups = append(groups, a.TranslationGroup)
		}
		byGroup[a.TranslationGroup] = append(byGroup[a.TranslationGroup], a)
	}
	if len(groups) == 0 {
		return nil
	}
	return eachRow(ctx, q, `SELECT t.translation_group, t.id, t.slug, t.language, t.status, t.published_at,
		COALESCE((SELECT c.slug FROM article_categories ac JOIN categories c ON c.id = ac.category_id
			WHERE ac.article_id = t.id ORDER BY ac.position LIMIT 1), '')
		FROM articles t WHERE t.translation_group IN (`+placeholders(1, len(groups))+`)
		ORDER BY t.translation_group, t.id`, groups, func(r *sql.Rows) error {
		var group int64
		var tr newsroom.Translation
		var status string
		if err := r.Scan(&group, &tr.ID, &tr.Slug, &tr.Language, &status, scanTime(&tr.PublishedAt), &tr.Section); err != nil {
			return err
		}
		tr.Status, tr.Original = newsroom.Status(status), tr.ID == group
		for _, a := range byGroup[group] {
			if a.ID != tr.ID {
				a.Translations = append(a.Translations, tr)
			}
		}
		return nil
	})
}

// joinGroup decides the translation group of a new article that is a
// translation of a.TranslationOf, making the original's group if it has
// none, inside tx. An unknown original or one in the same language is
// Invalid on "translation_of"; a group that already has a member in a's
// language is a Conflict on "translation_of".
func (s *Store) joinGroup(ctx context.Context, tx *sql.Tx, a *newsroom.Article) error {
	a.TranslationGroup = 0
	if a.TranslationOf == 0 {
		return nil
	}
	var group sql.NullInt64
	var lang string
	err := tx.QueryRowContext(ctx, "SELECT translation_group, language FROM articles WHERE id = $1"+s.d.forUpdate,
		a.TranslationOf).Scan(&group, &lang)
	if errors.Is(err, sql.ErrNoRows) {
		return newsroom.Errorf(newsroom.Invalid, "translation_of", "no article with id %d to translate", a.TranslationOf)
	}
	if err != nil {
		return err
	}
	if lang == a.Language {
		return newsroom.Errorf(newsroom.Invalid, "translation_of", "a translation must be in another language than its original (%s)", lang)
	}
	if !group.Valid {
		if _, err := tx.ExecContext(ctx, "UPDATE articles SET translation_group = id WHERE id = $1", a.TranslationOf); err != nil {
			return err
		}
		group.Int64 = a.TranslationOf
	}
	if err := s.languageFree(ctx, tx, group.Int64, a.Language, 0, "translation_of"); err != nil {
		return err
	}
	a.TranslationGroup = group.Int64
	return nil
}

// languageFree returns a Conflict on field if group has a member in lang
// other than except.
func (s *Store) languageFree(ctx context.Context, tx *sql.Tx, group int64, lang string, except int64, field string) error {
	var id int64
	err := tx.QueryRowContext(ctx, "SELECT id FROM articles WHERE translation_group = $1 AND language = $2 AND id <> $3",
		group, lang, except).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return newsroom.Errorf(newsroom.Conflict, field, "the story already has a translation in %s (article %d)", lang, id)
}

// PublicLanguages returns the languages of newsroom.Languages that have at
// least one public article at now, in that order: one probe of the
// (language, status, published_at) index per language (migration 0120).
func (s *Store) PublicLanguages(ctx context.Context, now time.Time) ([]string, error) {
	var out []string
	for _, lang := range newsroom.Languages {
		var one int
		err := s.rdb.QueryRowContext(ctx, `SELECT 1 FROM articles
			WHERE language = $1 AND status = $2 AND published_at <= $3 LIMIT 1`,
			lang, string(newsroom.Published), s.d.timeArg(normTime(now))).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("public languages: %w", err)
		}
		out = append(out, lang)
	}
	return out, nil
}
