package media_test

import (
	"bytes"
	"errors"
	"image/color"
	"strings"
	"sync"
	"testing"
	"time"

	"newsdesk/internal/media"
	"newsdesk/internal/media/mediatest"
	"newsdesk/internal/newsroom"
)

// bomb16 is a 59-megapixel 16-bit PNG of 560 KB, made once.
var bomb16 = sync.OnceValue(func() []byte { return mediatest.PNG16(7700, 7700) })

// TestDecodeCostFromTheHeader: the cost of decoding is read from the
// header alone (no decode: milliseconds for a 59-megapixel bomb), at
// least what Go's decoders hold for the pixel format.
func TestDecodeCostFromTheHeader(t *testing.T) {
	const w, h = 7700, 7700
	for _, tt := range []struct {
		name     string
		data     []byte
		perPixel int64 // at least this many bytes a pixel
		says     string
	}{
		{"16-bit PNG", bomb16(), 8, "16 bits a channel"},
		{"progressive JPEG", mediatest.ProgressiveJPEG(w, h), 15, "progressive JPEG"},
		{"lossless WebP", mediatest.WebP(16000, 3700, color.NRGBA{R: 9, A: 255}), 4, "4 bytes a pixel"},
	} {
		start := time.Now()
		hd, err := media.ReadHeader(tt.data)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if took := time.Since(start); took > 100*time.Millisecond {
			t.Errorf("%s: reading the header took %v (was it decoded?)", tt.name, took)
		}
		n := int64(hd.Width) * int64(hd.Height)
		if hd.Cost < tt.perPixel*n {
			t.Errorf("%s (%d KB): cost %d MB; want at least %d bytes × %d pixels", tt.name, len(tt.data)>>10, hd.Cost>>20, tt.perPixel, n)
		}
		if hd.Describe() != tt.says {
			t.Errorf("%s: described as %q", tt.name, hd.Describe())
		}
	}
	// A 4:2:0 baseline JPEG keeps 1.5 samples a pixel, not 3.
	hd, err := media.ReadHeader(mediatest.JPEG(640, 480))
	if err != nil {
		t.Fatal(err)
	}
	if hd.Progressive || hd.Samples < 96 || hd.Samples > 120 {
		t.Errorf("baseline 4:2:0 JPEG: progressive %v, %d samples per 64 pixels", hd.Progressive, hd.Samples)
	}
}

// TestUploadOverTheDecodeBudget: a small file with a huge canvas is
// refused with 413 naming the file before anything is decoded; one within
// the budget is taken.
func TestUploadOverTheDecodeBudget(t *testing.T) {
	l := newLibrary(t, 0)
	for _, tt := range []struct {
		name, says string
		data       []byte
	}{
		{"bomb16.png", "16 bits a channel", bomb16()},
		{"scan-progressive.jpg", "progressive JPEG", mediatest.ProgressiveJPEG(7700, 7700)},
	} {
		start := time.Now()
		_, _, err := l.Upload(ctx, tt.name, bytes.NewReader(tt.data), newsroom.MediaItem{})
		var ce *media.CostError
		e := newsroom.AsError(err)
		if !errors.As(err, &ce) || e == nil || e.Code != newsroom.TooLarge || e.Field != "file" {
			t.Fatalf("%s: Upload = %v; want TooLarge on file", tt.name, err)
		}
		if !strings.HasPrefix(e.Message, tt.name+": ") || !strings.Contains(e.Message, "7700×7700") || !strings.Contains(e.Message, tt.says) {
			t.Errorf("%s: message %q does not name the file, its size and kind", tt.name, e.Message)
		}
		if took := time.Since(start); took > time.Second {
			t.Errorf("%s: refused after %v; was it decoded?", tt.name, took)
		}
	}
	if _, n, _ := l.store.FindMedia(ctx, newsroom.MediaFilter{}); n != 0 {
		t.Errorf("%d items stored", n)
	}
	// Within the budget, a 16-bit PNG is decoded and kept.
	m := l.mustUpload(t, "fine16.png", mediatest.PNG16(1200, 900))
	if m.Width != 1200 || m.Height != 900 {
		t.Errorf("stored %d×%d", m.Width, m.Height)
	}
}
