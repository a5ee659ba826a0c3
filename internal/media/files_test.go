package media

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"newsdesk/internal/newsroom"
)

func TestPutFile(t *testing.T) {
	dir := t.TempDir()
	pub, err := NewDisk(dir)
	if err != nil {
		t.Fatal(err)
	}
	l := &Library{cfg: Config{Public: pub}}
	ctx := context.Background()
	pdf := "%PDF-1.7\n" + strings.Repeat("x", 2000)
	u, err := l.PutFile(ctx, "2024/03/time table.pdf", strings.NewReader(pdf))
	if err != nil || u != "/media/files/2024/03/time%20table.pdf" {
		t.Fatalf("PutFile: %q %v", u, err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "files", "2024", "03", "time table.pdf")); string(got) != pdf {
		t.Errorf("stored %d bytes, want the %d given", len(got), len(pdf))
	}
	if ok, err := l.HasFile(ctx, "2024/03/time table.pdf"); !ok || err != nil {
		t.Errorf("HasFile: %v %v", ok, err)
	}
	for _, c := range []struct {
		name, body string
		code       newsroom.Code
	}{
		{"a.pdf", "<html><script>alert(1)</script>", newsroom.Invalid}, // content says otherwise
		{"a.svg", "<svg onload=alert(1)>", newsroom.Invalid},           // a type the browser runs
		{"a.html", "<p>hi", newsroom.Invalid},
		{"a.txt", "<html><body>x", newsroom.Invalid}, // sniffed as HTML
		{"../etc/a.pdf", "%PDF-1.4", newsroom.Invalid},
		{"a.mp3", "not a recording", newsroom.Invalid},
	} {
		if _, err := l.PutFile(ctx, c.name, strings.NewReader(c.body)); newsroom.ErrorCode(err) != c.code {
			t.Errorf("PutFile(%q): %v, want %s", c.name, err, c.code)
		}
	}
	for _, ok := range []struct{ name, body string }{
		{"r.mp3", "ID3\x04\x00rest"}, {"v.mp4", "\x00\x00\x00\x18ftypmp42"}, {"n.txt", "Tide tables, plain text."},
		{"s.docx", "PK\x03\x04rest"}, {"w.wav", "RIFF\x00\x00\x00\x00WAVEfmt "},
	} {
		if _, err := l.PutFile(ctx, ok.name, strings.NewReader(ok.body)); err != nil {
			t.Errorf("PutFile(%q): %v", ok.name, err)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != "files" {
			t.Errorf("a refused file left %s behind", e.Name())
		}
	}
}

// A file is streamed to storage, never held whole in memory, and one
// over the limit is refused without leaving a part behind.
func TestPutFileStreamsAndRefusesOversize(t *testing.T) {
	dir := t.TempDir()
	pub, _ := NewDisk(dir)
	l := &Library{cfg: Config{Public: pub, MaxFileBytes: 4 << 20}}
	body := io.MultiReader(strings.NewReader("%PDF-1.4\n"), &zeros{n: 4 << 20})
	if _, err := l.PutFile(context.Background(), "big.pdf", body); newsroom.ErrorCode(err) != newsroom.TooLarge {
		t.Fatalf("oversized file: %v, want TooLarge", err)
	}
	var left []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			left = append(left, p)
		}
		return nil
	})
	if len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
}

type zeros struct{ n int64 }

func (z *zeros) Read(p []byte) (int, error) {
	if z.n <= 0 {
		return 0, io.EOF
	}
	n := int64(len(p))
	if n > z.n {
		n = z.n
	}
	clear(p[:n])
	z.n -= n
	return int(n), nil
}
