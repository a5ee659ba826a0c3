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

var _ newsroom.LegalStore = (*Store)(nil)

// LegalRegistryKey is the change key of every registry write.
const LegalRegistryKey = "legal-registry"

const legalCols = `id, name, forms, marker, notes, listings, ignore_case, created_at, updated_at`

func scanLegalEntity(sc interface{ Scan(...any) error }) (*newsroom.LegalEntity, error) {
	var e newsroom.LegalEntity
	var forms, notes, listings string
	if err := sc.Scan(&e.ID, &e.Name, &forms, &e.Marker, &notes, &listings, &e.IgnoreCase,
		scanTime(&e.CreatedAt), scanTime(&e.UpdatedAt)); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(forms), &e.Forms); err != nil {
		return nil, fmt.Errorf("legal entity %d forms: %w", e.ID, err)
	}
	if err := json.Unmarshal([]byte(notes), &e.Notes); err != nil {
		return nil, fmt.Errorf("legal entity %d notes: %w", e.ID, err)
	}
	if err := json.Unmarshal([]byte(listings), &e.Listings); err != nil {
		return nil, fmt.Errorf("legal entity %d listings: %w", e.ID, err)
	}
	for i := range e.Listings {
		e.Listings[i].From = e.Listings[i].From.UTC()
		e.Listings[i].Until = e.Listings[i].Until.UTC()
	}
	return &e, nil
}

func legalJSON(e *newsroom.LegalEntity) (forms, notes, listings string, err error) {
	f, err := json.Marshal(e.Forms)
	if err != nil {
		return "", "", "", err
	}
	n, err := json.Marshal(e.Notes)
	if err != nil {
		return "", "", "", err
	}
	ls := e.Listings
	if ls == nil {
		ls = []newsroom.LegalListing{}
	}
	l, err := json.Marshal(ls)
	if err != nil {
		return "", "", "", err
	}
	return string(f), string(n), string(l), nil
}

// LegalEntities returns the whole registry, ordered by name.
func (s *Store) LegalEntities(ctx context.Context) ([]newsroom.LegalEntity, error) {
	list, err := s.legalEntities(ctx, s.rdb)
	if err != nil {
		return nil, fmt.Errorf("legal entities: %w", err)
	}
	return list, nil
}

func (s *Store) legalEntities(ctx context.Context, q queryer) ([]newsroom.LegalEntity, error) {
	out := []newsroom.LegalEntity{}
	err := eachRow(ctx, q, "SELECT "+legalCols+" FROM legal_entities ORDER BY name, id", nil, func(r *sql.Rows) error {
		e, err := scanLegalEntity(r)
		if err != nil {
			return err
		}
		out = append(out, *e)
		return nil
	})
	return out, err
}

// LegalEntity returns one entity or a NotFound error.
func (s *Store) LegalEntity(ctx context.Context, id int64) (*newsroom.LegalEntity, error) {
	e, err := s.legalEntity(ctx, s.rdb, id, "")
	if err != nil {
		return nil, fmt.Errorf("legal entity: %w", err)
	}
	return e, nil
}

func (s *Store) legalEntity(ctx context.Context, q queryer, id int64, lock string) (*newsroom.LegalEntity, error) {
	e, err := scanLegalEntity(q.QueryRowContext(ctx, "SELECT "+legalCols+" FROM legal_entities WHERE id = $1"+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("legal entity")
	}
	return e, err
}

// CreateLegalEntity normalizes, validates and stores a new entity, setting
// its ID, CreatedAt and UpdatedAt. A name in use is a Conflict on "name".
func (s *Store) CreateLegalEntity(ctx context.Context, e *newsroom.LegalEntity) error {
	e.Normalize()
	if err := e.Validate(); err != nil {
		return fmt.Errorf("create legal entity: %w", err)
	}
	err := s.inTx(ctx, func(tx *sql.Tx, now time.Time) ([]string, error) {
		if err := s.insertLegalEntity(ctx, tx, e, now); err != nil {
			return nil, err
		}
		return []string{LegalRegistryKey}, bumpLegalVersion(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("create legal entity: %w", err)
	}
	return nil
}

func (s *Store) insertLegalEntity(ctx context.Context, tx *sql.Tx, e *newsroom.LegalEntity, now time.Time) error {
	forms, notes, listings, err := legalJSON(e)
	if err != nil {
		return err
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO legal_entities (name, forms, marker, notes, listings,
		ignore_case, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
		e.Name, forms, e.Marker, notes, listings, e.IgnoreCase, s.d.timeArg(now)).Scan(&e.ID)
	if s.d.isUnique(err) {
		return newsroom.Errorf(newsroom.Conflict, "name", "%q is already in the registry", e.Name)
	}
	if err != nil {
		return err
	}
	e.CreatedAt, e.UpdatedAt = now, now
	return nil
}

func (s *Store) updateLegalEntity(ctx context.Context, tx *sql.Tx, e *newsroom.LegalEntity, now time.Time) error {
	forms, notes, listings, err := legalJSON(e)
	if err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `UPDATE legal_entities SET name = $1, forms = $2, marker = $3,
		notes = $4, listings = $5, ignore_case = $6, updated_at = $7 WHERE id = $8`,
		e.Name, forms, e.Marker, notes, listings, e.IgnoreCase, s.d.timeArg(now), e.ID)
	if s.d.isUnique(err) {
		return newsroom.Errorf(newsroom.Conflict, "name", "%q is already in the registry", e.Name)
	}
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return notFound("legal entity")
	}
	e.UpdatedAt = now
	return nil
}

// UpdateLegalEntity normalizes, validates and replaces the entity with
// e.ID, keeping its CreatedAt. NotFound if there is none; a name used by
// another entity is a Conflict on "name".
func (s *Store) UpdateLegalEntity(ctx context.Context, e *newsroom.LegalEntity) error {
	e.Normalize()
	if err := e.Validate(); err != nil {
		return fmt.Errorf("update legal entity: %w", err)
	}
	err := s.inTx(ctx, func(tx *sql.Tx, now time.Time) ([]string, error) {
		old, err := s.legalEntity(ctx, tx, e.ID, s.d.forUpdate)
		if err != nil {
			return nil, err
		}
		if err := s.updateLegalEntity(ctx, tx, e, now); err != nil {
			return nil, err
		}
		e.CreatedAt = old.CreatedAt
		// Switches keep the entity's current name for the desk's panel.
		if _, err := tx.ExecContext(ctx, "UPDATE article_legal_exclusions SET entity_name = $1 WHERE entity_id = $2",
			e.Name, e.ID); err != nil {
			return nil, err
		}
		return []string{LegalRegistryKey}, bumpLegalVersion(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("update legal entity: %w", err)
	}
	return nil
}

// DeleteLegalEntity removes an entity and its per-article switches and
// returns what was removed. NotFound if there is none.
func (s *Store) DeleteLegalEntity(ctx context.Context, id int64) (*newsroom.LegalEntity, error) {
	var old *newsroom.LegalEntity
	err := s.inTx(ctx, func(tx *sql.Tx, now time.Time) ([]string, error) {
		var err error
		if old, err = s.legalEntity(ctx, tx, id, s.d.forUpdate); err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM legal_entities WHERE id = $1", id); err != nil {
			return nil, err
		}
		return []string{LegalRegistryKey}, bumpLegalVersion(ctx, tx)
	})
	if err != nil {
		return nil, fmt.Errorf("delete legal entity: %w", err)
	}
	return old, nil
}

// ImportLegalEntities stores every entity of list in one transaction:
// entities whose name is already in the registry are replaced (keeping
// their ID), the rest are created. If newsroom.ValidateImport refuses the
// list (Field "row:N"), nothing is stored.
func (s *Store) ImportLegalEntities(ctx context.Context, list []newsroom.LegalEntity) (newsroom.LegalEntityChange, error) {
	var ch newsroom.LegalEntityChange
	if err := newsroom.ValidateImport(list); err != nil {
		return ch, fmt.Errorf("import legal entities: %w", err)
	}
	err := s.inTx(ctx, func(tx *sql.Tx, now time.Time) ([]string, error) {
		ch = newsroom.LegalEntityChange{}
		existing, err := s.legalEntities(ctx, tx)
		if err != nil {
			return nil, err
		}
		byName := map[string]newsroom.LegalEntity{}
		for _, e := range existing {
			byName[e.Name] = e
		}
		for i := range list {
			e := &list[i]
			if old, ok := byName[e.Name]; ok {
				e.ID, e.CreatedAt = old.ID, old.CreatedAt
				if err := s.updateLegalEntity(ctx, tx, e, now); err != nil {
					return nil, fmt.Errorf("row %d: %w", i+1, err)
				}
				ch.Before = append(ch.Before, old)
			} else {
				e.ID = 0
				if err := s.insertLegalEntity(ctx, tx, e, now); err != nil {
					return nil, fmt.Errorf("row %d: %w", i+1, err)
				}
			}
			ch.After = append(ch.After, *e)
		}
		return []string{LegalRegistryKey}, bumpLegalVersion(ctx, tx)
	})
	if err != nil {
		return newsroom.LegalEntityChange{}, fmt.Errorf("import legal entities: %w", err)
	}
	return ch, nil
}

func bumpLegalVersion(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, "UPDATE legal_registry SET version = version + 1 WHERE id = 1")
	return err
}

// LegalRegistryVersion returns a number that grows with every registry
// write.
func (s *Store) LegalRegistryVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := s.rdb.QueryRowContext(ctx, "SELECT version FROM legal_registry WHERE id = 1").Scan(&v); err != nil {
		return 0, fmt.Errorf("legal registry version: %w", err)
	}
	return v, nil
}

// ArticleIDsAfter returns up to limit article ids greater than after,
// ascending.
func (s *Store) ArticleIDsAfter(ctx context.Context, after int64, limit int) ([]int64, error) {
	if limit <= 0 {
		limit = 100
	}
	var out []int64
	err := eachRow(ctx, s.rdb, "SELECT id FROM articles WHERE id > $1 ORDER BY id LIMIT $2",
		[]any{after, limit}, func(r *sql.Rows) error {
			var id int64
			if err := r.Scan(&id); err != nil {
				return err
			}
			out = append(out, id)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("article ids: %w", err)
	}
	return out, nil
}

// UpdateRendered writes the rendered fields of a (HeadlineHTML,
// StandfirstHTML, BodyHTML, the lead image with its CaptionHTML, and
// LegalMarks) if the stored revision is still a.Revision, without bumping
// the revision or any time. A moved revision is a Conflict on "revision";
// an unknown article is NotFound. It reports the article's change keys.
func (s *Store) UpdateRendered(ctx context.Context, a *newsroom.Article) error {
	err := s.inTx(ctx, func(tx *sql.Tx, now time.Time) ([]string, error) {
		lead, _, marks, err := articleJSON(a)
		if err != nil {
			return nil, err
		}
		res, err := tx.ExecContext(ctx, `UPDATE articles SET headline_html = $1, standfirst_html = $2,
			body_html = $3, lead_image = $4, legal_marks = $5 WHERE id = $6 AND revision = $7`,
			a.HeadlineHTML, a.StandfirstHTML, a.BodyHTML, lead, marks, a.ID, a.Revision)
		if err != nil {
			return nil, err
		}
		if n, err := res.RowsAffected(); err != nil {
			return nil, err
		} else if n == 0 {
			if err := s.articleExists(ctx, tx, a.ID); err != nil {
				return nil, err
			}
			return nil, newsroom.Errorf(newsroom.Conflict, "revision", "the article was saved since revision %d", a.Revision)
		}
		return newsroom.ArticleKeys(a), nil
	})
	if err != nil {
		return fmt.Errorf("update rendered: %w", err)
	}
	return nil
}

// writeLegalExclusions replaces the article's per-article switches with
// a.LegalExclusions, stamping new ones with now. Called by CreateArticle
// and UpdateArticle in their transaction.
func (s *Store) writeLegalExclusions(ctx context.Context, tx *sql.Tx, a *newsroom.Article, now time.Time) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM article_legal_exclusions WHERE article_id = $1", a.ID); err != nil {
		return err
	}
	for i := range a.LegalExclusions {
		x := &a.LegalExclusions[i]
		if x.At.IsZero() {
			x.At = now
		}
		x.At = normTime(x.At)
		var by any
		if x.By != 0 {
			by = x.By
		}
		var name string
		err := tx.QueryRowContext(ctx, "SELECT name FROM legal_entities WHERE id = $1", x.EntityID).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			return newsroom.Errorf(newsroom.Invalid, "legal_exclusions", "no legal entity %d", x.EntityID)
		}
		if err != nil {
			return err
		}
		x.Entity = name
		_, err = tx.ExecContext(ctx, `INSERT INTO article_legal_exclusions (article_id, entity_id,
			entity_name, reason, by_user, at) VALUES ($1, $2, $3, $4, $5, $6)`,
			a.ID, x.EntityID, x.Entity, x.Reason, by, s.d.timeArg(x.At))
		if s.d.isForeignKey(err) {
			return newsroom.Errorf(newsroom.Invalid, "legal_exclusions", "unknown user %d", x.By)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
