package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"newsdesk/internal/newsroom"
)

var _ newsroom.PageStore = (*Store)(nil)

const pageCols = "id, parent_id, slug, path, title, status, in_menu, menu_position, created_at, updated_at, language, translation_group"

func scanPage(r interface{ Scan(...any) error }, withBody bool) (newsroom.Page, error) {
	var p newsroom.Page
	var parent sql.NullInt64
	dest := []any{&p.ID, &parent, &p.Slug, &p.Path, &p.Title, &p.Status, &p.InMenu, &p.MenuPosition,
		scanTime(&p.CreatedAt), scanTime(&p.UpdatedAt), &p.Language, (*nullableID)(&p.TranslationGroup)}
	if withBody {
		dest = append(dest, &p.Body, &p.BodyHTML)
	}
	err := r.Scan(dest...)
	p.ParentID = parent.Int64
	if p.TranslationGroup != p.ID {
		p.TranslationOf = p.TranslationGroup
	}
	return p, err
}

// pageWhere loads one page with its body and translations, or returns
// NotFound.
func (s *Store) pageWhere(ctx context.Context, q queryer, where string, args ...any) (*newsroom.Page, error) {
	p, err := scanPage(q.QueryRowContext(ctx, "SELECT "+pageCols+", body, body_html FROM pages WHERE "+where, args...), true)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("page")
	}
	if err != nil {
		return nil, err
	}
	if p.TranslationGroup != 0 {
		err := eachRow(ctx, q, `SELECT id, language, path, title, status FROM pages
			WHERE translation_group = $1 AND id <> $2 ORDER BY language, id`, []any{p.TranslationGroup, p.ID}, func(r *sql.Rows) error {
			var t newsroom.PageTranslation
			if err := r.Scan(&t.ID, &t.Language, &t.Path, &t.Title, &t.Status); err != nil {
				return err
			}
			t.Original = t.ID == p.TranslationGroup
			p.Translations = append(p.Translations, t)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return &p, nil
}

// pageGroup returns the translation group p joins (0: none), checking
// its TranslationOf: an existing page in another language. before is the
// page as stored (nil when creating): the original of a group stays its
// original.
func (s *Store) pageGroup(ctx context.Context, tx *sql.Tx, p, before *newsroom.Page) (int64, error) {
	if p.TranslationOf == 0 {
		if before != nil && before.TranslationGroup == before.ID {
			return before.ID, nil
		}
		return 0, nil
	}
	var lang string
	var group sql.NullInt64
	err := tx.QueryRowContext(ctx, "SELECT language, translation_group FROM pages WHERE id = $1"+s.d.forUpdate, p.TranslationOf).Scan(&lang, &group)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, newsroom.Errorf(newsroom.Invalid, "translation_of", "no page %d to be a translation of", p.TranslationOf)
	}
	if err != nil {
		return 0, err
	}
	if lang == p.Language {
		return 0, newsroom.Errorf(newsroom.Invalid, "translation_of", "page %d is in the same language", p.TranslationOf)
	}
	if group.Valid {
		// (Naming a page that translates this one keeps the group as it is.)
		return group.Int64, nil
	}
	// The original joins the group it founds.
	if _, err := tx.ExecContext(ctx, "UPDATE pages SET translation_group = id WHERE id = $1", p.TranslationOf); err != nil {
		return 0, err
	}
	return p.TranslationOf, nil
}

// PageByPath returns the page served at path, or NotFound.
func (s *Store) PageByPath(ctx context.Context, path string) (*newsroom.Page, error) {
	return lookup(ctx, "page by path", s.pageWhere, s.rq, "path = $1", path)
}

// PageByID returns the page or NotFound.
func (s *Store) PageByID(ctx context.Context, id int64) (*newsroom.Page, error) {
	return lookup(ctx, "page by id", s.pageWhere, s.rdb, "id = $1", id)
}

func (s *Store) listPages(ctx context.Context, q queryer, where, order string, args ...any) ([]newsroom.Page, error) {
	var out []newsroom.Page
	err := eachRow(ctx, q, "SELECT "+pageCols+" FROM pages"+where+" ORDER BY "+order, args, func(r *sql.Rows) error {
		p, err := scanPage(r, false)
		out = append(out, p)
		return err
	})
	return out, err
}

// MenuPages lists the published pages of the footer menu in order.
func (s *Store) MenuPages(ctx context.Context) ([]newsroom.Page, error) {
	out, err := s.listPages(ctx, s.rq, " WHERE in_menu AND status = 'published'", "menu_position, lower(title), id")
	if err != nil {
		return nil, fmt.Errorf("menu pages: %w", err)
	}
	return out, nil
}

// PagesBelow lists the pages whose parent is id.
func (s *Store) PagesBelow(ctx context.Context, id int64) ([]newsroom.Page, error) {
	out, err := s.listPages(ctx, s.rq, " WHERE parent_id = $1", "menu_position, lower(title), id", id)
	if err != nil {
		return nil, fmt.Errorf("pages below: %w", err)
	}
	return out, nil
}

// Pages lists every page by path.
func (s *Store) Pages(ctx context.Context) ([]newsroom.Page, error) {
	out, err := s.listPages(ctx, s.rdb, "", "path")
	if err != nil {
		return nil, fmt.Errorf("pages: %w", err)
	}
	return out, nil
}

// pagePath returns the path of a page with slug under parent (0: the top
// level), checking the parent exists, is not the page itself or below it,
// and leaves room for one more level; and, at the top level, that no
// section has the slug.
func (s *Store) pagePath(ctx context.Context, tx *sql.Tx, self, parent int64, slug, lang string) (string, error) {
	if parent == 0 {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM categories WHERE slug = $1", slug).Scan(&n); err != nil {
			return "", err
		}
		if n > 0 {
			return "", newsroom.Errorf(newsroom.Conflict, "slug", "the slug %q is a section's address", slug)
		}
		return newsroom.PagePrefix(lang) + "/" + slug + "/", nil
	}
	var ppath, plang string
	err := tx.QueryRowContext(ctx, "SELECT path, language FROM pages WHERE id = $1", parent).Scan(&ppath, &plang)
	if errors.Is(err, sql.ErrNoRows) {
		return "", newsroom.Errorf(newsroom.Invalid, "parent_id", "unknown parent page %d", parent)
	}
	if err != nil {
		return "", err
	}
	if plang != lang {
		return "", newsroom.Errorf(newsroom.Invalid, "parent_id", "the parent page is in another edition's language")
	}
	if self != 0 {
		var own string
		if err := tx.QueryRowContext(ctx, "SELECT path FROM pages WHERE id = $1", self).Scan(&own); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return "", err
		}
		if own != "" && strings.HasPrefix(ppath, own) {
			return "", newsroom.Errorf(newsroom.Invalid, "parent_id", "a page cannot sit inside itself or one of its own sub-pages")
		}
	}
	if newsroom.PageDepth(ppath, lang) >= newsroom.MaxPageDepth {
		return "", newsroom.Errorf(newsroom.Invalid, "parent_id", "pages nest at most %d levels deep", newsroom.MaxPageDepth)
	}
	return ppath + slug + "/", nil
}

// CreatePage stores a new page and sets its ID, Path and times.
func (s *Store) CreatePage(ctx context.Context, p *newsroom.Page) error {
	p.Normalize()
	if err := p.Validate(); err != nil {
		return fmt.Errorf("create page: %w", err)
	}
	err := s.inTx(ctx, func(tx *sql.Tx, now time.Time) ([]string, error) {
		path, err := s.pagePath(ctx, tx, 0, p.ParentID, p.Slug, p.Language)
		if err != nil {
			return nil, err
		}
		group, err := s.pageGroup(ctx, tx, p, nil)
		if err != nil {
			return nil, err
		}
		if err := s.pageGroupFree(ctx, tx, group, p.Language, 0); err != nil {
			return nil, err
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO pages (parent_id, slug, path, title, body, body_html, status, in_menu, menu_position, created_at, updated_at, language, translation_group)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $12) RETURNING id`,
			nullID(p.ParentID), p.Slug, path, p.Title, p.Body, p.BodyHTML, string(p.Status), p.InMenu, p.MenuPosition,
			s.d.timeArg(now), p.Language, nullID(group)).Scan(&p.ID)
		if s.d.isUnique(err) {
			return nil, newsroom.Errorf(newsroom.Conflict, "slug", "a page at %s exists already", path)
		}
		if err != nil {
			return nil, err
		}
		p.Path, p.CreatedAt, p.UpdatedAt, p.TranslationGroup = path, now, now, group
		return newsroom.PageKeys(nil, p), nil
	})
	if err != nil {
		p.ID = 0
		return fmt.Errorf("create page: %w", err)
	}
	return nil
}

// UpdatePage replaces the page's fields and moves the pages below it
// when its path changes.
func (s *Store) UpdatePage(ctx context.Context, p *newsroom.Page) error {
	p.Normalize()
	if err := p.Validate(); err != nil {
		return fmt.Errorf("update page: %w", err)
	}
	err := s.inTx(ctx, func(tx *sql.Tx, now time.Time) ([]string, error) {
		before, err := s.pageWhere(ctx, tx, "id = $1"+s.d.forUpdate, p.ID)
		if err != nil {
			return nil, err
		}
		path, err := s.pagePath(ctx, tx, p.ID, p.ParentID, p.Slug, p.Language)
		if err != nil {
			return nil, err
		}
		if p.Language != before.Language {
			// The pages below live in the page's edition.
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM pages WHERE parent_id = $1", p.ID).Scan(&n); err != nil {
				return nil, err
			}
			if n > 0 {
				return nil, newsroom.Errorf(newsroom.Invalid, "language", "the page has %d sub-pages in its language: move them first", n)
			}
		}
		group, err := s.pageGroup(ctx, tx, p, before)
		if err != nil {
			return nil, err
		}
		if err := s.pageGroupFree(ctx, tx, group, p.Language, p.ID); err != nil {
			return nil, err
		}
		_, err = tx.ExecContext(ctx, `UPDATE pages SET parent_id = $1, slug = $2, path = $3, title = $4, body = $5, body_html = $6,
			status = $7, in_menu = $8, menu_position = $9, updated_at = $10, language = $11, translation_group = $12 WHERE id = $13`,
			nullID(p.ParentID), p.Slug, path, p.Title, p.Body, p.BodyHTML, string(p.Status), p.InMenu, p.MenuPosition,
			s.d.timeArg(now), p.Language, nullID(group), p.ID)
		if s.d.isUnique(err) {
			return nil, newsroom.Errorf(newsroom.Conflict, "slug", "a page at %s exists already", path)
		}
		if err != nil {
			return nil, err
		}
		p.Path, p.CreatedAt, p.UpdatedAt, p.TranslationGroup = path, before.CreatedAt, now, group
		keys := newsroom.PageKeys(before, p)
		if path != before.Path {
			// Pages below move with it: their keys change too.
			var below []int64
			err := eachRow(ctx, tx, "SELECT id FROM pages WHERE path LIKE $1 AND id <> $2", []any{likePrefix(before.Path), p.ID},
				func(r *sql.Rows) error {
					var id int64
					below = append(below, id)
					return r.Scan(&below[len(below)-1])
				})
			if err != nil {
				return nil, err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE pages SET path = $1 || substr(path, $2) WHERE path LIKE $3 AND id <> $4`,
				path, len(before.Path)+1, likePrefix(before.Path), p.ID); err != nil {
				if s.d.isUnique(err) {
					return nil, newsroom.Errorf(newsroom.Conflict, "slug", "a page below would move onto an existing page")
				}
				return nil, err
			}
			for _, id := range below {
				keys = append(keys, "page:"+fmt.Sprint(id))
			}
			keys = append(keys, "nav") // a moved sub-page may be in the menu
		}
		return keys, nil
	})
	if err != nil {
		return fmt.Errorf("update page: %w", err)
	}
	return nil
}

// pageGroupFree refuses a group that has a page in lang already (other
// than self): one page per language.
func (s *Store) pageGroupFree(ctx context.Context, tx *sql.Tx, group int64, lang string, self int64) error {
	if group == 0 {
		return nil
	}
	var other int64
	err := tx.QueryRowContext(ctx, "SELECT id FROM pages WHERE translation_group = $1 AND language = $2 AND id <> $3",
		group, lang, self).Scan(&other)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return err
	}
	return newsroom.Errorf(newsroom.Conflict, "translation_of", "the page already has a translation in that language (page %d)", other)
}

// likePrefix returns a LIKE pattern for strings starting with prefix
// (page paths hold only slug characters and slashes: nothing to escape).
func likePrefix(prefix string) string { return prefix + "%" }

// DeletePage removes a page that has no pages below it.
func (s *Store) DeletePage(ctx context.Context, id int64) error {
	err := s.inTx(ctx, func(tx *sql.Tx, _ time.Time) ([]string, error) {
		before, err := s.pageWhere(ctx, tx, "id = $1"+s.d.forUpdate, id)
		if err != nil {
			return nil, err
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM pages WHERE parent_id = $1", id).Scan(&n); err != nil {
			return nil, err
		}
		if n > 0 {
			return nil, newsroom.Errorf(newsroom.Conflict, "id", "the page has %d sub-pages: move or delete them first", n)
		}
		if err := execOne(ctx, tx, "page", "DELETE FROM pages WHERE id = $1", id); err != nil {
			return nil, err
		}
		return newsroom.PageKeys(before, nil), nil
	})
	if err != nil {
		return fmt.Errorf("delete page: %w", err)
	}
	return nil
}

// SetMenu sets the footer menu to the pages of order, in that order.
func (s *Store) SetMenu(ctx context.Context, order []int64) error {
	err := s.inTx(ctx, func(tx *sql.Tx, _ time.Time) ([]string, error) {
		if _, err := tx.ExecContext(ctx, "UPDATE pages SET in_menu = $1, menu_position = 0 WHERE in_menu", false); err != nil {
			return nil, err
		}
		seen := map[int64]bool{}
		for i, id := range order {
			if seen[id] {
				return nil, newsroom.Errorf(newsroom.Invalid, "menu", "page %d is listed twice", id)
			}
			seen[id] = true
			if err := execOne(ctx, tx, "page", "UPDATE pages SET in_menu = $1, menu_position = $2 WHERE id = $3", true, i+1, id); err != nil {
				if newsroom.IsNotFound(err) {
					return nil, newsroom.Errorf(newsroom.Invalid, "menu", "unknown page %d", id)
				}
				return nil, err
			}
		}
		return []string{"nav"}, nil
	})
	if err != nil {
		return fmt.Errorf("set menu: %w", err)
	}
	return nil
}
