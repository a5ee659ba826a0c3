package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"newsdesk/internal/newsroom"
)

const categoryCols = "c.id, c.slug, c.name, c.parent_id, c.position, c.description, c.names, c.descriptions"

func scanCategory(r interface{ Scan(...any) error }) (newsroom.Category, error) {
	var c newsroom.Category
	err := r.Scan(categoryDest(&c)...)
	return c, err
}

// categoryDest are the scan destinations of categoryCols into c.
func categoryDest(c *newsroom.Category) []any {
	c.ParentID = 0
	return []any{&c.ID, &c.Slug, &c.Name, (*nullableID)(&c.ParentID), &c.Position, &c.Description, (*langTexts)(&c.Names), (*langTexts)(&c.Descriptions)}
}

// nullableID scans a nullable id column (NULL is 0).
type nullableID int64

func (n *nullableID) Scan(v any) error {
	var x sql.NullInt64
	if err := x.Scan(v); err != nil {
		return err
	}
	*n = nullableID(x.Int64)
	return nil
}

// langTexts scans and stores a text per language as a JSON object ("":
// none).
type langTexts map[string]string

func (m *langTexts) Scan(v any) error {
	var s sql.NullString
	if err := s.Scan(v); err != nil {
		return err
	}
	*m = nil
	if s.String == "" {
		return nil
	}
	return json.Unmarshal([]byte(s.String), m)
}

// langJSON is the stored form of a text per language.
func langJSON(m map[string]string) string {
	if len(m) == 0 {
		return ""
	}
	b, _ := json.Marshal(m) // a map of strings always encodes
	return string(b)
}

// Categories returns all sections by Position, then Name (ignoring case).
func (s *Store) Categories(ctx context.Context) ([]newsroom.Category, error) {
	var out []newsroom.Category
	err := eachRow(ctx, s.rq, "SELECT "+categoryCols+" FROM categories c ORDER BY c.position, lower(c.name), c.name, c.id", nil,
		func(r *sql.Rows) error {
			c, err := scanCategory(r)
			out = append(out, c)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("categories: %w", err)
	}
	return out, nil
}

// CategoryBySlug returns the section with slug or a NotFound error.
func (s *Store) CategoryBySlug(ctx context.Context, slug string) (*newsroom.Category, error) {
	c, err := scanCategory(s.rq.QueryRowContext(ctx, "SELECT "+categoryCols+" FROM categories c WHERE c.slug = $1", slug))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("category by slug: %w", notFound("category"))
	}
	if err != nil {
		return nil, fmt.Errorf("category by slug: %w", err)
	}
	return &c, nil
}

// CreateCategory stores a new section and sets its ID. Its fields must
// pass newsroom.Category.Validate; a taken slug is a Conflict on "slug";
// an unknown parent is Invalid on "parent_id".
func (s *Store) CreateCategory(ctx context.Context, c *newsroom.Category) error {
	if err := c.Validate(); err != nil {
		return fmt.Errorf("create category: %w", err)
	}
	var parent any
	if c.ParentID != 0 {
		parent = c.ParentID
	}
	err := s.inTx(ctx, func(tx *sql.Tx, _ time.Time) ([]string, error) {
		// A static page may hold the address already (see pagePath).
		// A static page may hold the address in any edition.
		args := []any{"/" + c.Slug + "/"}
		cond := "path = $1"
		for _, l := range newsroom.Languages {
			args = append(args, newsroom.PagePrefix(l)+"/"+c.Slug+"/")
			cond += fmt.Sprintf(" OR path = $%d", len(args))
		}
		var pages int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM pages WHERE "+cond, args...).Scan(&pages); err != nil {
			return nil, err
		}
		if pages > 0 {
			return nil, newsroom.Errorf(newsroom.Conflict, "slug", "the slug %q is a static page's address", c.Slug)
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO categories (slug, name, parent_id, position, description, names, descriptions)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			c.Slug, c.Name, parent, c.Position, c.Description, langJSON(c.Names), langJSON(c.Descriptions)).Scan(&c.ID)
		switch {
		case s.d.isUnique(err):
			return nil, newsroom.Errorf(newsroom.Conflict, "slug", "the section slug %q is taken", c.Slug)
		case s.d.isForeignKey(err):
			return nil, newsroom.Errorf(newsroom.Invalid, "parent_id", "unknown parent section %d", c.ParentID)
		case err != nil:
			return nil, err
		}
		// "nav": every page lists the top-level sections.
		return []string{"home", "nav", "category:" + c.Slug}, nil
	})
	if err != nil {
		c.ID = 0
		return fmt.Errorf("create category: %w", err)
	}
	return nil
}

// Tags returns all tags by name, ignoring case.
func (s *Store) Tags(ctx context.Context) ([]newsroom.Tag, error) {
	var out []newsroom.Tag
	err := eachRow(ctx, s.rdb, "SELECT id, slug, name FROM tags ORDER BY lower(name), name, id", nil, func(r *sql.Rows) error {
		var t newsroom.Tag
		err := r.Scan(&t.ID, &t.Slug, &t.Name)
		out = append(out, t)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("tags: %w", err)
	}
	return out, nil
}

// TagBySlug returns the tag with slug or a NotFound error. A slug retired
// by a tag merge or rename returns the tag it now leads to, whose Slug
// differs: callers compare to redirect.
func (s *Store) TagBySlug(ctx context.Context, slug string) (*newsroom.Tag, error) {
	t, err := s.tagBySlug(ctx, s.rq, slug)
	if err != nil {
		return nil, fmt.Errorf("tag by slug: %w", err)
	}
	return t, nil
}

func (s *Store) tagBySlug(ctx context.Context, q queryer, slug string) (*newsroom.Tag, error) {
	var t newsroom.Tag
	err := q.QueryRowContext(ctx, "SELECT id, slug, name FROM tags WHERE slug = $1", slug).Scan(&t.ID, &t.Slug, &t.Name)
	if errors.Is(err, sql.ErrNoRows) {
		// A retired slug (see MergeTags, UpdateTag) leads to its survivor.
		err = q.QueryRowContext(ctx, `SELECT t.id, t.slug, t.name FROM tag_aliases ta
			JOIN tags t ON t.id = ta.tag_id WHERE ta.slug = $1`, slug).Scan(&t.ID, &t.Slug, &t.Name)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("tag")
	}
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// EnsureTag returns the tag with slug, creating it with name (see
// newsroom.Tag.Normalize and Validate) when absent. An invalid slug is
// Invalid on "slug".
func (s *Store) EnsureTag(ctx context.Context, slug, name string) (*newsroom.Tag, error) {
	nt := newsroom.Tag{Slug: slug, Name: name}
	nt.Normalize()
	if err := nt.Validate(); err != nil {
		return nil, fmt.Errorf("ensure tag: %w", err)
	}
	slug, name = nt.Slug, nt.Name
	if t, err := s.tagBySlug(ctx, s.rdb, slug); err == nil {
		return t, nil
	} else if !newsroom.IsNotFound(err) {
		return nil, fmt.Errorf("ensure tag: %w", err)
	}
	var t *newsroom.Tag
	err := s.inTx(ctx, func(tx *sql.Tx, _ time.Time) ([]string, error) {
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO tags (slug, name) VALUES ($1, $2)
			ON CONFLICT (slug) DO NOTHING RETURNING id`, slug, name).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) { // someone else made it meanwhile
			t, err = s.tagBySlug(ctx, tx, slug)
			return nil, err
		}
		if err != nil {
			return nil, err
		}
		t = &newsroom.Tag{ID: id, Slug: slug, Name: name}
		return []string{"home", "tag:" + slug}, nil
	})
	if err != nil {
		return nil, fmt.Errorf("ensure tag: %w", err)
	}
	return t, nil
}

const authorCols = "id, slug, name, label, bio, photo_url, user_id"

func scanAuthor(r interface{ Scan(...any) error }) (newsroom.Author, error) {
	var a newsroom.Author
	var user sql.NullInt64
	err := r.Scan(&a.ID, &a.Slug, &a.Name, &a.Label, &a.Bio, &a.PhotoURL, &user)
	a.UserID = user.Int64
	return a, err
}

// Authors returns all authors by name, ignoring case.
func (s *Store) Authors(ctx context.Context) ([]newsroom.Author, error) {
	var out []newsroom.Author
	err := eachRow(ctx, s.rdb, "SELECT "+authorCols+" FROM authors ORDER BY lower(name), name, id", nil, func(r *sql.Rows) error {
		a, err := scanAuthor(r)
		out = append(out, a)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("authors: %w", err)
	}
	return out, nil
}

// AuthorBySlug returns the author with slug or a NotFound error.
func (s *Store) AuthorBySlug(ctx context.Context, slug string) (*newsroom.Author, error) {
	a, err := s.author(ctx, "slug = $1", slug)
	if err != nil {
		return nil, fmt.Errorf("author by slug: %w", err)
	}
	return a, nil
}

// AuthorByID returns the author with id or a NotFound error.
func (s *Store) AuthorByID(ctx context.Context, id int64) (*newsroom.Author, error) {
	a, err := s.author(ctx, "id = $1", id)
	if err != nil {
		return nil, fmt.Errorf("author by id: %w", err)
	}
	return a, nil
}

func (s *Store) author(ctx context.Context, cond string, arg any) (*newsroom.Author, error) {
	a, err := scanAuthor(s.rq.QueryRowContext(ctx, "SELECT "+authorCols+" FROM authors WHERE "+cond, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("author")
	}
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// CreateAuthor stores a new author and sets its ID, with the defaults of
// newsroom.Author.Normalize (slug from the name, staff label) and the
// checks of Validate. A taken slug is a Conflict on "slug"; an unknown
// UserID is Invalid on "user_id".
func (s *Store) CreateAuthor(ctx context.Context, a *newsroom.Author) error {
	a.Normalize()
	if err := a.Validate(); err != nil {
		return fmt.Errorf("create author: %w", err)
	}
	var user any
	if a.UserID != 0 {
		user = a.UserID
	}
	err := s.inTx(ctx, func(tx *sql.Tx, _ time.Time) ([]string, error) {
		err := tx.QueryRowContext(ctx, `INSERT INTO authors (slug, name, label, bio, photo_url, user_id)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			a.Slug, a.Name, a.Label, a.Bio, a.PhotoURL, user).Scan(&a.ID)
		switch {
		case s.d.isUnique(err):
			return nil, newsroom.Errorf(newsroom.Conflict, "slug", "the author slug %q is taken", a.Slug)
		case s.d.isForeignKey(err):
			return nil, newsroom.Errorf(newsroom.Invalid, "user_id", "unknown user %d", a.UserID)
		case err != nil:
			return nil, err
		}
		return []string{"home", fmt.Sprintf("author:%d", a.ID)}, nil
	})
	if err != nil {
		a.ID = 0
		return fmt.Errorf("create author: %w", err)
	}
	return nil
}
