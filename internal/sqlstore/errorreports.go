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

var _ newsroom.ErrorReportStore = (*Store)(nil)

const reportCols = `r.id, r.article_id, r.revision, r.part, r.place, r.exact, r.prefix, r.suffix,
	r.before_text, r.after_text, r.status, r.reporters, r.created_at, r.updated_at,
	r.resolved_at, r.resolved_by`

func scanReport(sc interface{ Scan(...any) error }, extra ...any) (*newsroom.ErrorReport, error) {
	var (
		r              newsroom.ErrorReport
		part, status   string
		resolvedBy     sql.NullInt64
		before, after  string
		exact, pre, sf string
	)
	dest := append([]any{&r.ID, &r.ArticleID, &r.Revision, &part, &r.Place, &exact, &pre, &sf,
		&before, &after, &status, &r.Count, scanTime(&r.CreatedAt), scanTime(&r.UpdatedAt),
		scanTime(&r.ResolvedAt), &resolvedBy}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	r.Part, r.Status, r.ResolvedBy = newsroom.TextPart(part), newsroom.ReportStatus(status), resolvedBy.Int64
	r.Exact, r.Prefix, r.Suffix, r.Before, r.After = exact, pre, sf, before, after
	return &r, nil
}

// FileErrorReport merges s into the open report of the same article and
// place, or stores a new one. See newsroom.ErrorReportStore.
func (s *Store) FileErrorReport(ctx context.Context, r *newsroom.ErrorReport, sg *newsroom.ReportSuggestion) (bool, error) {
	if err := r.CheckLocated(); err != nil {
		return false, fmt.Errorf("file error report: %w", err)
	}
	var merged bool
	var err error
	// Two first reports of one place may race on PostgreSQL; the unique
	// index lets one win and the other merges on the next try.
	for try := 0; try < 3; try++ {
		merged, err = s.fileErrorReport(ctx, r, sg)
		if err == nil || !s.d.isUnique(err) {
			break
		}
	}
	if err != nil {
		return false, fmt.Errorf("file error report: %w", err)
	}
	return merged, nil
}

func (s *Store) fileErrorReport(ctx context.Context, r *newsroom.ErrorReport, sg *newsroom.ReportSuggestion) (bool, error) {
	merged := false
	err := s.inTx(ctx, func(tx *sql.Tx, now time.Time) ([]string, error) {
		if err := s.articleExists(ctx, tx, r.ArticleID); err != nil {
			return nil, err
		}
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM error_reports
			WHERE article_id = $1 AND place = $2 AND status = 'open'`+s.d.forUpdate,
			r.ArticleID, r.Place).Scan(&id)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			err = tx.QueryRowContext(ctx, `INSERT INTO error_reports (article_id, revision, part, place,
				exact, prefix, suffix, before_text, after_text, status, reporters, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', 1, $10, $10) RETURNING id`,
				r.ArticleID, r.Revision, string(r.Part), r.Place, r.Exact, r.Prefix, r.Suffix,
				r.Before, r.After, s.d.timeArg(now)).Scan(&id)
			if err != nil {
				return nil, err
			}
		case err != nil:
			return nil, err
		default:
			merged = true
			newReader := 1
			if sg.IP != "" {
				var seen int
				err := tx.QueryRowContext(ctx, `SELECT count(*) FROM error_report_entries
					WHERE report_id = $1 AND ip = $2`, id, sg.IP).Scan(&seen)
				if err != nil {
					return nil, err
				}
				if seen > 0 {
					newReader = 0
				}
			}
			if _, err := tx.ExecContext(ctx, `UPDATE error_reports SET reporters = reporters + $1,
				updated_at = $2 WHERE id = $3`, newReader, s.d.timeArg(now), id); err != nil {
				return nil, err
			}
		}
		var email, ip any
		if sg.Email != "" {
			email = sg.Email
		}
		if sg.IP != "" {
			ip = sg.IP
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO error_report_entries (report_id, suggestion,
			comment, email, ip, created_at, digested) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			id, sg.Text, sg.Comment, email, ip, s.d.timeArg(now), false).Scan(&sg.ID); err != nil {
			return nil, err
		}
		sg.CreatedAt = now
		stored, err := scanReport(tx.QueryRowContext(ctx, "SELECT "+reportCols+" FROM error_reports r WHERE r.id = $1", id))
		if err != nil {
			return nil, err
		}
		*r = *stored
		return nil, nil
	})
	return merged, err
}

// ErrorReportByID returns a report with its suggestions, or NotFound.
func (s *Store) ErrorReportByID(ctx context.Context, id int64) (*newsroom.ErrorReport, error) {
	r, err := scanReport(s.rdb.QueryRowContext(ctx, "SELECT "+reportCols+" FROM error_reports r WHERE r.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("error report by id: %w", notFound("error report"))
	}
	if err != nil {
		return nil, fmt.Errorf("error report by id: %w", err)
	}
	if err := s.loadSuggestions(ctx, []*newsroom.ErrorReport{r}); err != nil {
		return nil, fmt.Errorf("error report by id: %w", err)
	}
	return r, nil
}

// FindErrorReports returns one page of reports with their suggestions and
// the total count: open reports first, then the most recently reported.
func (s *Store) FindErrorReports(ctx context.Context, f newsroom.ErrorReportFilter) ([]*newsroom.ErrorReport, int, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, maxLimit)
	var conds []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if f.Status != "" {
		conds = append(conds, "r.status = "+arg(string(f.Status)))
	}
	if f.ArticleID != 0 {
		conds = append(conds, "r.article_id = "+arg(f.ArticleID))
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	var total int
	if err := s.rdb.QueryRowContext(ctx, "SELECT count(*) FROM error_reports r"+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("find error reports: %w", err)
	}
	list := []*newsroom.ErrorReport{}
	if total == 0 || f.Offset >= total {
		return list, total, nil
	}
	q := "SELECT " + reportCols + " FROM error_reports r" + where +
		" ORDER BY CASE WHEN r.status = 'open' THEN 0 ELSE 1 END, r.updated_at DESC, r.id DESC LIMIT " +
		arg(limit) + " OFFSET " + arg(max(f.Offset, 0))
	err := eachRow(ctx, s.rdb, q, args, func(rows *sql.Rows) error {
		r, err := scanReport(rows)
		if err != nil {
			return err
		}
		list = append(list, r)
		return nil
	})
	if err == nil {
		err = s.loadSuggestions(ctx, list)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("find error reports: %w", err)
	}
	return list, total, nil
}

// loadSuggestions fills the reports' suggestions, oldest first.
func (s *Store) loadSuggestions(ctx context.Context, list []*newsroom.ErrorReport) error {
	if len(list) == 0 {
		return nil
	}
	args := make([]any, len(list))
	byID := map[int64]*newsroom.ErrorReport{}
	for i, r := range list {
		args[i] = r.ID
		byID[r.ID] = r
		r.Suggestions = []newsroom.ReportSuggestion{}
	}
	return eachRow(ctx, s.rdb, `SELECT report_id, id, suggestion, comment, email, ip, created_at
		FROM error_report_entries WHERE report_id IN (`+placeholders(1, len(args))+`) ORDER BY id`,
		args, func(rows *sql.Rows) error {
			var rid int64
			var sg newsroom.ReportSuggestion
			var email, ip sql.NullString
			if err := rows.Scan(&rid, &sg.ID, &sg.Text, &sg.Comment, &email, &ip, scanTime(&sg.CreatedAt)); err != nil {
				return err
			}
			sg.Email, sg.IP = email.String, ip.String
			r := byID[rid]
			r.Suggestions = append(r.Suggestions, sg)
			return nil
		})
}

// CountErrorReports counts reports with the status.
func (s *Store) CountErrorReports(ctx context.Context, status newsroom.ReportStatus) (int, error) {
	var n int
	if err := s.rdb.QueryRowContext(ctx, "SELECT count(*) FROM error_reports WHERE status = $1", string(status)).Scan(&n); err != nil {
		return 0, fmt.Errorf("count error reports: %w", err)
	}
	return n, nil
}

// ResolveErrorReport sets a report's status. Leaving "open" forgets the
// reporters' IP addresses, and their e-mail addresses too unless the error
// was fixed (they are told, then forgotten). Reopening a report whose place
// has another open report is a Conflict.
func (s *Store) ResolveErrorReport(ctx context.Context, id int64, status newsroom.ReportStatus, by int64) error {
	if err := status.Check(); err != nil {
		return fmt.Errorf("resolve error report: %w", err)
	}
	err := s.inTx(ctx, func(tx *sql.Tx, now time.Time) ([]string, error) {
		var resolvedAt, resolvedBy any
		if status != newsroom.ReportOpen {
			resolvedAt = s.d.timeArg(now)
			if by != 0 {
				resolvedBy = by
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE error_reports SET status = $1, resolved_at = $2,
			resolved_by = $3, updated_at = $4 WHERE id = $5`,
			string(status), resolvedAt, resolvedBy, s.d.timeArg(now), id)
		if s.d.isUnique(err) {
			return nil, newsroom.Errorf(newsroom.Conflict, "status", "another open report covers the same place")
		}
		if err != nil {
			return nil, err
		}
		if n, err := res.RowsAffected(); err != nil {
			return nil, err
		} else if n == 0 {
			return nil, notFound("error report")
		}
		if status != newsroom.ReportOpen {
			set := "ip = NULL"
			if !status.IsFixed() {
				set += ", email = NULL"
			}
			if _, err := tx.ExecContext(ctx, "UPDATE error_report_entries SET "+set+" WHERE report_id = $1", id); err != nil {
				return nil, err
			}
		}
		return nil, nil
	})
	if err != nil {
		return fmt.Errorf("resolve error report: %w", err)
	}
	return nil
}

// MoveErrorReport re-anchors an open report to place in revision. If
// another open report already holds that place, the two merge into it.
func (s *Store) MoveErrorReport(ctx context.Context, id int64, revision int, place string) error {
	err := s.inTx(ctx, func(tx *sql.Tx, now time.Time) ([]string, error) {
		var other int64
		err := tx.QueryRowContext(ctx, `SELECT r.id FROM error_reports r JOIN error_reports me ON me.id = $1
			WHERE r.article_id = me.article_id AND r.place = $2 AND r.status = 'open' AND r.id <> $1`,
			id, place).Scan(&other)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, execOne(ctx, tx, "open error report", `UPDATE error_reports SET revision = $1, place = $2
				WHERE id = $3 AND status = 'open'`, revision, place, id)
		}
		if err != nil {
			return nil, err
		}
		// Merge into the other: its reporters, then the entries.
		if _, err := tx.ExecContext(ctx, `UPDATE error_reports SET reporters = reporters +
			(SELECT reporters FROM error_reports WHERE id = $1), revision = $2, updated_at = $3 WHERE id = $4`,
			id, revision, s.d.timeArg(now), other); err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE error_report_entries SET report_id = $1 WHERE report_id = $2", other, id); err != nil {
			return nil, err
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM error_reports WHERE id = $1", id)
		return nil, err
	})
	if err != nil {
		return fmt.Errorf("move error report: %w", err)
	}
	return nil
}

// BlockReporters puts the addresses that sent a report on the blocklist.
func (s *Store) BlockReporters(ctx context.Context, reportID int64) (int, error) {
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx, now time.Time) ([]string, error) {
		res, err := tx.ExecContext(ctx, `INSERT INTO error_report_blocks (ip, created_at)
			SELECT DISTINCT ip, CAST($1 AS `+s.d.timeType+`) FROM error_report_entries WHERE report_id = $2 AND ip IS NOT NULL
			ON CONFLICT (ip) DO NOTHING`, s.d.timeArg(now), reportID)
		if err != nil {
			return nil, err
		}
		n, err = res.RowsAffected()
		return nil, err
	})
	if err != nil {
		return 0, fmt.Errorf("block reporters: %w", err)
	}
	return int(n), nil
}

// IPBlocked reports whether ip is on the blocklist.
func (s *Store) IPBlocked(ctx context.Context, ip string) (bool, error) {
	var one int
	err := s.rdb.QueryRowContext(ctx, "SELECT 1 FROM error_report_blocks WHERE ip = $1", ip).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("ip blocked: %w", err)
	}
	return true, nil
}

// UndigestedReports lists readers' reports not yet sent in a digest.
func (s *Store) UndigestedReports(ctx context.Context, limit int) ([]newsroom.DigestItem, error) {
	var out []newsroom.DigestItem
	err := eachRow(ctx, s.rdb, `SELECT `+reportCols+`, e.id, e.suggestion, e.comment, e.created_at, a.headline
		FROM error_report_entries e JOIN error_reports r ON r.id = e.report_id
		JOIN articles a ON a.id = r.article_id
		WHERE e.digested = $1 ORDER BY e.id LIMIT $2`, []any{false, max(limit, 1)},
		func(rows *sql.Rows) error {
			var it newsroom.DigestItem
			r, err := scanReport(rows, &it.Suggestion.ID, &it.Suggestion.Text, &it.Suggestion.Comment,
				scanTime(&it.Suggestion.CreatedAt), &it.Headline)
			if err != nil {
				return err
			}
			it.Report, it.SuggestionID = *r, it.Suggestion.ID
			out = append(out, it)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("undigested reports: %w", err)
	}
	return out, nil
}

// MarkDigested records that the suggestions were sent in a digest.
func (s *Store) MarkDigested(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	args := []any{true}
	for _, id := range ids {
		args = append(args, id)
	}
	_, err := s.wdb.ExecContext(ctx, "UPDATE error_report_entries SET digested = $1 WHERE id IN ("+
		placeholders(2, len(ids))+")", args...)
	if err != nil {
		return fmt.Errorf("mark digested: %w", err)
	}
	return nil
}

// ReaderNotices lists readers waiting to hear that their report was fixed.
func (s *Store) ReaderNotices(ctx context.Context, limit int) ([]newsroom.ReaderNotice, error) {
	var out []newsroom.ReaderNotice
	err := eachRow(ctx, s.rdb, `SELECT `+reportCols+`, e.id, e.email, a.headline
		FROM error_report_entries e JOIN error_reports r ON r.id = e.report_id
		JOIN articles a ON a.id = r.article_id
		WHERE e.email IS NOT NULL AND r.status IN ('fixed', 'fixed_by_edit') ORDER BY e.id LIMIT $1`,
		[]any{max(limit, 1)}, func(rows *sql.Rows) error {
			var n newsroom.ReaderNotice
			r, err := scanReport(rows, &n.SuggestionID, &n.Email, &n.Headline)
			if err != nil {
				return err
			}
			n.Report = *r
			out = append(out, n)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("reader notices: %w", err)
	}
	return out, nil
}

// ForgetReporterEmail deletes the e-mail address of one suggestion.
func (s *Store) ForgetReporterEmail(ctx context.Context, suggestionID int64) error {
	if _, err := s.wdb.ExecContext(ctx, "UPDATE error_report_entries SET email = NULL WHERE id = $1", suggestionID); err != nil {
		return fmt.Errorf("forget reporter e-mail: %w", err)
	}
	return nil
}
