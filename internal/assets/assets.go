// Package assets serves a folder of embedded files (style sheets, scripts)
// at content-hashed paths, so that each can be cached for a year: a changed
// file gets a new name. The public site and the desk each load their own Set.
package assets

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
)

// Set is a loaded folder of assets. It is read-only after Load.
type Set struct {
	files map[string]file   // by hashed name ("site.3f2a1c9b0d.css")
	urls  map[string]string // plain name -> prefix + hashed name
}

type file struct {
	body []byte
	ctyp string
}

// Load reads every file in dir of fsys and names it by the first ten hex
// digits of its SHA-256; URL gives prefix + that name.
func Load(fsys fs.FS, dir, prefix string) (*Set, error) {
	s := &Set{files: map[string]file{}, urls: map[string]string{}}
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read assets: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		body, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read asset %s: %w", e.Name(), err)
		}
		sum := sha256.Sum256(body)
		ext := path.Ext(e.Name())
		name := strings.TrimSuffix(e.Name(), ext) + "." + hex.EncodeToString(sum[:])[:10] + ext
		ctyp := mime.TypeByExtension(ext)
		if ctyp == "" {
			ctyp = "application/octet-stream"
		}
		s.files[name] = file{body: body, ctyp: ctyp}
		s.urls[e.Name()] = prefix + name
	}
	return s, nil
}

// URL returns the fingerprinted path of the asset with the plain name
// ("site.css"), and whether there is one.
func (s *Set) URL(name string) (string, bool) {
	u, ok := s.urls[name]
	return u, ok
}

// Serve writes the asset with the hashed name, cacheable for a year, and
// reports whether it exists; the caller answers 404 when it does not.
func (s *Set) Serve(w http.ResponseWriter, r *http.Request, hashedName string) bool {
	f, ok := s.files[hashedName]
	if !ok {
		return false
	}
	h := w.Header()
	h.Set("Content-Type", f.ctyp)
	h.Set("Content-Length", strconv.Itoa(len(f.body)))
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("X-Content-Type-Options", "nosniff")
	if r.Method != http.MethodHead {
		_, _ = w.Write(f.body)
	}
	return true
}
