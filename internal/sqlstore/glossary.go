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

// keyGlossary is the change key of the glossary (no public page shows it).
const keyGlossary = "glossary"

// GlossaryEntries lists every entry, by its first form.
func (s *Store) GlossaryEntries(ctx context.Context) ([]newsroom.GlossaryEntry, error) {
	out := []newsroom.GlossaryEntry{}
	err := eachRow(ctx, s.rdb, "SELECT id, forms, note, created_at, updated_at FROM glossary", nil, func(r *sql.Rows) error {
		e, err := scanGlossary(r)
		if err != nil {
			return err
		}
		out = append(out, *e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("glossary: %w", err)
	}
	newsroom.SortGlossary(out)
	return out, nil
}

type scanner interface{ Scan(dest ...any) error }

func scanGlossary(r scanner) (*newsroom.GlossaryEntry, error) {
	var e newsroom.GlossaryEntry
	var forms string
	if err := r.Scan(&e.ID, &forms, &e.Note, scanTime(&e.CreatedAt), scanTime(&e.UpdatedAt)); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(forms), &e.Forms); err != nil {
		return nil, fmt.Errorf("glossary entry %d forms: %w", e.ID, err)
	}
	return &e, nil
}

// GlossaryEntry returns one entry or a NotFound error.
func (s *Store) GlossaryEntry(ctx context.Context, id int64) (*newsroom.GlossaryEntry, error) {
	e, err := scanGlossary(s.rdb.QueryRowContext(ctx, "SELECT id, forms, note, created_at, updated_at FROM glossary WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("glossary entry: %w", notFound("glossary entry"))
	}
	if err != nil {
		return nil, fmt.Errorf("glossary entry: %w", err)
	}
	return e, nil
}

// CreateGlossaryEntry validates and stores a new entry, setting its ID and
// times.
func (s *Store) CreateGlossaryEntry(ctx context.Context, e *newsroom.GlossaryEntry) error {
	e.Normalize()
	if err := e.Validate(); err != nil {
		return fmt.Errorf("create glossary entry: %w", err)
	}
	forms, err := json.Marshal(e.Forms)
	if err != nil {
		return err
	}
	err = s.inTx(ctx, func(tx *sql.Tx, now time.Time) ([]string, error) {
		if err := tx.QueryRowContext(ctx, `INSERT INTO glossary (forms, note, created_at, updated_at)
			VALUES ($1, $2, $3, $4) RETURNING id`, string(forms), e.Note, s.d.timeArg(now), s.d.timeArg(now)).Scan(&e.ID); err != nil {
			return nil, err
		}
		e.CreatedAt, e.UpdatedAt = now, now
		return []string{keyGlossary}, nil
	})
	if err != nil {
		return fmt.Errorf("create glossary entry: %w", err)
	}
	return nil
}

// UpdateGlossaryEntry replaces an entry's forms and note.
func (s *Store) UpdateGlossaryEntry(ctx context.Context, e *newsroom.GlossaryEntry) error {
	e.Normalize()
	if err := e.Validate(); err != nil {
		return fmt.Errorf("update glossary entry: %w", err)
	}
	forms, err := json.Marshal(e.Forms)
	if err != nil {
		return err
	}
	err = s.inTx(ctx, func(tx *sql.Tx, now time.Time) ([]string, error) {
		res, err := tx.ExecContext(ctx, "UPDATE glossary SET forms = $1, note = $2, updated_at = $3 WHERE id = $4",
			string(forms), e.Note, s.d.timeArg(now), e.ID)
		if err != nil {
			return nil, err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return nil, cmpErr(err, notFound("glossary entry"))
		}
		e.UpdatedAt = now
		return []string{keyGlossary}, nil
	})
	if err != nil {
		return fmt.Errorf("update glossary entry: %w", err)
	}
	return nil
}

// DeleteGlossaryEntry removes an entry.
func (s *Store) DeleteGlossaryEntry(ctx context.Context, id int64) error {
	err := s.inTx(ctx, func(tx *sql.Tx, now time.Time) ([]string, error) {
		res, err := tx.ExecContext(ctx, "DELETE FROM glossary WHERE id = $1", id)
		if err != nil {
			return nil, err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return nil, cmpErr(err, notFound("glossary entry"))
		}
		return []string{keyGlossary}, nil
	})
	if err != nil {
		return fmt.Errorf("delete glossary entry: %w", err)
	}
	return nil
}

// cmpErr returns err if it is not nil, else fallback.
func cmpErr(err, fallback error) error {
	if err != nil {
		return err
	}
	return fallback
}
