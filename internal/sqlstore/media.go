package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/newsroom"
)

var _ newsroom.MediaStore = (*Store)(nil)

const mediaCols = `id, hash, original_name, type, ext, width, height, sizes, caption, credit,
	source_name, source_url, licence, alt, uploaded_by, uploaded_at, description`

const (
	defaultMediaLimit = 40
	maxMediaWords     = 8 // words of a media search that count
)

func scanMedia(r interface{ Scan(...any) error }) (newsroom.MediaItem, error) {
	var m newsroom.MediaItem
	var sizes string
	var by sql.NullInt64
	err := r.Scan(&m.ID, &m.Hash, &m.OriginalName, &m.Type, &m.Ext, &m.Width, &m.Height, &sizes,
		&m.Caption, &m.Credit, &m.SourceName, &m.SourceURL, &m.Licence, &m.Alt, &by, scanTime(&m.UploadedAt), &m.Description)
	if err != nil {
		return m, err
	}
	m.UploadedBy = by.Int64
	m.Sizes, err = parseSizes(sizes)
	return m, err
}

func formatSizes(sizes []int) string {
	parts := make([]string, len(sizes))
	for i, w := range sizes {
		parts[i] = strconv.Itoa(w)
	}
	return strings.Join(parts, ",")
}

func parseSizes(s string) ([]int, error) {
	var out []int
	for _, p := range strings.Split(s, ",") {
		if p == "" {
			continue
		}
		w, err := strconv.Atoi(p)
		if err != nil {
			return nil, fmt.Errorf("stored sizes %q: %w", s, err)
		}
		out = append(out, w)
	}
	return out, nil
}

// CreateMedia stores a new media item and sets its ID and UploadedAt. An
// item with the same hash is a Conflict on "file"; an unknown uploader is
// Invalid on "uploaded_by".
func (s *Store) CreateMedia(ctx context.Context, m *newsroom.MediaItem) error {
	if err := m.Validate(); err != nil {
		return fmt.Errorf("create media: %w", err)
	}
	var by any
	if m.UploadedBy != 0 {
		by = m.UploadedBy
	}
	err := s.inTx(ctx, func(tx *sql.Tx, now time.Time) ([]string, error) {
		err := tx.QueryRowContext(ctx, `INSERT INTO media (hash, original_name, type, ext, width, height,
			sizes, caption, credit, source_name, source_url, licence, alt, uploaded_by, uploaded_at, description)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
			m.Hash, m.OriginalName, m.Type, m.Ext, m.Width, m.Height, formatSizes(m.Sizes),
			m.Caption, m.Credit, m.SourceName, m.SourceURL, m.Licence, m.Alt, by, s.d.timeArg(now), m.Description).Scan(&m.ID)
		switch {
		case s.d.isUnique(err):
			return nil, newsroom.Errorf(newsroom.Conflict, "file", "this image is already in the library")
		case s.d.isForeignKey(err):
			return nil, newsroom.Errorf(newsroom.Invalid, "uploaded_by", "unknown user %d", m.UploadedBy)
		case err != nil:
			return nil, err
		}
		m.UploadedAt = now
		return nil, nil // nothing public shows an item until an article uses it
	})
	if err != nil {
		m.ID = 0
		return fmt.Errorf("create media: %w", err)
	}
	return nil
}

// MediaByID returns the media item with id or a NotFound error.
func (s *Store) MediaByID(ctx context.Context, id int64) (*newsroom.MediaItem, error) {
	m, err := s.mediaWhere(ctx, "id = $1", id)
	if err != nil {
		return nil, fmt.Errorf("media by id: %w", err)
	}
	return m, nil
}

// MediaByHash returns the media item with the content hash or NotFound.
func (s *Store) MediaByHash(ctx context.Context, hash string) (*newsroom.MediaItem, error) {
	m, err := s.mediaWhere(ctx, "hash = $1", hash)
	if err != nil {
		return nil, fmt.Errorf("media by hash: %w", err)
	}
	return m, nil
}

func (s *Store) mediaWhere(ctx context.Context, cond string, arg any) (*newsroom.MediaItem, error) {
	m, err := scanMedia(s.rdb.QueryRowContext(ctx, "SELECT "+mediaCols+" FROM media WHERE "+cond, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("image")
	}
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// FindMedia returns one page of media items, newest first, and the total.
// Query words must each appear (ignoring case) in the caption, credit,
// source name, licence, alt text or original file name.
func (s *Store) FindMedia(ctx context.Context, f newsroom.MediaFilter) ([]newsroom.MediaItem, int, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = defaultMediaLimit
	}
	limit = min(limit, maxLimit)
	offset := max(f.Offset, 0)
	var conds []string
	var args []any
	words := strings.Fields(f.Query)
	if len(words) > maxMediaWords {
		words = words[:maxMediaWords]
	}
	for _, w := range words {
		args = append(args, "%"+likeEscaper.Replace(w)+"%")
		p := fmt.Sprintf("$%d", len(args))
		var ors []string
		for _, col := range []string{"caption", "credit", "source_name", "licence", "alt", "original_name"} {
			ors = append(ors, col+" "+s.d.like+" "+p+` ESCAPE '\'`)
		}
		conds = append(conds, "("+strings.Join(ors, " OR ")+")")
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	var total int
	if err := s.rdb.QueryRowContext(ctx, "SELECT count(*) FROM media"+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("find media: %w", err)
	}
	var out []newsroom.MediaItem
	q := fmt.Sprintf("SELECT %s FROM media%s ORDER BY uploaded_at DESC, id DESC LIMIT %d OFFSET %d", mediaCols, where, limit, offset)
	err := eachRow(ctx, s.rdb, q, args, func(r *sql.Rows) error {
		m, err := scanMedia(r)
		out = append(out, m)
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("find media: %w", err)
	}
	return out, total, nil
}

// likeEscaper escapes LIKE wildcards so that query words match literally.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// UpdateMediaText changes the caption, credit, source, licence, alt
// text and description of media item m.ID. Articles keep the text they were given when the
// image was chosen, so nothing public changes. NotFound if there is none.
func (s *Store) UpdateMediaText(ctx context.Context, m *newsroom.MediaItem) error {
	if err := m.ValidateText(); err != nil {
		return fmt.Errorf("update media: %w", err)
	}
	err := s.inTx(ctx, func(tx *sql.Tx, _ time.Time) ([]string, error) {
		return nil, execOne(ctx, tx, "image", `UPDATE media SET caption = $1, credit = $2, source_name = $3,
			source_url = $4, licence = $5, alt = $6, description = $7 WHERE id = $8`,
			m.Caption, m.Credit, m.SourceName, m.SourceURL, m.Licence, m.Alt, m.Description, m.ID)
	})
	if err != nil {
		return fmt.Errorf("update media: %w", err)
	}
	return nil
}
