package media

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"unicode/utf8"

	"newsdesk/internal/newsroom"
)

// Files that are not pictures (a PDF, a recording, a video) are kept as
// they came in public storage under files/ and served at /media/files/….
// Only the types below are taken, each checked from its first bytes, so
// nothing the browser would run (HTML, SVG, scripts) is ever served.

// DefaultMaxFileBytes is the largest file PutFile takes when
// Config.MaxFileBytes is 0.
const DefaultMaxFileBytes = 1 << 30

// MaxFileBytes is the largest file PutFile takes.
func (l *Library) MaxFileBytes() int64 {
	if l.cfg.MaxFileBytes > 0 {
		return l.cfg.MaxFileBytes
	}
	return DefaultMaxFileBytes
}

// fileMagic says how a file of each accepted extension starts.
var fileMagic = map[string]func(head []byte) bool{
	".pdf": prefix("%PDF-"),
	".mp3": func(h []byte) bool {
		return bytes.HasPrefix(h, []byte("ID3")) || len(h) > 1 && h[0] == 0xFF && h[1]&0xE0 == 0xE0
	},
	".aac":  func(h []byte) bool { return len(h) > 1 && h[0] == 0xFF && h[1]&0xF6 == 0xF0 },
	".m4a":  isoMedia,
	".mp4":  isoMedia,
	".m4v":  isoMedia,
	".mov":  isoMedia,
	".webm": prefix("\x1a\x45\xdf\xa3"),
	".ogg":  prefix("OggS"),
	".oga":  prefix("OggS"),
	".ogv":  prefix("OggS"),
	".opus": prefix("OggS"),
	".wav": func(h []byte) bool {
		return bytes.HasPrefix(h, []byte("RIFF")) && len(h) >= 12 && string(h[8:12]) == "WAVE"
	},
	".flac": prefix("fLaC"),
	".docx": prefix("PK\x03\x04"),
	".xlsx": prefix("PK\x03\x04"),
	".pptx": prefix("PK\x03\x04"),
	".odt":  prefix("PK\x03\x04"),
	".ods":  prefix("PK\x03\x04"),
	".odp":  prefix("PK\x03\x04"),
	".epub": prefix("PK\x03\x04"),
	".zip":  prefix("PK\x03\x04"),
	".doc":  prefix("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
	".xls":  prefix("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
	".ppt":  prefix("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
	".rtf":  prefix(`{\rtf`),
	".txt":  plainText,
	".csv":  plainText,
}

func prefix(p string) func([]byte) bool {
	return func(h []byte) bool { return bytes.HasPrefix(h, []byte(p)) }
}

// isoMedia is an MP4/QuickTime file: a box type at bytes 4–8.
func isoMedia(h []byte) bool {
	if len(h) < 8 {
		return false
	}
	switch string(h[4:8]) {
	case "ftyp", "moov", "mdat", "wide", "free", "skip":
		return true
	}
	return false
}

func plainText(h []byte) bool {
	for len(h) > 0 && !utf8.Valid(h) { // the sample may end inside a character
		h = h[:len(h)-1]
	}
	return strings.HasPrefix(http.DetectContentType(h), "text/plain")
}

// FileTypes returns the extensions PutFile takes.
func FileTypes() []string {
	out := make([]string, 0, len(fileMagic))
	for ext := range fileMagic {
		out = append(out, ext)
	}
	return out
}

// TakesFile reports whether PutFile takes a file of that name's type.
func TakesFile(name string) bool { _, ok := fileMagic[strings.ToLower(path.Ext(name))]; return ok }

// FileKey returns the storage key of a file kept at name (a slash-separated
// relative path such as 2024/03/timetable.pdf), served at /media/<key>.
func FileKey(name string) (string, error) {
	name = strings.TrimPrefix(name, "/")
	if !fs.ValidPath(name) || name == "." || strings.ContainsAny(name, "\\\x00") {
		return "", newsroom.Errorf(newsroom.Invalid, "file", "%q is not a file name", name)
	}
	return "files/" + name, nil
}

// HasFile reports whether a file is kept at name.
func (l *Library) HasFile(ctx context.Context, name string) (bool, error) {
	key, err := FileKey(name)
	if err != nil {
		return false, err
	}
	return l.cfg.Public.Exists(ctx, key)
}

// PutFile keeps body as the file at name (see FileKey), streaming it to
// storage, and returns the address it is served at. The type comes from
// the name's extension and must be one of FileTypes, and the first bytes
// must be of that type (Invalid on "file" otherwise); more than
// MaxFileBytes is TooLarge.
func (l *Library) PutFile(ctx context.Context, name string, body io.Reader) (string, error) {
	key, err := FileKey(name)
	if err != nil {
		return "", err
	}
	ext := strings.ToLower(path.Ext(name))
	magic, ok := fileMagic[ext]
	if !ok {
		return "", newsroom.Errorf(newsroom.Invalid, "file", "%s: newsdesk keeps pictures, documents, audio and video; not %q files", path.Base(name), ext)
	}
	br := bufio.NewReaderSize(body, 512)
	head, err := br.Peek(512)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return "", fmt.Errorf("media: read %s: %w", name, err)
	}
	if !magic(head) {
		return "", newsroom.Errorf(newsroom.Invalid, "file", "%s is not a %s file (its content says otherwise)", path.Base(name), strings.TrimPrefix(ext, "."))
	}
	lim := &limitReader{r: br, left: l.MaxFileBytes()}
	if err := l.cfg.Public.Put(ctx, key, lim); err != nil {
		if lim.over {
			return "", newsroom.Errorf(newsroom.TooLarge, "file", "%s is larger than %s", path.Base(name), formatBytes(l.MaxFileBytes()))
		}
		return "", err
	}
	return FileURL(key), nil
}

// FileURL is the address a file kept under key is served at.
func FileURL(key string) string { return (&url.URL{Path: "/media/" + key}).EscapedPath() }

// limitReader fails once more than left bytes were read.
type limitReader struct {
	r    io.Reader
	left int64
	over bool
}

func (l *limitReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		l.over = true
		return n, fmt.Errorf("file too large")
	}
	return n, err
}
