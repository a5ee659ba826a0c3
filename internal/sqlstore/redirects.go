package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"newsdesk/internal/newsroom"
)

var _ newsroom.RedirectStore = (*Store)(nil)

// keyRedirects is the change key of every redirect write: cached
// redirects (and, as for every change, cached 404s) drop.
const keyRedirects = "redirects"

// maxRedirectHops bounds the walk that looks for loops.
const maxRedirectHops = 32

const redirectCols = "id, from_key, to_path, status, source, created_at"

func scanRedirect(r interface{ Scan(...any) error }) (newsroom.Redirect, error) {
	var x newsroom.Redirect
	err := r.Scan(&x.ID, &x.From, &x.To, &x.Status, &x.Source, scanTime(&x.CreatedAt))
	return x, err
}

// RedirectFor returns the redirect of the first of keys that has one.
func (s *Store) RedirectFor(ctx context.Context, keys []string) (*newsroom.Redirect, error) {
	if len(keys) == 0 {
		return nil, notFound("redirect")
	}
	args := make([]any, len(keys))
	for i, k := range keys {
		args[i] = k
	}
	found := map[string]newsroom.Redirect{}
	err := eachRow(ctx, s.rq, "SELECT "+redirectCols+" FROM redirects WHERE from_key IN ("+placeholders(1, len(keys))+")", args,
		func(r *sql.Rows) error {
			x, err := scanRedirect(r)
			found[x.From] = x
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("redirect for: %w", err)
	}
	for _, k := range keys {
		if x, ok := found[k]; ok {
			return &x, nil
		}
	}
	return nil, notFound("redirect")
}

// Redirects returns one page of redirects, newest first, and the total.
func (s *Store) Redirects(ctx context.Context, f newsroom.RedirectFilter) ([]newsroom.Redirect, int, error) {
	var where []string
	var args []any
	if q := strings.TrimSpace(f.Query); q != "" {
		args = append(args, "%"+escapeLike(q)+"%")
		n := len(args)
		where = append(where, fmt.Sprintf("(from_key %[1]s $%[2]d ESCAPE '\\' OR to_path %[1]s $%[2]d ESCAPE '\\')", s.d.like, n))
	}
	if f.Source != "" {
		args = append(args, f.Source)
		where = append(where, fmt.Sprintf("source = $%d", len(args)))
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := s.rdb.QueryRowContext(ctx, "SELECT count(*) FROM redirects"+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("redirects: %w", err)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	args = append(args, limit, max(f.Offset, 0))
	out := []newsroom.Redirect{}
	err := eachRow(ctx, s.rdb, fmt.Sprintf("SELECT "+redirectCols+" FROM redirects"+cond+" ORDER BY created_at DESC, id DESC LIMIT $%d OFFSET $%d", len(args)-1, len(args)), args,
		func(r *sql.Rows) error {
			x, err := scanRedirect(r)
			out = append(out, x)
			return err
		})
	if err != nil {
		return nil, 0, fmt.Errorf("redirects: %w", err)
	}
	return out, total, nil
}

// escapeLike escapes LIKE's wildcards (with backslash as the escape).
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// RedirectByID returns the redirect or NotFound.
func (s *Store) RedirectByID(ctx context.Context, id int64) (*newsroom.Redirect, error) {
	x, err := scanRedirect(s.rdb.QueryRowContext(ctx, "SELECT "+redirectCols+" FROM redirects WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("redirect by id: %w", notFound("redirect"))
	}
	if err != nil {
		return nil, fmt.Errorf("redirect by id: %w", err)
	}
	return &x, nil
}

// checkLoop walks from r's target through the stored redirects; coming
// back to r.From is a loop.
func checkLoop(ctx context.Context, tx *sql.Tx, r *newsroom.Redirect, field string) error {
	return checkLoopWith(ctx, tx, nil, r, field)
}

// checkLoopWith is checkLoop with the lookup prepared once for a batch
// (nil: prepared for this call).
func checkLoopWith(ctx context.Context, tx *sql.Tx, next *sql.Stmt, r *newsroom.Redirect, field string) error {
	if next == nil {
		var err error
		if next, err = tx.PrepareContext(ctx, "SELECT to_key FROM redirects WHERE from_key = $1"); err != nil {
			return err
		}
		defer next.Close()
	}
	key := r.ToKey()
	for hop := 0; key != "" && hop < maxRedirectHops; hop++ {
		if key == r.From {
			return newsroom.Errorf(newsroom.Invalid, field, "%s leads back to %s through other redirects: that would be a loop", r.To, r.From)
		}
		var to string
		err := next.QueryRowContext(ctx, key).Scan(&to)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		key = to
	}
	if key != "" {
		return newsroom.Errorf(newsroom.Invalid, field, "%s starts a chain of more than %d redirects", r.To, maxRedirectHops)
	}
	return nil
}

// insertRedirectsEach inserts rs one prepared statement at a time (SQLite:
// no round trips, and few parameters a statement) and returns the
// positions of those added.
func insertRedirectsEach(ctx context.Context, tx *sql.Tx, rs []newsroom.Redirect, at any) ([]int, error) {
	insert, err := tx.PrepareContext(ctx, `INSERT INTO redirects (from_key, to_path, to_key, status, source, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (from_key) DO NOTHING`)
	if err != nil {
		return nil, err
	}
	defer insert.Close()
	var fresh []int
	for i := range rs {
		r := &rs[i]
		res, err := insert.ExecContext(ctx, r.From, r.To, r.ToKey(), r.Status, r.Source, at)
		if err != nil {
			return nil, err
		}
		if n, err := res.RowsAffected(); err != nil {
			return nil, err
		} else if n == 1 {
			fresh = append(fresh, i)
		}
	}
	return fresh, nil
}

// insertRedirectsMulti inserts rs a few hundred rows a statement
// (PostgreSQL: one round trip each) and returns the positions of those
// added; of two with the same address the first is kept, as one at a time.
func (s *Store) insertRedirectsMulti(ctx context.Context, tx *sql.Tx, rs []newsroom.Redirect, at any) ([]int, error) {
	first := map[string]int{}
	for i := range rs {
		if _, ok := first[rs[i].From]; !ok {
			first[rs[i].From] = i
		}
	}
	var fresh []int
	const per = 500
	for start := 0; start < len(rs); start += per {
		end := min(start+per, len(rs))
		var b strings.Builder
		b.WriteString("INSERT INTO redirects (from_key, to_path, to_key, status, source, created_at) VALUES ")
		args := []any{at}
		for i := start; i < end; i++ {
			if i > start {
				b.WriteString(", ")
			}
			n := len(args)
			fmt.Fprintf(&b, "($%d, $%d, $%d, $%d, $%d, $1)", n+1, n+2, n+3, n+4, n+5)
			r := &rs[i]
			args = append(args, r.From, r.To, r.ToKey(), r.Status, r.Source)
		}
		b.WriteString(" ON CONFLICT (from_key) DO NOTHING RETURNING from_key")
		err := eachRow(ctx, tx, b.String(), args, func(rows *sql.Rows) error {
			var from string
			if err := rows.Scan(&from); err != nil {
				return err
			}
			fresh = append(fresh, first[from])
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Ints(fresh)
	return fresh, nil
}

// targetsThatRedirect returns which of the fresh redirects' targets are
// themselves stored old addresses.
func targetsThatRedirect(ctx context.Context, tx *sql.Tx, rs []newsroom.Redirect, fresh []int) (map[string]bool, error) {
	out := map[string]bool{}
	seen := map[string]bool{}
	var keys []any
	for _, i := range fresh {
		if k := rs[i].ToKey(); k != "" && !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	for len(keys) > 0 {
		chunk := keys[:min(len(keys), 500)]
		keys = keys[len(chunk):]
		err := eachRow(ctx, tx, "SELECT from_key FROM redirects WHERE from_key IN ("+placeholders(1, len(chunk))+")", chunk, func(rows *sql.Rows) error {
			var k string
			if err := rows.Scan(&k); err != nil {
				return err
			}
			out[k] = true
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CreateRedirect normalizes, checks and stores one redirect.
func (s *Store) CreateRedirect(ctx context.Context, r *newsroom.Redirect) error {
	if err := r.Normalize(); err != nil {
		return fmt.Errorf("create redirect: %w", err)
	}
	err := s.inTx(ctx, func(tx *sql.Tx, now time.Time) ([]string, error) {
		err := tx.QueryRowContext(ctx, `INSERT INTO redirects (from_key, to_path, to_key, status, source, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, r.From, r.To, r.ToKey(), r.Status, r.Source, s.d.timeArg(now)).Scan(&r.ID)
		if s.d.isUnique(err) {
			return nil, newsroom.Errorf(newsroom.Conflict, "from", "%s has a redirect already", r.From)
		}
		if err != nil {
			return nil, err
		}
		if err := checkLoop(ctx, tx, r, "to"); err != nil {
			return nil, err
		}
		r.CreatedAt = now
		return []string{keyRedirects}, nil
	})
	if err != nil {
		r.ID = 0
		return fmt.Errorf("create redirect: %w", err)
	}
	return nil
}

// UpdateRedirect changes one redirect, with the checks of CreateRedirect.
func (s *Store) UpdateRedirect(ctx context.Context, r *newsroom.Redirect) error {
	if err := r.Normalize(); err != nil {
		return fmt.Errorf("update redirect: %w", err)
	}
	err := s.inTx(ctx, func(tx *sql.Tx, _ time.Time) ([]string, error) {
		err := execOne(ctx, tx, "redirect", `UPDATE redirects SET from_key = $1, to_path = $2, to_key = $3, status = $4, source = $5 WHERE id = $6`,
			r.From, r.To, r.ToKey(), r.Status, r.Source, r.ID)
		if s.d.isUnique(err) {
			return nil, newsroom.Errorf(newsroom.Conflict, "from", "%s has a redirect already", r.From)
		}
		if err != nil {
			return nil, err
		}
		if err := checkLoop(ctx, tx, r, "to"); err != nil {
			return nil, err
		}
		return []string{keyRedirects}, tx.QueryRowContext(ctx, "SELECT created_at FROM redirects WHERE id = $1", r.ID).Scan(scanTime(&r.CreatedAt))
	})
	if err != nil {
		return fmt.Errorf("update redirect: %w", err)
	}
	return nil
}

// DeleteRedirect removes one redirect.
func (s *Store) DeleteRedirect(ctx context.Context, id int64) error {
	err := s.inTx(ctx, func(tx *sql.Tx, _ time.Time) ([]string, error) {
		return []string{keyRedirects}, execOne(ctx, tx, "redirect", "DELETE FROM redirects WHERE id = $1", id)
	})
	if err != nil {
		return fmt.Errorf("delete redirect: %w", err)
	}
	return nil
}

// AddRedirects stores many redirects in one transaction; a From that has
// a redirect already is left as it is.
func (s *Store) AddRedirects(ctx context.Context, rs []newsroom.Redirect) (int, error) {
	for i := range rs {
		if err := rs[i].Normalize(); err != nil {
			if e := newsroom.AsError(err); e != nil {
				e.Field = fmt.Sprintf("redirects[%d].%s", i, e.Field)
			}
			return 0, fmt.Errorf("add redirects: %w", err)
		}
	}
	added := 0
	err := s.inTx(ctx, func(tx *sql.Tx, now time.Time) ([]string, error) {
		added = 0
		at := s.d.timeArg(now)
		var fresh []int
		var err error
		if s.d.name == "postgres" {
			fresh, err = s.insertRedirectsMulti(ctx, tx, rs, at)
		} else {
			fresh, err = insertRedirectsEach(ctx, tx, rs, at)
		}
		if err != nil {
			return nil, err
		}
		for _, i := range fresh {
			rs[i].CreatedAt = now
		}
		added = len(fresh)
		// Loops are looked for once every row is in, so that a loop made
		// within the batch is found too. Only a redirect whose target is
		// itself an old address (rare) needs the walk.
		next, err := tx.PrepareContext(ctx, "SELECT to_key FROM redirects WHERE from_key = $1")
		if err != nil {
			return nil, err
		}
		defer next.Close()
		walk, err := targetsThatRedirect(ctx, tx, rs, fresh)
		if err != nil {
			return nil, err
		}
		for _, i := range fresh {
			if !walk[rs[i].ToKey()] && rs[i].ToKey() != rs[i].From {
				continue
			}
			if err := checkLoopWith(ctx, tx, next, &rs[i], fmt.Sprintf("redirects[%d].to", i)); err != nil {
				return nil, err
			}
		}
		if added == 0 {
			return nil, nil
		}
		return []string{keyRedirects}, nil
	})
	if err != nil {
		return 0, fmt.Errorf("add redirects: %w", err)
	}
	return added, nil
}
