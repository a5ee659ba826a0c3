package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"newsdesk/internal/newsroom"
)

// AddViewDetail adds hourly and source counts in one transaction. Like
// AddViews it announces nothing. Rows are written in one order (article,
// then hour; hour; day, then source), so nodes flushing the same hot
// stories at once wait for each other instead of deadlocking. Old hours
// are dropped by TrimViewHours, once per cluster, not by every flush.
func (s *Store) AddViewDetail(ctx context.Context, hourly map[newsroom.HourKey]int, sources map[newsroom.SourceKey]int) error {
	if len(hourly) == 0 && len(sources) == 0 {
		return nil
	}
	err := s.inTx(ctx, func(tx *sql.Tx, _ time.Time) ([]string, error) {
		var ids []any
		seen := map[int64]bool{}
		for k, n := range hourly {
			if n > 0 && !seen[k.ArticleID] {
				seen[k.ArticleID] = true
				ids = append(ids, k.ArticleID)
			}
		}
		// Only articles that still exist: a view of one deleted since is
		// dropped rather than failing the batch.
		live := map[int64]bool{}
		for start := 0; start < len(ids); start += 500 {
			chunk := ids[start:min(start+500, len(ids))]
			err := eachRow(ctx, tx, "SELECT id FROM articles WHERE id IN ("+placeholders(1, len(chunk))+")", chunk,
				func(r *sql.Rows) error {
					var id int64
					if err := r.Scan(&id); err != nil {
						return err
					}
					live[id] = true
					return nil
				})
			if err != nil {
				return nil, err
			}
		}
		keys := make([]newsroom.HourKey, 0, len(hourly))
		for k, n := range hourly {
			if n > 0 && live[k.ArticleID] {
				keys = append(keys, k)
			}
		}
		slices.SortFunc(keys, func(a, b newsroom.HourKey) int {
			return cmp.Or(cmp.Compare(a.ArticleID, b.ArticleID), a.Hour.Compare(b.Hour))
		})
		for start := 0; start < len(keys); start += viewBatch {
			chunk := keys[start:min(start+viewBatch, len(keys))]
			var b strings.Builder
			args := make([]any, 0, 3*len(chunk))
			for i, k := range chunk {
				if i > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "($%d, $%d, $%d)", 3*i+1, 3*i+2, 3*i+3)
				args = append(args, k.ArticleID, s.d.timeArg(normTime(k.Hour.Truncate(time.Hour))), hourly[k])
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO article_views_hourly (article_id, hour, count) VALUES `+b.String()+`
				ON CONFLICT (article_id, hour) DO UPDATE SET count = article_views_hourly.count + excluded.count`, args...); err != nil {
				return nil, fmt.Errorf("hourly: %w", err)
			}
		}
		totals := map[time.Time]int{}
		for _, k := range keys {
			totals[k.Hour.Truncate(time.Hour)] += hourly[k]
		}
		for _, h := range slices.SortedFunc(maps.Keys(totals), time.Time.Compare) {
			if _, err := tx.ExecContext(ctx, `INSERT INTO view_hour_totals (hour, count) VALUES ($1, $2)
				ON CONFLICT (hour) DO UPDATE SET count = view_hour_totals.count + excluded.count`,
				s.d.timeArg(normTime(h)), totals[h]); err != nil {
				return nil, fmt.Errorf("hour totals: %w", err)
			}
		}
		srcKeys := slices.SortedFunc(maps.Keys(sources), func(a, b newsroom.SourceKey) int {
			return cmp.Or(a.Day.Compare(b.Day), strings.Compare(a.Source, b.Source))
		})
		for _, k := range srcKeys {
			n := sources[k]
			if n <= 0 {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO view_sources (day, source, count) VALUES ($1, $2, $3)
				ON CONFLICT (day, source) DO UPDATE SET count = view_sources.count + excluded.count`,
				dayArg(k.Day), k.Source, n); err != nil {
				return nil, fmt.Errorf("sources: %w", err)
			}
		}
		return nil, nil
	})
	if err != nil {
		return fmt.Errorf("add view detail: %w", err)
	}
	return nil
}

// TrimViewHours drops the hourly counts (per article and the totals)
// of the hours before before, and says how many rows went. One node runs
// it for the cluster (the "view history" lease), every hour.
func (s *Store) TrimViewHours(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx, _ time.Time) ([]string, error) {
		for _, table := range []string{"article_views_hourly", "view_hour_totals"} {
			res, err := tx.ExecContext(ctx, "DELETE FROM "+table+" WHERE hour < $1", s.d.timeArg(normTime(before)))
			if err != nil {
				return nil, err
			}
			k, err := res.RowsAffected()
			if err != nil {
				return nil, err
			}
			n += k
		}
		return nil, nil
	})
	if err != nil {
		return 0, fmt.Errorf("trim view hours: %w", err)
	}
	return n, nil
}

// HourlyViews returns the hourly counts in [from, to) of ids (nil: all).
func (s *Store) HourlyViews(ctx context.Context, from, to time.Time, ids []int64) ([]newsroom.HourCount, error) {
	args := []any{s.d.timeArg(normTime(from)), s.d.timeArg(normTime(to))}
	in := ""
	if ids != nil {
		if len(ids) == 0 {
			return []newsroom.HourCount{}, nil
		}
		for _, id := range ids {
			args = append(args, id)
		}
		in = " AND article_id IN (" + placeholders(3, len(ids)) + ")"
	}
	out, err := s.hourCounts(ctx, `SELECT article_id, hour, count FROM article_views_hourly WHERE hour >= $1 AND hour < $2`+in+`
		ORDER BY hour, article_id`, true, args...)
	if err != nil {
		return nil, fmt.Errorf("hourly views: %w", err)
	}
	return out, nil
}

// HourlyTotals returns all articles' views per hour in [from, to).
func (s *Store) HourlyTotals(ctx context.Context, from, to time.Time) ([]newsroom.HourCount, error) {
	out, err := s.hourCounts(ctx, `SELECT 0, hour, count FROM view_hour_totals WHERE hour >= $1 AND hour < $2
		ORDER BY hour`, true, s.d.timeArg(normTime(from)), s.d.timeArg(normTime(to)))
	if err != nil {
		return nil, fmt.Errorf("hourly totals: %w", err)
	}
	return out, nil
}

// HourlySums returns each article's views from since on, most first.
func (s *Store) HourlySums(ctx context.Context, since time.Time, ids []int64, limit int) ([]newsroom.HourCount, error) {
	args := []any{s.d.timeArg(normTime(since))}
	in := ""
	if ids != nil {
		if len(ids) == 0 {
			return []newsroom.HourCount{}, nil
		}
		for _, id := range ids {
			args = append(args, id)
		}
		in = " AND article_id IN (" + placeholders(2, len(ids)) + ")"
	}
	args = append(args, max(limit, 1))
	out, err := s.hourCounts(ctx, `SELECT article_id, sum(count) AS n FROM article_views_hourly WHERE hour >= $1`+in+`
		GROUP BY article_id ORDER BY n DESC, article_id LIMIT $`+fmt.Sprint(len(args)), false, args...)
	if err != nil {
		return nil, fmt.Errorf("hourly sums: %w", err)
	}
	return out, nil
}

// hourCounts reads rows of (article id, [hour,] count).
func (s *Store) hourCounts(ctx context.Context, q string, withHour bool, args ...any) ([]newsroom.HourCount, error) {
	out := []newsroom.HourCount{}
	err := eachRow(ctx, s.rdb, q, args, func(r *sql.Rows) error {
		var h newsroom.HourCount
		var err error
		if withHour {
			err = r.Scan(&h.ArticleID, scanTime(&h.Hour), &h.Count)
		} else {
			err = r.Scan(&h.ArticleID, &h.Count)
		}
		if err != nil {
			return err
		}
		out = append(out, h)
		return nil
	})
	return out, err
}

// dayCounts runs q, whose rows are (YYYY-MM-DD text, key, count).
func (s *Store) dayCounts(ctx context.Context, q string, args ...any) ([]newsroom.DayCount, error) {
	out := []newsroom.DayCount{}
	err := eachRow(ctx, s.rdb, q, args, func(r *sql.Rows) error {
		var day, key string
		var n int
		if err := r.Scan(&day, &key, &n); err != nil {
			return err
		}
		t, err := time.Parse(time.DateOnly, day)
		if err != nil {
			return err
		}
		out = append(out, newsroom.DayCount{Day: t, Key: key, Count: n})
		return nil
	})
	return out, err
}

// DailyViews returns one article's views per day from since on.
func (s *Store) DailyViews(ctx context.Context, articleID int64, since time.Time) ([]newsroom.DayCount, error) {
	out, err := s.dayCounts(ctx, "SELECT "+s.d.dateText("day")+", 'views', count FROM article_views WHERE article_id = $1 AND day >= $2 ORDER BY day",
		articleID, dayArg(since))
	if err != nil {
		return nil, fmt.Errorf("daily views: %w", err)
	}
	return out, nil
}

// ViewSources returns arrivals per day and source from since on.
func (s *Store) ViewSources(ctx context.Context, since time.Time) ([]newsroom.DayCount, error) {
	out, err := s.dayCounts(ctx, "SELECT "+s.d.dateText("day")+", source, count FROM view_sources WHERE day >= $1 ORDER BY day, source", dayArg(since))
	if err != nil {
		return nil, fmt.Errorf("view sources: %w", err)
	}
	return out, nil
}

// ReportDays counts error reports opened and fixed per UTC day from since
// on, and returns how long each one fixed since then took.
func (s *Store) ReportDays(ctx context.Context, since time.Time) ([]newsroom.DayCount, []time.Duration, error) {
	at := s.d.timeArg(normTime(since))
	fixed := []any{string(newsroom.ReportFixed), string(newsroom.ReportFixedByEdit)}
	out, err := s.dayCounts(ctx, `SELECT d, k, count(*) FROM (
		SELECT `+s.d.dayOf("created_at")+` AS d, 'opened' AS k FROM error_reports WHERE created_at >= $1
		UNION ALL
		SELECT `+s.d.dayOf("resolved_at")+`, 'fixed' FROM error_reports WHERE resolved_at >= $1 AND status IN ($2, $3)
	) x GROUP BY d, k ORDER BY d, k`, append([]any{at}, fixed...)...)
	if err != nil {
		return nil, nil, fmt.Errorf("report days: %w", err)
	}
	var took []time.Duration
	err = eachRow(ctx, s.rdb, `SELECT created_at, resolved_at FROM error_reports WHERE resolved_at >= $1 AND status IN ($2, $3)`,
		append([]any{at}, fixed...), func(r *sql.Rows) error {
			var c, f time.Time
			if err := r.Scan(scanTime(&c), scanTime(&f)); err != nil {
				return err
			}
			took = append(took, f.Sub(c))
			return nil
		})
	if err != nil {
		return nil, nil, fmt.Errorf("report days: %w", err)
	}
	return out, took, nil
}

// CommentDays counts comments per UTC day of posting by their status now.
func (s *Store) CommentDays(ctx context.Context, since time.Time) ([]newsroom.DayCount, error) {
	out, err := s.dayCounts(ctx, "SELECT "+s.d.dayOf("created_at")+" AS d, status, count(*) FROM comments WHERE created_at >= $1 GROUP BY d, status ORDER BY d, status",
		s.d.timeArg(normTime(since)))
	if err != nil {
		return nil, fmt.Errorf("comment days: %w", err)
	}
	return out, nil
}
