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
	"sort"
	"strings"
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
