package api

import (
	"net/http"
	"strconv"

	"newsdesk/internal/newsroom"
)

// Static pages and the footer menu, for editors and admins (and the
// importer's scripts): GET/POST /api/v1/pages, GET/PATCH/DELETE
// /api/v1/pages/{id}. A page in JSON is newsroom.Page: id, parent_id,
// slug, url (its public path), title, body (Markdown), body_html, status
// (draft or published), in_menu, menu_position, created_at, updated_at,
// language, translation_of and translations [{id, language, url, title,
// status, original}].

func (s *Server) pagesEnabled() error {
	if s.Pages == nil {
		return newsroom.Errorf(newsroom.NotFound, "", "static pages are not enabled")
	}
	return nil
}

func pageIDParam(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, newsroom.Errorf(newsroom.NotFound, "", "no page with that id")
	}
	return id, nil
}

// pageInput is a page as sent: every field optional, so PATCH changes
// only what it names.
type pageInput struct {
	ParentID     *int64           `json:"parent_id"`
	Slug         *string          `json:"slug"`
	Title        *string          `json:"title"`
	Body         *string          `json:"body"`
	Status       *newsroom.Status `json:"status"`
	InMenu       *bool            `json:"in_menu"`
	MenuPosition *int             `json:"menu_position"`
	// Language is the page's edition (the site's language by default);
	// TranslationOf links it to its version in another language (0:
	// unlinks it).
	Language      *string `json:"language"`
	TranslationOf *int64  `json:"translation_of"`
}

func (in *pageInput) apply(p *newsroom.Page) {
	if in.ParentID != nil {
		p.ParentID = *in.ParentID
	}
	if in.Slug != nil {
		p.Slug = *in.Slug
	}
	if in.Title != nil {
		p.Title = *in.Title
	}
	if in.Body != nil {
		p.Body = *in.Body
	}
	if in.Status != nil {
		p.Status = *in.Status
	}
	if in.InMenu != nil {
		p.InMenu = *in.InMenu
	}
	if in.MenuPosition != nil {
		p.MenuPosition = *in.MenuPosition
	}
	if in.Language != nil {
		p.Language = *in.Language
	}
	if in.TranslationOf != nil {
		p.TranslationOf = *in.TranslationOf
	}
}

func (s *Server) listPages(w http.ResponseWriter, r *http.Request) error {
	if err := s.pagesEnabled(); err != nil {
		return err
	}
	list, err := s.Pages.List(r.Context(), User(r.Context()))
	if err != nil {
		return err
	}
	if list == nil {
		list = []newsroom.Page{}
	}
	writeJSON(w, http.StatusOK, struct {
		Pages []newsroom.Page `json:"pages"`
	}{list})
	return nil
}

func (s *Server) getPage(w http.ResponseWriter, r *http.Request) error {
	if err := s.pagesEnabled(); err != nil {
		return err
	}
	id, err := pageIDParam(r)
	if err != nil {
		return err
	}
	p, err := s.Pages.Get(r.Context(), User(r.Context()), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (s *Server) createPage(w http.ResponseWriter, r *http.Request) error {
	if err := s.pagesEnabled(); err != nil {
		return err
	}
	var in pageInput
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	p := &newsroom.Page{}
	in.apply(p)
	if err := s.Pages.Create(r.Context(), User(r.Context()), p); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, p)
	return nil
}

func (s *Server) patchPage(w http.ResponseWriter, r *http.Request) error {
	if err := s.pagesEnabled(); err != nil {
		return err
	}
	id, err := pageIDParam(r)
	if err != nil {
		return err
	}
	var in pageInput
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	p, err := s.Pages.Update(r.Context(), User(r.Context()), id, func(p *newsroom.Page) error {
		in.apply(p)
		return nil
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (s *Server) deletePage(w http.ResponseWriter, r *http.Request) error {
	if err := s.pagesEnabled(); err != nil {
		return err
	}
	id, err := pageIDParam(r)
	if err != nil {
		return err
	}
	if err := s.Pages.Delete(r.Context(), User(r.Context()), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
