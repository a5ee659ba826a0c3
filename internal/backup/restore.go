package backup

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"newsdesk/internal/sqlstore"
)

// Report is what a restore loaded and checked.
type Report struct {
	Manifest *Manifest
	Tables   []TableCheck
	Files    int
	Bytes    int64 // file bytes written
	// Migrated is the schema version after the restore (the archive's
	// version, then any newer migrations this binary has).
	Migrated int
}

// TableCheck is one table after the restore.
type TableCheck struct {
	Name     string
	Rows     int64 // rows in the database after loading
	Want     int64 // rows in the archive
	Derived  bool  // rebuilt by the database's triggers: count checked, content engine-specific
	Checksum bool  // the rows read back have the archive's SHA-256
}

// OpenFunc opens the target store migrated up to a schema version (0:
// every migration).
type OpenFunc func(ctx context.Context, migrateTo int) (*sqlstore.Store, error)

// CheckEmptyDir refuses a data directory that holds any file: a restore
// never mixes a backup with what is already there.
func CheckEmptyDir(dir string) error {
	var found string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) && p == dir {
				return filepath.SkipDir
			}
			return err
		}
		if d.Type().IsRegular() || d.Type()&fs.ModeSymlink != 0 {
			found = p
			return fs.SkipAll
		}
		return nil
	})
	if err != nil {
		return err
	}
	if found != "" {
		return fmt.Errorf("data directory %s is not empty (it holds %s): restore only into an empty directory", dir, found)
	}
	return nil
}

// Restore loads the archive at path into the store open returns (which
// must be empty) and the files into dataDir (which must be empty), checks
// every count and checksum, and commits only when all match.
func Restore(ctx context.Context, archive, dataDir string, open OpenFunc, progress io.Writer) (*Report, error) {
	m, err := ReadManifest(archive)
	if err != nil {
		return nil, err
	}
	if err := CheckEmptyDir(dataDir); err != nil {
		return nil, err
	}
	rep := &Report{Manifest: m}
	// The directory was empty: on failure, leave it empty again.
	done := false
	defer func() {
		if !done {
			wipe(dataDir)
		}
	}()
	st, err := open(ctx, m.SchemaVersion)
	if err != nil {
		return nil, err
	}
	if latest := sqlstore.LatestVersion(st.Dialect()); m.SchemaVersion > latest {
		st.Close()
		return nil, fmt.Errorf("the backup's schema is at version %d, newer than this newsdesk knows (%d): restore it with that release or a later one", m.SchemaVersion, latest)
	}
	if err := load(ctx, st, archive, dataDir, m, rep, progress); err != nil {
		st.Close()
		return nil, err
	}
	if err := st.Close(); err != nil {
		return nil, err
	}
	// Migrations newer than the backup run now, on the loaded data.
	st, err = open(ctx, 0)
	if err != nil {
		return nil, fmt.Errorf("migrate after restore: %w", err)
	}
	defer st.Close()
	if rep.Migrated, err = st.SchemaVersion(ctx); err != nil {
		return nil, err
	}
	done = true
	return rep, nil
}

// wipe removes everything inside dir.
func wipe(dir string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		os.RemoveAll(filepath.Join(dir, e.Name()))
	}
}

// countingReader counts what is read through it (for the progress bar).
type countingReader struct {
	r io.Reader
	p *progress
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.p.add(int64(n))
	return n, err
}

func load(ctx context.Context, st *sqlstore.Store, archive, dataDir string, m *Manifest, rep *Report, progress io.Writer) error {
	f, err := os.Open(archive)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	p := newProgress(progress)
	p.phase("restore", "bytes", info.Size())
	tr := tar.NewReader(bufio.NewReaderSize(&countingReader{r: f, p: p}, 1<<20))
	l, err := st.BeginLoad(ctx)
	if err != nil {
		return err
	}
	defer l.Rollback()
	byEntry := map[string]TableEntry{}
	for _, t := range m.Tables {
		byEntry[t.Entry] = t
	}
	files := map[string]FileEntry{}
	for _, fe := range m.Files {
		files[fe.Path] = fe
	}
	derived := map[string]bool{}
	seen := map[string]bool{}
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("read archive: %w", err)
		}
		switch {
		case h.Name == manifestName:
		case strings.HasPrefix(h.Name, tablesDir):
			e, ok := byEntry[h.Name]
			if !ok {
				return fmt.Errorf("archive entry %s is not in the manifest", h.Name)
			}
			seen[e.Entry] = true
			if l.Derived(e.Name) {
				derived[e.Name] = true
				continue
			}
			if err := loadTable(ctx, l, tr, e); err != nil {
				return err
			}
		case strings.HasPrefix(h.Name, filesDir):
			rel := strings.TrimPrefix(h.Name, filesDir)
			fe, ok := files[rel]
			if !ok {
				return fmt.Errorf("archive entry %s is not in the manifest", h.Name)
			}
			if err := restoreFile(tr, dataDir, fe); err != nil {
				return err
			}
			delete(files, rel)
			rep.Files++
			rep.Bytes += fe.Size
		default:
			return fmt.Errorf("archive entry %s: unknown", h.Name)
		}
	}
	p.finish()
	for _, t := range m.Tables {
		if !seen[t.Entry] {
			return fmt.Errorf("archive is missing the rows of table %s (%s): cut short?", t.Name, t.Entry)
		}
	}
	for rel := range files {
		return fmt.Errorf("archive is missing file %s: cut short?", rel)
	}
	if err := l.Finish(ctx); err != nil {
		return err
	}
	// Read every table back and compare with the manifest, before the
	// load commits.
	for _, t := range m.Tables {
		c := TableCheck{Name: t.Name, Want: t.Rows, Derived: derived[t.Name]}
		if c.Rows, err = l.Count(ctx, t.Name); err != nil {
			return err
		}
		if c.Rows != c.Want {
			return fmt.Errorf("table %s: %d rows after loading, the archive has %d", t.Name, c.Rows, c.Want)
		}
		if !c.Derived {
			sum, err := checksum(ctx, l, t)
			if err != nil {
				return err
			}
			if sum != t.SHA256 {
				return fmt.Errorf("table %s: the rows read back differ from the archive's (SHA-256 %s, want %s)", t.Name, sum, t.SHA256)
			}
			c.Checksum = true
		}
		rep.Tables = append(rep.Tables, c)
	}
	return l.Commit(ctx)
}

// loadTable decompresses one table's rows, checks their checksum against
// the manifest as they stream, and inserts them.
func loadTable(ctx context.Context, l *sqlstore.Loader, r io.Reader, e TableEntry) error {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return fmt.Errorf("table %s: %w", e.Name, err)
	}
	h := sha256.New()
	br := bufio.NewReaderSize(io.TeeReader(zr, h), 1<<20)
	cols := make([]string, len(e.Columns))
	for i, c := range e.Columns {
		cols[i] = c.Name
	}
	line := 0
	n, err := l.Load(ctx, e.Name, cols, func() ([]any, error) {
		b, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			big := append([]byte(nil), b...)
			for errors.Is(err, bufio.ErrBufferFull) {
				b, err = br.ReadSlice('\n')
				big = append(big, b...)
			}
			b = big
		}
		if errors.Is(err, io.EOF) && len(b) == 0 {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("table %s: %w", e.Name, err)
		}
		line++
		row, err := decodeRow(b)
		if err != nil {
			return nil, fmt.Errorf("table %s, line %d: %w", e.Name, line, err)
		}
		return row, nil
	})
	if err != nil {
		return err
	}
	if sum := hex.EncodeToString(h.Sum(nil)); sum != e.SHA256 {
		return fmt.Errorf("table %s: archive rows have SHA-256 %s, the manifest says %s: the archive is damaged", e.Name, sum, e.SHA256)
	}
	if n != e.Rows {
		return fmt.Errorf("table %s: loaded %d rows, the manifest says %d", e.Name, n, e.Rows)
	}
	return nil
}

// checksum reads a table back as a backup writes it and hashes the lines.
func checksum(ctx context.Context, l *sqlstore.Loader, t TableEntry) (string, error) {
	cols := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		cols[i] = c.Name
	}
	h := sha256.New()
	var line []byte
	err := l.Rows(ctx, t.Name, cols, func(row []any) error {
		var err error
		line, err = appendRow(line[:0], row)
		h.Write(line)
		return err
	})
	return hex.EncodeToString(h.Sum(nil)), err
}

// restoreFile writes one file under dataDir and checks its checksum.
func restoreFile(r io.Reader, dataDir string, fe FileEntry) error {
	clean := path.Clean(fe.Path)
	if clean != fe.Path || path.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") {
		return fmt.Errorf("archive file %q: not a plain relative path", fe.Path)
	}
	dst := filepath.Join(dataDir, filepath.FromSlash(clean))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", dst, err)
	}
	if n != fe.Size || hex.EncodeToString(h.Sum(nil)) != fe.SHA256 {
		return fmt.Errorf("file %s: %d bytes with SHA-256 %x, the manifest says %d bytes, %s: the archive is damaged", fe.Path, n, h.Sum(nil), fe.Size, fe.SHA256)
	}
	return nil
}
