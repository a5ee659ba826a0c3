package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
)

// lookup loads one row with find (fullArticle, pageWhere, ...) and prefixes
// its error, NotFound included, with what was looked up.
func lookup[T any](ctx context.Context, what string, find func(context.Context, queryer, string, ...any) (T, error), q queryer, cond string, args ...any) (T, error) {
	v, err := find(ctx, q, cond, args...)
	if err != nil {
		var zero T
		return zero, fmt.Errorf("%s: %w", what, err)
	}
	return v, nil
}

// unmarshalList decodes a JSON array, leaving *dst nil when it is empty.
func unmarshalList[T any](s string, dst *[]T) error {
	if s == "" || s == "[]" || s == "null" {
		*dst = nil
		return nil
	}
	if err := json.Unmarshal([]byte(s), dst); err != nil {
		return err
	}
	if len(*dst) == 0 {
		*dst = nil
	}
	return nil
}

// marshalList encodes a slice as a JSON array ("[]" when empty).
func marshalList[T any](v []T) (string, error) {
	if len(v) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(v)
	return string(b), err
}

// eachRow runs a query and calls fn for every row.
func eachRow(ctx context.Context, q queryer, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return rows.Close()
}
