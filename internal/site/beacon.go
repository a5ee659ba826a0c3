package site

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"unicode/utf8"
)

// ViewBeacon counts article views from the page rather than from its
// serving: behind a shared cache (Varnish, a CDN) a page is mostly
// answered by the tier, and the node never sees it. With one set, the
// article page carries a signed address (data-view) that site.js posts
// to once per page shown (navigator.sendBeacon), with the page's own
// referrer as the body; main passes views.Beacon.
type ViewBeacon interface {
	Token(articleID int64) string
	Valid(articleID int64, token string) bool
	Count(r *http.Request, articleID int64, referrer string)
}

// pathViews is where beacons go: POST /views/{id}?t=TOKEN.
const pathViews = "/views/"

// maxBeaconBody bounds a beacon's body (a referrer address).
const maxBeaconBody = 2048

// viewBeacon is the beacon address of article id for its page, or ""
// when views are counted as pages are served.
func (s *Server) viewBeacon(id int64) string {
	if s.cfg.ViewBeacon == nil || id <= 0 {
		return ""
	}
	return pathViews + strconv.FormatInt(id, 10) + "?t=" + s.cfg.ViewBeacon.Token(id)
}

// handleViewBeacon counts the view a page's beacon reports. It answers
// with a bare status, never a page: 204 counted or not (a repeat, a
// robot), 404 for an address the site did not sign, 413 for a body past
// maxBeaconBody. It reads nothing from the database.
func (s *Server) handleViewBeacon(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if s.cfg.ViewBeacon == nil || err != nil || id < 1 || !s.cfg.ViewBeacon.Valid(id, r.URL.Query().Get("t")) {
		http.Error(w, "no such beacon", http.StatusNotFound)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBeaconBody))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			http.Error(w, "a beacon's body is a referrer address of at most 2048 bytes", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "could not read the beacon", http.StatusBadRequest)
		return
	}
	referrer := ""
	if utf8.Valid(body) {
		referrer = string(body)
	}
	s.cfg.ViewBeacon.Count(r, id, referrer)
	w.WriteHeader(http.StatusNoContent)
}
