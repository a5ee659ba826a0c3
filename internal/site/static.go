package site

import (
	"errors"
	"io/fs"
	"net/http"
	"os"
	"regexp"
	"strings"
)

// setSecurityHeaders sets the headers every HTML page carries. Images may
// come from elsewhere only when an imported article points there; frames
// only from the two video players an embed loads when the reader clicks
// it (render's embeds, site.js).
func setSecurityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: https:; frame-src https://www.youtube-nocookie.com https://player.vimeo.com; object-src 'none'; base-uri 'self'; frame-ancestors 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
}

// handleAsset serves a fingerprinted CSS or JS file for a year.
func (s *Server) handleAsset(w http.ResponseWriter, r *http.Request) error {
	if !s.assets.Serve(w, r, r.PathValue("name")) {
		return errNotFound
	}
	return nil
}

// media serves files under MediaDir at /media/, without directory listings.
func (s *Server) media() http.Handler {
	if s.cfg.MediaDir == "" {
		return s.handle(func(http.ResponseWriter, *http.Request) error { return errNotFound })
	}
	fsrv := http.StripPrefix("/media/", http.FileServerFS(filesOnly{os.DirFS(s.cfg.MediaDir)}))
	return s.handle(func(w http.ResponseWriter, r *http.Request) error {
		name := strings.TrimPrefix(r.URL.Path, "/media/")
		if name == "" || strings.HasSuffix(name, "/") || !fs.ValidPath(name) {
			return errNotFound
		}
		fi, err := fs.Stat(os.DirFS(s.cfg.MediaDir), name)
		if err != nil || !fi.Mode().IsRegular() {
			return errNotFound
		}
		if contentAddressed.MatchString(name) {
			// The name is the content's hash: it never changes.
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else if strings.HasPrefix(name, "files/") {
			// A file kept under its old name (media.PutFile): a later
			// import may bring a new copy.
			w.Header().Set("Cache-Control", "public, max-age=86400")
		} else {
			w.Header().Set("Cache-Control", "public, max-age=31536000")
		}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		fsrv.ServeHTTP(w, r)
		return nil
	})
}

// contentAddressed matches the media library's rendition names (see
// newsroom.MediaKey), whose bytes never change under the same name.
var contentAddressed = regexp.MustCompile(`^i/[0-9a-f]{2}/[0-9a-f]{64}-[0-9]+\.(?:jpg|png)$`)

// filesOnly hides directories, so the file server never lists one.
type filesOnly struct{ fsys fs.FS }

func (f filesOnly) Open(name string) (fs.File, error) {
	file, err := f.fsys.Open(name)
	if err != nil {
		return nil, err
	}
	if fi, err := file.Stat(); err != nil || fi.IsDir() {
		file.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: errors.Join(fs.ErrNotExist, err)}
	}
	return file, nil
}

// handleRobots writes robots.txt from the settings' crawler policy (search
// engines, AI crawlers by purpose; never the desk, the API or search
// results) and names the sitemap index and the news sitemap.
func (s *Server) handleRobots(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	body := s.conf(r.Context()).Crawlers.RobotsTxt(s.absURL(r, pathSitemap), s.absURL(r, pathNewsSitemap))
	tag(w)
	_, _ = w.Write([]byte(body))
	return nil
}
