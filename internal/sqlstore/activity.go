package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"newsdesk/internal/newsroom"
)

// RecordActivity stores one entry of the activity log and sets its ID. It
// announces nothing: no public page shows the log.
func (s *Store) RecordActivity(ctx context.Context, e *newsroom.Activity) error {
	e.Normalize()
	if err := e.Validate(); err != nil {
		return fmt.Errorf("record activity: %w", err)
	}
	err := s.wdb.QueryRowContext(ctx, `INSERT INTO activity (at, user_id, user_name, action, kind, target_id, subject, detail)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		s.d.timeArg(normTime(e.At)), e.UserID, e.UserName, string(e.Action), e.Kind, e.TargetID, e.Subject, e.Detail).Scan(&e.ID)
	if err != nil {
		return fmt.Errorf("record activity: %w", err)
	}
	return nil
}

// Activities returns one page of the activity log, newest first (by ID,
// the order entries were recorded). A query keeps entries whose subject,
// detail or user name contains every word of it.
func (s *Store) Activities(ctx context.Context, f newsroom.ActivityFilter) ([]newsroom.Activity, error) {
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	var conds []string
	if f.Action != "" {
		conds = append(conds, "action = "+arg(string(f.Action)))
	}
	if f.UserID != 0 {
		conds = append(conds, "user_id = "+arg(f.UserID))
	}
	if f.Kind != "" {
		conds = append(conds, "kind = "+arg(f.Kind))
	}
	if f.TargetID != 0 {
		conds = append(conds, "target_id = "+arg(f.TargetID))
	}
	if f.Before > 0 {
		conds = append(conds, "id < "+arg(f.Before))
	}
	for i, w := range strings.Fields(f.Query) {
		if i == 8 {
			break
		}
		p := arg("%" + likeEscape(w) + "%")
		conds = append(conds, fmt.Sprintf(`(subject %[1]s %[2]s ESCAPE '\' OR detail %[1]s %[2]s ESCAPE '\' OR user_name %[1]s %[2]s ESCAPE '\')`, s.d.like, p))
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 500)
	list := []newsroom.Activity{}
	err := eachRow(ctx, s.rdb, `SELECT id, at, user_id, user_name, action, kind, target_id, subject, detail
		FROM activity`+where+" ORDER BY id DESC LIMIT "+arg(limit), args, func(r *sql.Rows) error {
		var e newsroom.Activity
		var action string
		if err := r.Scan(&e.ID, scanTime(&e.At), &e.UserID, &e.UserName, &action, &e.Kind, &e.TargetID, &e.Subject, &e.Detail); err != nil {
			return err
		}
		e.Action = newsroom.Action(action)
		list = append(list, e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("activities: %w", err)
	}
	return list, nil
}
