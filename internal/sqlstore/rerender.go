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

// Durable re-render jobs (newsroom.RerenderJobs): rows of rerender_jobs.
// Their writes announce no change: no page shows them. Reads go to the
// primary, since a job written a moment ago by another node must be seen.

var _ newsroom.RerenderJobs = (*Store)(nil)

const rerenderCols = `id, reason, entities, all_articles, status, last_id, total, scanned, affected, updated, skipped,
	error, created_at, started_at, finished_at`

func scanRerender(row interface{ Scan(...any) error }) (*newsroom.RerenderJob, error) {
	var j newsroom.RerenderJob
	var entities, status string
	err := row.Scan(&j.ID, &j.Reason, &entities, &j.All, &status, &j.LastID, &j.Total, &j.Scanned, &j.Affected,
		&j.Updated, &j.Skipped, &j.Error, scanTime(&j.CreatedAt), scanTime(&j.StartedAt), scanTime(&j.FinishedAt))
	if err != nil {
		return nil, err
	}
	j.Status = newsroom.RerenderStatus(status)
	if err := unmarshalList(entities, &j.Entities); err != nil {
		return nil, fmt.Errorf("re-render job %d entities: %w", j.ID, err)
	}
	return &j, nil
}

// EnqueueRerender stores j as a new pending job.
func (s *Store) EnqueueRerender(ctx context.Context, j *newsroom.RerenderJob) error {
	entities, err := marshalList(j.Entities)
	if err != nil {
		return fmt.Errorf("enqueue re-render: %w", err)
	}
	now := s.stamp()
	err = s.wdb.QueryRowContext(ctx, `INSERT INTO rerender_jobs (reason, entities, all_articles, status, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		j.Reason, entities, j.All, string(newsroom.RerenderPending), s.d.timeArg(now)).Scan(&j.ID)
	if err != nil {
		return fmt.Errorf("enqueue re-render: %w", err)
	}
	j.Status, j.CreatedAt = newsroom.RerenderPending, now
	return nil
}

// ClaimRerender returns the oldest unfinished job, marked running; a
// pending one takes in the later pending jobs.
func (s *Store) ClaimRerender(ctx context.Context, now time.Time) (*newsroom.RerenderJob, error) {
	var out *newsroom.RerenderJob
	err := s.inTx(ctx, func(tx *sql.Tx, _ time.Time) ([]string, error) {
		rows, err := tx.QueryContext(ctx, "SELECT "+rerenderCols+` FROM rerender_jobs
			WHERE status IN ('pending', 'running') ORDER BY id LIMIT 100`)
		if err != nil {
			return nil, err
		}
		var jobs []*newsroom.RerenderJob
		for rows.Next() {
			j, err := scanRerender(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			jobs = append(jobs, j)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if len(jobs) == 0 {
			return nil, nil
		}
		j := jobs[0]
		out = j
		if j.Status == newsroom.RerenderRunning {
			return nil, nil // resumed after j.LastID
		}
		var merged []any
		reasons := []string{j.Reason}
		for _, o := range jobs[1:] {
			if o.Status != newsroom.RerenderPending {
				continue
			}
			j.Entities = append(j.Entities, o.Entities...)
			j.All = j.All || o.All
			reasons = append(reasons, o.Reason)
			merged = append(merged, o.ID)
		}
		j.Reason = strings.Join(reasons, "; ")
		j.Status, j.StartedAt = newsroom.RerenderRunning, normTime(now)
		entities, err := marshalList(j.Entities)
		if err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE rerender_jobs SET reason = $1, entities = $2, all_articles = $3,
			status = $4, started_at = $5 WHERE id = $6`,
			j.Reason, entities, j.All, string(j.Status), s.d.timeArg(j.StartedAt), j.ID); err != nil {
			return nil, err
		}
		if len(merged) > 0 {
			if _, err := tx.ExecContext(ctx, "DELETE FROM rerender_jobs WHERE id IN ("+placeholders(1, len(merged))+")", merged...); err != nil {
				return nil, err
			}
		}
		return nil, nil
	})
	if err != nil {
		return nil, fmt.Errorf("claim re-render: %w", err)
	}
	return out, nil
}

// SaveRerender writes j's status, progress, counts, error and finish time.
func (s *Store) SaveRerender(ctx context.Context, j *newsroom.RerenderJob) error {
	var finished any
	if !j.FinishedAt.IsZero() {
		finished = s.d.timeArg(normTime(j.FinishedAt))
	}
	res, err := s.wdb.ExecContext(ctx, `UPDATE rerender_jobs SET status = $1, last_id = $2, total = $3, scanned = $4,
		affected = $5, updated = $6, skipped = $7, error = $8, finished_at = $9 WHERE id = $10`,
		string(j.Status), j.LastID, j.Total, j.Scanned, j.Affected, j.Updated, j.Skipped, j.Error, finished, j.ID)
	if err != nil {
		return fmt.Errorf("save re-render job %d: %w", j.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("save re-render job %d: %w", j.ID, err)
	} else if n == 0 {
		return notFound("re-render job")
	}
	return nil
}

// RerenderState returns the newest job and whether any is unfinished.
func (s *Store) RerenderState(ctx context.Context) (*newsroom.RerenderJob, bool, error) {
	j, err := scanRerender(s.wdb.QueryRowContext(ctx, "SELECT "+rerenderCols+" FROM rerender_jobs ORDER BY id DESC LIMIT 1"))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("re-render state: %w", err)
	}
	var one int
	err = s.wdb.QueryRowContext(ctx, "SELECT 1 FROM rerender_jobs WHERE status IN ('pending', 'running') LIMIT 1").Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return j, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("re-render state: %w", err)
	}
	return j, true, nil
}
