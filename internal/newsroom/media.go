package newsroom

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// MediaWidths are the widths (in pixels) every uploaded image is rendered
// at, once, when it is uploaded. An image narrower than a width is not
// enlarged to it; its own width is used as the largest instead.
var MediaWidths = []int{480, 960, 1600}

// MediaDefaultWidth is the width an <img src> points at; the browser picks
// another from srcset when it knows better.
const MediaDefaultWidth = 960

// MediaItem is one image in the media library: the uploaded original
// (kept privately, never served) and its renditions at Sizes widths,
// re-encoded without metadata.
type MediaItem struct {
	ID int64 `json:"id"`
	// Hash is the hex SHA-256 of the uploaded bytes. The same file uploaded
	// twice is one item.
	Hash         string `json:"hash"`
	OriginalName string `json:"original_name"`
	// Type is the detected type of the original: image/jpeg, image/png,
	// image/webp or image/gif.
	Type string `json:"type"`
	// Ext is the format of the served renditions: "jpg" or "png".
	Ext string `json:"ext"`
	// Width and Height are the original's, after EXIF orientation.
	Width  int `json:"width"`
	Height int `json:"height"`
	// Sizes are the rendition widths available, ascending.
	Sizes      []int  `json:"sizes"`
	Caption    string `json:"caption"`
	Credit     string `json:"credit"`
	SourceName string `json:"source_name"`
	SourceURL  string `json:"source_url"`
	Licence    string `json:"licence"`
	Alt        string `json:"alt"`
	// Description is a longer note on the picture, for the library only.
	Description string    `json:"description,omitempty"`
	UploadedBy  int64     `json:"uploaded_by"`
	UploadedAt  time.Time `json:"uploaded_at"`
}

var hashRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

// ValidHash reports whether h is a lower-case hex SHA-256.
func ValidHash(h string) bool { return hashRE.MatchString(h) }

// MediaKey is where the rendition of the image with hash at width lives
// in public media storage; it is served at "/media/" + MediaKey. Names are
// content-addressed, so a name never changes what it holds.
func MediaKey(hash string, width int, ext string) string {
	return "i/" + hash[:2] + "/" + hash + "-" + strconv.Itoa(width) + "." + ext
}

// URL returns the public path of the rendition at width.
func (m *MediaItem) URL(width int) string { return "/media/" + MediaKey(m.Hash, width, m.Ext) }

// DefaultWidth is the largest available width not over MediaDefaultWidth
// (or the smallest width, if all are larger).
func (m *MediaItem) DefaultWidth() int {
	if len(m.Sizes) == 0 {
		return 0
	}
	best := m.Sizes[0]
	for _, w := range m.Sizes {
		if w <= MediaDefaultWidth && w > best {
			best = w
		}
	}
	return best
}

// HeightAt is the height of the rendition at width, keeping the aspect ratio.
func (m *MediaItem) HeightAt(width int) int {
	if m.Width == 0 {
		return 0
	}
	return (m.Height*width + m.Width/2) / m.Width
}

// Srcset returns the srcset attribute value listing every rendition.
func (m *MediaItem) Srcset() string {
	parts := make([]string, len(m.Sizes))
	for i, w := range m.Sizes {
		parts[i] = m.URL(w) + " " + strconv.Itoa(w) + "w"
	}
	return strings.Join(parts, ", ")
}

// Image returns the item as an article's image: src at the default width,
// every width in Srcset, the default rendition's dimensions, and the
// library's caption, credit, source and alt text.
func (m *MediaItem) Image() *Image {
	w := m.DefaultWidth()
	return &Image{
		MediaID:    m.ID,
		URL:        m.URL(w),
		Srcset:     m.Srcset(),
		Width:      w,
		Height:     m.HeightAt(w),
		Caption:    m.Caption,
		Credit:     m.Credit,
		SourceName: m.SourceName,
		SourceURL:  m.SourceURL,
		Alt:        m.Alt,
	}
}

// Limits on media item text fields, in characters.
const (
	MaxMediaCaption = 1000
	MaxMediaShort   = 300 // credit, source name, licence, original name
	MaxMediaAlt     = 500
	// MaxMediaDescription bounds a picture's description.
	MaxMediaDescription = 5000
)

// NormalizeText trims the item's text fields.
func (m *MediaItem) NormalizeText() {
	for _, p := range []*string{&m.Caption, &m.Credit, &m.SourceName, &m.SourceURL, &m.Licence, &m.Alt, &m.OriginalName, &m.Description} {
		*p = strings.TrimSpace(*p)
	}
}

// ValidateText trims and checks the fields staff may edit. Errors are
// Invalid and name the field.
func (m *MediaItem) ValidateText() error {
	m.NormalizeText()
	for _, f := range []struct {
		field, value string
		max          int
	}{
		{"caption", m.Caption, MaxMediaCaption},
		{"credit", m.Credit, MaxMediaShort},
		{"source_name", m.SourceName, MaxMediaShort},
		{"source_url", m.SourceURL, MaxMediaShort},
		{"licence", m.Licence, MaxMediaShort},
		{"alt", m.Alt, MaxMediaAlt},
		{"description", m.Description, MaxMediaDescription},
		{"original_name", m.OriginalName, MaxMediaShort},
	} {
		if utf8.RuneCountInString(f.value) > f.max {
			return Errorf(Invalid, f.field, "%s is longer than %d characters", strings.ReplaceAll(f.field, "_", " "), f.max)
		}
	}
	if m.SourceURL != "" && !SafeURL(m.SourceURL) {
		return Errorf(Invalid, "source_url", "source link must be an http or https address")
	}
	return nil
}

// Validate checks a new item: its text fields and what the upload made.
func (m *MediaItem) Validate() error {
	if err := m.ValidateText(); err != nil {
		return err
	}
	if !ValidHash(m.Hash) {
		return Errorf(Invalid, "hash", "hash must be a hex SHA-256")
	}
	if m.Ext != "jpg" && m.Ext != "png" {
		return Errorf(Invalid, "ext", "renditions must be jpg or png")
	}
	if m.Width <= 0 || m.Height <= 0 || len(m.Sizes) == 0 {
		return Errorf(Invalid, "sizes", "an image needs dimensions and at least one rendition")
	}
	return nil
}

// MediaFilter selects a page of the media library, newest first.
type MediaFilter struct {
	Query  string // words in the caption, credit, source, alt or file name
	Limit  int    // 0 means 40
	Offset int
}

// MediaStore keeps the media library's records (the files live in media
// storage, see package media).
type MediaStore interface {
	// CreateMedia stores a new item and sets ID and UploadedAt. An item
	// with the same Hash is a Conflict on "file".
	CreateMedia(ctx context.Context, m *MediaItem) error
	// MediaByID returns the item or a NotFound error.
	MediaByID(ctx context.Context, id int64) (*MediaItem, error)
	// MediaByHash returns the item with that content hash or NotFound.
	MediaByHash(ctx context.Context, hash string) (*MediaItem, error)
	// FindMedia returns one page of items, newest first, and the total.
	FindMedia(ctx context.Context, f MediaFilter) ([]MediaItem, int, error)
	// UpdateMediaText changes caption, credit, source, licence and alt of
	// the item m.ID; other fields are ignored. NotFound if there is none.
	UpdateMediaText(ctx context.Context, m *MediaItem) error
}

// MediaFinder looks library pictures up by id and by content hash.
type MediaFinder interface {
	MediaByID(ctx context.Context, id int64) (*MediaItem, error)
	MediaByHash(ctx context.Context, hash string) (*MediaItem, error)
}

// libraryRenditionRE matches the address of a media library rendition and
// captures the picture's content hash.
var libraryRenditionRE = regexp.MustCompile(`^/media/i/[0-9a-f]{2}/([0-9a-f]{64})-[0-9]+\.(?:jpg|png)$`)

// CompleteLibraryImage completes a lead image that comes from the media
// library, named by its id (MediaID, no URL) or by the address of one of
// its renditions: the address at the default width, every width for
// srcset, the dimensions, and, where img leaves them empty, the library's
// alt text, caption, credit and source. Any other address is not the
// library's picture (MediaID is cleared). A library address or id the
// library does not have is a NotFound error.
func CompleteLibraryImage(ctx context.Context, find MediaFinder, img *Image) error {
	var m *MediaItem
	var err error
	match := libraryRenditionRE.FindStringSubmatch(img.URL)
	switch {
	case match != nil:
		m, err = find.MediaByHash(ctx, match[1])
	case img.MediaID != 0 && img.URL == "":
		m, err = find.MediaByID(ctx, img.MediaID)
	default:
		img.MediaID = 0 // not (or no longer) a library picture
		return nil
	}
	if err != nil {
		return err
	}
	lib := m.Image()
	img.MediaID, img.URL, img.Srcset, img.Width, img.Height = m.ID, lib.URL, lib.Srcset, lib.Width, lib.Height
	for _, f := range []struct {
		dst *string
		src string
	}{
		{&img.Alt, lib.Alt}, {&img.Caption, lib.Caption}, {&img.Credit, lib.Credit},
		{&img.SourceName, lib.SourceName}, {&img.SourceURL, lib.SourceURL},
	} {
		if *f.dst == "" {
			*f.dst = f.src
		}
	}
	return nil
}
