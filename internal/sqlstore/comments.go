package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"newsdesk/internal/newsroom"
)

var _ newsroom.CommentStore = (*Store)(nil)

const commentCols = `c.id, c.article_id, c.parent_id, c.depth, c.status, c.name, c.email,
	c.website, c.body, c.body_html, c.ip, c.user_agent, c.user_id, c.staff, c.author_key,
	c.created_at, c.updated_at, c.status_at`

func scanComment(r interface{ Scan(...any) error }) (*newsroom.Comment, error) {
	var (
		c              newsroom.Comment
		status         string
		parent, userID sql.NullInt64
	)
	err := r.Scan(&c.ID, &c.ArticleID, &parent, &c.Depth, &status, &c.Name, &c.Email,
		&c.Website, &c.Body, &c.BodyHTML, &c.IP, &c.UserAgent, &userID, &c.Staff, &c.AuthorKey,
		scanTime(&c.CreatedAt), scanTime(&c.UpdatedAt), scanTime(&c.StatusAt))
	if err != nil {
		return nil, err
	}
	c.Status = newsroom.CommentStatus(status)
	c.ParentID, c.UserID = parent.Int64, userID.Int64
	return &c, nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// CreateComment stores c and sets its ID, CreatedAt, UpdatedAt and
// StatusAt. An approved comment counts on its article at once, and the
// article's pages are reported changed. An unknown article is NotFound; an
// unknown parent is Invalid on "parent_id".
func (s *Store) CreateComment(ctx context.Context, c *newsroom.Comment) error {
	if err := c.Status.Check(); err != nil {
		return fmt.Errorf("create comment: %w", err)
	}
	err := s.inTx(ctx, func(tx *sql.Tx, now time.Time) ([]string, error) {
		if err := s.articleExists(ctx, tx, c.ArticleID); err != nil {
			return nil, err
		}
		if c.ParentID != 0 {
			var one int
			err := tx.QueryRowContext(ctx, "SELECT 1 FROM comments WHERE id = $1", c.ParentID).Scan(&one)
			if errors.Is(err, sql.ErrNoRows) {
				return nil, newsroom.Errorf(newsroom.Invalid, "parent_id", "the comment you are replying to does not exist")
			}
			if err != nil {
				return nil, err
			}
		}
		if err := s.insertedComment(tx.QueryRowContext(ctx, insertCommentSQL, s.commentArgs(c, now)...), c, now); err != nil {
			return nil, err
		}
		return s.countApproved(ctx, tx, c)
	})
	if err != nil {
		return fmt.Errorf("create comment: %w", err)
	}
	return nil
}

// insertCommentSQL stores a comment; commentArgs are its arguments.
const insertCommentSQL = `INSERT INTO comments (article_id, parent_id, depth, status,
	name, email, website, body, body_html, ip, user_agent, user_id, staff, author_key,
	created_at, updated_at, status_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $15)
	RETURNING id`

func (s *Store) commentArgs(c *newsroom.Comment, at time.Time) []any {
	return []any{c.ArticleID, nullID(c.ParentID), c.Depth, string(c.Status), c.Name, c.Email, c.Website,
		c.Body, c.BodyHTML, c.IP, c.UserAgent, nullID(c.UserID), c.Staff, c.AuthorKey, s.d.timeArg(at)}
}

// insertedComment reads the id insertCommentSQL returned into c and dates
// it at. An unknown user is Invalid on "user_id".
func (s *Store) insertedComment(row *sql.Row, c *newsroom.Comment, at time.Time) error {
	err := row.Scan(&c.ID)
	if s.d.isForeignKey(err) {
		return newsroom.Errorf(newsroom.Invalid, "user_id", "unknown user %d", c.UserID)
	}
	if err != nil {
		return err
	}
	c.CreatedAt, c.UpdatedAt, c.StatusAt = at, at, at
	return nil
}

// countApproved counts a new comment on its article if it is approved,
// and returns the article's change keys.
func (s *Store) countApproved(ctx context.Context, tx *sql.Tx, c *newsroom.Comment) ([]string, error) {
	if c.Status != newsroom.CommentApproved {
		return nil, nil
	}
	return s.bump(ctx, tx, map[int64]int{c.ArticleID: 1})
}

// bump adds each delta to its article's comment_count and returns the
// cache keys of the articles' pages. An increment, unlike a recount, stays
// right when concurrent transactions change the same article: the row lock
// makes each one add to the value the previous one committed.
func (s *Store) bump(ctx context.Context, tx *sql.Tx, deltas map[int64]int) ([]string, error) {
	ids := make([]int64, 0, len(deltas))
	for id := range deltas {
		ids = append(ids, id)
	}
	slices.Sort(ids) // one lock order for every writer
	var keys []string
	for _, id := range ids {
		if d := deltas[id]; d != 0 {
			if _, err := tx.ExecContext(ctx, "UPDATE articles SET comment_count = comment_count + $1 WHERE id = $2", d, id); err != nil {
				return nil, fmt.Errorf("count comments: %w", err)
			}
		}
		list, err := s.queryArticles(ctx, tx, false, " WHERE a.id = $1", id)
		if err != nil {
			return nil, err
		}
		if len(list) == 1 {
			keys = append(keys, newsroom.CommentKeys(list[0])...)
		}
	}
	return keys, nil
}

// CommentByID returns one comment or a NotFound error.
func (s *Store) CommentByID(ctx context.Context, id int64) (*newsroom.Comment, error) {
	c, err := scanComment(s.rdb.QueryRowContext(ctx, "SELECT "+commentCols+" FROM comments c WHERE c.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("comment by id: %w", notFound("comment"))
	}
	if err != nil {
		return nil, fmt.Errorf("comment by id: %w", err)
	}
	return c, nil
}

// CommentsByID returns the comments with those ids that exist, in no order.
func (s *Store) CommentsByID(ctx context.Context, ids []int64) ([]*newsroom.Comment, error) {
	out := []*newsroom.Comment{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	err := eachRow(ctx, s.rdb, "SELECT "+commentCols+" FROM comments c WHERE c.id IN ("+placeholders(1, len(ids))+")", args,
		func(rows *sql.Rows) error {
			c, err := scanComment(rows)
			if err == nil {
				out = append(out, c)
			}
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("comments by id: %w", err)
	}
	return out, nil
}

// FindComments returns one page of comments matching f and the total count.
func (s *Store) FindComments(ctx context.Context, f newsroom.CommentFilter) ([]*newsroom.Comment, int, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 5000)
	var conds []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if f.Status != "" {
		conds = append(conds, "c.status = "+arg(string(f.Status)))
	}
	if f.ArticleID != 0 {
		conds = append(conds, "c.article_id = "+arg(f.ArticleID))
	}
	if !f.Since.IsZero() {
		conds = append(conds, "c.created_at > "+arg(s.d.timeArg(normTime(f.Since))))
	}
	if !f.Until.IsZero() {
		conds = append(conds, "c.created_at <= "+arg(s.d.timeArg(normTime(f.Until))))
	}
	for _, w := range commentWords(f.Query) {
		p := arg("%" + likeEscape(w) + "%")
		conds = append(conds, fmt.Sprintf(`(c.name %[1]s %[2]s ESCAPE '\' OR c.email %[1]s %[2]s ESCAPE '\' OR c.website %[1]s %[2]s ESCAPE '\' OR c.body %[1]s %[2]s ESCAPE '\' OR c.ip = %[3]s)`,
			s.d.like, p, arg(w)))
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	var total int
	if err := s.rdb.QueryRowContext(ctx, "SELECT count(*) FROM comments c"+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("find comments: %w", err)
	}
	out := []*newsroom.Comment{}
	if total == 0 || f.Offset >= total {
		return out, total, nil
	}
	order := " ORDER BY c.created_at DESC, c.id DESC"
	if f.OldestFirst {
		order = " ORDER BY c.created_at, c.id"
	}
	q := "SELECT " + commentCols + " FROM comments c" + where + order +
		" LIMIT " + arg(limit) + " OFFSET " + arg(max(f.Offset, 0))
	err := eachRow(ctx, s.rdb, q, args, func(rows *sql.Rows) error {
		c, err := scanComment(rows)
		if err == nil {
			out = append(out, c)
		}
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("find comments: %w", err)
	}
	return out, total, nil
}

// CountComments returns how many comments have each status (every status
// is present, zero included).
func (s *Store) CountComments(ctx context.Context) (map[newsroom.CommentStatus]int, error) {
	out := map[newsroom.CommentStatus]int{}
	for _, st := range newsroom.CommentStatuses {
		out[st] = 0
	}
	err := eachRow(ctx, s.rdb, "SELECT status, count(*) FROM comments GROUP BY status", nil, func(rows *sql.Rows) error {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return err
		}
		out[newsroom.CommentStatus(st)] = n
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("count comments: %w", err)
	}
	return out, nil
}

// CountCommentsWith returns how many comments have status, counted on the
// comments_status index alone.
func (s *Store) CountCommentsWith(ctx context.Context, status newsroom.CommentStatus) (int, error) {
	if err := status.Check(); err != nil {
		return 0, fmt.Errorf("count comments: %w", err)
	}
	var n int
	if err := s.rdb.QueryRowContext(ctx, "SELECT count(*) FROM comments WHERE status = $1", string(status)).Scan(&n); err != nil {
		return 0, fmt.Errorf("count comments: %w", err)
	}
	return n, nil
}

// SetCommentStatus moves the comments to status and returns how many
// changed. The comment counts of articles whose approved comments changed
// move in the same transaction, and their pages are reported changed.
func (s *Store) SetCommentStatus(ctx context.Context, ids []int64, status newsroom.CommentStatus) (int, error) {
	if err := status.Check(); err != nil {
		return 0, fmt.Errorf("set comment status: %w", err)
	}
	changed := 0
	err := s.inTx(ctx, func(tx *sql.Tx, now time.Time) ([]string, error) {
		changed = 0
		deltas := map[int64]int{}
		for _, id := range ids {
			var articleID int64
			var old string
			err := tx.QueryRowContext(ctx, "SELECT article_id, status FROM comments WHERE id = $1"+s.d.forUpdate, id).Scan(&articleID, &old)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return nil, err
			}
			if old == string(status) {
				continue
			}
			if _, err := tx.ExecContext(ctx, "UPDATE comments SET status = $1, status_at = $2 WHERE id = $3",
				string(status), s.d.timeArg(now), id); err != nil {
				return nil, err
			}
			changed++
			switch {
			case status == newsroom.CommentApproved:
				deltas[articleID]++
			case old == string(newsroom.CommentApproved):
				deltas[articleID]--
			}
		}
		return s.bump(ctx, tx, deltas)
	})
	if err != nil {
		return 0, fmt.Errorf("set comment status: %w", err)
	}
	return changed, nil
}

// UpdateComment replaces the name, e-mail, website, body and body HTML of a
// stored comment and sets UpdatedAt, or returns NotFound. When the comment
// is approved the article's pages are reported changed.
func (s *Store) UpdateComment(ctx context.Context, c *newsroom.Comment) error {
	err := s.inTx(ctx, func(tx *sql.Tx, now time.Time) ([]string, error) {
		var articleID int64
		var status string
		err := tx.QueryRowContext(ctx, "SELECT article_id, status FROM comments WHERE id = $1"+s.d.forUpdate, c.ID).Scan(&articleID, &status)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("comment")
		}
		if err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE comments SET name = $1, email = $2, website = $3,
			body = $4, body_html = $5, updated_at = $6 WHERE id = $7`,
			c.Name, c.Email, c.Website, c.Body, c.BodyHTML, s.d.timeArg(now), c.ID); err != nil {
			return nil, err
		}
		c.UpdatedAt, c.ArticleID, c.Status = now, articleID, newsroom.CommentStatus(status)
		if c.Status != newsroom.CommentApproved {
			return nil, nil
		}
		return s.bump(ctx, tx, map[int64]int{articleID: 0})
	})
	if err != nil {
		return fmt.Errorf("update comment: %w", err)
	}
	return nil
}

// PurgeComments deletes the comments that went to the trash before the
// given time; replies to them lose their parent link.
func (s *Store) PurgeComments(ctx context.Context, before time.Time) (int, error) {
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx, _ time.Time) ([]string, error) {
		res, err := tx.ExecContext(ctx, "DELETE FROM comments WHERE status = 'trash' AND status_at < $1",
			s.d.timeArg(normTime(before)))
		if err != nil {
			return nil, err
		}
		n, err = res.RowsAffected()
		return nil, err
	})
	if err != nil {
		return 0, fmt.Errorf("purge comments: %w", err)
	}
	return int(n), nil
}

// HasApprovedComment reports whether an approved comment carries this
// e-mail address (compared without regard to case).
func (s *Store) HasApprovedComment(ctx context.Context, email string) (bool, error) {
	if email == "" {
		return false, nil
	}
	var one int
	err := s.rdb.QueryRowContext(ctx, "SELECT 1 FROM comments WHERE email = $1 AND status = 'approved' LIMIT 1",
		newsroom.NormalizeEmail(email)).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("has approved comment: %w", err)
	}
	return true, nil
}

// LastCommentAt returns when the newest comment from ip was made, or the
// zero time.
func (s *Store) LastCommentAt(ctx context.Context, ip string) (time.Time, error) {
	var t time.Time
	err := s.rdb.QueryRowContext(ctx, "SELECT created_at FROM comments WHERE ip = $1 ORDER BY created_at DESC LIMIT 1", ip).Scan(scanTime(&t))
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("last comment at: %w", err)
	}
	return t, nil
}

// commentWords splits a moderator's search into at most eight clean words.
func commentWords(q string) []string {
	q = strings.ReplaceAll(strings.ToValidUTF8(q, " "), "\x00", " ")
	words := strings.Fields(q)
	if len(words) > 8 {
		words = words[:8]
	}
	for i, w := range words {
		if r := []rune(w); len(r) > 100 {
			words[i] = string(r[:100])
		}
	}
	return words
}

// likeEscape escapes LIKE wildcards with a backslash.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
