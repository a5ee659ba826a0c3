package media

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Storage keeps files by key: slash-separated relative names such as
// "i/ab/ab12…-960.jpg". The local disk is one implementation; an
// S3-compatible bucket shared by several nodes can be another. Keys are
// content-addressed by the caller, so Put of an existing key writes the
// same bytes again and implementations may skip it.
type Storage interface {
	// Put stores everything r yields under key, replacing what was there.
	// Readers never see a half-written file.
	Put(ctx context.Context, key string, r io.Reader) error
	// Open returns the file at key; a missing key is an error matching
	// fs.ErrNotExist.
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	// Exists reports whether key holds a file.
	Exists(ctx context.Context, key string) (bool, error)
	// List returns every key starting with prefix, sorted.
	List(ctx context.Context, prefix string) ([]string, error)
	// Delete removes key; a missing key is not an error.
	Delete(ctx context.Context, key string) error
	// OpenFile opens key for serving: its size, modification time and
	// a strong ETag, and random access for range requests. A missing key
	// is an error matching fs.ErrNotExist.
	OpenFile(ctx context.Context, key string) (File, error)
	// Stat describes the file at key without opening it; a missing key
	// is an error matching fs.ErrNotExist.
	Stat(ctx context.Context, key string) (Info, error)
}

// File is a stored file opened for serving (see Storage.OpenFile).
type File interface {
	io.ReadSeekCloser
	Info() Info
}

// Info describes a stored file.
type Info struct {
	Size    int64
	ModTime time.Time
	// ETag is a strong validator, quoted as HTTP sends it; the same
	// bytes under the same key keep the same ETag.
	ETag string
}

// Disk is Storage in a local directory: key "a/b.jpg" is the file
// <dir>/a/b.jpg. Writes go to a temporary file that is synced and renamed
// into place.
type Disk struct{ dir string }

var _ Storage = (*Disk)(nil)

// NewDisk returns Storage in dir, creating it if needed.
func NewDisk(dir string) (*Disk, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("media: storage dir: %w", err)
	}
	return &Disk{dir: dir}, nil
}

// Dir returns the directory the files live in.
func (d *Disk) Dir() string { return d.dir }

func (d *Disk) path(key string) (string, error) {
	if !fs.ValidPath(key) || key == "." || strings.Contains(key, `\`) {
		return "", fmt.Errorf("media: invalid storage key %q", key)
	}
	return filepath.Join(d.dir, filepath.FromSlash(key)), nil
}

// Put writes r to key atomically (temporary file, fsync, rename).
func (d *Disk) Put(ctx context.Context, key string, r io.Reader) (err error) {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("media: put %s: %w", key, err)
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".put-*")
	if err != nil {
		return fmt.Errorf("media: put %s: %w", key, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = io.Copy(f, r); err != nil {
		return fmt.Errorf("media: put %s: %w", key, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("media: put %s: %w", key, err)
	}
	if err = f.Chmod(0o644); err != nil {
		return fmt.Errorf("media: put %s: %w", key, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("media: put %s: %w", key, err)
	}
	if err = os.Rename(f.Name(), p); err != nil {
		return fmt.Errorf("media: put %s: %w", key, err)
	}
	return nil
}

// Open opens the file at key.
func (d *Disk) Open(_ context.Context, key string) (io.ReadCloser, error) {
	p, err := d.path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("media: open %s: %w", key, err)
	}
	return f, nil
}

// OpenFile opens the file at key for serving. Its ETag is made from the
// size and modification time (files are replaced by rename, never edited
// in place).
func (d *Disk) OpenFile(_ context.Context, key string) (File, error) {
	p, err := d.path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("media: open %s: %w", key, err)
	}
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("media: open %s: %w", key, errors.Join(fs.ErrNotExist, err))
	}
	tag := `"` + strconv.FormatInt(fi.Size(), 36) + "-" + strconv.FormatInt(fi.ModTime().UnixNano(), 36) + `"`
	return diskFile{f, Info{Size: fi.Size(), ModTime: fi.ModTime(), ETag: tag}}, nil
}

// Stat describes the regular file at key.
func (d *Disk) Stat(ctx context.Context, key string) (Info, error) {
	f, err := d.OpenFile(ctx, key)
	if err != nil {
		return Info{}, err
	}
	defer f.Close()
	return f.Info(), nil
}

type diskFile struct {
	*os.File
	info Info
}

func (f diskFile) Info() Info { return f.info }

// Unwrap returns the open file itself, so a server can send it with
// sendfile.
func (f diskFile) Unwrap() *os.File { return f.File }

// Exists reports whether key is a regular file.
func (d *Disk) Exists(_ context.Context, key string) (bool, error) {
	p, err := d.path(key)
	if err != nil {
		return false, err
	}
	fi, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("media: stat %s: %w", key, err)
	}
	return fi.Mode().IsRegular(), nil
}

// List walks the directory for keys starting with prefix, skipping
// temporary files.
func (d *Disk) List(ctx context.Context, prefix string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(d.dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if e.IsDir() || !e.Type().IsRegular() || strings.HasPrefix(e.Name(), ".put-") {
			return nil
		}
		rel, err := filepath.Rel(d.dir, p)
		if err != nil {
			return err
		}
		if key := filepath.ToSlash(rel); strings.HasPrefix(key, prefix) {
			out = append(out, key)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("media: list %q: %w", prefix, err)
	}
	sort.Strings(out)
	return out, nil
}

// Delete removes the file at key and any directories it leaves empty.
func (d *Disk) Delete(_ context.Context, key string) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("media: delete %s: %w", key, err)
	}
	for dir := path.Dir(key); dir != "." && dir != "/"; dir = path.Dir(dir) {
		if os.Remove(filepath.Join(d.dir, filepath.FromSlash(dir))) != nil {
			break // not empty
		}
	}
	return nil
}

// contentAddressed matches the media library's rendition names (see
// newsroom.MediaKey), whose bytes never change under the same name.
var contentAddressed = regexp.MustCompile(`^i/[0-9a-f]{2}/[0-9a-f]{64}-[0-9]+\.(?:jpg|png)$`)

// CacheControl is how long browsers and shared caches may keep the public
// file at key: a year and immutable for the library's renditions (their
// name is their content's hash), a day for files kept under their old
// name (a later import may bring a new copy), a year otherwise (the
// demo's pictures).
func CacheControl(key string) string {
	switch {
	case contentAddressed.MatchString(key):
		return "public, max-age=31536000, immutable"
	case strings.HasPrefix(key, "files/"):
		return "public, max-age=86400"
	}
	return "public, max-age=31536000"
}
