package site

import (
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"strings"

	"newsdesk/internal/media"
)

// setSecurityHeaders sets the headers every HTML page carries. Images may
// come from elsewhere only when an imported article points there; frames
// only from the two video players an embed loads when the reader clicks
// it (render's embeds, site.js). extraImg is one more image source (the
// origin of a plain-HTTP --media-public-url; "" for none).
func setSecurityHeaders(h http.Header, extraImg string) {
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: https:"+extraImg+"; frame-src https://www.youtube-nocookie.com https://player.vimeo.com; object-src 'none'; base-uri 'self'; frame-ancestors 'self'")
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

// media serves the public media files at /media/, without directory
// listings: streamed from Config.Media (the local disk or a bucket every
// node shares) with a strong ETag, range requests and the cache lifetime
// media.CacheControl gives; with Config.MediaPublicURL, a permanent
// redirect to the file there instead.
func (s *Server) media() http.Handler {
	if s.cfg.MediaPublicURL != "" {
		base := strings.TrimRight(s.cfg.MediaPublicURL, "/") + "/"
		return s.handle(func(w http.ResponseWriter, r *http.Request) error {
			name := strings.TrimPrefix(r.URL.Path, "/media/")
			if name == "" || strings.HasSuffix(name, "/") || !fs.ValidPath(name) {
				return errNotFound
			}
			w.Header().Set("Cache-Control", media.CacheControl(name))
			http.Redirect(w, r, base+(&url.URL{Path: name}).EscapedPath(), http.StatusMovedPermanently)
			return nil
		})
	}
	if s.files == nil {
		return s.handle(func(http.ResponseWriter, *http.Request) error { return errNotFound })
	}
	return s.handle(func(w http.ResponseWriter, r *http.Request) error {
		name := strings.TrimPrefix(r.URL.Path, "/media/")
		if name == "" || strings.HasSuffix(name, "/") || !fs.ValidPath(name) {
			return errNotFound
		}
		f, err := s.files.OpenFile(r.Context(), name)
		if errors.Is(err, fs.ErrNotExist) {
			return errNotFound
		}
		if err != nil {
			return err
		}
		defer f.Close()
		info := f.Info()
		h := w.Header()
		h.Set("Cache-Control", media.CacheControl(name))
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("ETag", info.ETag)
		var content io.ReadSeeker = f
		if u, ok := f.(interface{ Unwrap() *os.File }); ok {
			content = u.Unwrap() // sendfile from the disk
		}
		http.ServeContent(w, r, name, info.ModTime, content)
		return nil
	})
}

// handleRobots writes robots.txt from the settings' crawler policy (search
// engines, AI crawlers by purpose; never the desk, the API or search
// results) and names the sitemap index and the news sitemap.
func (s *Server) handleRobots(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	body := s.conf(r.Context()).Crawlers.RobotsTxt(s.absURL(r, pathSitemap), s.absURL(r, pathNewsSitemap))
	tag(w)
	for _, e := range s.live(r.Context()) {
		if e != s {
			// Each edition's search is disallowed and its news sitemap named.
			body = strings.Replace(body, "Disallow: /search\n", "Disallow: /search\nDisallow: "+e.path("/search")+"\n", 1) +
				"Sitemap: " + s.absURL(r, e.path(pathNewsSitemap)) + "\n"
		}
	}
	_, _ = w.Write([]byte(body))
	return nil
}
