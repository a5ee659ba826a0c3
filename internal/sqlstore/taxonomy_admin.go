package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"newsdesk/internal/newsroom"
)

var _ newsroom.TaxonomyAdmin = (*Store)(nil)

// CategoryByID returns the section with id or a NotFound error.
func (s *Store) CategoryByID(ctx context.Context, id int64) (*newsroom.Category, error) {
	c, err := scanCategory(s.rdb.QueryRowContext(ctx, "SELECT "+categoryCols+" FROM categories c WHERE c.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("category by id: %w", notFound("section"))
	}
	if err != nil {
		return nil, fmt.Errorf("category by id: %w", err)
	}
	return &c, nil
}

// UpdateCategory changes the name, parent, menu position and description
// of section c.ID; see newsroom.TaxonomyAdmin. It reports "home", "nav"
// and the section's key (every page shows the section navigation).
func (s *Store) UpdateCategory(ctx context.Context, c *newsroom.Category) error {
	if err := c.Validate(); err != nil {
		return fmt.Errorf("update category: %w", err)
	}
	err := s.inTx(ctx, func(tx *sql.Tx, _ time.Time) ([]string, error) {
		var slug string
		err := tx.QueryRowContext(ctx, "SELECT slug FROM categories WHERE id = $1"+s.d.forUpdate, c.ID).Scan(&slug)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("section")
		}
		if err != nil {
			return nil, err
		}
		if err := newsroom.CheckSlugKept(slug, c.Slug); err != nil {
			return nil, err
		}
		if c.ParentID != 0 {
			// Walk up from the new parent; meeting c means a cycle.
			seen := map[int64]bool{}
			for id := c.ParentID; id != 0; {
				if id == c.ID {
					return nil, newsroom.Errorf(newsroom.Invalid, "parent_id", "a section cannot sit inside itself or one of its own subsections")
				}
				if seen[id] {
					break // an old cycle; do not loop forever
				}
				seen[id] = true
				var parent sql.NullInt64
				err := tx.QueryRowContext(ctx, "SELECT parent_id FROM categories WHERE id = $1", id).Scan(&parent)
				if errors.Is(err, sql.ErrNoRows) {
					return nil, newsroom.Errorf(newsroom.Invalid, "parent_id", "unknown parent section %d", c.ParentID)
				}
				if err != nil {
					return nil, err
				}
				id = parent.Int64
			}
		}
		var parent any
		if c.ParentID != 0 {
			parent = c.ParentID
		}
		if _, err := tx.ExecContext(ctx, `UPDATE categories SET name = $1, parent_id = $2, position = $3,
			description = $4, names = $5, descriptions = $6 WHERE id = $7`, c.Name, parent, c.Position, c.Description,
			langJSON(c.Names), langJSON(c.Descriptions), c.ID); err != nil {
			return nil, err
		}
		return []string{"home", "nav", "category:" + c.Slug}, nil
	})
	if err != nil {
		return fmt.Errorf("update category: %w", err)
	}
	return nil
}

// TagByID returns the tag with id or a NotFound error.
func (s *Store) TagByID(ctx context.Context, id int64) (*newsroom.Tag, error) {
	t, err := s.tagByID(ctx, s.rdb, id)
	if err != nil {
		return nil, fmt.Errorf("tag by id: %w", err)
	}
	return t, nil
}

func (s *Store) tagByID(ctx context.Context, q queryer, id int64) (*newsroom.Tag, error) {
	var t newsroom.Tag
	err := q.QueryRowContext(ctx, "SELECT id, slug, name FROM tags WHERE id = $1", id).Scan(&t.ID, &t.Slug, &t.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("tag")
	}
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// TagUses lists every tag with the number of articles (of any status)
// carrying it, by name ignoring case.
func (s *Store) TagUses(ctx context.Context) ([]newsroom.TagUse, error) {
	var out []newsroom.TagUse
	err := eachRow(ctx, s.rdb, `SELECT t.id, t.slug, t.name, count(atg.article_id)
		FROM tags t LEFT JOIN article_tags atg ON atg.tag_id = t.id
		GROUP BY t.id, t.slug, t.name ORDER BY lower(t.name), t.name, t.id`, nil, func(r *sql.Rows) error {
		var u newsroom.TagUse
		err := r.Scan(&u.ID, &u.Slug, &u.Name, &u.Articles)
		out = append(out, u)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("tag uses: %w", err)
	}
	return out, nil
}

// UpdateTag renames tag t.ID; see newsroom.TaxonomyAdmin. A changed slug
// leaves an alias behind so that the old address redirects.
func (s *Store) UpdateTag(ctx context.Context, t *newsroom.Tag) error {
	if err := t.Validate(); err != nil {
		return fmt.Errorf("update tag: %w", err)
	}
	err := s.inTx(ctx, func(tx *sql.Tx, now time.Time) ([]string, error) {
		old, err := s.tagByID(ctx, tx, t.ID)
		if err != nil {
			return nil, err
		}
		keys := []string{"home", "feeds", "tag:" + old.Slug}
		if old.Slug != t.Slug {
			var owner int64
			err := tx.QueryRowContext(ctx, "SELECT tag_id FROM tag_aliases WHERE slug = $1", t.Slug).Scan(&owner)
			switch {
			case err == nil && owner != t.ID:
				return nil, newsroom.Errorf(newsroom.Conflict, "slug", "the tag slug %q is kept for a merged tag", t.Slug)
			case err != nil && !errors.Is(err, sql.ErrNoRows):
				return nil, err
			}
			if _, err := tx.ExecContext(ctx, "DELETE FROM tag_aliases WHERE slug = $1", t.Slug); err != nil {
				return nil, err
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO tag_aliases (slug, tag_id, created_at) VALUES ($1, $2, $3)",
				old.Slug, t.ID, s.d.timeArg(now)); err != nil {
				return nil, err
			}
			keys = append(keys, "tag:"+t.Slug)
		}
		_, err = tx.ExecContext(ctx, "UPDATE tags SET slug = $1, name = $2 WHERE id = $3", t.Slug, t.Name, t.ID)
		if s.d.isUnique(err) {
			return nil, newsroom.Errorf(newsroom.Conflict, "slug", "the tag slug %q is taken", t.Slug)
		}
		if err != nil {
			return nil, err
		}
		return keys, nil
	})
	if err != nil {
		return fmt.Errorf("update tag: %w", err)
	}
	return nil
}

// MergeTags moves the articles of tag from to tag into and retires from;
// see newsroom.TaxonomyAdmin.
func (s *Store) MergeTags(ctx context.Context, from, into int64) (*newsroom.Tag, error) {
	if err := newsroom.CheckMerge(from, into); err != nil {
		return nil, fmt.Errorf("merge tags: %w", err)
	}
	var survivor *newsroom.Tag
	err := s.inTx(ctx, func(tx *sql.Tx, now time.Time) ([]string, error) {
		gone, err := s.tagByID(ctx, tx, from)
		if err != nil {
			return nil, err
		}
		if survivor, err = s.tagByID(ctx, tx, into); err != nil {
			return nil, newsroom.Errorf(newsroom.Invalid, "into", "unknown tag %d", into)
		}
		keys := []string{"home", "feeds", "tag:" + gone.Slug, "tag:" + survivor.Slug}
		// Articles now carrying the survivor show it on their pages.
		err = eachRow(ctx, tx, "SELECT article_id FROM article_tags WHERE tag_id = $1", []any{from}, func(r *sql.Rows) error {
			var id int64
			err := r.Scan(&id)
			keys = append(keys, "article:"+strconv.FormatInt(id, 10))
			return err
		})
		if err != nil {
			return nil, err
		}
		for _, q := range []string{
			`INSERT INTO article_tags (article_id, tag_id, position)
				SELECT article_id, $2, position FROM article_tags WHERE tag_id = $1
				AND article_id NOT IN (SELECT article_id FROM article_tags WHERE tag_id = $2)`,
			"UPDATE tag_aliases SET tag_id = $2 WHERE tag_id = $1",
		} {
			if _, err := tx.ExecContext(ctx, q, from, into); err != nil {
				return nil, err
			}
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM article_tags WHERE tag_id = $1", from); err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO tag_aliases (slug, tag_id, created_at) VALUES ($1, $2, $3)",
			gone.Slug, into, s.d.timeArg(now)); err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM tags WHERE id = $1", from); err != nil {
			return nil, err
		}
		return keys, nil
	})
	if err != nil {
		return nil, fmt.Errorf("merge tags: %w", err)
	}
	return survivor, nil
}

// UpdateAuthor changes the name, byline label, bio and photo of author
// a.ID, keeping its slug and account. It reports "home" and the author's
// key (article pages with the byline carry it).
func (s *Store) UpdateAuthor(ctx context.Context, a *newsroom.Author) error {
	old, err := s.AuthorByID(ctx, a.ID)
	if err != nil {
		return fmt.Errorf("update author: %w", err)
	}
	a.Slug, a.UserID = old.Slug, old.UserID
	if err := a.Validate(); err != nil {
		return fmt.Errorf("update author: %w", err)
	}
	err = s.inTx(ctx, func(tx *sql.Tx, _ time.Time) ([]string, error) {
		if err := execOne(ctx, tx, "author", "UPDATE authors SET name = $1, label = $2, bio = $3, photo_url = $4 WHERE id = $5",
			a.Name, a.Label, a.Bio, a.PhotoURL, a.ID); err != nil {
			return nil, err
		}
		return []string{"home", "author:" + strconv.FormatInt(a.ID, 10)}, nil
	})
	if err != nil {
		return fmt.Errorf("update author: %w", err)
	}
	return nil
}
