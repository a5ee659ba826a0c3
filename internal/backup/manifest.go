// Package backup writes and restores newsdesk's backup archive: one tar
// file holding every table of the database in an engine-neutral form
// (JSON lines, gzip), the files of the data directory (media), and a
// manifest with the schema version, row counts and SHA-256 checksums.
// A backup of a SQLite site restores into PostgreSQL and back.
package backup

import (
	"archive/tar"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"newsdesk/internal/sqlstore"
)

// Archive layout and format.
const (
	Format        = "newsdesk-backup"
	FormatVersion = 1
	manifestName  = "manifest.json"
	tablesDir     = "tables/"
	filesDir      = "files/"
)

// Manifest describes an archive. It is the archive's last entry.
type Manifest struct {
	Format        string       `json:"format"`
	FormatVersion int          `json:"format_version"`
	CreatedAt     time.Time    `json:"created_at"`
	SchemaVersion int          `json:"schema_version"`
	SourceDialect string       `json:"source_dialect"`
	Tables        []TableEntry `json:"tables"`
	Files         []FileEntry  `json:"files"`
}

// TableEntry is one table: its columns, its row count, and the SHA-256 of
// its rows as JSON lines (before compression).
type TableEntry struct {
	Name       string            `json:"name"`
	Entry      string            `json:"entry"`
	Columns    []sqlstore.Column `json:"columns"`
	PrimaryKey []string          `json:"primary_key,omitempty"`
	Rows       int64             `json:"rows"`
	Bytes      int64             `json:"bytes"`
	SHA256     string            `json:"sha256"`
}

// FileEntry is one file of the data directory, by its slash path.
type FileEntry struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Table returns the entry of a table by name.
func (m *Manifest) Table(name string) (TableEntry, bool) {
	for _, t := range m.Tables {
		if t.Name == name {
			return t, true
		}
	}
	return TableEntry{}, false
}

// Rows returns the number of rows of a table (0 if absent).
func (m *Manifest) Rows(name string) int64 {
	t, _ := m.Table(name)
	return t.Rows
}

// FileBytes is the total size of the files.
func (m *Manifest) FileBytes() int64 {
	var n int64
	for _, f := range m.Files {
		n += f.Size
	}
	return n
}

// ReadManifest reads the manifest of the archive at path (skipping over
// the other entries) and checks that this newsdesk can read the format.
func ReadManifest(path string) (*Manifest, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: no %s: not a newsdesk backup, or cut short", path, manifestName)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: not a newsdesk backup (%v)", path, err)
		}
		if h.Name != manifestName {
			continue
		}
		var m Manifest
		if err := json.NewDecoder(io.LimitReader(tr, 1<<30)).Decode(&m); err != nil {
			return nil, fmt.Errorf("%s: %s: %w", path, manifestName, err)
		}
		if m.Format != Format {
			return nil, fmt.Errorf("%s: format %q, want %q", path, m.Format, Format)
		}
		if m.FormatVersion > FormatVersion {
			return nil, fmt.Errorf("%s: format version %d is newer than this newsdesk reads (%d)", path, m.FormatVersion, FormatVersion)
		}
		return &m, nil
	}
}
