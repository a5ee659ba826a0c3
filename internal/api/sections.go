package api

import (
	"net/http"
	"strconv"
	"strings"

	"newsdesk/internal/newsroom"
)

// Sections: every signed-in staff member may list them; editors and
// admins create and change them (as in the desk). A section's names and
// descriptions in the other editions' languages ({"ru": "Мир"}) are what
// those editions show; an empty one falls back to name and description.

func (s *Server) sectionsOn() error {
	if s.Sections == nil {
		return newsroom.Errorf(newsroom.NotFound, "", "no such endpoint")
	}
	return nil
}

func maySection(u *newsroom.User) error {
	if u == nil {
		return newsroom.Errorf(newsroom.Unauthorized, "", "sign in first")
	}
	if !u.Role.CanPublish() {
		return newsroom.Errorf(newsroom.Forbidden, "", "only editors and admins change sections")
	}
	return nil
}

type sectionInput struct {
	Slug         *string           `json:"slug"`
	Name         *string           `json:"name"`
	ParentID     *int64            `json:"parent_id"`
	Position     *int              `json:"position"`
	Description  *string           `json:"description"`
	Names        map[string]string `json:"names"`
	Descriptions map[string]string `json:"descriptions"`
}

// apply puts the fields sent on c; in names and descriptions an empty
// text removes that language's.
func (in *sectionInput) apply(c *newsroom.Category) {
	if in.Name != nil {
		c.Name = *in.Name
	}
	if in.ParentID != nil {
		c.ParentID = *in.ParentID
	}
	if in.Position != nil {
		c.Position = *in.Position
	}
	if in.Description != nil {
		c.Description = *in.Description
	}
	c.Names = mergeTexts(c.Names, in.Names)
	c.Descriptions = mergeTexts(c.Descriptions, in.Descriptions)
}

func mergeTexts(old, in map[string]string) map[string]string {
	if in == nil {
		return old
	}
	out := map[string]string{}
	for k, v := range old {
		out[k] = v
	}
	for k, v := range in {
		if strings.TrimSpace(v) == "" {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}

func sectionID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, newsroom.Errorf(newsroom.NotFound, "id", "no section with that id")
	}
	return id, nil
}

func (s *Server) listSections(w http.ResponseWriter, r *http.Request) error {
	if err := s.sectionsOn(); err != nil {
		return err
	}
	list, err := s.Store.Categories(r.Context())
	if err != nil {
		return err
	}
	if list == nil {
		list = []newsroom.Category{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"sections": list})
	return nil
}

func (s *Server) getSection(w http.ResponseWriter, r *http.Request) error {
	if err := s.sectionsOn(); err != nil {
		return err
	}
	id, err := sectionID(r)
	if err != nil {
		return err
	}
	c, err := s.Sections.CategoryByID(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

// createSection adds a section; an empty slug is made from the name.
func (s *Server) createSection(w http.ResponseWriter, r *http.Request) error {
	if err := s.sectionsOn(); err != nil {
		return err
	}
	if err := maySection(User(r.Context())); err != nil {
		return err
	}
	var in sectionInput
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	c := &newsroom.Category{}
	in.apply(c)
	if in.Slug != nil {
		c.Slug = strings.TrimSpace(*in.Slug)
	}
	if c.Slug == "" && strings.TrimSpace(c.Name) != "" {
		c.Slug = newsroom.Slugify(c.Name)
	}
	if err := s.Store.CreateCategory(r.Context(), c); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/sections/"+strconv.FormatInt(c.ID, 10))
	writeJSON(w, http.StatusCreated, c)
	return nil
}

// patchSection changes the fields sent; the slug is fixed once made
// (article addresses hang on it).
func (s *Server) patchSection(w http.ResponseWriter, r *http.Request) error {
	if err := s.sectionsOn(); err != nil {
		return err
	}
	if err := maySection(User(r.Context())); err != nil {
		return err
	}
	id, err := sectionID(r)
	if err != nil {
		return err
	}
	var in sectionInput
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	c, err := s.Sections.CategoryByID(r.Context(), id)
	if err != nil {
		return err
	}
	in.apply(c)
	if in.Slug != nil {
		c.Slug = strings.TrimSpace(*in.Slug)
	}
	if err := s.Sections.UpdateCategory(r.Context(), c); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}
