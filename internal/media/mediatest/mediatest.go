// Package mediatest makes pictures for tests: photo-like JPEGs (optionally
// with an EXIF block carrying an orientation and a GPS position), PNGs
// with or without transparency, GIFs and small lossless WebPs, all built
// in memory.
package mediatest

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/color/palette"
	"image/gif"
	"image/jpeg"
	"image/png"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// GPSMarker is the numerator of the latitude degrees written by WithEXIF:
// four bytes (little-endian in the file) that appear nowhere else, so a
// test can search served files for them.
const GPSMarker uint32 = 0x5EC0FFEE

// GPSMarkerBytes is GPSMarker as it appears in the EXIF block.
func GPSMarkerBytes() []byte {
	b := make([]byte, 4)
	binary.LittleEndian.PutUint32(b, GPSMarker)
	return b
}

// Photo paints a w×h picture with gradients and fine texture, so that its
// JPEG has the size and cost of a real photograph. The top-left quarter is
// red, the rest blue-green, so a test can tell how it was turned.
func Photo(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	seed := uint32(2463534242)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			seed ^= seed << 13
			seed ^= seed >> 17
			seed ^= seed << 5
			n := uint8(seed & 31)
			var c color.RGBA
			if x < w/2 && y < h/2 {
				c = color.RGBA{R: 200 + n/2, G: uint8(30 + y*40/h), B: 40 + n, A: 255}
			} else {
				c = color.RGBA{R: uint8(20 + x*60/w), G: 120 + n, B: uint8(140 + y*80/h), A: 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

// JPEG returns Photo(w, h) encoded as a JPEG without any metadata.
func JPEG(w, h int) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, Photo(w, h), &jpeg.Options{Quality: 90}); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// WithEXIF returns the JPEG with an APP1 EXIF block inserted after its
// start marker: an Orientation tag (1–8; 0 leaves it out) and, if gps is
// true, a GPS IFD with latitude N GPSMarker° 30' 0".
func WithEXIF(jpg []byte, orientation int, gps bool) []byte {
	le := binary.LittleEndian
	var tiff []byte
	u16 := func(v uint16) { tiff = le.AppendUint16(tiff, v) }
	u32 := func(v uint32) { tiff = le.AppendUint32(tiff, v) }
	tiff = append(tiff, 'I', 'I')
	u16(42)
	u32(8) // IFD0 right after the header
	var n uint16
	if orientation != 0 {
		n++
	}
	if gps {
		n++
	}
	ifd0End := uint32(8 + 2 + 12*int(n) + 4)
	u16(n)
	if orientation != 0 {
		u16(0x0112) // Orientation
		u16(3)      // SHORT
		u32(1)
		u16(uint16(orientation))
		u16(0)
	}
	if gps {
		u16(0x8825) // GPSInfo IFD pointer
		u16(4)      // LONG
		u32(1)
		u32(ifd0End)
	}
	u32(0) // no next IFD
	if gps {
		gpsEnd := ifd0End + 2 + 2*12 + 4
		u16(2)
		u16(0x0001) // GPSLatitudeRef
		u16(2)      // ASCII
		u32(2)
		tiff = append(tiff, 'N', 0, 0, 0)
		u16(0x0002) // GPSLatitude
		u16(5)      // RATIONAL
		u32(3)
		u32(gpsEnd)
		u32(0)
		for _, r := range [][2]uint32{{GPSMarker, 1}, {30, 1}, {0, 1}} {
			u32(r[0])
			u32(r[1])
		}
	}
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(2+len(payload)))
	seg = append(seg, payload...)
	out := append([]byte{}, jpg[:2]...) // SOI
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// PNG returns a w×h PNG; with transparent, its left half is see-through.
func PNG(w, h int, transparent bool) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			a := uint8(255)
			if transparent && x < w/2 {
				a = 0
			}
			img.SetNRGBA(x, y, color.NRGBA{R: uint8(x), G: uint8(y), B: 90, A: a})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// GIF returns a w×h single-frame GIF.
func GIF(w, h int) []byte {
	img := image.NewPaletted(image.Rect(0, 0, w, h), palette.Plan9)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetColorIndex(x, y, uint8((x/8+y/8)%200))
		}
	}
	var buf bytes.Buffer
	if err := gif.Encode(&buf, img, nil); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// WebP returns a w×h lossless WebP (VP8L) of one colour. Each of its five
// prefix codes has a single symbol, so pixels take no bits at all.
func WebP(w, h int, c color.NRGBA) []byte {
	var bw bitWriter
	bw.write(0x2f, 8)
	bw.write(uint32(w-1), 14)
	bw.write(uint32(h-1), 14)
	alpha := uint32(0)
	if c.A != 255 {
		alpha = 1
	}
	bw.write(alpha, 1)
	bw.write(0, 3) // version
	bw.write(0, 1) // no transform
	bw.write(0, 1) // no colour cache
	bw.write(0, 1) // no meta prefix codes
	for _, sym := range []uint8{c.G, c.R, c.B, c.A, 0} {
		bw.write(1, 1) // simple code
		bw.write(0, 1) // one symbol
		bw.write(1, 1) // 8-bit symbol
		bw.write(uint32(sym), 8)
	}
	data := bw.bytes()
	if len(data)%2 == 1 {
		data = append(data, 0)
	}
	var out []byte
	le := binary.LittleEndian
	out = append(out, "RIFF"...)
	out = le.AppendUint32(out, uint32(4+8+len(data)))
	out = append(out, "WEBPVP8L"...)
	out = le.AppendUint32(out, uint32(len(bw.bytes())))
	return append(out, data...)
}

type bitWriter struct {
	buf   []byte
	acc   uint64
	nbits uint
}

// write appends the n low bits of v, least significant first.
func (b *bitWriter) write(v uint32, n uint) {
	b.acc |= uint64(v&(1<<n-1)) << b.nbits
	b.nbits += n
	for b.nbits >= 8 {
		b.buf = append(b.buf, byte(b.acc))
		b.acc >>= 8
		b.nbits -= 8
	}
}

func (b *bitWriter) bytes() []byte {
	out := append([]byte{}, b.buf...)
	if b.nbits > 0 {
		out = append(out, byte(b.acc))
	}
	return out
}

// PNG16 returns a w×h PNG of 16-bit RGBA pixels, all opaque black: a file
// of a few hundred kilobytes that decodes to 8 bytes a pixel (an image
// bomb at large sizes). It is written row by row, never held as an image.
func PNG16(w, h int) []byte {
	var idat bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&idat, zlib.BestSpeed)
	row := make([]byte, 1+8*w) // filter byte 0, then black pixels
	for x := 0; x < w; x++ {
		row[1+8*x+6], row[1+8*x+7] = 0xFF, 0xFF // alpha
	}
	for y := 0; y < h; y++ {
		_, _ = zw.Write(row)
	}
	_ = zw.Close()
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, 16, 6, 0, 0, 0) // depth 16, RGBA, deflate, no filter set, not interlaced
	pngChunk(&out, "IHDR", ihdr)
	pngChunk(&out, "IDAT", idat.Bytes())
	pngChunk(&out, "IEND", nil)
	return out.Bytes()
}

func pngChunk(out *bytes.Buffer, kind string, data []byte) {
	_ = binary.Write(out, binary.BigEndian, uint32(len(data)))
	crc := crc32.NewIEEE()
	crc.Write([]byte(kind))
	crc.Write(data)
	out.WriteString(kind)
	out.Write(data)
	_ = binary.Write(out, binary.BigEndian, crc.Sum32())
}

// ProgressiveJPEG returns a w×h progressive JPEG (three components, no
// subsampling) holding only its first scan, the DC coefficients, all zero:
// one bit a block, so about w×h/170 bytes. A decoder keeps every
// coefficient of a progressive image until its last scan (Go's: 4 bytes
// each), so it takes about 15 bytes a pixel to decode: an image bomb.
func ProgressiveJPEG(w, h int) []byte {
	var out bytes.Buffer
	seg := func(marker byte, data []byte) {
		out.Write([]byte{0xFF, marker})
		_ = binary.Write(&out, binary.BigEndian, uint16(len(data)+2))
		out.Write(data)
	}
	out.Write([]byte{0xFF, 0xD8})
	seg(0xDB, append([]byte{0}, bytes.Repeat([]byte{1}, 64)...)) // one quantization table of ones
	sof := []byte{8, byte(h >> 8), byte(h), byte(w >> 8), byte(w), 3, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0}
	seg(0xC2, sof)                                                     // SOF2: progressive
	seg(0xC4, append([]byte{0x00, 1}, append(make([]byte, 15), 0)...)) // DC table 0: one code "0" for "no change"
	seg(0xDA, []byte{3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 0, 0})           // DC first scan of all three
	bits := ((w + 7) / 8) * ((h + 7) / 8) * 3
	out.Write(make([]byte, bits/8))
	if r := bits % 8; r != 0 {
		out.WriteByte(0xFF >> r) // the rest of the last byte is padding ones
	}
	out.Write([]byte{0xFF, 0xD9})
	return out.Bytes()
}

// FakeS3 starts an in-process S3-compatible server (gofakes3 over
// memory) with one bucket, closed when the test ends, and returns the
// --media address of a prefix in it
// (s3://news/site?endpoint=http://127.0.0.1:PORT&region=us-east-1) and
// the server's URL.
func FakeS3(t testing.TB) (spec, endpoint string) {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket("news"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(srv.Close)
	return "s3://news/site?endpoint=" + url.QueryEscape(srv.URL) + "&region=us-east-1", srv.URL
}
