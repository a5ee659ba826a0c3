package backup

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"newsdesk/internal/sqlstore"
)

// Options say where a backup finds its files and reports its progress.
type Options struct {
	// DataDir is the data directory whose files (media) the archive
	// carries; the SQLite database files in it are carried as tables.
	DataDir string
	// Progress, when set, receives progress bars.
	Progress io.Writer
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Write takes a consistent snapshot of st while it keeps serving and
// writes the archive to out (through a temporary file renamed at the
// end, so out is never half written). It returns the manifest.
func Write(ctx context.Context, st *sqlstore.Store, out string, opts Options) (*Manifest, error) {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	out, err := filepath.Abs(out)
	if err != nil {
		return nil, err
	}
	dir := filepath.Dir(out)
	sn, err := st.Snapshot(ctx, dir)
	if err != nil {
		return nil, err
	}
	defer sn.Close()
	m := &Manifest{Format: Format, FormatVersion: FormatVersion, CreatedAt: now().UTC(),
		SchemaVersion: sn.Version, SourceDialect: sn.Dialect}

	tmp, err := os.CreateTemp(dir, ".newsdesk-backup-*.tmp")
	if err != nil {
		return nil, err
	}
	defer func() {
		tmp.Close()
		os.Remove(tmp.Name())
	}()
	tw := tar.NewWriter(tmp)
	p := newProgress(opts.Progress)

	var total int64
	counts := map[string]int64{}
	for _, t := range sn.Tables() {
		n, err := sn.Count(ctx, t.Name)
		if err != nil {
			return nil, fmt.Errorf("count %s: %w", t.Name, err)
		}
		counts[t.Name] = n
		total += n
	}
	p.phase("tables", "rows", total)
	for i, t := range sn.Tables() {
		e, err := writeTable(ctx, tw, sn, t, fmt.Sprintf("%s%03d-%s.jsonl.gz", tablesDir, i+1, t.Name), dir, now(), p)
		if err != nil {
			return nil, err
		}
		m.Tables = append(m.Tables, e)
	}
	p.finish()
	// The files come after the snapshot: every file a snapshotted row
	// names existed when it was taken (files are written before rows).
	files, size, err := listFiles(opts.DataDir, []string{out, tmp.Name()})
	if err != nil {
		return nil, err
	}
	p.phase("files", "bytes", size)
	for _, rel := range files {
		e, ok, err := writeFile(tw, opts.DataDir, rel, now(), p)
		if err != nil {
			return nil, err
		}
		if ok {
			m.Files = append(m.Files, e)
		}
	}
	p.finish()
	mb, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := tw.WriteHeader(&tar.Header{Name: manifestName, Mode: 0o644, Size: int64(len(mb)), ModTime: m.CreatedAt, Format: tar.FormatPAX}); err != nil {
		return nil, err
	}
	if _, err := tw.Write(mb); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := tmp.Sync(); err != nil {
		return nil, err
	}
	if err := tmp.Close(); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return nil, err
	}
	return m, nil
}

// writeTable writes a table's rows to a compressed temporary file (a tar
// entry needs its size first), then into the archive.
func writeTable(ctx context.Context, tw *tar.Writer, sn *sqlstore.Snapshot, t sqlstore.Table, entry, dir string, now time.Time, p *progress) (TableEntry, error) {
	e := TableEntry{Name: t.Name, Entry: entry, Columns: t.Columns, PrimaryKey: t.PrimaryKey}
	f, err := os.CreateTemp(dir, ".newsdesk-table-*.tmp")
	if err != nil {
		return e, err
	}
	defer func() {
		f.Close()
		os.Remove(f.Name())
	}()
	zw, err := gzip.NewWriterLevel(f, gzip.BestSpeed)
	if err != nil {
		return e, err
	}
	h := sha256.New()
	w := io.MultiWriter(zw, h)
	var line []byte
	err = sn.Rows(ctx, t, func(row []any) error {
		var err error
		if line, err = appendRow(line[:0], row); err != nil {
			return fmt.Errorf("table %s, row %d: %w", t.Name, e.Rows+1, err)
		}
		if _, err := w.Write(line); err != nil {
			return err
		}
		e.Rows++
		e.Bytes += int64(len(line))
		p.add(1)
		return nil
	})
	if err != nil {
		return e, err
	}
	if err := zw.Close(); err != nil {
		return e, err
	}
	e.SHA256 = hex.EncodeToString(h.Sum(nil))
	size, err := f.Seek(0, io.SeekCurrent)
	if err != nil {
		return e, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return e, err
	}
	if err := tw.WriteHeader(&tar.Header{Name: entry, Mode: 0o644, Size: size, ModTime: now, Format: tar.FormatPAX}); err != nil {
		return e, err
	}
	if _, err := io.CopyN(tw, f, size); err != nil {
		return e, err
	}
	return e, nil
}

// listFiles returns the regular files under dir (slash paths, sorted) and
// their total size, leaving out the SQLite database files (carried as
// tables), the files named in skip, and temporary files of newsdesk's.
func listFiles(dir string, skip []string) ([]string, int64, error) {
	if dir == "" {
		return nil, 0, nil
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, 0, err
	}
	leave := append(sqlstore.DataFiles(abs), skip...)
	var out []string
	var size int64
	err = filepath.WalkDir(abs, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) && path == abs {
				return filepath.SkipDir
			}
			return err
		}
		if !d.Type().IsRegular() || slices.Contains(leave, path) || strings.HasPrefix(d.Name(), ".newsdesk-") ||
			strings.HasPrefix(d.Name(), ".write-check-") {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(abs, path)
		if err != nil {
			return err
		}
		out = append(out, filepath.ToSlash(rel))
		size += info.Size()
		return nil
	})
	return out, size, err
}

// writeFile copies one file into the archive; a file removed since it was
// listed is left out (ok false).
func writeFile(tw *tar.Writer, dir, rel string, now time.Time, p *progress) (FileEntry, bool, error) {
	e := FileEntry{Path: rel}
	f, err := os.Open(filepath.Join(dir, filepath.FromSlash(rel)))
	if os.IsNotExist(err) {
		return e, false, nil
	}
	if err != nil {
		return e, false, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return e, false, err
	}
	e.Size = info.Size()
	if err := tw.WriteHeader(&tar.Header{Name: filesDir + rel, Mode: 0o644, Size: e.Size, ModTime: info.ModTime(), Format: tar.FormatPAX}); err != nil {
		return e, false, err
	}
	h := sha256.New()
	n, err := io.CopyN(io.MultiWriter(tw, h), f, e.Size)
	p.add(n)
	if err != nil {
		return e, false, fmt.Errorf("copy %s: %w", rel, err)
	}
	e.SHA256 = hex.EncodeToString(h.Sum(nil))
	return e, true, nil
}
