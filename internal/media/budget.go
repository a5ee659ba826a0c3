package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"

	"golang.org/x/sync/semaphore"

	"newsdesk/internal/newsroom"
)

// Decoding budget defaults: what one picture may take to decode, and how
// many decode at once. Everything decoding at one moment together stays
// within one budget, so the process's memory for pictures is bounded by
// it, however many uploads arrive.
const (
	// DefaultDecodeBudget is Config.DecodeBudget when it is 0. A 24-
	// megapixel phone photograph (baseline JPEG, EXIF rotation) costs
	// about 160 MB by DecodeCost, a 48-megapixel one about 320 MB.
	DefaultDecodeBudget = 384 << 20
	// DefaultDecodes is Config.Decodes when it is 0.
	DefaultDecodes = 2
)

// decoder bounds decoding: a picture whose DecodeCost is over the budget
// is refused before it is decoded, and decodes wait until their costs fit
// in the budget together, at most n at a time.
type decoder struct {
	budget int64
	bytes  *semaphore.Weighted
	slots  *semaphore.Weighted
}

func newDecoder(budget int64, n int) *decoder {
	if budget <= 0 {
		budget = DefaultDecodeBudget
	}
	if n <= 0 {
		n = DefaultDecodes
	}
	return &decoder{budget: budget, bytes: semaphore.NewWeighted(budget), slots: semaphore.NewWeighted(int64(n))}
}

// acquire waits for room for a decode costing cost bytes, and returns the
// function that gives it back. name is the uploaded file's name, for the
// error: TooLarge on "file" when cost is over the whole budget.
func (d *decoder) acquire(ctx context.Context, name string, h *Header) (func(), error) {
	if h.Cost > d.budget {
		return nil, &CostError{Name: name, Header: *h, Budget: d.budget}
	}
	if err := d.slots.Acquire(ctx, 1); err != nil {
		return nil, err
	}
	if err := d.bytes.Acquire(ctx, h.Cost); err != nil {
		d.slots.Release(1)
		return nil, err
	}
	return func() { d.bytes.Release(h.Cost); d.slots.Release(1) }, nil
}

// CostError refuses a picture whose decoding would take more than the
// whole budget. It unwraps to a TooLarge *newsroom.Error on "file" whose
// message names the file, its size and the memory it would take.
type CostError struct {
	Name   string // the uploaded file's name ("" if none was given)
	Header Header
	Budget int64
}

func (e *CostError) Error() string { return e.Unwrap().Error() }

// MemoryCost returns what decoding would take and the budget, in bytes
// (for a surface that words the refusal in its own language).
func (e *CostError) MemoryCost() (cost, budget int64) { return e.Header.Cost, e.Budget }

// Unwrap returns the TooLarge error the surfaces answer with (413).
func (e *CostError) Unwrap() error {
	name := e.Name
	if name == "" {
		name = "the picture"
	}
	return newsroom.Errorf(newsroom.TooLarge, "file",
		"%s: the image is %d×%d pixels (%s); decoding it would take about %s of memory, more than the %s a picture may take",
		name, e.Header.Width, e.Header.Height, e.Header.Describe(), formatBytes(e.Header.Cost), formatBytes(e.Budget))
}

// Header is what a picture's header says, read without decoding it.
type Header struct {
	Type          string // detected content type
	Format        string // image package format name
	Width, Height int
	Model         color.Model
	Progressive   bool  // a progressive JPEG
	Samples       int64 // JPEG: samples per 64 pixels over all components (64 for grey, 192 for 4:4:4, 96 for 4:2:0)
	EXIF          bool  // a JPEG with an EXIF block (which may ask for a rotation: one more full copy)
	Interlaced    bool  // an interlaced PNG
	// Cost is DecodeCost: the bytes decoding and resizing will hold at once.
	Cost int64
}

// Describe names the pixel format, e.g. "16 bits a channel".
func (h *Header) Describe() string {
	switch {
	case h.Format == "jpeg" && h.Progressive:
		return "progressive JPEG"
	case h.Format == "jpeg":
		return "JPEG"
	case h.Model == color.RGBA64Model || h.Model == color.NRGBA64Model || h.Model == color.Gray16Model:
		return "16 bits a channel"
	}
	return fmt.Sprintf("%d bytes a pixel", bytesPerPixel(h.Model))
}

// ReadHeader reads the header of an accepted picture (image.DecodeConfig,
// and the JPEG frame header) and estimates what decoding it costs. Errors
// are Invalid on "file".
func ReadHeader(data []byte) (*Header, error) {
	ct, ok := DetectType(data)
	if !ok {
		return nil, notAPicture(ct, data)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || format != types[ct].format {
		return nil, newsroom.Errorf(newsroom.Invalid, "file", "the file looks like %s but cannot be read as one", ct)
	}
	h := &Header{Type: ct, Format: format, Width: cfg.Width, Height: cfg.Height, Model: cfg.ColorModel}
	switch format {
	case "jpeg":
		if !h.readJPEG(data) {
			return nil, newsroom.Errorf(newsroom.Invalid, "file", "the file looks like %s but cannot be read as one", ct)
		}
	case "png":
		h.Interlaced = len(data) > 28 && data[28] == 1
	}
	h.Cost = h.decodeCost()
	return h, nil
}

// decodeCost estimates the bytes held at the peak of Render: the decoded
// picture as the decoder keeps it, a full 4-byte copy when a JPEG's EXIF
// block may rotate it, and the first resize (4 bytes a pixel at the
// largest library width, over the whole height). Measured here against
// Go's decoders: within 5% for 16-bit PNG (8 bytes a pixel) and for
// progressive JPEG (4 bytes a coefficient kept until the last scan, plus
// the planes: 15 bytes a pixel at 4:4:4).
func (h *Header) decodeCost() int64 {
	px := int64(h.Width) * int64(h.Height)
	var decode int64
	switch h.Format {
	case "jpeg":
		samples := px * h.Samples / 64
		decode = samples // the planes
		if h.Progressive {
			decode += 4 * samples
		}
	case "png":
		decode = px * bytesPerPixel(h.Model)
		if h.Interlaced {
			decode *= 2 // each pass is decoded into its own image first
		}
	default:
		decode = px * bytesPerPixel(h.Model)
	}
	if h.EXIF {
		decode += 4 * px
	}
	largest := int64(newsroom.MediaWidths[len(newsroom.MediaWidths)-1])
	return decode + 4*min(int64(h.Width), largest)*int64(h.Height)
}

// bytesPerPixel is what a decoded image in model m takes a pixel (rounded
// up; a palette is one byte).
func bytesPerPixel(m color.Model) int64 {
	switch m {
	case color.GrayModel, color.AlphaModel, color.Alpha16Model:
		return 1
	case color.Gray16Model:
		return 2
	case color.YCbCrModel:
		return 3 // at most: without subsampling
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	}
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	return 4 // RGBA, NRGBA, CMYK, NYCbCrA and anything else
}

// readJPEG reads the frame header: progressive or not, the components and
// their sampling, and whether an EXIF block comes before it. It reports
// false when no frame header is found.
func (h *Header) readJPEG(data []byte) bool {
	be := binary.BigEndian
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xFF {
			return false
		}
		m := data[i+1]
		if m == 0xFF { // fill byte
			i++
			continue
		}
		if m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7) {
			i += 2
			continue
		}
		if m == 0xD9 || m == 0xDA { // end of image, or a scan before any frame
			return false
		}
		n := int(be.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return false
		}
		seg := data[i+4 : i+2+n]
		switch {
		case m == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00")):
			h.EXIF = true
		case m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC:
			h.Progressive = m == 0xC2 || m == 0xC6 || m == 0xCA || m == 0xCE
			if len(seg) < 6 {
				return false
			}
			nf := int(seg[5])
			if nf == 0 || len(seg) < 6+3*nf {
				return false
			}
			var hmax, vmax int64 = 1, 1
			for k := 0; k < nf; k++ {
				hv := seg[6+3*k+1]
				hmax, vmax = max(hmax, int64(hv>>4)), max(vmax, int64(hv&15))
			}
			for k := 0; k < nf; k++ {
				hv := seg[6+3*k+1]
				h.Samples += 64 * int64(hv>>4) * int64(hv&15) / (hmax * vmax)
			}
			// Blocks are whole: a component of one sample a pixel still
			// fills its 8×8 blocks; an eighth more covers the padding.
			h.Samples += h.Samples / 8
			return true
		}
		i += 2 + n
	}
	return false
}
