package site

import (
	"net/url"
	"strings"
)

// mediaPrefix is where the public media files are served on the site.
const mediaPrefix = "/media/"

// mediaURL is the address a reader's browser should fetch a picture from:
// with Config.MediaPublicURL, a site path under /media/ becomes the same
// key under that URL (the bucket or a CDN in front of it), so readers go
// straight there instead of through a node's redirect; any other address
// is returned as it is.
func (s *Server) mediaURL(u string) string {
	if s.mediaBase == "" {
		return u
	}
	if key, ok := strings.CutPrefix(u, mediaPrefix); ok {
		return s.mediaBase + key
	}
	return u
}

// mediaSrcset is mediaURL over each candidate of a srcset value
// ("URL 480w, URL 960w").
func (s *Server) mediaSrcset(set string) string {
	if s.mediaBase == "" || !strings.Contains(set, mediaPrefix) {
		return set
	}
	parts := strings.Split(set, ",")
	for i, p := range parts {
		lead := len(p) - len(strings.TrimLeft(p, " "))
		parts[i] = p[:lead] + s.mediaURL(p[lead:])
	}
	return strings.Join(parts, ",")
}

// mediaHTML points the pictures and file links of sanitized HTML saved by
// render (src, srcset and href attributes starting with /media/) at
// Config.MediaPublicURL. The sanitizer writes those attributes in one
// form (double quotes, srcset candidates joined by ", "), which is all
// this looks for.
func (s *Server) mediaHTML(h string) string {
	if s.mediaRewrite == nil || !strings.Contains(h, mediaPrefix) {
		return h
	}
	return s.mediaRewrite.Replace(h)
}

// setMediaBase prepares mediaURL and mediaHTML for a public media URL
// ("" turns both into the identity).
func (s *Server) setMediaBase(public string) {
	if public == "" {
		return
	}
	s.mediaBase = strings.TrimRight(public, "/") + "/"
	b := s.mediaBase
	// Pages allow images from any https: origin already; a plain-HTTP
	// bucket (a private network, a test) needs its own origin in img-src.
	if u, err := url.Parse(b); err == nil && u.Scheme == "http" && u.Host != "" {
		s.mediaCSP = " http://" + u.Host
	}
	s.mediaRewrite = strings.NewReplacer(
		` src="`+mediaPrefix, ` src="`+b,
		` srcset="`+mediaPrefix, ` srcset="`+b,
		`w, `+mediaPrefix, `w, `+b,
		` href="`+mediaPrefix, ` href="`+b,
	)
}
