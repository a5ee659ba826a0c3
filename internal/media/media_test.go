package media_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	_ "image/jpeg"
	_ "image/png"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"newsdesk/internal/media"
	"newsdesk/internal/media/mediatest"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/sqlstore"
	"newsdesk/internal/storetest"
	"newsdesk/internal/web"
)

var ctx = context.Background()

type lib struct {
	*media.Library
	public, originals string
	store             *sqlstore.Store
}

func newLibrary(t testing.TB, maxBytes int64) *lib {
	t.Helper()
	dir := t.TempDir()
	st, err := sqlstore.Open(ctx, storetest.SQLitePath(t), sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	pub, err := media.NewDisk(filepath.Join(dir, "media"))
	if err != nil {
		t.Fatal(err)
	}
	orig, err := media.NewDisk(filepath.Join(dir, "originals"))
	if err != nil {
		t.Fatal(err)
	}
	l, err := media.New(media.Config{Public: pub, Originals: orig, Store: st, MaxBytes: maxBytes})
	if err != nil {
		t.Fatal(err)
	}
	return &lib{Library: l, public: pub.Dir(), originals: orig.Dir(), store: st}
}

func (l *lib) mustUpload(t testing.TB, name string, data []byte) *newsroom.MediaItem {
	t.Helper()
	m, _, err := l.Upload(ctx, name, bytes.NewReader(data), newsroom.MediaItem{Alt: "a test picture"})
	if err != nil {
		t.Fatalf("Upload(%s): %v", name, err)
	}
	return m
}

// files returns the contents of every file under dir by relative path.
func files(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func decode(t *testing.T, b []byte) (image.Image, string) {
	t.Helper()
	img, format, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decode rendition: %v", err)
	}
	return img, format
}

func TestAcceptedTypes(t *testing.T) {
	tests := []struct {
		name     string
		data     []byte
		wantType string
		wantExt  string
	}{
		{"photo.jpg", mediatest.JPEG(640, 480), "image/jpeg", "jpg"},
		{"chart.png", mediatest.PNG(300, 200, false), "image/png", "jpg"},
		{"logo.png", mediatest.PNG(300, 200, true), "image/png", "png"},
		{"anim.gif", mediatest.GIF(200, 100), "image/gif", "jpg"},
		{"photo.webp", mediatest.WebP(320, 240, color.NRGBA{R: 10, G: 120, B: 200, A: 255}), "image/webp", "jpg"},
		{"sticker.webp", mediatest.WebP(64, 64, color.NRGBA{R: 10, G: 120, B: 200, A: 128}), "image/webp", "png"},
		// The name is never trusted: a JPEG called .png is a JPEG.
		{"misnamed.png", mediatest.JPEG(100, 80), "image/jpeg", "jpg"},
	}
	l := newLibrary(t, 0)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := l.mustUpload(t, tt.name, tt.data)
			if m.Type != tt.wantType || m.Ext != tt.wantExt {
				t.Errorf("type, ext = %s, %s; want %s, %s", m.Type, m.Ext, tt.wantType, tt.wantExt)
			}
			if m.OriginalName != tt.name {
				t.Errorf("OriginalName = %q, want %q", m.OriginalName, tt.name)
			}
			b, err := os.ReadFile(filepath.Join(l.public, filepath.FromSlash(newsroom.MediaKey(m.Hash, m.Sizes[len(m.Sizes)-1], m.Ext))))
			if err != nil {
				t.Fatal(err)
			}
			img, format := decode(t, b)
			if want := map[string]string{"jpg": "jpeg", "png": "png"}[tt.wantExt]; format != want {
				t.Errorf("rendition format = %s, want %s", format, want)
			}
			if tt.wantExt == "png" {
				if _, _, _, a := img.At(0, 0).RGBA(); a == 0xffff {
					t.Errorf("transparent pixel came out opaque")
				}
			}
		})
	}
}

func TestRejectedTypes(t *testing.T) {
	valid := mediatest.JPEG(64, 64)
	tests := []struct {
		name string
		data []byte
		want string // in the message
	}{
		{"notes.txt", []byte("Harbour council minutes, 7 October\n"), "text/plain"},
		{"photo.jpg", []byte("this is text that calls itself a photo"), "text/plain"},
		{"page.html", []byte("<!DOCTYPE html><html><body>hi</body></html>"), "text/html"},
		{"drawing.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), "text/plain"},
		{"drawing2.svg", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>`), "text/xml"},
		{"doc.pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"), "application/pdf"},
		{"scan.bmp", append([]byte("BM"), make([]byte, 64)...), "image/bmp"},
		{"archive.zip", []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00"), "application/zip"},
		{"empty.jpg", nil, "empty"},
		{"truncated.jpg", valid[:40], "cannot be read"},
		{"garbage.png", append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 200)...), "cannot be read"},
	}
	l := newLibrary(t, 0)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := l.Upload(ctx, tt.name, bytes.NewReader(tt.data), newsroom.MediaItem{})
			e := newsroom.AsError(err)
			if e == nil || e.Code != newsroom.Invalid || e.Field != "file" {
				t.Fatalf("Upload = %v; want Invalid on field file", err)
			}
			if !strings.Contains(e.Message, tt.want) {
				t.Errorf("message %q does not say %q", e.Message, tt.want)
			}
		})
	}
	if got := files(t, l.public); len(got) != 0 {
		t.Errorf("rejected uploads left files: %v", slices.Collect(mapsKeys(got)))
	}
}

func mapsKeys(m map[string][]byte) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func TestTooLarge(t *testing.T) {
	data := mediatest.JPEG(400, 300)
	l := newLibrary(t, int64(len(data)-1))
	_, _, err := l.Upload(ctx, "big.jpg", bytes.NewReader(data), newsroom.MediaItem{})
	e := newsroom.AsError(err)
	if e == nil || e.Code != newsroom.TooLarge || e.Field != "file" {
		t.Fatalf("Upload = %v; want TooLarge on field file", err)
	}
	if web.Status(e) != 413 {
		t.Errorf("status = %d, want 413", web.Status(e))
	}
	if !strings.Contains(e.Message, "larger than") {
		t.Errorf("message %q does not say what the limit is", e.Message)
	}
	// Exactly at the limit is fine.
	l = newLibrary(t, int64(len(data)))
	l.mustUpload(t, "fits.jpg", data)
	if media.DefaultMaxBytes != 20<<20 {
		t.Errorf("DefaultMaxBytes = %d, want 20 MB", media.DefaultMaxBytes)
	}
}

func TestTooManyPixels(t *testing.T) {
	// A PNG that says it is 10000×10000: small on disk, 400 MB decoded.
	// Only the header is read before it is refused.
	b := mediatest.PNG(1, 1, false)
	binary.BigEndian.PutUint32(b[16:], 10000)
	binary.BigEndian.PutUint32(b[20:], 10000)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	l := newLibrary(t, 0)
	_, _, err := l.Upload(ctx, "huge.png", bytes.NewReader(b), newsroom.MediaItem{})
	if e := newsroom.AsError(err); e == nil || e.Code != newsroom.Invalid || !strings.Contains(e.Message, "megapixels") {
		t.Fatalf("Upload = %v; want Invalid naming the megapixel limit", err)
	}
}

func TestGPSStrippedAndOriented(t *testing.T) {
	// 300×200 with Orientation 6: the camera was turned; the picture is
	// really 200×300 with its red corner at the top right.
	data := mediatest.WithEXIF(mediatest.JPEG(300, 200), 6, true)
	marker := mediatest.GPSMarkerBytes()
	if !bytes.Contains(data, marker) || !bytes.Contains(data, []byte("Exif\x00\x00")) {
		t.Fatal("test picture lacks its EXIF GPS block")
	}
	l := newLibrary(t, 0)
	m := l.mustUpload(t, "IMG_0042.JPG", data)
	if m.Width != 200 || m.Height != 300 {
		t.Errorf("size = %d×%d, want 200×300 after EXIF orientation", m.Width, m.Height)
	}
	served := files(t, l.public)
	if len(served) != len(m.Sizes) {
		t.Errorf("served %d files, want %d (one per width %v)", len(served), len(m.Sizes), m.Sizes)
	}
	for name, b := range served {
		if bytes.Contains(b, marker) {
			t.Errorf("served file %s contains the GPS latitude", name)
		}
		if bytes.Contains(b, []byte("Exif")) || bytes.Contains(b, []byte("GPS")) {
			t.Errorf("served file %s contains an EXIF block", name)
		}
		img, _ := decode(t, b)
		w := img.Bounds().Dx()
		r, g, bl, _ := img.At(w-5, 5).RGBA()
		if !(r > 0x9000 && g < 0x6000 && bl < 0x6000) {
			t.Errorf("%s: top-right pixel is %x,%x,%x; want the red corner there (rotated)", name, r>>8, g>>8, bl>>8)
		}
	}
	// The original is kept as uploaded, privately.
	orig := files(t, l.originals)
	if b, ok := orig[media.OriginalKey(m)]; !ok || !bytes.Equal(b, data) {
		t.Errorf("original not kept byte for byte under %s (have %d files)", media.OriginalKey(m), len(orig))
	}
}

func TestSizes(t *testing.T) {
	tests := []struct {
		w, h      int
		wantSizes []int
	}{
		{2400, 1600, []int{480, 960, 1600}},
		{1600, 900, []int{480, 960, 1600}},
		{1200, 800, []int{480, 960, 1200}},
		{700, 400, []int{480, 700}},
		{960, 540, []int{480, 960}},
		{300, 200, []int{300}},
	}
	l := newLibrary(t, 0)
	for _, tt := range tests {
		m := l.mustUpload(t, "p.jpg", mediatest.JPEG(tt.w, tt.h))
		if !slices.Equal(m.Sizes, tt.wantSizes) {
			t.Errorf("%d×%d: sizes = %v, want %v", tt.w, tt.h, m.Sizes, tt.wantSizes)
			continue
		}
		for _, w := range m.Sizes {
			b, err := os.ReadFile(filepath.Join(l.public, filepath.FromSlash(newsroom.MediaKey(m.Hash, w, "jpg"))))
			if err != nil {
				t.Fatalf("%d×%d at %d: %v", tt.w, tt.h, w, err)
			}
			img, _ := decode(t, b)
			if got := img.Bounds().Size(); got.X != w || got.Y != m.HeightAt(w) {
				t.Errorf("%d×%d at %d: rendition is %v, want %d×%d", tt.w, tt.h, w, got, w, m.HeightAt(w))
			}
		}
		stored, err := l.store.MediaByID(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(stored.Sizes, tt.wantSizes) || stored.Width != tt.w || stored.Height != tt.h {
			t.Errorf("stored %d×%d %v, want %d×%d %v", stored.Width, stored.Height, stored.Sizes, tt.w, tt.h, tt.wantSizes)
		}
	}
}

func TestDedupe(t *testing.T) {
	l := newLibrary(t, 0)
	data := mediatest.JPEG(1000, 700)
	first, created, err := l.Upload(ctx, "a.jpg", bytes.NewReader(data), newsroom.MediaItem{Caption: "First"})
	if err != nil || !created {
		t.Fatalf("first Upload = %v, created %v", err, created)
	}
	before := files(t, l.public)
	second, created, err := l.Upload(ctx, "copy of a.jpg", bytes.NewReader(data), newsroom.MediaItem{Caption: "Second"})
	if err != nil {
		t.Fatal(err)
	}
	if created || second.ID != first.ID || second.Caption != "First" {
		t.Errorf("second upload: created %v, id %d (first %d), caption %q; want the first item back", created, second.ID, first.ID, second.Caption)
	}
	if after := files(t, l.public); len(after) != len(before) {
		t.Errorf("public files %d -> %d after a duplicate upload", len(before), len(after))
	}
	if n := len(files(t, l.originals)); n != 1 {
		t.Errorf("%d originals kept, want 1", n)
	}
	_, total, err := l.store.FindMedia(ctx, newsroom.MediaFilter{})
	if err != nil || total != 1 {
		t.Errorf("library holds %d items (%v), want 1", total, err)
	}
}

func TestDiskStorage(t *testing.T) {
	d, err := media.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"i/ab/x-480.jpg", "i/ab/x-960.jpg", "i/cd/y-480.png", "other.txt"} {
		if err := d.Put(ctx, k, strings.NewReader("data of "+k)); err != nil {
			t.Fatalf("Put(%s): %v", k, err)
		}
	}
	keys, err := d.List(ctx, "i/ab/")
	if err != nil || !slices.Equal(keys, []string{"i/ab/x-480.jpg", "i/ab/x-960.jpg"}) {
		t.Errorf("List(i/ab/) = %v, %v", keys, err)
	}
	rc, err := d.Open(ctx, "i/cd/y-480.png")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if string(b) != "data of i/cd/y-480.png" {
		t.Errorf("Open read %q", b)
	}
	if err := d.Delete(ctx, "i/cd/y-480.png"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := d.Exists(ctx, "i/cd/y-480.png"); ok {
		t.Error("file still exists after Delete")
	}
	if _, err := os.Stat(filepath.Join(d.Dir(), "i", "cd")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("empty directory left behind: %v", err)
	}
	if err := d.Delete(ctx, "i/cd/y-480.png"); err != nil {
		t.Errorf("second Delete: %v", err)
	}
	if _, err := d.Open(ctx, "missing.jpg"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open(missing) = %v, want fs.ErrNotExist", err)
	}
	for _, bad := range []string{"../escape", "/abs", "a/../../b", "", `a\b`} {
		if err := d.Put(ctx, bad, strings.NewReader("x")); err == nil {
			t.Errorf("Put(%q) accepted a key outside the directory", bad)
		}
	}
}

// withComment returns the JPEG with a COM segment carrying n after its
// start marker: the same picture, different bytes (and hash).
func withComment(jpg []byte, n int) []byte {
	c := []byte{0xFF, 0xFE, 0, 10}
	c = binary.BigEndian.AppendUint64(c, uint64(n))
	out := append([]byte{}, jpg[:2]...)
	out = append(out, c...)
	return append(out, jpg[2:]...)
}

// BenchmarkUpload4000x3000 measures Upload of a 12-megapixel camera JPEG:
// read, hash, decode, orient, three resizes, three encodes, files written
// and synced, record stored. Each iteration uploads different bytes.
func BenchmarkUpload4000x3000(b *testing.B) {
	data := mediatest.WithEXIF(mediatest.JPEG(4000, 3000), 1, true)
	b.SetBytes(int64(len(data)))
	l := newLibrary(b, 0)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, _, err := l.Upload(ctx, "IMG.JPG", bytes.NewReader(withComment(data, i)), newsroom.MediaItem{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRender4000x3000 is the pixel work alone (no storage).
func BenchmarkRender4000x3000(b *testing.B) {
	data := mediatest.JPEG(4000, 3000)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := media.Render(data); err != nil {
			b.Fatal(err)
		}
	}
}
