// Package media turns uploaded pictures into the media library's files:
// it checks the type from the bytes (JPEG, PNG, WebP or GIF), applies the
// EXIF orientation, and re-encodes the picture at the library's widths once,
// at upload, so that what is served carries no metadata at all (no EXIF
// location). The uploaded original is kept once per content hash in
// private storage and never served. Files that are not pictures (PDF,
// audio, video: the WordPress import's) are kept as they came, their type
// checked from their first bytes. It has no HTTP: the desk calls it.
package media

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"strings"

	"github.com/disintegration/imaging"
	_ "golang.org/x/image/webp" // registers the WebP decoder with package image

	"newsdesk/internal/newsroom"
)

// DefaultMaxBytes is the largest upload accepted when Config.MaxBytes is 0.
const DefaultMaxBytes = 20 << 20

// MaxPixels bounds the decoded size of an upload (width × height), so that
// a small, highly compressed file cannot take gigabytes of memory.
const MaxPixels = 60_000_000

// JPEGQuality is the quality renditions of photographs are encoded at.
const JPEGQuality = 82

// types maps the detected content type of an accepted upload to the
// extension its original is kept under and the image package's format name.
var types = map[string]struct{ ext, format string }{
	"image/jpeg": {"jpg", "jpeg"},
	"image/png":  {"png", "png"},
	"image/webp": {"webp", "webp"},
	"image/gif":  {"gif", "gif"},
}

// Config configures a Library. Public, Originals and Store are required.
type Config struct {
	// Public holds the renditions; it is served at /media/.
	Public Storage
	// Originals holds the uploaded files exactly as they came (with their
	// metadata); nothing serves it.
	Originals Storage
	// Store keeps the library's records.
	Store newsroom.MediaStore
	// MaxBytes is the largest upload accepted; 0 means DefaultMaxBytes.
	MaxBytes int64
	// MaxFileBytes is the largest file that is not a picture PutFile
	// takes; 0 means DefaultMaxFileBytes.
	MaxFileBytes int64
	// DecodeBudget bounds the memory all pictures decoding at one moment
	// may take together, as DecodeCost estimates it from their headers; a
	// picture over it alone is refused (0 = DefaultDecodeBudget).
	DecodeBudget int64
	// Decodes is how many pictures decode at once (0 = DefaultDecodes);
	// further uploads wait their turn.
	Decodes int
}

// Library accepts uploads into the media library. It is safe for
// concurrent use.
type Library struct {
	cfg Config
	dec *decoder
}

// New returns a Library, or an error if a required part is missing.
func New(cfg Config) (*Library, error) {
	if cfg.Public == nil || cfg.Originals == nil || cfg.Store == nil {
		return nil, errors.New("media: Config needs Public, Originals and Store")
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = DefaultMaxBytes
	}
	return &Library{cfg: cfg, dec: newDecoder(cfg.DecodeBudget, cfg.Decodes)}, nil
}

// MaxBytes is the largest upload the library accepts.
func (l *Library) MaxBytes() int64 { return l.cfg.MaxBytes }

// Upload reads one picture from body and adds it to the library with the
// text fields (caption, credit, source, licence, alt) and UploadedBy of
// meta. name is the file name the uploader's computer gave it; it is kept
// for searching and never trusted for the type.
//
// If the same bytes were uploaded before, Upload returns that item and
// created is false; nothing is stored again. Only the header is read
// before the picture's decoding cost is weighed against the decoding
// budget; it then waits until it fits beside the decodes under way.
// Errors are *newsroom.Error on field "file": TooLarge over the size limit
// or the decoding budget (naming the file), Invalid for anything that is
// not a JPEG, PNG, WebP or GIF picture that decodes; text field errors
// name their field.
func (l *Library) Upload(ctx context.Context, name string, body io.Reader, meta newsroom.MediaItem) (item *newsroom.MediaItem, created bool, err error) {
	data, err := io.ReadAll(io.LimitReader(body, l.cfg.MaxBytes+1))
	if err != nil {
		return nil, false, fmt.Errorf("media: read upload: %w", err)
	}
	if int64(len(data)) > l.cfg.MaxBytes {
		return nil, false, newsroom.Errorf(newsroom.TooLarge, "file", "the file is larger than %s", formatBytes(l.cfg.MaxBytes))
	}
	sum := sha256.Sum256(data)
	hash := hex.EncodeToString(sum[:])
	if old, err := l.cfg.Store.MediaByHash(ctx, hash); err == nil {
		return old, false, nil
	} else if !newsroom.IsNotFound(err) {
		return nil, false, err
	}
	meta.OriginalName = cleanName(name)
	if err := meta.ValidateText(); err != nil {
		return nil, false, err
	}
	h, err := ReadHeader(data)
	if err != nil {
		return nil, false, err
	}
	if err := h.checkPixels(); err != nil {
		return nil, false, err
	}
	release, err := l.dec.acquire(ctx, meta.OriginalName, h)
	if err != nil {
		return nil, false, err
	}
	r, err := render(data, h)
	release()
	if err != nil {
		return nil, false, err
	}
	if err := l.cfg.Originals.Put(ctx, originalKey(hash, types[r.Type].ext), bytes.NewReader(data)); err != nil {
		return nil, false, err
	}
	for _, rd := range r.Renditions {
		key := newsroom.MediaKey(hash, rd.Width, r.Ext)
		if ok, err := l.cfg.Public.Exists(ctx, key); err != nil {
			return nil, false, err
		} else if ok {
			continue // content-addressed: already there from an earlier try
		}
		if err := l.cfg.Public.Put(ctx, key, bytes.NewReader(rd.Data)); err != nil {
			return nil, false, err
		}
	}
	m := meta
	m.ID = 0
	m.Hash, m.Type, m.Ext = hash, r.Type, r.Ext
	m.Width, m.Height = r.Width, r.Height
	m.Sizes = nil
	for _, rd := range r.Renditions {
		m.Sizes = append(m.Sizes, rd.Width)
	}
	if err := l.cfg.Store.CreateMedia(ctx, &m); err != nil {
		if newsroom.ErrorCode(err) == newsroom.Conflict { // the same file, uploaded at the same moment
			if old, err2 := l.cfg.Store.MediaByHash(ctx, hash); err2 == nil {
				return old, false, nil
			}
		}
		return nil, false, err
	}
	return &m, true, nil
}

// originalKey is where the original with hash is kept in Originals.
func originalKey(hash, ext string) string { return hash[:2] + "/" + hash + "." + ext }

// OriginalKey returns the key of an item's original in Originals storage.
func OriginalKey(m *newsroom.MediaItem) string {
	t, ok := types[m.Type]
	if !ok {
		return ""
	}
	return originalKey(m.Hash, t.ext)
}

// Rendered is a decoded upload and its encoded renditions.
type Rendered struct {
	Type          string // detected type of the original
	Ext           string // format of the renditions: "jpg" or "png"
	Width, Height int    // of the original, after EXIF orientation
	Renditions    []Rendition
}

// Rendition is the picture encoded at one width.
type Rendition struct {
	Width, Height int
	Data          []byte
}

// DetectType returns the content type of data as judged from its first
// bytes, and whether it is one the library accepts.
func DetectType(data []byte) (string, bool) {
	ct := http.DetectContentType(data)
	_, ok := types[ct]
	return ct, ok
}

// Render checks that data is an accepted picture, orients it by its EXIF
// tag, and encodes it at every width of newsroom.MediaWidths narrower than
// itself, plus its own width when it is narrower than the largest. Opaque
// pictures become JPEG; pictures with transparent pixels become PNG.
// Nothing of the original's metadata survives re-encoding. Errors are
// Invalid on field "file".
func Render(data []byte) (*Rendered, error) {
	h, err := ReadHeader(data)
	if err != nil {
		return nil, err
	}
	if err := h.checkPixels(); err != nil {
		return nil, err
	}
	return render(data, h)
}

// checkPixels refuses a picture over MaxPixels (Invalid on "file").
func (h *Header) checkPixels() error {
	if h.Width <= 0 || h.Height <= 0 || int64(h.Width)*int64(h.Height) > MaxPixels {
		return newsroom.Errorf(newsroom.Invalid, "file",
			"the image is %d×%d pixels; at most %d megapixels are accepted", h.Width, h.Height, MaxPixels/1_000_000)
	}
	return nil
}

// notAPicture is the error for data of a type the library does not take.
func notAPicture(ct string, data []byte) error {
	what := strings.TrimSpace(strings.Split(ct, ";")[0])
	if len(data) == 0 {
		what = "empty"
	}
	return newsroom.Errorf(newsroom.Invalid, "file",
		"the file must be a JPEG, PNG, WebP or GIF image (this one is %s)", what)
}

// render decodes data, whose header h was read and accepted, and encodes
// its renditions.
func render(data []byte, h *Header) (*Rendered, error) {
	ct := h.Type
	img, err := imaging.Decode(bytes.NewReader(data), imaging.AutoOrientation(true))
	if err != nil {
		return nil, newsroom.Errorf(newsroom.Invalid, "file", "the file looks like %s but cannot be read as one", ct)
	}
	b := img.Bounds()
	out := &Rendered{Type: ct, Width: b.Dx(), Height: b.Dy(), Ext: "jpg"}
	if !opaque(img) {
		out.Ext = "png"
	}
	// Largest first: each smaller width is made from the one above it,
	// which is much cheaper than going back to a 12-megapixel original.
	widths := Widths(out.Width)
	src := img
	for i := len(widths) - 1; i >= 0; i-- {
		w := widths[i]
		var dst image.Image = src
		if w != src.Bounds().Dx() {
			dst = imaging.Resize(src, w, 0, imaging.CatmullRom)
		}
		data, err := encode(dst, out.Ext)
		if err != nil {
			return nil, fmt.Errorf("media: encode %dpx: %w", w, err)
		}
		out.Renditions = append(out.Renditions, Rendition{Width: w, Height: dst.Bounds().Dy(), Data: data})
		src = dst
	}
	// Ascending, as srcset lists them.
	for i, j := 0, len(out.Renditions)-1; i < j; i, j = i+1, j-1 {
		out.Renditions[i], out.Renditions[j] = out.Renditions[j], out.Renditions[i]
	}
	return out, nil
}

// Widths returns the rendition widths for a picture w pixels wide: every
// library width narrower than w, plus w itself if it is narrower than the
// largest library width. Pictures are never enlarged.
func Widths(w int) []int {
	var out []int
	largest := newsroom.MediaWidths[len(newsroom.MediaWidths)-1]
	for _, lw := range newsroom.MediaWidths {
		if lw < w {
			out = append(out, lw)
		}
	}
	if w < largest {
		out = append(out, w)
	} else {
		if len(out) == 0 || out[len(out)-1] != largest {
			out = append(out, largest)
		}
	}
	return out
}

// opaque reports whether every pixel of img is fully opaque.
func opaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if _, _, _, a := img.At(x, y).RGBA(); a != 0xffff {
				return false
			}
		}
	}
	return true
}

// encode writes img as JPEG or PNG. Only pixels are written: no EXIF, no
// XMP, no ICC profile, no text chunks.
func encode(img image.Image, ext string) ([]byte, error) {
	var buf bytes.Buffer
	if ext == "png" {
		enc := png.Encoder{CompressionLevel: png.DefaultCompression}
		err := enc.Encode(&buf, img)
		return buf.Bytes(), err
	}
	// An opaque NRGBA is the same bytes as RGBA; jpeg has a fast path for
	// *image.RGBA and a slow one for everything else.
	if n, ok := img.(*image.NRGBA); ok {
		img = &image.RGBA{Pix: n.Pix, Stride: n.Stride, Rect: n.Rect}
	}
	err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: JPEGQuality})
	return buf.Bytes(), err
}

// cleanName keeps the last path element of an uploaded file's name.
func cleanName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.TrimSpace(name)
	if r := []rune(name); len(r) > newsroom.MaxMediaShort {
		name = string(r[:newsroom.MaxMediaShort])
	}
	return name
}

// formatBytes writes a size as people read it: "20 MB", "512 KB".
func formatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
