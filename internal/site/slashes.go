package site

import (
	"net/http"
	"strconv"
	"strings"
)

// WordPress ends every address with a slash (/tag/ferries/,
// /author/mairi/, /harbour/ferry-returns/); newsdesk ends only a
// section's with one. These handlers send the slashed form of an address
// that exists to the address itself (301), so that an old link differing
// only by its slash needs no stored redirect (a redirect from an address
// to itself is refused). Anything else is a 404, which static pages and
// stored redirects may still answer.

// handleSlashedArticle answers /{section}/{slug}/.
func (s *Server) handleSlashedArticle(w http.ResponseWriter, r *http.Request) error {
	a, err := s.store.ArticleBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	if !a.IsPublic(s.now()) || a.URL() != strings.TrimSuffix(r.URL.Path, "/") {
		return errNotFound
	}
	tag(w, articleKey(a.ID))
	return slashRedirect(w, r, s.articlePath(a))
}

// handleSlashedTag answers /tag/{slug}/.
func (s *Server) handleSlashedTag(w http.ResponseWriter, r *http.Request) error {
	t, err := s.store.TagBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	tag(w, "tag:"+t.Slug)
	return slashRedirect(w, r, "/tag/"+t.Slug)
}

// handleSlashedAuthor answers /author/{slug}/.
func (s *Server) handleSlashedAuthor(w http.ResponseWriter, r *http.Request) error {
	a, err := s.store.AuthorBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	tag(w, "author:"+strconv.FormatInt(a.ID, 10))
	return slashRedirect(w, r, "/author/"+a.Slug)
}

// slashless sends a fixed address's slashed form to it.
func (s *Server) slashless(to string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error { return slashRedirect(w, r, to) }
}

func slashRedirect(w http.ResponseWriter, r *http.Request, to string) error {
	if r.URL.RawQuery != "" {
		to += "?" + r.URL.RawQuery
	}
	http.Redirect(w, r, to, http.StatusMovedPermanently)
	return nil
}
