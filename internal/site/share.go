package site

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/render"
	"newsdesk/internal/throttle"
	"newsdesk/internal/web"
)

// handleShare counts a share-button click and sends the reader on to the
// network with the article's address and headline. It works without
// JavaScript: the button is a plain form posting here.
func (s *Server) handleShare(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	network := r.PathValue("network")
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 || !newsroom.ValidNetwork(network) {
		return errNotFound
	}
	if wait := s.shareLimit.Allow(web.ClientKey(r, s.cfg.TrustProxy), time.Now()); wait > 0 {
		retry := throttle.RoundUp(wait)
		return newsroom.RateLimitedf(retry, "too many share clicks from your address; wait %d seconds", int(retry/time.Second))
	}
	a, err := s.store.ArticleByID(ctx, id)
	if err != nil {
		return err
	}
	if !a.IsPublic(s.now()) {
		return errNotFound
	}
	// A click is counted in memory and written with the views in a batch;
	// it drops no cached page (the counts shown may be minutes old).
	if s.cfg.Shares != nil {
		s.cfg.Shares.AddShare(a.ID, network)
	}
	target := shareURL(network, s.absURL(r, s.articlePath(a)), render.Text(string(headlineHTML(a))))
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}

// shareURL is the network's own share address for an article.
func shareURL(network, link, title string) string {
	q := url.QueryEscape
	switch network {
	case "facebook":
		return "https://www.facebook.com/sharer/sharer.php?u=" + q(link)
	case "x":
		return "https://x.com/intent/post?url=" + q(link) + "&text=" + q(title)
	case "telegram":
		return "https://t.me/share/url?url=" + q(link) + "&text=" + q(title)
	case "vk":
		return "https://vk.com/share.php?url=" + q(link) + "&title=" + q(title)
	case "whatsapp":
		return "https://wa.me/?text=" + q(title+" "+link)
	case "email":
		// Mail clients read + literally: spaces must be %20.
		return "mailto:?subject=" + strings.ReplaceAll(q(title), "+", "%20") + "&body=" + q(link)
	}
	return link
}
